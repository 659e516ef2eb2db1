"""The translation catalogues: extracted from the code, updated, checked and compiled with Babel.

``python -m club.core.catalogue <command>`` (the Makefile's ``messages`` and ``translations``):

- ``update``: read every marked string of the code and templates, and bring each language's
  ``messages.po`` in line (new strings appear untranslated, strings gone from the code go);
- ``merge FILE.po …``: take the translations in the files (a translator's work) into the
  catalogues, then update and compile;
- ``compile``: write the ``.mo`` files the app reads (built by ``make run`` and CI, never committed);
- ``check``: print what is missing or wrong, exit 1 if anything is (the test suite runs it too).
"""
from __future__ import annotations

import fcntl
from datetime import datetime, timezone
import re
import sys
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "club" / "translations"
SOURCE_LANGUAGE = "en"
METHODS = [("club/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2),
            "lazy_pgettext": ((1, "c"), 2)}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[sdifr]|%[sdif]")


def languages() -> list[str]:
    return sorted(p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES" / "messages.po").exists())


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def extract() -> Catalog:
    """Every string the code marks for translation."""
    # A fixed date: the catalogue's header does not change each time it is updated.
    template = Catalog(project="club", fuzzy=False, creation_date=datetime(2026, 12, 2, tzinfo=timezone.utc))
    for sub, method in METHODS:
        base, pattern = sub.split("/", 1)
        for filename, lineno, message, comments, context in extract_from_dir(
                ROOT / base, [(pattern, method)], {pattern: {}}, keywords=KEYWORDS,
                comment_tags=("Translators:",), strip_comment_tags=True):
            template.add(message, None, [(f"{base}/{filename}", lineno)], auto_comments=comments,
                         context=context)
    return template


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, project="club", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def write(language: str, catalog: Catalog) -> None:
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.header_comment = (f"# The club's {language} catalogue. `make messages` updates it from the code;\n"
                              "# README (Languages) says how to translate and how to add a language.")
    catalog.project, catalog.version = "club", "1"
    catalog.msgid_bugs_address = catalog.last_translator = catalog.language_team = "the club's developers"
    buffer = BytesIO()
    # No file locations and a sorted file: a diff shows what was translated, not what moved.
    write_po(buffer, catalog, width=100, no_location=True, omit_header=False, sort_output=True,
             ignore_obsolete=True, include_previous=False)
    path.write_bytes(buffer.getvalue())


def update(template: Catalog | None = None) -> None:
    template = template or extract()
    for language in languages():
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        write(language, catalog)


def compile_all(force: bool = False) -> None:
    for language in languages():
        po = po_path(language)
        mo = po.with_suffix(".mo")
        if force or not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            catalog = read(language)
            with mo.open("wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)


def merge(files: list[Path]) -> None:
    """A translator's files into the catalogues (their language is the file's ``Language`` header,
    else Russian); translated entries replace the catalogue's, empty ones are ignored."""
    template = extract()
    for path in files:
        with path.open("rb") as handle:
            incoming = read_po(handle, locale="ru")  # a fragment without a header is Russian
        language = str(incoming.locale) if incoming.locale else "ru"
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        for message in incoming:
            if not message.id or not _translated(message):
                continue
            target = catalog.get(message.id, message.context)
            if target is None:
                continue  # not (or no longer) in the code
            target.string = message.string
            target.flags.discard("fuzzy")
        write(language, catalog)
    update(template)
    compile_all(force=True)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return all(s for s in strings)


def _placeholders(text: str) -> set[str]:
    return {m.group(1) or m.group(0) for m in _PLACEHOLDER.finditer(text)}


def problems(language: str, template: Catalog | None = None, catalog: Catalog | None = None) -> list[str]:
    """Why the catalogue of ``language`` is not complete, or an empty list."""
    template = template or extract()
    catalog = catalog if catalog is not None else read(language)
    found = []
    for message in template:
        if not message.id:
            continue
        key = message.id
        entry = catalog.get(key, message.context)
        label = key[0] if isinstance(key, tuple) else key
        if entry is None:
            found.append(f"{language}: not in the catalogue (run `make messages`): {label!r}")
            continue
        if "fuzzy" in entry.flags or not _translated(entry):
            found.append(f"{language}: untranslated: {label!r}")
            continue
        if isinstance(key, tuple):
            wanted = _placeholders(key[1]) | (_placeholders(key[0]) - {"num"})
            strings = list(entry.string)
            if len(strings) != catalog.num_plurals:
                found.append(f"{language}: {len(strings)} plural forms, {catalog.num_plurals} needed: {label!r}")
            for form in strings:
                missing = wanted - _placeholders(form) - {"num"}
                if missing:
                    found.append(f"{language}: translation drops {sorted(missing)}: {label!r}")
        elif _placeholders(key) != _placeholders(entry.string):
            found.append(f"{language}: placeholders differ ({sorted(_placeholders(key))} → "
                         f"{sorted(_placeholders(entry.string))}): {label!r}")
    wanted_ids = {m.id for m in template if m.id}
    for entry in catalog:
        if entry.id and entry.id not in wanted_ids:
            found.append(f"{language}: no longer in the code (run `make messages`): {entry.id!r}")
    return found


@contextmanager
def _locked():
    """One catalogue writer at a time (several translators, or make and a test)."""
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    with (TRANSLATIONS / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def main(argv: list[str]) -> int:
    command, args = (argv[0], argv[1:]) if argv else ("check", [])
    with _locked():
        if command == "update":
            update()
        elif command == "compile":
            compile_all(force="--force" in args)
        elif command == "merge":
            merge([Path(a) for a in args])
        elif command == "check":
            template = extract()
            found = [p for language in languages() for p in problems(language, template)]
            print("\n".join(found) or f"catalogues complete: {', '.join(languages())}")
            return 1 if found else 0
        else:
            print(__doc__)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
