import pytest

from club.auth.views import LOGIN_FAILED
from club.core.security import safe_local_path
from tests.factories import PASSWORD, login, make_member, make_user


def test_login_with_right_password_lands_signed_in(client, ctx):
    user = make_member()
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/home").status_code == 302  # signed in: /home redirects onwards, not to /login
    assert "/login" not in client.get("/home").headers["Location"]


def test_wrong_password_and_unknown_email_get_the_same_answer(client, ctx):
    user = make_user()
    wrong = client.post("/login", data={"email": user.email, "password": "not the password"})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 401
    assert LOGIN_FAILED in wrong.get_data(as_text=True)
    assert LOGIN_FAILED in unknown.get_data(as_text=True)
    # what was typed is kept, the password is not echoed back
    assert user.email in wrong.get_data(as_text=True)
    assert "not the password" not in wrong.get_data(as_text=True)


def test_failed_logins_are_limited_per_ip(client, ctx):
    for i in range(5):
        assert client.post("/login", data={"email": f"x{i}@example.org", "password": "nope"}).status_code == 401
    assert client.post("/login", data={"email": "y@example.org", "password": "nope"}).status_code == 429


def test_failed_logins_are_limited_per_account_across_ips(client, ctx):
    # Guessing one account from many addresses slows it down for strangers (ACCOUNT_LIMIT, 10 a
    # minute); the owner's own browser and address still get in (tests/auth/test_throttle.py).
    user = make_user()
    for i in range(10):
        r = client.post("/login", data={"email": user.email, "password": "nope"},
                        environ_base={"REMOTE_ADDR": f"10.0.0.{i}"})
        assert r.status_code == 401
    r = client.post("/login", data={"email": user.email, "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert r.status_code == 429
    assert "Too many attempts" in r.get_data(as_text=True)


def test_successful_logins_do_not_use_up_the_limit(client, ctx):
    user = make_user()
    for _ in range(7):
        login(client, user)
        client.post("/logout")


def test_logout_kills_every_copy_of_the_cookie(app, client, ctx):
    user = make_member()
    login(client, user)
    cookie = client.get_cookie("club_session", domain="club.test").value
    thief = app.test_client()
    thief.set_cookie("club_session", cookie, domain="club.test")
    assert thief.get("/home").status_code == 302 and "/login" not in thief.get("/home").headers["Location"]
    client.post("/logout")
    response = thief.get("/home")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_next_parameter_only_allows_local_paths(client, ctx):
    user = make_user()
    r = client.post("/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD})
    assert r.headers["Location"].endswith("/home")
    client.post("/logout")
    r = client.post("/login?next=/admin", data={"email": user.email, "password": PASSWORD})
    assert r.headers["Location"].endswith("/admin")


def test_session_cookie_flags(client, ctx):
    user = make_user()
    r = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("target, safe", [
    ("/admin", "/admin"), ("/events/3?x=1", "/events/3?x=1"), (None, None), ("", None),
    ("https://evil.example/", None), ("//evil.example/", None), ("/\\evil.example", None),
    ("javascript:alert(1)", None), ("admin", None),
])
def test_only_local_paths_are_followed_after_sign_in(target, safe):
    assert safe_local_path(target) == safe


def test_behind_a_trusted_proxy_limits_apply_per_client_not_per_proxy(app):
    from club import create_app

    proxied = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "ARGON2_TIME_COST",
                                                         "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM")},
                          "TESTING": True, "WTF_CSRF_ENABLED": False, "TRUSTED_PROXIES": 1})
    client = proxied.test_client()

    def attempt(client_address, n):
        return client.post("/login", data={"email": f"who{n}@example.org", "password": "nope"},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"}, headers={"X-Forwarded-For": client_address})

    for n in range(5):
        assert attempt("203.0.113.66", n).status_code == 401
    assert attempt("203.0.113.66", 5).status_code == 429
    assert attempt("198.51.100.7", 6).status_code == 401  # another visitor behind the same balancer
