"""Outgoing mail: one ``send_mail`` for the whole app, two back ends chosen by ``MAIL_BACKEND``.

Messages are queued on the database session and delivered only after that session's
transaction commits; a rollback drops them. So no member is told about something that did
not happen.

SMTP delivery happens on a small background pool, not in the request: a page that mails only
when an account exists (password reset, endorsement requests) must not answer slower for a
real member than for a stranger, or its timing would reveal who belongs to the club.
"""
from __future__ import annotations

import logging
import re
import smtplib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event

from club.core import settings
from club.extensions import db

log = logging.getLogger("club.mail")
_LINK = re.compile(r"https?://\S+")
_PENDING = "club_pending_mail"


def send_mail(to: str | list[str], subject: str, template: str, **context) -> EmailMessage:
    """Render ``templates/emails/<template>.txt`` and queue it until the transaction commits."""
    recipients = [to] if isinstance(to, str) else list(to)
    context.setdefault("club_name", settings.get("club_name"))
    context.setdefault("public_url", current_app.config["PUBLIC_URL"].rstrip("/"))
    body = render_template(f"emails/{template}.txt", **context)
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = ", ".join(recipients)
    message["Subject"] = f"{subject} · {context['club_name']}"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="club.local")
    message.set_content(body)
    db.session.info.setdefault(_PENDING, []).append(message)
    return message


_smtp_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="club-smtp")
_SMTP_KEYS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS", "MAIL_USE_SSL")


def deliver(message: EmailMessage) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        cfg = {key: current_app.config[key] for key in _SMTP_KEYS}
        _smtp_pool.submit(_deliver_smtp_logged, message, cfg)
    elif backend == "outbox":
        _deliver_outbox(message)
    else:
        raise RuntimeError(f"unknown MAIL_BACKEND {backend!r} (use 'smtp' or 'outbox')")


def _deliver_smtp_logged(message: EmailMessage, cfg: dict) -> None:
    try:
        _deliver_smtp(message, cfg)
        log.info("mail to %s: %s (smtp)", message["To"], message["Subject"])
    except Exception:  # the change is committed; a mail failure must not undo or hide it
        log.exception("could not deliver mail to %s: %s", message["To"], message["Subject"])


def _deliver_smtp(message: EmailMessage, cfg: dict) -> None:
    smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(message)


def _deliver_outbox(message: EmailMessage) -> None:
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    slug = re.sub(r"[^a-z0-9]+", "-", str(message["Subject"]).lower()).strip("-")[:50]
    path = outbox / f"{stamp}-{slug}.eml"
    path.write_bytes(bytes(message))
    links = " ".join(_LINK.findall(message.get_content()))
    log.info("mail to %s: %s (%s)%s", message["To"], message["Subject"], path.name,
             f" links: {links}" if links else "")


@event.listens_for(FlaskSession, "after_commit")
def _deliver_after_commit(session) -> None:
    pending = session.info.pop(_PENDING, None)
    for message in pending or ():
        try:
            deliver(message)
        except Exception:  # the change is committed; a mail failure must not undo or hide it
            log.exception("could not deliver mail to %s: %s", message["To"], message["Subject"])


@event.listens_for(FlaskSession, "after_soft_rollback")
def _drop_after_rollback(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # only when the outermost transaction is gone
        session.info.pop(_PENDING, None)
