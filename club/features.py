"""The feature packages and the optional parts each may offer.

The app factory, the CLI and the demo seeding find feature parts here, so adding a feature means
adding its package and its name below. The parts:
- ``views``: a blueprint ``bp`` (its URLs);
- ``cli``: a list ``commands`` of click commands;
- ``demo``: ``seed_demo(people)``, what the feature adds to the demo club;
- ``erasure``: the erasers of the feature's tables (``club.core.erasure``), registered on import.
- ``jobs``: the feature's periodic jobs (``club.core.jobs.periodic``), registered on import.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

# Order matters for the demo: later features seed on top of earlier ones.
FEATURES = ("public", "auth", "admin", "applications", "curation", "billing", "events", "announcements", "members", "metrics")


def feature_modules(part: str) -> Iterator[ModuleType]:
    """Yield ``club.<feature>.<part>`` for every feature that has that module."""
    for name in FEATURES:
        module_name = f"club.{name}.{part}"
        try:
            yield importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
