"""Commands for background work: `flask --app wsgi deliver-mail` by hand, and the processes of a
deployment (see the Procfile): `jobs worker`, `jobs scheduler`, and `jobs local` for development."""
from __future__ import annotations

import signal
import threading

import click

from club.core import jobs, outbox


@click.command("deliver-mail")
def deliver_mail() -> None:
    """Deliver every due message of the outbox now (what the worker does)."""
    done = outbox.deliver_due()
    click.echo(f"{done.sent} sent, {done.retrying} to retry later, {done.failed} failed for good.")


@click.group("jobs")
def jobs_group() -> None:
    """The job queue: worker, scheduler, or both in one process for development."""


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run queued jobs (RQ on REDIS_URL). Start as many as you like, on any host."""
    jobs.run_worker(burst=burst)


@jobs_group.command("scheduler")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between ticks.")
def scheduler(interval: float) -> None:
    """Enqueue the periodic jobs on time. Safe to run on several hosts: each slot runs once."""
    _run_until_signal(jobs.queue_scheduler(), interval)


@jobs_group.command("local")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between ticks.")
def local(interval: float) -> None:
    """Development without Redis: deliver mail and run the periodic jobs in this one process."""
    click.echo("Running jobs in-process (mail delivery every 10 s, reminders, feedback, purge). Ctrl-C stops.")
    _run_until_signal(jobs.local_scheduler(), interval)


@jobs_group.command("list")
def list_jobs() -> None:
    """The periodic jobs and how often each runs."""
    for job in jobs.periodic_jobs():
        click.echo(f"{job.name:<24} every {job.every:>6} s  {job.target}")


def _run_until_signal(scheduler: jobs.Scheduler, interval: float) -> None:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    scheduler.run(stop, interval)


commands = [deliver_mail, jobs_group]
