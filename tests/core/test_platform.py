"""Landing, health check, CSRF, headers, error pages, the audit log's append-only guard."""
import pytest

from club.core import audit
from club.extensions import db
from club.models.club import AuditEntry
from club.models.club import AuditLogIsAppendOnly
from tests.factories import PASSWORD, make_user


def test_visitors_see_the_landing_page(client):
    r = client.get("/")
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "The Linden Club" in body and "Membership is by invitation" in body


def test_visitors_are_asked_to_sign_in_everywhere_else(app, client):
    """Every GET page but the public ones sends a visitor to sign in (checked over the whole URL map)."""
    public = {"public.landing", "public.healthz", "auth.login", "auth.forgot_password", "auth.reset_password",
              "static"} | PUBLIC_ENDPOINTS
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in public or "GET" not in rule.methods:
            continue
        path = rule.build({arg: _sample(arg) for arg in rule.arguments}, append_unknown=False)[1]
        r = client.get(path)
        # Sign in first; pages about things that must not be known to exist (events) answer 404.
        assert r.status_code in (302, 404), f"{path} answered {r.status_code} to a visitor"
        if r.status_code == 302:
            assert "/login" in r.headers["Location"], f"{path} sent a visitor to {r.headers['Location']}"
        checked += 1
    assert checked >= 4


# Pages meant for people who are not signed in (an invitee's form, a calendar feed with its own token).
PUBLIC_ENDPOINTS = {"applications.apply", "events.calendar_feed", "billing.webhook"}


def _sample(arg: str):
    return "sample-token" if "token" in arg else 1


def test_healthz_reports_the_database(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok", "database": "ok", "redis": "not used", "mail_waiting": 0}


def test_healthz_answers_503_when_the_database_is_down(app, client, monkeypatch):
    import club.public.views as views

    monkeypatch.setattr(views, "database_is_up", lambda: False)
    r = client.get("/healthz")
    assert r.status_code == 503 and r.get_json()["database"] != "ok"


def test_database_is_up_is_false_for_an_unreachable_database(tmp_path):
    from club import create_app
    from club.core.database import database_is_up

    broken = create_app({"TESTING": True, "SECRET_KEY": "x",
                         "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite"})
    with broken.app_context():
        assert database_is_up() is False


def test_forms_without_csrf_token_are_refused(app, client, ctx):
    user = make_user()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        r = client.post("/login", data={"email": user.email, "password": PASSWORD})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert r.status_code == 400
    assert "This form has expired" in r.get_data(as_text=True)


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "base-uri 'self'" in csp and "default-src 'self'" in csp
    # nothing third-party at all: Stripe is allowed on the payment pages only (tests/billing/test_views_csp.py)
    assert "https://" not in csp and "stripe" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"


def test_pages_load_nothing_from_other_origins(client):
    body = client.get("/").get_data(as_text=True)
    assert "http://" not in body.replace("http://club.test", "") and "https://" not in body


def test_404_page_is_in_the_club_look(client):
    r = client.get("/no-such-page")
    assert r.status_code == 404 and "Nothing here" in r.get_data(as_text=True) and "club.css" in r.get_data(as_text=True)


def test_audit_entries_cannot_be_changed_or_deleted(ctx):
    entry = audit.record("test.happened", value=1)
    db.session.commit()
    entry.action = "test.rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.delete(db.session.get(AuditEntry, entry.id))
        db.session.commit()
    db.session.rollback()


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    from club import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("CLUB_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_development_generates_a_secret_key_once(monkeypatch, tmp_path):
    from club.config import load_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("CLUB_ENV", "development")
    first = load_config(tmp_path)["SECRET_KEY"]
    assert len(first) >= 32 and load_config(tmp_path)["SECRET_KEY"] == first
    assert load_config(tmp_path)["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("CLUB_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    assert load_config(tmp_path)["SESSION_COOKIE_SECURE"] is True
