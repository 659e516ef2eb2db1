"""All models. Every module in this package is imported here, so the metadata (and Alembic) sees
every table; features add a module (``club/models/<feature>.py``) and need not edit this file.

Who owns which module (tests/test_architecture.py holds the code to it):
- shared by every package: ``base`` (column types), ``user`` (people and roles), ``club`` (settings,
  rules, the audit log, the interest vocabulary);
- the membership kernel: ``membership`` (a membership and the member's profile), which features
  read through ``club.membership`` and may join in their queries;
- each feature its own: ``applications``, ``curation``, ``events``, ``billing``, ``members``, ``auth``. No
  other feature imports them; it calls the owner's service functions instead.
"""
import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
