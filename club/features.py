"""The feature packages and the optional parts each may offer (views, cli, demo).

The app factory, the CLI and the demo seeding all discover feature parts here, so adding a
feature means adding its package and its name below.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

# Order matters for the demo: later features seed on top of earlier ones.
FEATURES = ("applications", "curation", "billing", "events", "members")


def feature_modules(part: str) -> Iterator[ModuleType]:
    """Yield ``club.<feature>.<part>`` for every feature that has that module."""
    for name in FEATURES:
        module_name = f"club.{name}.{part}"
        try:
            yield importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
