"""Error pages in the club's look."""
from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: ("Something in that request was not right", "Please go back and try again."),
    403: ("This page is not open to you", "If you think it should be, ask your curator."),
    404: ("Nothing here", "The page you asked for does not exist, or is not yours to see."),
    405: ("Not like that", "That address does not accept this kind of request."),
    413: ("That file is too large", "Please choose a smaller file and try again."),
    429: ("Too many attempts", "For your security we pause here for a minute. Please try again shortly."),
    500: ("Something went wrong on our side", "We have been told about it. Please try again in a moment."),
}


def _render(code: int, title: str | None = None, message: str | None = None):
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title or default_title,
                           message=message or default_message), code


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, lambda exc, code=code: _render(code))

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return _render(400, "This form has expired",
                       "For your security, forms expire. Please go back, reload the page and submit again.")

    @app.errorhandler(500)
    def _server_error(exc):
        from club.extensions import db

        db.session.rollback()
        return _render(500)
