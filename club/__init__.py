"""The club app: the software a closed members' club runs on."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from club.config import load_config
from club.extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(load_config(Path(app.instance_path), config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from club import models  # noqa: F401  (register every table on the metadata)
    from club.auth import sessions
    from club.cli import register_cli
    from club.core import database, errors, security, templating

    database.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    sessions.init_app(app)
    register_cli(app)
    _register_erasers()
    _connect_signals()
    _register_request_hooks(app)
    _register_blueprints(app)
    return app


def _register_erasers() -> None:
    """Each feature's ``erasure`` module registers the erasers of its tables when imported."""
    import club.membership.erasure  # noqa: F401  (the kernel's own table)
    from club.features import feature_modules

    list(feature_modules("erasure"))


def _connect_signals() -> None:
    """Who listens to what, in one place. Receivers are plain functions of their features."""
    from club.billing.expiry import expire_on_reinstatement
    from club.core.signals import membership_changed
    from club.events.booking import release_on_lost_access

    # A member who loses access gives up their future seats, and the waitlist moves up.
    membership_changed.connect(release_on_lost_access)
    # A reinstated member whose grace or paid period ran out while suspended lapses or ends at once.
    membership_changed.connect(expire_on_reinstatement)


def _register_request_hooks(app: Flask) -> None:
    """Rules for every request of the app, whichever feature serves it."""
    from club.members.rules_gate import current_rules_first

    app.before_request(current_rules_first)


def _register_blueprints(app: Flask) -> None:
    """Feature packages offer their views; each owns its URLs."""
    from club.features import feature_modules

    for module in feature_modules("views"):
        app.register_blueprint(module.bp)
