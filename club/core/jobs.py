"""Background work: a job queue on Redis (RQ) in production, the same jobs in one local process in
development, and one scheduler for the periodic work that used to be cron.

A job is named by its target, ``"module:function"``; ``run_job`` runs it in the app context with a
fresh database session. Features register their periodic jobs in their ``jobs.py`` (found at
start-up like erasers): ``periodic("send-reminders", every=600, target=...)``.

The scheduler cuts time into slots of each job's period and starts a job once per slot: before
starting it takes the slot's lock (``SET key NX EX`` on Redis), so two schedulers, on two hosts or
by mistake, never run the same job twice. ``JOBS_MODE``:
- ``queue``: the scheduler enqueues on RQ; ``flask jobs worker`` processes run them;
- ``local``: ``flask jobs local`` runs scheduler and jobs in one process without Redis (``make run``);
- ``manual``: nothing runs by itself (tests call the jobs; the CLI commands run one by hand).
"""
from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from club.extensions import db

log = logging.getLogger("club.jobs")

DELIVER_MAIL = "club.core.outbox:deliver_due"


@dataclass(frozen=True)
class Periodic:
    name: str
    every: int  # seconds
    target: str  # "module:function"


_periodic: dict[str, Periodic] = {}


def periodic(name: str, *, every: int, target: str) -> None:
    """Register a job the scheduler starts every ``every`` seconds (once per period, cluster-wide)."""
    _periodic[name] = Periodic(name, every, target)


def periodic_jobs() -> list[Periodic]:
    return sorted(_periodic.values(), key=lambda job: job.name)


periodic("deliver-mail", every=10, target=DELIVER_MAIL)  # the sweep: retries, and rows whose wake-up was lost
periodic("forget-sent-mail", every=24 * 3600, target="club.core.outbox:forget_sent")


def resolve(target: str) -> Callable[[], Any]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def run_job(target: str) -> str:
    """Run one job in the current app context, with a session of its own; what the RQ worker calls."""
    started = time.monotonic()
    try:
        result = resolve(target)()
    finally:
        db.session.remove()
    log.info("job %s done in %.2f s: %s", target, time.monotonic() - started, result)
    return repr(result)


# Redis and the queue -----------------------------------------------------------------------------

def redis_connection():
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"])


def queue(connection=None):
    from rq import Queue

    return Queue(current_app.config["JOBS_QUEUE"], connection=connection or redis_connection())


def enqueue(target: str, connection=None):
    return queue(connection).enqueue(run_job, target, job_timeout=current_app.config["JOBS_TIMEOUT"],
                                     description=target, result_ttl=3600, failure_ttl=7 * 24 * 3600)


def mail_committed() -> None:
    """New mail is in the outbox: in queue mode, ask a worker to deliver it now. Redis down costs
    nothing but time: the scheduler's sweep delivers it once Redis is back."""
    if current_app.config.get("JOBS_MODE") != "queue":
        return
    try:
        enqueue(DELIVER_MAIL)
    except Exception as exc:  # noqa: BLE001 - the mail is safe in the outbox either way
        log.warning("could not enqueue mail delivery (%s); the scheduler's sweep will deliver it", exc)


def run_worker(connection=None, *, burst: bool = False) -> bool:
    """An RQ worker in this app context. SimpleWorker runs jobs in this process (no fork), so each
    job has the app and its own database connections; ``burst`` stops when the queue is empty."""
    from rq import SimpleWorker

    connection = connection or redis_connection()
    worker = SimpleWorker([queue(connection)], connection=connection)
    return worker.work(burst=burst, with_scheduler=False, logging_level="INFO")


# The scheduler -----------------------------------------------------------------------------------

class RedisSlots:
    """Slot locks shared by every scheduler on the same Redis."""

    def __init__(self, connection, prefix: str = "club:jobs:slot"):
        self.connection, self.prefix = connection, prefix

    def take(self, key: str, ttl: int) -> bool:
        return bool(self.connection.set(f"{self.prefix}:{key}", "1", nx=True, ex=ttl))


class LocalSlots:
    """Slot locks of one process (development without Redis)."""

    def __init__(self):
        self._taken: set[str] = set()
        self._lock = threading.Lock()

    def take(self, key: str, ttl: int) -> bool:
        with self._lock:
            if key in self._taken:
                return False
            self._taken.add(key)
            return True


class Scheduler:
    """Starts each periodic job once per slot of its period; ``start`` enqueues or runs it."""

    def __init__(self, jobs: list[Periodic], slots, start: Callable[[str], Any]):
        self.jobs, self.slots, self.start = jobs, slots, start

    def tick(self, now: float | None = None) -> list[str]:
        now = time.time() if now is None else now
        started = []
        for job in self.jobs:
            slot = int(now // job.every)
            if self.slots.take(f"{job.name}:{slot}", ttl=max(2 * job.every, 60)):
                try:
                    self.start(job.target)
                    started.append(job.name)
                except Exception:  # noqa: BLE001 - one job's failure must not stop the others
                    log.exception("periodic job %s failed to start", job.name)
        return started

    def run(self, stop: threading.Event, interval: float = 1.0) -> None:
        while not stop.is_set():
            self.tick()
            stop.wait(interval)


def queue_scheduler(connection=None) -> Scheduler:
    connection = connection or redis_connection()
    return Scheduler(periodic_jobs(), RedisSlots(connection), lambda target: enqueue(target, connection))


def local_scheduler() -> Scheduler:
    """Every job in this process, one after another (development: no Redis needed)."""
    def start(target: str) -> None:
        try:
            run_job(target)
        except Exception:  # noqa: BLE001 - logged; the next slot runs it again
            log.exception("job %s failed", target)

    # Mail every 2 s here: no commit wakes this process, and a developer waits for their link.
    local = [Periodic(job.name, 2, job.target) if job.target == DELIVER_MAIL else job for job in periodic_jobs()]
    return Scheduler(local, LocalSlots(), start)


def health() -> tuple[dict[str, Any], bool]:
    """For /healthz: Redis and the queue's backlog (queue mode), and the mail waiting in the outbox.
    False when Redis is needed and unreachable."""
    from club.core.outbox import backlog

    report: dict[str, Any] = {"mail_waiting": backlog()}
    if current_app.config.get("JOBS_MODE") != "queue":
        report["redis"] = "not used"
        return report, True
    try:
        connection = redis_connection()
        connection.ping()
        report.update(redis="ok", queue_backlog=queue(connection).count)
        return report, True
    except Exception:  # noqa: BLE001 - any failure means "down" for the health check
        report["redis"] = "unreachable"
        return report, False
