"""Error pages: with the database out of reach, pages and the health check answer 503 with a page
that needs no database, also for a signed-in person (whose session loader would query first)."""
import pytest

from club import create_app
from tests.factories import login, make_member


def _app_on(app, database_uri, tmp_path):
    """The same app (same secret, so the same session cookies) on a database that cannot be reached."""
    config = {key: app.config[key] for key in ("SECRET_KEY", "PUBLIC_URL", "SERVER_NAME", "MAIL_OUTBOX_DIR",
                                                "UPLOAD_DIR", "ARGON2_TIME_COST", "ARGON2_MEMORY_COST",
                                                "ARGON2_PARALLELISM")}
    down = create_app({**config, "TESTING": True, "CLUB_ENV": "testing", "WTF_CSRF_ENABLED": False,
                       "SQLALCHEMY_DATABASE_URI": database_uri, "RATELIMIT_STORAGE_URI": "memory://",
                       "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True,
                                                     "connect_args": {"connect_timeout": 2}
                                                     if database_uri.startswith("postgresql") else {}}})
    down.test_client_class = app.test_client_class
    return down


# Real faults: nothing listens on the PostgreSQL port, or the SQLite file's folder is not there.
FAULTS = {
    "postgresql-refused": lambda tmp: "postgresql+psycopg://postgres@127.0.0.1:9/club",
    "sqlite-unreadable": lambda tmp: f"sqlite:///{tmp / 'gone' / 'club.sqlite'}",
}


@pytest.fixture(params=list(FAULTS))
def down_app(request, app, tmp_path):
    return _app_on(app, FAULTS[request.param](tmp_path), tmp_path)


def _signed_in_cookie(app, client):
    member = make_member()
    login(client, member)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"], domain="club.test")
    assert cookie is not None
    return cookie


CASES = [(path, False) for path in ("/", "/login", "/healthz", "/no-such-page")] + \
        [(path, True) for path in ("/", "/login", "/me", "/events", "/healthz", "/no-such-page")]


@pytest.mark.parametrize("path, signed_in", CASES,
                         ids=[f"{'signed-in' if s else 'visitor'}:{p}" for p, s in CASES])
def test_with_the_database_down_pages_answer_503_without_the_database(app, ctx, client, down_app, path, signed_in):
    down_client = down_app.test_client()
    if signed_in:
        cookie = _signed_in_cookie(app, client)
        down_client.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "club.test")
    r = down_client.get(path)
    assert r.status_code == 503, (path, r.status_code)
    if path == "/healthz":
        assert r.get_json() == {"status": "error", "database": "unreachable"}
    else:
        assert r.headers["Retry-After"] == "30"
        page = r.get_data(as_text=True)
        assert "We will be back shortly" in page and "club.css" in page


def test_a_form_sent_while_the_database_is_down_gets_503(app, ctx, client, down_app):
    down_client = down_app.test_client()
    cookie = _signed_in_cookie(app, client)
    down_client.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "club.test")
    r = down_client.post("/me/requests", data={"topic": "help", "body": "Can you help?"})
    assert r.status_code == 503 and "We will be back shortly" in r.get_data(as_text=True)
    assert down_client.post("/login", data={"email": "a@example.org", "password": "x" * 12}).status_code == 503


def test_when_the_database_is_up_the_health_check_says_so(client, ctx):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json()["database"] == "ok"
