"""Configuration from environment variables.

Every variable is listed in README with its default. Values that an admin changes while the
club runs (name, mission, rules, fees, quotas) are not here: they live in the database
(see ``club.core.settings``).
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path, env: str) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if env == "production":
        raise RuntimeError(
            "SECRET_KEY is not set. In production the club refuses to start without one: "
            "set SECRET_KEY to a long random string (python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    # Development: generate once and keep it, so sessions survive restarts.
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def normalize_database_url(url: str) -> str:
    """Accept the usual postgres:// and postgresql:// forms and use psycopg 3, the driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _trusted_hosts(env: str, public_url: str) -> list[str] | None:
    """Production answers only to PUBLIC_URL's host and the hosts in TRUSTED_HOSTS (comma-separated)."""
    extra = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    if env != "production":
        return extra or None
    host = urlsplit(public_url).hostname
    return ([host] if host else []) + extra


def check_start_up(config: dict) -> None:
    """Refuse to start in production with a setting that would be unsafe there (the app calls it)."""
    if config.get("CLUB_ENV") != "production":
        return
    problems = []
    public = urlsplit(config.get("PUBLIC_URL") or "")
    if public.scheme not in ("http", "https") or not public.hostname:
        problems.append("PUBLIC_URL is not set: set it to the club's address, e.g. https://club.example "
                        "(every link in mail is built on it, never on the request's Host).")
    if (config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://") \
            and not config.get("RATELIMIT_SINGLE_PROCESS"):
        problems.append("RATELIMIT_STORAGE_URI is memory://: every worker would count sign-in attempts on its own. "
                        "Set RATELIMIT_STORAGE_URI=redis://host:6379/0, or RATELIMIT_SINGLE_PROCESS=1 if the "
                        "club really runs as one process.")
    if problems:
        raise RuntimeError("The club refuses to start in production: " + " ".join(problems))


def load_config(instance_path: Path, overrides: dict | None = None) -> dict:
    overrides = overrides or {}
    env = overrides.get("CLUB_ENV") or os.environ.get("CLUB_ENV", "development")
    testing = bool(overrides.get("TESTING"))
    development = env == "development"
    database_url = normalize_database_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'club.sqlite'}"
    )

    config = {
        "CLUB_ENV": env,
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance_path, env),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Sessions: signed cookie, checked against the user's session version on every request.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", not (development or testing)),
        "SESSION_COOKIE_NAME": "club_session",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("SESSION_HOURS", "72"))),
        # The idle lifetime above is renewed by every request; these are not: a sign-in ends this
        # many hours after it happened, however busy the session (club/auth/sessions.py).
        "SESSION_ABSOLUTE_HOURS": int(os.environ.get("SESSION_ABSOLUTE_HOURS", "72")),
        "SESSION_STAFF_ABSOLUTE_HOURS": int(os.environ.get("SESSION_STAFF_ABSOLUTE_HOURS", "12")),
        # Staff must set up a second factor (TOTP) before any page. Always on in production;
        # off by default elsewhere so the demo's staff accounts sign in with the password alone.
        "STAFF_SECOND_FACTOR_REQUIRED": env == "production" or _bool("STAFF_SECOND_FACTOR_REQUIRED", False),
        "REMEMBER_COOKIE_DURATION": timedelta(days=0),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(8 * 1024 * 1024))),
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Mail
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "outbox" if (development or testing) else "smtp"),
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR", str(instance_path / "outbox")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "The Club <club@localhost>"),
        # Every absolute link (mail, calendars, Stripe's return) is built on it (club/core/links.py).
        # Production refuses to start without it (check_start_up).
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "" if env == "production" else "http://127.0.0.1:5000"),
        # Rate limits: memory is per process; use Redis with more than one worker.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Production refuses memory:// (each worker would count alone) unless this says one process.
        "RATELIMIT_SINGLE_PROCESS": _bool("RATELIMIT_SINGLE_PROCESS", False),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down must not shut the door: each process counts in memory until Redis is back
        # (limits then apply per process, as with memory://), instead of answering 500 to every
        # rate-limited form.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        # Behind a load balancer: how many proxies in front of the app set X-Forwarded-For.
        # Rate limits key on the client's address, so this must be right (0 = no proxy).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Believe the proxy's X-Forwarded-Host too (off: links never follow it anyway, see PUBLIC_URL).
        "TRUSTED_PROXY_HOST": _bool("TRUSTED_PROXY_HOST", False),
        # Password hashing (argon2id). Tests lower the cost; nothing else should.
        "ARGON2_TIME_COST": int(os.environ.get("ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_COST": int(os.environ.get("ARGON2_MEMORY_COST", str(64 * 1024))),
        "ARGON2_PARALLELISM": int(os.environ.get("ARGON2_PARALLELISM", "2")),
        # Stripe (test mode only); see club/billing.
        "STRIPE_SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY", ""),
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE", ""),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance_path / "uploads")),
        # Background work (club/core/jobs.py): "queue" (RQ on Redis: production), "local" (one
        # process runs every job without Redis: `make run`), "manual" (nothing runs by itself: tests).
        "JOBS_MODE": os.environ.get("JOBS_MODE", "queue" if env == "production" else ("manual" if testing else "local")),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE", "club"),
        "JOBS_TIMEOUT": int(os.environ.get("JOBS_TIMEOUT", "1800")),
        # A row a worker claimed is taken up by another after this many seconds (the first one died
        # mid-delivery). Keep it well above the SMTP timeout (20 s), or a slow send goes out twice.
        "MAIL_LEASE_SECONDS": int(os.environ.get("MAIL_LEASE_SECONDS", "300")),
    }
    config.update(overrides)
    if "TRUSTED_HOSTS" not in overrides:
        # Host headers the app answers to (Flask refuses others with 400). Production: PUBLIC_URL's host.
        config["TRUSTED_HOSTS"] = _trusted_hosts(env, str(config["PUBLIC_URL"] or ""))
    return config
