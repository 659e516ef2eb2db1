"""The outbox: a mail is a row of the change's own transaction, delivered by workers once each,
retried with backoff when SMTP refuses, and taken up again when a worker dies mid-delivery."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from club.core import outbox as delivery
from club.core.mail import send_mail
from club.extensions import db
from club.models.base import utcnow
from club.models.club import OutboxMail
from club.models.user import User
from tests.core.smtp_server import Relay, SmtpServer
from tests.factories import make_user


def _rows_seen_by_another_connection() -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(OutboxMail.__table__)).scalar()


def _mail(to="reader@example.org", user=None):
    return send_mail(to, "Hello", "password_reset", user=user or make_user(), link="http://club.test/password/reset/x")


def test_the_mail_row_is_written_in_the_changes_transaction_and_rolled_back_with_it(ctx, outbox):
    user = make_user(name="Ada Lovelace")
    user.full_name = "Ada King"
    _mail(user.email, user)
    db.session.flush()
    assert _rows_seen_by_another_connection() == 0  # not before the change commits
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 0
    assert db.session.get(User, user.id).full_name == "Ada Lovelace"

    user.full_name = "Ada King"
    _mail(user.email, user)
    db.session.commit()
    assert _rows_seen_by_another_connection() == 1
    row = db.session.scalars(select(OutboxMail)).one()
    assert (row.recipients, row.template, row.state, row.attempts) == (user.email, "password_reset", "waiting", 0)
    assert row.context["user"] == {"record": "users", "id": user.id} and row.language == "en"  # English: the recipient chose none
    assert "/password/reset/x" in row.body
    assert list(outbox.folder.glob("*.eml")) == []  # committing sent nothing: the worker does


def test_delivery_retries_with_backoff_after_smtp_refuses(app, ctx):
    _mail()
    db.session.commit()
    start = utcnow()
    with SmtpServer(app, Relay()) as relay:
        relay.refusing = True
        assert delivery.deliver_due(start).retrying == 1
        row = db.session.scalars(select(OutboxMail)).one()
        assert (row.state, row.attempts) == ("waiting", 1) and "451" in row.last_error
        assert row.next_attempt_at == start + timedelta(seconds=30)
        assert delivery.deliver_due(start + timedelta(seconds=29)).retrying == 0  # not due yet
        assert delivery.deliver_due(start + timedelta(seconds=30)).retrying == 1
        db.session.rollback()  # a fresh snapshot
        row = db.session.get(OutboxMail, row.id)
        assert row.attempts == 2 and row.next_attempt_at == start + timedelta(seconds=90)  # 30 s, then 60 s
        relay.refusing = False
        assert delivery.deliver_due(start + timedelta(seconds=90)).sent == 1
        assert delivery.deliver_due(start + timedelta(hours=2)).sent == 0
    db.session.rollback()  # a fresh snapshot
    row = db.session.get(OutboxMail, row.id)
    assert relay.received == [row.message_id]  # once, with the same Message-ID on every attempt
    assert (row.state, row.body, row.last_error, row.context["link"]) == ("sent", None, None, "(link)")


@pytest.mark.parametrize("attempts,expected", [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (20, 3600)])
def test_backoff_doubles_up_to_an_hour(attempts, expected):
    assert delivery.backoff(attempts) == timedelta(seconds=expected)


def test_after_the_last_attempt_the_mail_is_failed_and_waits_for_an_admin(app, ctx):
    row = _mail()
    db.session.commit()
    row.attempts = delivery.MAX_ATTEMPTS - 1
    db.session.commit()
    with SmtpServer(app, Relay()) as relay:
        relay.refusing = True
        assert delivery.deliver_due().failed == 1
    db.session.rollback()  # a fresh snapshot
    assert db.session.get(OutboxMail, row.id).state == "failed"
    assert delivery.deliver_due(utcnow() + timedelta(days=1)).sent == 0


def test_a_mail_claimed_by_a_worker_that_died_is_delivered_after_the_lease(ctx, outbox):
    _mail()
    db.session.commit()
    now = utcnow()
    assert len(delivery.claim_due(now)) == 1  # a worker claims it, then dies before sending
    assert delivery.deliver_due(now + timedelta(minutes=1)).sent == 0
    assert delivery.deliver_due(now + delivery.LEASE + timedelta(seconds=1)).sent == 1
    assert len(list(outbox.folder.glob("*.eml"))) == 1


def test_the_lease_is_the_setting_mail_lease_seconds(app, ctx, outbox):
    _mail()
    db.session.commit()
    now = utcnow()
    assert len(delivery.claim_due(now)) == 1  # a worker claims it, then dies before sending
    old = app.config["MAIL_LEASE_SECONDS"]
    app.config["MAIL_LEASE_SECONDS"] = 30
    try:
        assert delivery.deliver_due(now + timedelta(seconds=29)).sent == 0
        assert delivery.deliver_due(now + timedelta(seconds=31)).sent == 1
    finally:
        app.config["MAIL_LEASE_SECONDS"] = old
    assert old == 300  # the default: five minutes


def test_two_workers_deliver_each_message_once(app, ctx):
    count = 60
    for n in range(count):
        _mail(f"reader{n}@example.org")
    db.session.commit()
    ids = set(db.session.scalars(select(OutboxMail.message_id)))
    results, errors = [], []
    barrier = threading.Barrier(2)

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                results.append(delivery.deliver_due())
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    with SmtpServer(app, Relay(delay=0.005)) as relay:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    assert sorted(relay.received) == sorted(ids) and len(relay.received) == count  # none lost, none twice
    assert all(r.sent > 0 for r in results), results  # both really worked
    db.session.rollback()  # a fresh snapshot
    assert db.session.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.state == "sent")) == count


def test_erasing_a_person_drops_their_sent_and_failed_mail(ctx):
    from club.core.erasure import Erasure

    user = make_user(email="gone@example.org")
    for state in ("sent", "failed", "waiting"):
        _mail("gone@example.org", user).state = state
    _mail("stays@example.org", user).state = "sent"
    db.session.commit()
    delivery.erase_mail(user.id, Erasure(now=utcnow(), emails=("gone@example.org",)))
    db.session.commit()
    left = {(r.recipients, r.state) for r in db.session.scalars(select(OutboxMail))}
    assert left == {("gone@example.org", "waiting"), ("stays@example.org", "sent")}
