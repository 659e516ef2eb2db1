"""Outgoing mail: one ``send_mail`` for the whole app, and the two ways a message leaves.

``send_mail`` renders the message and writes it as a row of the outbox (``OutboxMail``) on the
current database session: the row commits with the change it reports, and a rollback drops it,
so no member is told about something that did not happen, and nothing committed is lost. Nothing
is sent here or anywhere in a web request: a worker delivers the rows (``club.core.outbox``), which
also keeps a page that mails only when an account exists (password reset, endorsement requests)
from answering slower for a real member than for a stranger.

``transmit`` hands one message to the back end chosen by ``MAIL_BACKEND``: ``smtp``, or ``outbox``
(development and tests: an .eml file in ``MAIL_OUTBOX_DIR``, with subject and links in the log).
"""
from __future__ import annotations

import logging
import re
import smtplib
from datetime import date, datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

from flask import current_app, has_request_context, render_template
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, inspect

from club.core import i18n, settings
from club.core.links import public_url
from club.core.mail_html import html_of
from club.extensions import db
from club.models.club import OutboxMail
from club.models.user import ROLE_ADMIN, User, UserRole

log = logging.getLogger("club.mail")
_LINK = re.compile(r"https?://\S+")
_NEW_MAIL = "club_new_mail"


_HEADER_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_text(value: str) -> str:
    """Text safe in a mail header: a name typed with a line break or another control character
    (stored before the input policy refused them) becomes one line, so it can neither break the
    message (the email library refuses such a header) nor add headers of its own."""
    return " ".join(_HEADER_BREAKS.sub(" ", value).split())


def send_mail(to: str | list[str], subject, template: str, language: str | None = None, **context) -> OutboxMail:
    """Render ``templates/emails/<template>.txt`` and write it to the outbox in the current transaction.

    The message is written in ``language``: the recipient's (pass ``language=user.language``, or a
    ``user`` in the context), else the language of the page that caused it (an applicant applying
    in Russian gets Russian mail), else English. ``subject`` is a lazy string (``lazy_gettext``), so
    it is translated here, in that language, with the body."""
    recipients = [to] if isinstance(to, str) else list(to)
    language = i18n.language_or_default(language or getattr(context.get("user"), "language", None)
                                        or (i18n.current_language() if has_request_context() else None))
    context.setdefault("club_name", settings.get("club_name"))
    context.setdefault("public_url", public_url())
    with i18n.force_locale(language):
        body = render_template(f"emails/{template}.txt", **context)
        subject_text = str(subject)
    row = OutboxMail(
        recipients=", ".join(header_text(r) for r in recipients),
        subject=header_text(f"{subject_text} · {context['club_name']}"),
        template=template, context=_jsonable(context), body=body, language=language,
        message_id=make_msgid(domain="club.local"), state="waiting", attempts=0)
    db.session.add(row)
    db.session.info[_NEW_MAIL] = True
    return row


def admins_by_language() -> dict[str | None, list[str]]:
    """The admins' addresses, one list per language they read: one message for each language."""
    groups: dict[str | None, list[str]] = {}
    for email, language in db.session.execute(
        db.select(User.email, User.language).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == ROLE_ADMIN, User.deleted_at.is_(None)).order_by(User.id)
    ):
        groups.setdefault(language, []).append(email)
    return groups


def _jsonable(value):
    """The context as JSON: records become {"record": table, "id": …}, dates ISO text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    table = getattr(value, "__tablename__", None)
    if table is not None:
        identity = inspect(value).identity
        return {"record": table, "id": identity[0] if identity and len(identity) == 1 else None}
    return str(value)


def message_of(row: OutboxMail) -> EmailMessage:
    """The message a row stands for; the same Message-ID on every attempt, so a relay can tell a repeat.

    From the configured sender's address (``MAIL_SENDER``) under the club's name. Two parts: the
    plain text as written, and the same in HTML in the club's look (``club.core.mail_html``). Both
    go as 7bit (ASCII) or 8bit (UTF-8) text, never quoted-printable, so no web address is broken
    across lines in the raw message; a part with a line too long for SMTP goes as base64.
    """
    club_name = header_text(str(settings.get("club_name") or ""))
    sender_name, sender_address = parseaddr(current_app.config["MAIL_SENDER"])
    message = EmailMessage()
    message["From"] = formataddr((club_name or sender_name, sender_address))
    message["To"] = row.recipients
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at.astimezone(timezone.utc))
    message["Message-ID"] = row.message_id
    text = row.body or ""
    message.set_content(text, cte=_transfer_encoding(text))
    with i18n.force_locale(i18n.language_or_default(row.language)):
        html = html_of(text, club_name=club_name, subject=row.subject, language=row.language or "en")
    message.add_alternative(html, subtype="html", cte=_transfer_encoding(html))
    return message


def _transfer_encoding(text: str) -> str:
    """7bit for ASCII, 8bit for UTF-8: lines stay whole (quoted-printable would cut a long link with
    "=" line breaks); base64 only when a line is longer than SMTP allows (998 bytes)."""
    if any(len(line.encode()) > 990 for line in text.splitlines()):
        return "base64"
    return "7bit" if text.isascii() else "8bit"


def plain_text_of(message: EmailMessage) -> str:
    """The plain-text part of a message (or its whole content when it has one part)."""
    part = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
    return part.get_content() if part is not None else ""


_SMTP_KEYS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS", "MAIL_USE_SSL")


def transmit(message: EmailMessage) -> None:
    """Hand one message to the back end now; raises when it was not accepted."""
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        _deliver_smtp(message, {key: current_app.config[key] for key in _SMTP_KEYS})
        log.info("mail to %s: %s (smtp)", message["To"], message["Subject"])
    elif backend == "outbox":
        _deliver_outbox(message)
    else:
        raise RuntimeError(f"unknown MAIL_BACKEND {backend!r} (use 'smtp' or 'outbox')")


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
    links = " ".join(_LINK.findall(plain_text_of(message)))
    log.info("mail to %s: %s (%s)%s", message["To"], message["Subject"], path.name,
             f" links: {links}" if links else "")


@event.listens_for(FlaskSession, "after_commit")
def _wake_the_worker(session) -> None:
    """New rows are committed: ask the queue to deliver them now (the scheduler's sweep would anyway)."""
    if session.info.pop(_NEW_MAIL, None):
        from club.core import jobs

        jobs.mail_committed()


@event.listens_for(FlaskSession, "after_soft_rollback")
def _forget_after_rollback(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # only when the outermost transaction is gone
        session.info.pop(_NEW_MAIL, None)
