"""Sign-in limits stop guessing without shutting the owner out (club/auth/throttle.py)."""
import logging
import socket

import pytest
from freezegun import freeze_time

from club.auth import throttle
from club.extensions import limiter
from tests.factories import PASSWORD, make_user

OWNER_ADDRESS = "198.51.100.7"


def _attempt(client, email, password, address):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def _attack(app, email, times=30):
    """Wrong passwords for ``email`` from ``times`` other addresses, each from a fresh browser."""
    answers = [_attempt(app.test_client(), email, f"guess number {n}", f"203.0.113.{n}").status_code
               for n in range(times)]
    assert set(answers) <= {401, 429} and answers.count(401) == 10  # ten guesses, then slowed down
    return answers


def test_the_owner_still_signs_in_from_their_own_address_after_an_attack(app, ctx):
    owner = make_user()
    earlier = app.test_client()
    assert _attempt(earlier, owner.email, PASSWORD, OWNER_ADDRESS).status_code == 302  # last week, say
    _attack(app, owner.email)
    # A fresh browser (no cookie at all) on the owner's usual address: the right password works.
    assert _attempt(app.test_client(), owner.email, PASSWORD, OWNER_ADDRESS).status_code == 302


def test_the_owners_browser_signs_in_from_a_new_address_after_an_attack(app, ctx):
    owner = make_user()
    browser = app.test_client()
    assert _attempt(browser, owner.email, PASSWORD, OWNER_ADDRESS).status_code == 302
    browser.post("/logout")
    _attack(app, owner.email)
    assert _attempt(browser, owner.email, PASSWORD, "192.0.2.200").status_code == 302  # the phone, on another network


def test_a_stranger_is_slowed_down_even_with_the_right_password(app, ctx):
    owner = make_user()
    _attack(app, owner.email)
    r = _attempt(app.test_client(), owner.email, PASSWORD, "192.0.2.201")
    assert r.status_code == 429  # else the limit would tell a guesser when a guess is right


def test_a_device_cookie_for_another_account_does_not_help(app, ctx):
    victim, attacker = make_user(), make_user()
    browser = app.test_client()
    assert _attempt(browser, attacker.email, PASSWORD, "192.0.2.50").status_code == 302
    browser.post("/logout")
    _attack(app, victim.email)
    assert _attempt(browser, victim.email, "guess again now", "192.0.2.51").status_code == 429


def test_one_address_is_limited_on_one_account_over_the_hour(app, ctx):
    owner, other = make_user(), make_user()
    client = app.test_client()
    with freeze_time("2031-03-04 10:00:00") as clock:
        for minute in range(2):  # five a minute is allowed by the per-address limit, ten an hour on one account
            for _ in range(5):
                assert _attempt(client, owner.email, "wrong again now", "192.0.2.9").status_code == 401
            clock.tick(61)
        assert _attempt(client, owner.email, "wrong again now", "192.0.2.9").status_code == 429
        assert _attempt(client, other.email, "wrong again now", "192.0.2.9").status_code == 401  # another account


def test_the_per_account_counter_keys_hold_no_email(app, ctx):
    owner = make_user(email="owner.secret@example.org")
    with app.test_request_context("/login", method="POST", data={"email": owner.email}):
        assert "owner.secret" not in throttle.account_key()
        assert "owner.secret" not in throttle.account_address_key()


def test_a_password_reset_makes_the_browser_known_good(app, client, ctx, outbox):
    import re

    owner = make_user()
    _attack(app, owner.email)
    client.post("/password/forgot", data={"email": owner.email}, environ_base={"REMOTE_ADDR": "192.0.2.77"})
    link = re.search(r"http://club\.test(/password/reset/\S+)", outbox.last().get_content()).group(1)
    new = "a fresh passphrase of mine"
    client.post(link, data={"password": new, "confirm": new}, environ_base={"REMOTE_ADDR": "192.0.2.77"})
    assert _attempt(client, owner.email, new, "192.0.2.77").status_code == 302


def test_reaching_a_limit_is_logged_without_the_email(app, ctx, caplog):
    owner = make_user(email="owner.secret@example.org")
    with caplog.at_level(logging.WARNING, logger="club.security"):
        _attack(app, owner.email, times=11)
    limited = [r.getMessage() for r in caplog.records if "sign_in.limited" in r.getMessage()]
    assert limited and "scope=account" in limited[0]
    assert all("owner.secret" not in r.getMessage() and "guess number" not in r.getMessage() for r in caplog.records)


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture
def redis_app(app):
    """The app with its limits in the real Redis at 127.0.0.1:6379 (database 14, emptied)."""
    if not _redis_reachable():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379: start redis-server to run the shared-storage test")
    from club import create_app

    saved = limiter._storage, limiter._limiter  # the one limiter is shared; give the suite its storage back after
    redis_app = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "ARGON2_TIME_COST",
                                                            "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM")},
                            "TESTING": True, "WTF_CSRF_ENABLED": False,
                            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/14"})
    limiter.storage.reset()
    try:
        yield redis_app
    finally:
        limiter.storage.reset()
        limiter._storage, limiter._limiter = saved


_WORKER = """
import json, sys
from club import create_app

config, email, owner_password = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
app = create_app(config)
answers = [app.test_client().post("/login", data={"email": email, "password": owner_password},
                                  environ_base={"REMOTE_ADDR": "%s"}).status_code]
answers += [app.test_client().post("/login", data={"email": email, "password": f"guess number {n}"},
                        environ_base={"REMOTE_ADDR": f"203.0.113.{n}"}).status_code for n in range(12)]
print(json.dumps(answers))
""" % OWNER_ADDRESS


def test_limits_hold_across_workers_with_redis(redis_app):
    """Another process (a second gunicorn worker, say) counts in the same Redis as this one."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    with redis_app.app_context():
        email = make_user().email
    config = {k: redis_app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "ARGON2_TIME_COST",
                                               "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM", "RATELIMIT_STORAGE_URI")}
    config.update({"TESTING": True, "WTF_CSRF_ENABLED": False, "CLUB_ENV": "testing"})
    root = Path(__file__).resolve().parents[2]
    worker = subprocess.run([sys.executable, "-c", _WORKER, json.dumps(config), email, PASSWORD],
                            capture_output=True, text=True, cwd=root, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(root)})
    assert worker.returncode == 0, worker.stderr[-2000:]
    answers = json.loads(worker.stdout.strip().splitlines()[-1])
    assert answers[0] == 302 and answers[1:].count(401) == 10 and answers[-2:] == [429, 429]
    this_worker = redis_app.test_client()
    # This process has seen none of those guesses, yet the account is slowed down here too ...
    assert _attempt(this_worker, email, PASSWORD, "192.0.2.201").status_code == 429
    # ... and the owner's address, known-good in Redis since the other process let them in, still passes.
    assert _attempt(this_worker, email, PASSWORD, OWNER_ADDRESS).status_code == 302


@pytest.fixture
def app_with_redis_down(app):
    """The app with its limits in a Redis that does not answer (nothing listens on the port)."""
    from club import create_app

    with socket.socket() as probe:  # a free port: nothing listens there once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The limiter is one object shared by every app of the run: keep all of its state to give back.
    kept = ("_storage", "_limiter", "_storage_dead", "_fallback_storage", "_fallback_limiter")
    saved = {name: getattr(limiter, name, None) for name in kept}
    down_app = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "ARGON2_TIME_COST",
                                                          "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM")},
                           "TESTING": True, "WTF_CSRF_ENABLED": False,
                           "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{port}/0"})
    try:
        yield down_app
    finally:
        for name, value in saved.items():
            setattr(limiter, name, value)


def test_with_the_limits_storage_down_people_still_sign_in_and_guessing_is_still_limited(app_with_redis_down):
    """Redis down must not answer 500 to every form: the limits fall back to this process's memory."""
    with app_with_redis_down.app_context():
        email = make_user().email
    client = app_with_redis_down.test_client()
    assert _attempt(client, email, PASSWORD, OWNER_ADDRESS).status_code == 302
    answers = [_attempt(app_with_redis_down.test_client(), email, f"guess {n}", "203.0.113.9").status_code
               for n in range(8)]
    assert 500 not in answers and answers[0] == 401 and 429 in answers
