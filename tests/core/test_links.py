"""Every absolute link is on PUBLIC_URL, whatever Host or X-Forwarded-Host a request carried."""
import re
from pathlib import Path

import pytest
from flask import Flask

from club.core.links import public_host, public_url, public_url_for
from tests.factories import PASSWORD, make_admin, make_user

ROOT = Path(__file__).resolve().parents[2]


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_content())


@pytest.fixture
def as_deployed(app, monkeypatch):
    """Like a real deployment: no SERVER_NAME (the tests set one), so Flask would follow the request's Host."""
    monkeypatch.setitem(app.config, "SERVER_NAME", None)


def test_a_reset_asked_for_with_a_forged_host_mails_a_link_on_public_url(as_deployed, client, ctx, outbox):
    user = make_user()
    r = client.post("/password/forgot", data={"email": user.email}, base_url="http://attacker.example",
                    headers={"Host": "attacker.example"})
    assert r.status_code == 200
    [link] = [link for link in _links(outbox.last()) if "/password/reset/" in link]
    assert link.startswith("http://club.test/password/reset/")
    assert "attacker" not in outbox.last().get_content()


def test_behind_a_proxy_a_forwarded_host_does_not_reach_the_mail(app, outbox):
    from club import create_app

    proxied = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "ARGON2_TIME_COST",
                                                         "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM",
                                                         "MAIL_OUTBOX_DIR", "PUBLIC_URL")},
                          "TESTING": True, "WTF_CSRF_ENABLED": False, "MAIL_BACKEND": "outbox", "TRUSTED_PROXIES": 1})
    with proxied.app_context():
        email = make_user().email
    r = proxied.test_client().post("/password/forgot", data={"email": email},
                                   headers={"X-Forwarded-Host": "attacker.example", "X-Forwarded-Proto": "https"})
    assert r.status_code == 200
    [link] = [link for link in _links(outbox.last()) if "/password/reset/" in link]
    assert link.startswith("http://club.test/password/reset/")


def test_the_forwarded_host_is_believed_only_when_configured(app):
    from club import create_app

    base = {"SECRET_KEY": "k" * 32, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True, "TRUSTED_PROXIES": 1}

    def seen_host(extra):
        probe = create_app({**base, **extra})
        probe.add_url_rule("/__host", "probe_host", lambda: __import__("flask").request.host)
        return probe.test_client().get("/__host", headers={"X-Forwarded-Host": "forwarded.example"},
                                       base_url="http://inner.example").get_data(as_text=True)

    assert seen_host({}) == "inner.example"
    assert seen_host({"TRUSTED_PROXY_HOST": True}) == "forwarded.example"


def test_the_staff_welcome_link_is_on_public_url(as_deployed, client, ctx, outbox):
    admin = make_admin()
    assert client.post("/login", data={"email": admin.email, "password": PASSWORD},
                       base_url="http://attacker.example").status_code == 302
    r = client.post("/admin/staff", base_url="http://attacker.example", data={"new-full_name": "Nora Quill", "new-email": "nora@example.org",
                                          "new-roles": ["curator"], "new-submit": "1"})
    assert r.status_code == 302
    assert all(link.startswith("http://club.test/") for link in _links(outbox.to("nora@example.org")[-1]))


@pytest.mark.parametrize("public, expected", [
    ("https://club.example", "https://club.example/password/reset/abc"),
    ("https://club.example/", "https://club.example/password/reset/abc"),
    ("https://example.org/club", "https://example.org/club/password/reset/abc"),
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000/password/reset/abc"),
])
def test_public_url_for_builds_on_public_url_in_and_out_of_requests(app, public, expected):
    old = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = public
    try:
        with app.app_context():  # no request: the CLI's mails
            assert public_url_for("auth.reset_password", token="abc") == expected
        with app.test_request_context("/", base_url="http://attacker.example"):
            assert public_url_for("auth.reset_password", token="abc") == expected
            assert public_url() == public.rstrip("/")
    finally:
        app.config["PUBLIC_URL"] = old


def test_public_host_is_public_urls_host():
    app = Flask(__name__)
    app.config["PUBLIC_URL"] = "https://club.example:8443/x"
    with app.app_context():
        assert public_host() == "club.example"


def test_no_module_builds_a_link_from_the_request():
    offenders = []
    for path in list((ROOT / "club").rglob("*.py")) + list((ROOT / "templates").rglob("*")):
        if path.is_file() and path.name != "links.py":
            text = path.read_text(errors="replace")
            if re.search(r"_external\s*=|request\.(url_root|host_url)\b", text):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"absolute links must come from club.core.links.public_url_for: {offenders}"
