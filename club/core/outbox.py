"""Delivering the outbox: claim due rows, send each once, retry failures with backoff.

Any number of workers may run ``deliver_due`` at once (two hosts, or the queue's worker and the
scheduler's sweep): a worker first *claims* a batch in a short transaction of its own, marking the
rows ``sending`` with its own claim token, and only then talks to SMTP. PostgreSQL picks the batch
with ``SELECT … FOR UPDATE SKIP LOCKED`` (a second worker skips the rows the first is claiming);
SQLite claims under ``BEGIN IMMEDIATE`` with an UPDATE that is conditional on the row still being
due. A row that stays ``sending`` longer than the lease (``MAIL_LEASE_SECONDS``, 5 minutes) belonged
to a worker that died mid-delivery and is taken up again.

A refused or failed send puts the row back to ``waiting`` with ``next_attempt_at`` pushed out
(``backoff``); after ``MAX_ATTEMPTS`` it is ``failed`` and waits for an admin (``/admin/mail``).
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update

from club.core import audit, erasure
from club.core.mail import message_of, transmit
from club.core.pagination import Page, paginate
from club.extensions import db
from club.models.base import utcnow
from club.models.club import OutboxMail
from club.models.user import User

log = logging.getLogger("club.mail")

WAITING, SENDING, SENT, FAILED = "waiting", "sending", "sent", "failed"
MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)  # the default lease: far longer than one SMTP conversation (its timeout is 20 s)
BATCH = 20
KEEP_SENT = timedelta(days=30)
_T = OutboxMail.__table__


def backoff(attempts: int) -> timedelta:
    """How long to wait after the n-th failed attempt: 30 s, 1, 2, 4, 8 … minutes, at most an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def lease() -> timedelta:
    """How long a claim holds before another worker may take the row up (``MAIL_LEASE_SECONDS``)."""
    return timedelta(seconds=current_app.config.get("MAIL_LEASE_SECONDS", LEASE.total_seconds()))


def _due(now: datetime):
    return or_(and_(_T.c.state == WAITING, _T.c.next_attempt_at <= now),
               and_(_T.c.state == SENDING, _T.c.claimed_at < now - lease()))


def claim_due(now: datetime | None = None, limit: int = BATCH) -> list[OutboxMail]:
    """Take up to ``limit`` due rows for this worker alone and return them (detached copies)."""
    now = now or utcnow()
    token = secrets.token_hex(16)
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        pick = select(_T.c.id).where(_due(now)).order_by(_T.c.id).limit(limit)
        if conn.dialect.name == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        ids = list(conn.execute(pick).scalars())
        if not ids:
            return []
        conn.execute(update(_T).where(_T.c.id.in_(ids), _due(now))
                     .values(state=SENDING, claim=token, claimed_at=now, attempts=_T.c.attempts + 1))
        rows = conn.execute(select(_T).where(_T.c.claim == token).order_by(_T.c.id)).mappings().all()
    return [OutboxMail(**row) for row in rows]


def deliver_due(now: datetime | None = None) -> Delivery:
    """Deliver every due row, batch after batch, until none is left. What the worker runs."""
    now = now or utcnow()
    done = Delivery()
    while batch := claim_due(now):
        for row in batch:
            _deliver(row, now, done)
        if len(batch) < BATCH:
            break
    return done


def _deliver(row: OutboxMail, now: datetime, done: Delivery) -> None:
    try:
        transmit(message_of(row))
    except Exception as exc:  # noqa: BLE001 - any failure is retried, and shown to the admin
        final = row.attempts >= MAX_ATTEMPTS
        log.warning("mail %s to %s not delivered (attempt %s%s): %s", row.id, row.recipients, row.attempts,
                    ", giving up" if final else "", exc)
        _finish(row, state=FAILED if final else WAITING, last_error=f"{type(exc).__name__}: {exc}"[:1000],
                next_attempt_at=now + backoff(row.attempts))
        if final:
            done.failed += 1
        else:
            done.retrying += 1
        return
    # Sent: forget the body (it may hold a sign-in link) and the links of the context.
    context = {k: ("(link)" if isinstance(v, str) and "://" in v else v) for k, v in (row.context or {}).items()}
    if _finish(row, state=SENT, sent_at=utcnow(), body=None, context=context, last_error=None):
        done.sent += 1


def _finish(row: OutboxMail, **values) -> bool:
    with db.engine.begin() as conn:
        result = conn.execute(update(_T).where(_T.c.id == row.id, _T.c.claim == row.claim)
                              .values(claim=None, **values))
    if result.rowcount != 1:
        log.error("mail %s: the claim ran out before delivery finished; another worker took it", row.id)
    return result.rowcount == 1


def forget_sent(now: datetime | None = None) -> int:
    """Delete rows sent more than ``KEEP_SENT`` ago (a daily job)."""
    with db.engine.begin() as conn:
        return conn.execute(delete(_T).where(_T.c.state == SENT, _T.c.sent_at < (now or utcnow()) - KEEP_SENT)).rowcount


# The admin's view ------------------------------------------------------------------------------

def counts() -> dict[str, int]:
    found = dict(db.session.execute(select(OutboxMail.state, func.count()).group_by(OutboxMail.state)).all())
    return {state: found.get(state, 0) for state in (WAITING, SENDING, FAILED, SENT)}


def backlog() -> int:
    """Messages not yet delivered (waiting or being sent); failed ones are the admin's."""
    return db.session.scalar(select(func.count()).select_from(OutboxMail)
                             .where(OutboxMail.state.in_((WAITING, SENDING)))) or 0


def unsent_page(page: int, per_page: int = 25) -> Page[OutboxMail]:
    """Failed messages first, then those waiting or being sent, oldest first."""
    order = (OutboxMail.state != FAILED, OutboxMail.created_at, OutboxMail.id)
    return paginate(select(OutboxMail).where(OutboxMail.state != SENT).order_by(*order), page=page, per_page=per_page)


def retry(mail_id: int, actor: User) -> bool:
    """Send a failed or waiting message again now, with its attempts counted afresh."""
    result = db.session.execute(update(OutboxMail).where(OutboxMail.id == mail_id, OutboxMail.state.in_((FAILED, WAITING)))
                                .values(state=WAITING, attempts=0, next_attempt_at=utcnow())
                                .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        return False
    audit.record("mail.retried", actor=actor, mail_id=mail_id)
    db.session.commit()
    from club.core import jobs

    jobs.mail_committed()
    return True


@erasure.person_eraser("mail_outbox")
def erase_mail(user_id: int, how: erasure.Erasure) -> None:
    """Sent and failed mail to the person's addresses goes; mail still waiting (a goodbye written in
    the same transaction) is sent first and goes with the sent rows after ``KEEP_SENT``."""
    if how.emails:
        db.session.execute(delete(OutboxMail).where(
            OutboxMail.state.in_((SENT, FAILED)),
            or_(*[OutboxMail.recipients.contains(email, autoescape=True) for email in how.emails])))
