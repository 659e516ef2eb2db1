"""Languages: which one a person reads, and the catalogue that speaks it.

The club speaks English and Russian (``LANGUAGES``); every string a person reads is marked with
``gettext``/``_`` (``lazy_gettext``/``_l`` where it is defined at import time, as form labels are)
and translated in ``club/translations/<lang>/LC_MESSAGES/messages.po``.

Which language a page is in, first match wins:

1. ``?lang=ru`` / ``?lang=en`` on any address: switches for the visit (kept in the session);
2. the language chosen earlier in this visit (the footer's switcher, or a ``?lang=``);
3. a signed-in person's language, kept on their account (the switcher and the profile set it);
4. the browser's ``Accept-Language``;
5. English.

With no request (the CLI, a worker), the environment's locale decides: ``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES`` or ``LANG`` (the first one set), so ``LANG=ru_RU.UTF-8 flask …`` answers in Russian.

Mail is rendered in its recipient's language (``club.core.mail`` wraps rendering in
``force_locale``), so a message a worker sends at night reads like the one sent from a page.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, has_request_context, request, session
from flask_babel import Babel, force_locale, get_locale, gettext, lazy_gettext, ngettext
from flask_login import current_user
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from club.core.database import begin_write
from club.extensions import db
from club.models.user import User

LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский"}
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "lang"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

babel = Babel()

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "babel", "force_locale", "get_locale", "gettext",
           "lazy_gettext", "ngettext", "current_language", "environment_language", "language_or_default", "choose_language",
           "remember_language", "init_app"]


def language_or_default(code: str | None) -> str:
    """A language the club speaks: ``code`` if it is one, else English."""
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


# Where a command line keeps its language, in the order gettext reads them.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def environment_language(environ=None) -> str:
    """The language of the command line: the first locale variable set decides (``ru_RU.UTF-8``
    and ``ru`` are Russian; ``C``, ``POSIX`` and languages the club does not speak are English).
    ``LANGUAGE`` may list several (``ru:en``): the first the club speaks wins."""
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = (environ.get(name) or "").strip()
        if not value:
            continue
        for item in value.split(":"):
            code = item.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
            if code in LANGUAGES:
                return code
        if name != "LANGUAGE":  # LANGUAGE with nothing the club speaks defers to the others
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _select_locale() -> str:
    if not has_request_context():
        # The CLI or a worker: the environment's locale. Mail still sets its recipient's language
        # with force_locale, whatever this says.
        return environment_language()
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return chosen
    kept = getattr(current_user, "language", None) if current_user.is_authenticated else None
    if kept in LANGUAGES:
        return kept
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def choose_language(code: str, user=None) -> str:
    """The person chose ``code``: for the rest of the visit, and on their account when signed in.

    The caller commits; an unknown code changes nothing and the current language is returned."""
    if code not in LANGUAGES:
        return current_language()
    session[SESSION_KEY] = code
    if user is not None and getattr(user, "is_authenticated", False):
        user.language = code
    return code


def remember_language(user) -> None:
    """At sign-in: a person without a kept language keeps the one they are reading now, so the
    mail the club sends them later (from a worker, with no browser to ask) is in it too.

    Written at once, in its own writer's transaction (``begin_write``): on SQLite a read
    transaction that turns into a write while another request writes fails at once ("database is
    locked"), where a writer from the start waits its turn."""
    if not has_request_context() or getattr(user, "language", None):
        return
    language = current_language()
    begin_write()
    db.session.execute(update(User).where(User.id == user.id, User.language.is_(None)).values(language=language))
    db.session.commit()
    set_committed_value(user, "language", language)


def _remember_visit_choice() -> None:
    """``?lang=`` switches for the visit, not only for the page it is on."""
    asked = request.args.get("lang")
    if asked in LANGUAGES and session.get(SESSION_KEY) != asked:
        session[SESSION_KEY] = asked


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    # Dates are turned into the club's zone by ``club.core.templating``; Babel only formats them.
    babel.init_app(app, locale_selector=_select_locale)
    app.before_request(_remember_visit_choice)

    @app.context_processor
    def _languages():
        return {"languages": LANGUAGES, "current_language": current_language(),
                "language_return_path": _return_path}


def _return_path() -> str:
    """This page's address without ``lang``, for the switcher to come back to."""
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])
    return request.path + ("?" + query if query else "")
