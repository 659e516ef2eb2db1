"""The house's rules, read from the code: who may import whom, and how big a module may grow.

Every import counts, the ones inside functions too: a cycle that only closes at run time is a
cycle all the same. Run ``python -m pytest tests/test_architecture.py -q`` to see the list of
what breaks a rule, with file and line.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLUB = ROOT / "club"

FOUNDATION = {"core", "models", "config", "extensions"}
KERNEL = "membership"
FEATURES = {"applications", "auth", "curation", "billing", "events", "members", "admin", "public", "metrics",
            "announcements"}
APP_LAYER = {"club", "features", "demo", "cli"}  # the factory and what assembles the features
# club/models/<module>.py → the one package that reads and writes those tables.
MODEL_OWNERS = {"applications": "applications", "curation": "curation", "events": "events",
                "billing": "billing", "members": "members", "auth": "auth",
                "announcements": "announcements"}
SHARED_MODELS = {"base", "user", "club", "membership"}  # people, club-wide records, the kernel's
MAX_LINES = 400


def _modules() -> list[Path]:
    return sorted(CLUB.rglob("*.py"))


def _package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "club"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, nested ones included."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # "from club.models import user" names a module too.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names
                      if (CLUB.parent / f"{module}.{alias.name}".replace(".", "/")).with_suffix(".py").exists()]
    return [(line, name) for line, name in found if name == "club" or name.startswith("club.")]


@pytest.fixture(scope="module")
def edges() -> list[tuple[str, int, str, str]]:
    """(file, line, importing module, imported module) for every import of club code."""
    return [(str(path.relative_to(ROOT)), line, _module_name(path), target)
            for path in _modules() for line, target in _imports(path)]


def _report(problems: list[str]) -> str:
    return "\n".join(sorted(set(problems)))


def test_no_package_imports_another_in_a_cycle(edges):
    graph: dict[str, set[str]] = defaultdict(set)
    where: dict[tuple[str, str], str] = {}
    for file, line, source, target in edges:
        a, b = _package_of(source), _package_of(target)
        if a != b and "club" not in (a, b):
            graph[a].add(b)
            where.setdefault((a, b), f"{file}:{line}")
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                loop = stack[stack.index(nxt):] + [nxt]
                cycles.append(" → ".join(f"{x} ({where[(x, y)]})" for x, y in zip(loop, loop[1:])))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(list(graph)):
        if node not in state:
            visit(node)
    assert not cycles, "package cycles:\n" + _report(cycles)


def test_core_and_models_import_no_feature(edges):
    problems = [f"{file}:{line} imports {target}" for file, line, source, target in edges
                if _package_of(source) in FOUNDATION and _package_of(target) not in FOUNDATION]
    assert not problems, "the foundation reaches up:\n" + _report(problems)


def test_the_membership_kernel_imports_no_feature(edges):
    problems = [f"{file}:{line} imports {target}" for file, line, source, target in edges
                if _package_of(source) == KERNEL and _package_of(target) not in FOUNDATION | {KERNEL}]
    assert not problems, "the kernel reaches up:\n" + _report(problems)


def test_features_do_not_import_the_app_layer_or_the_member_portal(edges):
    problems = [f"{file}:{line} imports {target}" for file, line, source, target in edges
                if _package_of(source) in FEATURES | {KERNEL} | FOUNDATION
                and (_package_of(target) in APP_LAYER
                     or (_package_of(target) == "members" and _package_of(source) != "members"))]
    assert not problems, "imports of the app layer or the portal:\n" + _report(problems)


def test_a_feature_reads_only_its_own_models(edges):
    problems = []
    for file, line, source, target in edges:
        parts = target.split(".")
        if len(parts) < 3 or parts[1] != "models" or _package_of(source) == "models":
            continue
        owner = MODEL_OWNERS.get(parts[2])
        if parts[2] not in SHARED_MODELS and owner != _package_of(source):
            problems.append(f"{file}:{line} imports {target} (owned by {owner})")
    assert not problems, "a feature reads another's models:\n" + _report(problems)


def test_every_model_module_has_an_owner():
    modules = {p.stem for p in (CLUB / "models").glob("*.py") if p.stem != "__init__"}
    assert modules <= set(MODEL_OWNERS) | SHARED_MODELS


def test_no_module_is_over_the_limit():
    too_big = [f"{p.relative_to(ROOT)} ({n} lines)" for p in _modules()
               if (n := len(p.read_text().splitlines())) > MAX_LINES]
    assert not too_big, f"modules over {MAX_LINES} lines:\n" + "\n".join(too_big)


def test_the_checker_sees_imports_inside_functions():
    """The rules above are only as good as the reading of imports: check it on a known case."""
    found = {name for _line, name in _imports(CLUB / "membership" / "access.py")}
    assert "club.models.membership" in found and "club.membership.states" in found
