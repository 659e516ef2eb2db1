"""Error pages in the club's look, and the one page that needs no database.

When the database cannot be reached (stopped, unreachable, its file unreadable), every page and
the health check answer 503 "back shortly" (``errors/unavailable.html``), rendered without the
template context processors, so without club settings from the database and without the signed-in
person: it can always be drawn. The ordinary error pages fall back to it if drawing them needs a
database that has just gone away.
"""
from __future__ import annotations

import logging

from flask import Flask, current_app, g, jsonify, make_response, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger("club.errors")

MESSAGES = {
    400: (_l("Something in that request was not right"), _l("Please go back and try again.")),
    403: (_l("This page is not open to you"), _l("If you think it should be, ask your curator.")),
    404: (_l("Nothing here"), _l("The page you asked for does not exist, or is not yours to see.")),
    405: (_l("Not like that"), _l("That address does not accept this kind of request.")),
    413: (_l("That file is too large"), _l("Please choose a smaller file and try again.")),
    429: (_l("Too many attempts"), _l("For your security we pause here for a minute. Please try again shortly.")),
    500: (_l("Something went wrong on our side"), _l("We have been told about it. Please try again in a moment.")),
}

# The database is down or out of reach: a refused or dropped connection, an unreadable SQLite
# file, no free connection in the pool. (Errors in a statement itself, DataError or
# IntegrityError, are bugs or races with their own handling, not an outage.)
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)
RETRY_AFTER_SECONDS = 30
HEALTH_CHECK = "public.healthz"


def _forget_session() -> None:
    """Drop the request's database session; with the database gone even a rollback may fail."""
    from club.extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - nothing more to undo on a dead connection
        log.debug("rollback failed on an unreachable database", exc_info=True)


def database_unavailable(exc: Exception | None = None):
    """503 with a page (or, for the health check, JSON) that touches no database."""
    if exc is not None:
        log.error("database unavailable (%s): %s", type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
    _forget_session()
    # From here on the request is a visitor's: the response hooks (security headers, the session
    # cookie) must not ask the session loader, which would query the database again.
    login_manager = getattr(current_app, "login_manager", None)
    if login_manager is not None:
        g._login_user = login_manager.anonymous_user()
    if request.endpoint == HEALTH_CHECK or request.accept_mimetypes.best == "application/json":
        response = jsonify(status="error", database="unreachable")
    else:
        known = g.get("club_settings") or {}
        from club.core.settings import DEFAULTS, last_known_club_name

        template = current_app.jinja_env.get_template("errors/unavailable.html")
        # Rendered by the environment directly: no context processor runs (they read the database).
        response = make_response(template.render(
            club_name=known.get("club_name") or last_known_club_name() or DEFAULTS["club_name"],
            stylesheet=url_for("static", filename="css/club.css"), retry_after=RETRY_AFTER_SECONDS,
            language=_page_language()))
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _page_language() -> str:
    """The page's language, read without the database (the signed-in person is a visitor here)."""
    from club.core.i18n import current_language

    try:
        return current_language()
    except Exception:  # noqa: BLE001 - the page must be drawn whatever goes wrong
        log.debug("no language for the unavailable page", exc_info=True)
        return "en"


def _render(code: int, title: str | None = None, message: str | None = None):
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    try:
        return render_template("errors/error.html", code=code, title=title or default_title,
                               message=message or default_message), code
    except DATABASE_DOWN as exc:  # the page needs club settings and the signed-in person
        return database_unavailable(exc)


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, lambda exc, code=code: _render(code))
    for kind in DATABASE_DOWN:
        app.register_error_handler(kind, database_unavailable)

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return _render(400, _("This form has expired"),
                       _("For your security, forms expire. Please go back, reload the page and submit again."))

    @app.errorhandler(500)
    def _server_error(exc):
        _forget_session()
        original = getattr(exc, "original_exception", None)
        if isinstance(original, DATABASE_DOWN):
            return database_unavailable(original)
        return _render(500)
