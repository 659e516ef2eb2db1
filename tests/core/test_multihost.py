"""Hosts that share nothing: two gunicorn app instances, one RQ worker and the scheduler, started as
the Procfile starts them in production, on one fresh PostgreSQL database and Redis.

Journeys alternate between the two hosts (sign in on one and book on the other, upload a photo on
one and fetch it from the other, a sign-in limit counted across both). Then the SMTP relay goes
down while mail is written, comes back slow, and the worker is killed (SIGKILL) in the middle of a
delivery and started again: every message arrives exactly once. The counts are printed
(``pytest -s``).

Slow (about 90 s) and needs PostgreSQL (TEST_DATABASE_URL=postgresql://…) and Redis at
127.0.0.1:6379; skipped, saying why, without them. CI runs it in its own step:
``pytest -m multihost`` (.ci/run). Every process listens on 127.0.0.1 and every request goes there.
"""
from __future__ import annotations

import os
import secrets
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.core.hosts import Processes, Relay, run, wait_for
from tests.core.smtp_server import free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgresql, pytest.mark.multihost]

BIN = Path(sys.executable).parent
REDIS_DB = 12  # a Redis database of this test's own (the others use 0, 14 and 15); emptied before and after
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
LEASE_SECONDS = 25  # MAIL_LEASE_SECONDS: how soon a dead worker's claim is taken up (production: 300)
PUBLIC_URL = "http://club.example"  # the address behind the load balancer; links in mail use it


# The browser's side ---------------------------------------------------------------------------------

class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.values.setdefault(attrs["name"], attrs.get("value") or "")


def csrf_of(html: str) -> str:
    parser = _Inputs()
    parser.feed(html)
    assert parser.values.get("csrf_token"), "no CSRF token in the form"
    return parser.values["csrf_token"]


def browser(address: str):
    """A person's browser: its cookies, and the address the load balancer reports (X-Forwarded-For)."""
    import requests

    session = requests.Session()
    session.headers["X-Forwarded-For"] = address
    return session


def sign_in(session, host: str, email: str, password: str):
    form = session.get(f"{host}/login", timeout=15)
    assert form.status_code == 200, form.status_code
    return session.post(f"{host}/login", data={"csrf_token": csrf_of(form.text), "email": email,
                                               "password": password}, allow_redirects=False, timeout=15)


def book(session, host: str, event_id: int):
    page = session.get(f"{host}/events/{event_id}", timeout=15)
    assert page.status_code == 200, page.status_code
    return session.post(f"{host}/events/{event_id}/book", data={"csrf_token": csrf_of(page.text), "guests": "0"},
                        allow_redirects=False, timeout=15)


def ask_for_reset(host: str, email: str, address: str):
    session = browser(address)
    form = session.get(f"{host}/password/forgot", timeout=15)
    return session.post(f"{host}/password/forgot", data={"csrf_token": csrf_of(form.text), "email": email},
                        timeout=15)


def attempts_until_refused(hosts: list[str], email: str, address: str, most: int = 15) -> tuple[int, list[int]]:
    """Wrong passwords from one address, host after host in turn, until one is refused (429)."""
    session, statuses = browser(address), []
    for attempt in range(1, most + 1):
        response = sign_in(session, hosts[(attempt - 1) % len(hosts)], email, "not the password at all")
        statuses.append(response.status_code)
        if response.status_code == 429:
            return attempt, statuses
        assert response.status_code == 401, statuses
    raise AssertionError(f"no sign-in limit after {most} wrong passwords: {statuses}")


# The database ---------------------------------------------------------------------------------------

def _server_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", "").replace("postgresql+psycopg://", "postgresql://", 1)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_sql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True, connect_timeout=10) as conn:
        conn.execute(statement)


def outbox_rows(url: str) -> list[dict]:
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(url, row_factory=dict_row, connect_timeout=10) as conn:
        return conn.execute("SELECT id, message_id, recipients, subject, state, attempts, last_error"
                            " FROM mail_outbox ORDER BY id").fetchall()


def seed(url: str, secret_key: str) -> dict:
    """Members and events, written with the suite's factories by an app on the same database."""
    from club import create_app
    from club.extensions import db
    from tests.events.factories import make_event
    from tests.factories import PASSWORD, make_member

    app = create_app({"TESTING": True, "CLUB_ENV": "testing", "SECRET_KEY": secret_key,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://" + url.split("://", 1)[1],
                      "RATELIMIT_STORAGE_URI": "memory://", "JOBS_MODE": "manual", "MAIL_BACKEND": "outbox",
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1})
    tag = secrets.token_hex(3)
    with app.app_context():
        def member(role: str) -> tuple[int, str]:
            user = make_member(email=f"{role}-{tag}@example.org")
            return user.id, user.email

        people = {role: member(role) for role in ("booker", "photographer", "guesser1", "guesser2")}
        people.update({f"reader{n}": member(f"reader{n}") for n in range(1, 7)})
        supper = make_event("Supper on two hosts", capacity=30)
        talk = make_event("A talk while the mail is down", capacity=30)
        seeded = {"people": people, "password": PASSWORD, "supper": (supper.id, supper.title),
                  "talk": (talk.id, talk.title)}
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    return seeded


# The test -------------------------------------------------------------------------------------------

@pytest.fixture
def redis_db():
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(REDIS_URL, socket_timeout=5)
    try:
        connection.ping()
    except RedisError as exc:
        pytest.skip(f"needs Redis at 127.0.0.1:6379 (.ci/run starts it; `redis-server --daemonize yes`): {exc}")
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


def test_two_hosts_a_worker_and_the_scheduler_lose_and_repeat_no_mail(redis_db, tmp_path):
    server = _server_url()
    name = f"club_multihost_{os.getpid()}_{secrets.token_hex(3)}"
    url = _with_database(server, name)
    relay = Relay()
    secret_key = secrets.token_hex(32)
    uploads = tmp_path / "uploads"
    logs = tmp_path / "logs"
    logs.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CLUB_", "DATABASE_URL", "MAIL_", "RATELIMIT_", "REDIS_", "JOBS_", "SESSION_",
                                "TRUSTED_", "PUBLIC_URL", "SECRET_KEY", "TEST_DATABASE_URL"))}
    env.update({
        "CLUB_ENV": "production", "SECRET_KEY": secret_key, "DATABASE_URL": url, "PUBLIC_URL": PUBLIC_URL,
        # The hosts are reached directly here, not only through PUBLIC_URL's name, and sit behind one
        # proxy that reports the client's address (X-Forwarded-For): the limits count per person.
        "TRUSTED_HOSTS": "127.0.0.1", "TRUSTED_PROXIES": "1",
        "SESSION_COOKIE_SECURE": "0",  # plain http on the loopback; production serves https
        "RATELIMIT_STORAGE_URI": REDIS_URL, "REDIS_URL": REDIS_URL, "JOBS_QUEUE": f"club-multihost-{secrets.token_hex(3)}",
        "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(relay.port),
        "MAIL_SENDER": "The Club <club@club.example>", "MAIL_LEASE_SECONDS": str(LEASE_SECONDS),
        "UPLOAD_DIR": str(uploads),
        # argon2id at its cheapest, so that two cores are not spent on hashing.
        "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST": "8", "ARGON2_PARALLELISM": "1",
        "PYTHONUNBUFFERED": "1",
    })
    processes = Processes(env, logs)
    started = time.monotonic()
    _admin_sql(server, f'CREATE DATABASE "{name}"')
    try:
        run(env, str(BIN / "flask"), "--app", "wsgi", "db", "upgrade")  # the Procfile's release step
        data = seed(url, secret_key)
        people, password = data["people"], data["password"]
        relay.start()
        ports = [free_port(), free_port()]
        for n, port in enumerate(ports, 1):
            processes.start(f"web{n}", str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                            "--graceful-timeout", "5", "wsgi:app")
        processes.start("worker", str(BIN / "flask"), "--app", "wsgi", "jobs", "worker")
        processes.start("scheduler", str(BIN / "flask"), "--app", "wsgi", "jobs", "scheduler")
        a, b = (f"http://127.0.0.1:{port}" for port in ports)

        import requests

        def healthy(host):
            def check():
                assert all(p.poll() is None for p in processes.running.values()), processes.tails()
                try:
                    response = requests.get(f"{host}/healthz", timeout=5)
                except requests.RequestException:
                    return None
                return response.status_code == 200 and response.json()
            return check

        for host in (a, b):
            report = wait_for(f"{host}/healthz", healthy(host), timeout=60)
            assert report["redis"] == "ok" and report["database"] == "ok", report
        print(f"\ntwo hosts up ({a}, {b}), a worker and the scheduler, in {time.monotonic() - started:.1f} s")

        # Sign in on one host, book on the other; the next page (host A again) says it is booked.
        booker = browser("10.0.1.1")
        assert sign_in(booker, a, people["booker"][1], password).status_code == 302
        supper_id, supper_title = data["supper"]
        booked = book(booker, b, supper_id)
        assert booked.status_code == 302, booked.text[:500]
        page = booker.get(a + urlsplit(booked.headers["Location"]).path, timeout=15)
        assert "You are booked" in page.text
        expected = [(people["booker"][1], f"Booked: {supper_title}")]
        # The booking's mail: written with the booking, delivered by the worker woken by the commit.
        wait_for("the booking's mail", lambda: relay.count() >= 1, timeout=20)

        # Upload a photo on one host, fetch it from the other.
        from tests.members.factories import image_bytes

        photographer = browser("10.0.1.2")
        assert sign_in(photographer, b, people["photographer"][1], password).status_code == 302
        profile = photographer.get(f"{b}/me/profile", timeout=15)
        uploaded = photographer.post(f"{b}/me/photo", data={"csrf_token": csrf_of(profile.text)},
                                     files={"photo": ("me.png", image_bytes("PNG", (900, 700)), "image/png")},
                                     allow_redirects=False, timeout=30)
        assert uploaded.status_code == 302, uploaded.text[:500]
        photo_path = f"/members/{people['photographer'][0]}/photo"
        on_a, on_b = (photographer.get(host + photo_path, timeout=15) for host in (a, b))
        assert on_a.status_code == on_b.status_code == 200
        assert on_a.headers["Content-Type"] == "image/jpeg" and on_a.content[:2] == b"\xff\xd8"
        assert on_a.content == on_b.content
        assert not uploads.exists() or not any(uploads.rglob("*")), "a web request wrote a file"
        print(f"photo uploaded on host B, served by host A: {len(on_a.content)} bytes of JPEG, the same on both")

        # Wrong passwords: refused at the same attempt whether they go to one host or alternate.
        one_host, statuses_one = attempts_until_refused([a], people["guesser1"][1], "10.0.2.1")
        two_hosts, statuses_two = attempts_until_refused([a, b], people["guesser2"][1], "10.0.2.2")
        print(f"sign-in limit: refused at attempt {one_host} on one host {statuses_one}, "
              f"at attempt {two_hosts} alternating between two {statuses_two}")
        assert one_host == two_hosts == 6  # five failures a minute per address (club.auth.throttle)

        # SMTP goes down; mail is written on both hosts: password resets, and bookings.
        relay.stop()
        down_at = time.monotonic()
        readers = [people[f"reader{n}"] for n in range(1, 7)]
        for n, (_, email) in enumerate(readers):
            reset = ask_for_reset((a, b)[n % 2], email, f"10.0.3.{n + 1}")
            assert reset.status_code == 200, reset.status_code
            expected.append((email, "Reset your password"))
        talk_id, talk_title = data["talk"]
        for n, (_, email) in enumerate(readers[:4]):
            reader = browser(f"10.0.4.{n + 1}")
            assert sign_in(reader, (a, b)[n % 2], email, password).status_code == 302
            assert book(reader, (b, a)[n % 2], talk_id).status_code == 302
            expected.append((email, f"Booked: {talk_title}"))

        def all_refused():
            rows = outbox_rows(url)
            waiting = [r for r in rows if r["state"] != "sent"]
            return len(waiting) == 10 and all(r["state"] == "waiting" and r["attempts"] >= 1 and r["last_error"]
                                              for r in waiting) and waiting
        refused = wait_for("every new mail to be tried and refused", all_refused, timeout=30)
        # Down across at least one of the scheduler's sweeps (every 10 s).
        time.sleep(max(0.0, 12 - (time.monotonic() - down_at)))
        print(f"SMTP down for {time.monotonic() - down_at:.0f} s: {len(refused)} messages tried and kept "
              f"({refused[0]['last_error'][:60]}…)")

        # SMTP comes back, slow: it takes two messages, then keeps the worker waiting on the third.
        sent_before = relay.count()
        relay.hold_after = 2
        relay.start()
        wait_for("the worker to be in the middle of a delivery", relay.holding.is_set, timeout=60)
        in_flight = [r for r in outbox_rows(url) if r["state"] == "sending"]
        assert in_flight, "the worker holds no claimed message"
        processes.kill("worker")  # SIGKILL, in the middle of the SMTP conversation
        relay.release.set()
        killed_at = time.monotonic()
        print(f"worker killed mid-delivery: {relay.count() - sent_before} delivered since SMTP came back, "
              f"{len(in_flight)} claimed by the dead worker")
        time.sleep(1)
        assert [r["id"] for r in outbox_rows(url) if r["state"] == "sending"] == [r["id"] for r in in_flight]

        processes.start("worker2", str(BIN / "flask"), "--app", "wsgi", "jobs", "worker")

        def all_sent():
            rows = outbox_rows(url)
            return all(r["state"] == "sent" for r in rows) and relay.count() >= len(rows) and rows
        rows = wait_for("every message to be delivered", all_sent, timeout=LEASE_SECONDS + 60, every=0.5)
        print(f"the dead worker's claims taken up and delivered {time.monotonic() - killed_at:.0f} s after the kill")
        time.sleep(3)  # room for a late duplicate to show

        written = {r["message_id"] for r in rows}
        received = Counter(message_id for message_id, _, _ in relay.received)
        lost = len(written - set(received))
        duplicated = sum(count - 1 for count in received.values())
        strangers = set(received) - written
        print(f"mail: {len(written)} written, {sum(received.values())} sent, {lost} lost, {duplicated} duplicated"
              f" (by Message-ID; {max(r['attempts'] for r in rows)} attempts at most)")
        assert lost == 0 and duplicated == 0 and not strangers
        # And by what was done: each mail the journeys caused arrived once, to its person.
        by_person = Counter((to, subject.rsplit(" · ", 1)[0]) for _, to, subject in relay.received)
        assert {key: by_person[key] for key in expected} == {key: 1 for key in expected}
        assert len(rows) == len(expected)
        assert max(r["attempts"] for r in rows) >= 3  # refused, claimed by the dead worker, then sent
        resets = [body for (mid, _, subject) in relay.received if subject.startswith("Reset your password")
                  for body in [relay.bodies[mid]]]
        assert len(resets) == 6 and all(f"{PUBLIC_URL}/password/reset/" in body for body in resets)
        print(f"run time {time.monotonic() - started:.0f} s")
    except BaseException:
        print(processes.tails())
        raise
    finally:
        processes.stop_all()
        relay.release.set()
        relay.stop()
        _admin_sql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
