"""The lock files pin every package, and agree with what requirements*.txt ask for.

requirements.txt and requirements-dev.txt name the packages (pinned); `make lock` resolves them,
transitive ones included, into requirements.lock and requirements-dev.lock, which `make run`,
`make test` and CI install. Editing a requirements file without `make lock` fails here.
"""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        match = _PIN.match(line)
        assert match, f"{path.name}: not pinned exactly: {line!r}"
        pins[_norm(match.group(1))] = match.group(2)
    return pins


@pytest.mark.parametrize("wanted,lock", [("requirements.txt", "requirements.lock"),
                                         ("requirements-dev.txt", "requirements-dev.lock")])
def test_the_lock_holds_every_requirement_at_its_pinned_version(wanted, lock):
    locked = _pins(ROOT / lock)
    stale = {name: (version, locked.get(name)) for name, version in _pins(ROOT / wanted).items()
             if locked.get(name) != version}
    assert not stale, f"{lock} is out of date (wanted, locked): {stale}; run `make lock`"


def test_runtime_and_test_locks_agree():
    runtime, dev = _pins(ROOT / "requirements.lock"), _pins(ROOT / "requirements-dev.lock")
    differ = {name: (version, dev.get(name)) for name, version in runtime.items() if dev.get(name) != version}
    assert not differ, f"the two locks pin different versions: {differ}; run `make lock`"


@pytest.mark.parametrize("package", ["werkzeug", "blinker", "markupsafe", "click", "rq", "redis"])
def test_packages_the_club_imports_directly_are_pinned_in_requirements(package):
    assert package in _pins(ROOT / "requirements.txt")
