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
    from club.core import database, errors, security, templating
    from club.core.cli import register_cli

    database.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    register_cli(app)

    from club.admin.views import bp as admin_bp
    from club.auth.views import bp as auth_bp
    from club.public.views import bp as public_bp

    for blueprint in (public_bp, auth_bp, admin_bp):
        app.register_blueprint(blueprint)
    _register_feature_blueprints(app)
    return app


def _register_feature_blueprints(app: Flask) -> None:
    """Feature packages register themselves; each owns its URLs."""
    from club.features import feature_modules

    for module in feature_modules("views"):
        app.register_blueprint(module.bp)
