"""Mail leaves only after the transaction commits, and really goes out over SMTP."""
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from club.core.mail import send_mail
from club.core.outbox import deliver_due
from club.extensions import db
from tests.factories import make_user


class _Collect(Message):
    def __init__(self):
        super().__init__()
        self.received = []

    def handle_message(self, message):
        self.received.append(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    handler = _Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    old = {k: app.config[k] for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield handler
    app.config.update(old)
    controller.stop()


def _wait_for(predicate, seconds=5.0):
    """Wait until ``predicate`` holds, delivering the outbox meanwhile as the worker would (needs an app context)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        deliver_due()
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_password_reset_mail_goes_through_a_real_smtp_server(client, ctx, smtp_server):
    user = make_user(email="reader@example.org")
    client.post("/password/forgot", data={"email": user.email})
    assert smtp_server.received == []  # nothing is sent from the request
    assert deliver_due().sent == 1  # the worker's job
    assert _wait_for(lambda: smtp_server.received)
    message = smtp_server.received[0]
    assert message["To"] == "reader@example.org"
    assert "Reset your password" in message["Subject"]
    plain = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    assert "/password/reset/" in plain.get_payload(decode=True).decode()


def test_mail_waits_for_commit_and_is_dropped_on_rollback(ctx, outbox):
    send_mail("a@example.org", "Hello", "password_reset", user=make_user(), link="http://club.test/x")
    assert outbox.messages == []
    db.session.rollback()
    db.session.commit()
    assert outbox.messages == []
    send_mail("b@example.org", "Hello", "password_reset", user=make_user(), link="http://club.test/y")
    db.session.commit()
    assert [m["To"] for m in outbox.messages] == ["b@example.org"]


def test_outbox_writes_an_eml_file_and_logs_subject_and_links(ctx, outbox, caplog):
    caplog.set_level("INFO", logger="club.mail")
    send_mail("c@example.org", "Your link", "password_reset", user=make_user(), link="http://club.test/password/reset/abc")
    db.session.commit()
    outbox.deliver()
    assert len(list(outbox.folder.glob("*.eml"))) == 1
    assert "Your link" in caplog.text and "http://club.test/password/reset/abc" in caplog.text


class _SlowCollect(_Collect):
    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(0.3)  # a slow mail relay
        return await super().handle_DATA(server, session, envelope)


def test_password_reset_answers_as_fast_for_members_as_for_strangers(app, client, ctx):
    """Mail goes out from the worker, never from the request, so timing does not reveal who has an account."""
    handler = _SlowCollect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    old = {k: app.config[k] for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    try:
        user = make_user()
        timings = {}
        for label, email in (("member", user.email), ("stranger", "nobody@example.org")):
            start = time.perf_counter()
            assert client.post("/password/forgot", data={"email": email}).status_code == 200
            timings[label] = time.perf_counter() - start
        assert handler.received == []
        assert deliver_due().sent == 1
        assert _wait_for(lambda: handler.received)
    finally:
        app.config.update(old)
        controller.stop()
    assert timings["member"] < 0.2, timings  # the 0.3 s relay is not waited for


@pytest.mark.parametrize("value, expected", [
    ("Ada Quill invites you", "Ada Quill invites you"),
    ("Ada\r\nBcc: everyone@example.org", "Ada Bcc: everyone@example.org"),
    ("Ada\x00\x1b\u2028Quill", "Ada Quill"),
    ("  spaced\t\tout  ", "spaced out"),
])
def test_names_in_mail_headers_become_one_line(value, expected):
    from club.core.mail import header_text

    assert header_text(value) == expected


def test_a_subject_with_a_line_break_is_sent_on_one_line(ctx):
    mail = send_mail("ada@example.org", "Ada\r\nBcc: everyone@example.org invites you", "password_reset",
                     user=make_user(), link="http://club.test/x")
    subject = mail.subject
    db.session.rollback()
    assert "\n" not in subject and "\r" not in subject
    assert subject.startswith("Ada Bcc: everyone@example.org invites you")
