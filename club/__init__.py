"""The club app: the software a closed members' club runs on."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from club.config import check_start_up, load_config
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
    check_start_up(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        # X-Forwarded-Host only when told to (TRUSTED_PROXY_HOST); links never follow it either way.
        x_host = hops if app.config["TRUSTED_PROXY_HOST"] else 0
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=x_host)  # type: ignore[method-assign]

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from club import models  # noqa: F401  (register every table on the metadata)
    from club.auth import sessions
    from club.cli import register_cli
    from club.core import database, errors, i18n, inputs, security, templating

    inputs.init_app(app)
    database.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    from club.membership.access import open_to

    app.jinja_env.globals["membership_open"] = open_to  # the nav shows a member what they may use
    sessions.init_app(app)
    register_cli(app)
    _register_erasers()
    _register_jobs()
    _connect_signals()
    _wire_providers()
    _register_request_hooks(app)
    _register_blueprints(app)
    return app


def _register_erasers() -> None:
    """Each feature's ``erasure`` module registers the erasers of its tables when imported."""
    import club.core.outbox  # noqa: F401  (the outbox's eraser)
    import club.membership.erasure  # noqa: F401  (the kernel's own table)
    from club.features import feature_modules

    list(feature_modules("erasure"))


def _register_jobs() -> None:
    """Each feature's ``jobs`` module registers its periodic jobs (``club.core.jobs``) when imported."""
    from club.features import feature_modules

    list(feature_modules("jobs"))


def _connect_signals() -> None:
    """Who listens to what, in one place. Receivers are plain functions of their features."""
    from club.billing.expiry import expire_on_reinstatement
    from club.core.signals import membership_changed
    from club.events.booking import release_on_lost_access
    from club.members import directory_index

    # A member who loses access gives up their future seats, and the waitlist moves up.
    membership_changed.connect(release_on_lost_access)
    # A reinstated member whose grace or paid period ran out while suspended lapses or ends at once.
    membership_changed.connect(expire_on_reinstatement)
    # The directory's search columns follow every change to a profile or a name.
    directory_index.connect()


def _wire_providers() -> None:
    """The metrics may not import the member portal: hand them its figures (requests, at-risk members)."""
    from club.members import stats as member_stats
    from club.metrics import providers

    providers.provide(providers.OPEN_REQUESTS, member_stats.open_requests_by_curator)
    providers.provide(providers.REQUESTS_OPENED, member_stats.requests_opened)
    providers.provide(providers.AT_RISK, member_stats.at_risk_by_curator)


def _register_request_hooks(app: Flask) -> None:
    """Rules for every request of the app, whichever feature serves it."""
    from club.core.security_log import log_forbidden
    from club.auth.second_factor_gate import staff_enrol_first
    from club.members.rules_gate import current_rules_first

    # Staff set up their second factor first, before the rules or anything else.
    app.before_request(staff_enrol_first)
    app.before_request(current_rules_first)
    app.after_request(log_forbidden)  # every 403 goes into the security log


def _register_blueprints(app: Flask) -> None:
    """Feature packages offer their views; each owns its URLs."""
    from club.features import feature_modules

    for module in feature_modules("views"):
        app.register_blueprint(module.bp)
