"""The job queue: a real RQ worker on the real Redis delivers mail end to end, and the scheduler's
slot lock starts each periodic job once, however many schedulers run."""
import secrets
import threading

import pytest
from sqlalchemy import select

from club.core import jobs
from club.core.mail import send_mail
from club.extensions import db
from club.models.club import OutboxMail
from tests.factories import make_user

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis():
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisError as exc:
        pytest.skip(f"needs Redis at {REDIS_URL} (.ci/run starts it; `redis-server --daemonize yes`): {exc}")
    yield connection
    connection.close()


@pytest.fixture
def queue_mode(app, redis):
    """The app in production's queue mode, on a queue of this test's own."""
    name = f"club-test-{secrets.token_hex(4)}"
    old = {k: app.config[k] for k in ("JOBS_MODE", "JOBS_QUEUE", "REDIS_URL")}
    app.config.update(JOBS_MODE="queue", JOBS_QUEUE=name, REDIS_URL=REDIS_URL)
    yield name
    app.config.update(old)
    for key in redis.scan_iter(f"rq:*{name}*"):
        redis.delete(key)


def test_a_real_rq_worker_delivers_committed_mail_end_to_end(app, ctx, outbox, redis, queue_mode):
    send_mail("reader@example.org", "Hello", "password_reset", user=make_user(), link="http://club.test/x")
    assert jobs.queue(redis).count == 0  # nothing is enqueued before the commit
    db.session.commit()
    assert jobs.queue(redis).count == 1  # the commit woke the queue
    assert list(outbox.folder.glob("*.eml")) == []
    jobs.run_worker(redis, burst=True)  # a real RQ worker, until the queue is empty
    files = list(outbox.folder.glob("*.eml"))
    assert len(files) == 1 and b"reader@example.org" in files[0].read_bytes()
    db.session.rollback()
    assert db.session.scalars(select(OutboxMail.state)).all() == ["sent"]
    assert jobs.queue(redis).count == 0


def test_redis_down_does_not_lose_the_mail(app, ctx, outbox, queue_mode):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    send_mail("reader@example.org", "Hello", "password_reset", user=make_user(), link="http://club.test/x")
    db.session.commit()  # the wake-up fails quietly; the row is safe
    assert [m["To"] for m in outbox.messages] == ["reader@example.org"]  # the sweep delivers it


def _scheduler(redis, prefix, started):
    job = jobs.Periodic("send-reminders", 600, "club.events.mailings:send_reminders")
    return jobs.Scheduler([job], jobs.RedisSlots(redis, prefix), started.append)


def test_two_schedulers_start_a_job_once_per_slot(redis):
    prefix = f"club-test-slot-{secrets.token_hex(4)}"
    started: list[str] = []
    try:
        schedulers = [_scheduler(redis, prefix, started) for _ in range(4)]  # four hosts, say
        barrier = threading.Barrier(len(schedulers))

        def tick(scheduler):
            barrier.wait()
            scheduler.tick(now=1_200_000.0)

        threads = [threading.Thread(target=tick, args=(s,)) for s in schedulers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert started == ["club.events.mailings:send_reminders"]
        assert all(s.tick(now=1_200_599.0) == [] for s in schedulers)  # still the same 10-minute slot
        assert schedulers[1].tick(now=1_200_600.0) == ["send-reminders"]  # the next slot
        assert schedulers[0].tick(now=1_200_601.0) == []
        assert len(started) == 2
    finally:
        for key in redis.scan_iter(f"{prefix}:*"):
            redis.delete(key)


def test_the_queue_scheduler_enqueues_each_periodic_job(app, redis, queue_mode):
    with app.app_context():
        started = jobs.queue_scheduler(redis)
        started.slots = jobs.RedisSlots(redis, f"club-test-slot-{secrets.token_hex(4)}")
        names = started.tick(now=2_000_000.0)
        assert set(names) >= {"deliver-mail", "send-reminders", "send-feedback-requests", "sync-billing",
                              "purge-applicants", "forget-sent-mail"}
        assert jobs.queue(redis).count == len(names)
        for key in redis.scan_iter(f"{started.slots.prefix}:*"):
            redis.delete(key)


def test_the_local_scheduler_runs_the_jobs_in_process(app, ctx, outbox):
    send_mail("reader@example.org", "Hello", "password_reset", user=make_user(), link="http://club.test/x")
    db.session.commit()
    scheduler = jobs.local_scheduler()
    with app.app_context():
        assert "deliver-mail" in scheduler.tick(now=3_000_000.0)
        assert scheduler.tick(now=3_000_001.0) == []  # once per slot in one process too
    assert len(list(outbox.folder.glob("*.eml"))) == 1


def test_healthz_reports_redis_and_the_backlogs(app, client, ctx, redis, queue_mode):
    send_mail("reader@example.org", "Hello", "password_reset", user=make_user(), link="http://club.test/x")
    db.session.commit()  # one mail waiting, one delivery job queued
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json == {"status": "ok", "database": "ok", "redis": "ok", "queue_backlog": 1, "mail_waiting": 1}
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # Redis gone
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json["redis"] == "unreachable" and r.json["mail_waiting"] == 1
