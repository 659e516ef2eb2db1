"""The second factor: enrolling an authenticator app, checking its codes, recovery codes, resets.

Staff (curators, admins) must have one where ``STAFF_SECOND_FACTOR_REQUIRED`` is on (always in
production); members may turn one on. The TOTP secret is kept encrypted with a key derived from
SECRET_KEY (Fernet: AES and an HMAC), so a copy of the database or a backup alone does not give
the codes away; it is shown only while enrolling. Recovery codes are kept as HMAC-SHA256 hashes
under another key derived from SECRET_KEY. Rotating SECRET_KEY therefore voids every second
factor: ``flask --app wsgi reset-second-factor EMAIL`` is the way back in.

Every change is audited with ids and outcomes only; no secret or code is logged or audited.
"""
from __future__ import annotations

import base64
import logging
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from club.auth import totp
from club.core import audit, security_log, settings
from club.extensions import db
from club.models.auth import RecoveryCode, SecondFactor
from club.models.base import utcnow
from club.models.user import User

log = logging.getLogger("club.security")

CODE = "code"
RECOVERY = "recovery"


class SecondFactorError(Exception):
    """Refused; the message is safe to show to the person."""


class WrongCode(SecondFactorError):
    pass


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the QR code, and the same secret for typing in."""

    secret: str
    uri: str
    qr_svg: str

    @property
    def grouped_secret(self) -> str:
        return totp.group_secret(self.secret)


# Keys ---------------------------------------------------------------------------------------

def _derived_key(purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"club-second-factor", info=purpose).derive(
        current_app.config["SECRET_KEY"].encode())


def _box() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derived_key(b"totp-secret")))


def _seal(secret: str) -> str:
    return _box().encrypt(secret.encode()).decode()


def _unseal(factor: SecondFactor) -> str | None:
    try:
        return _box().decrypt(factor.secret_encrypted.encode()).decode()
    except InvalidToken:
        log.error("second factor of user %s cannot be read (was SECRET_KEY changed?)", factor.user_id)
        return None


def _recovery_hash(raw: object) -> str | None:
    return totp.recovery_code_hash(_derived_key(b"recovery-codes"), raw)


# Reading ------------------------------------------------------------------------------------

def _factor(user: User) -> SecondFactor | None:
    return db.session.get(SecondFactor, user.id, populate_existing=True)


def is_enabled(user: User) -> bool:
    factor = _factor(user)
    return factor is not None and factor.enabled_at is not None


def enabled_user_ids(user_ids: list[int]) -> set[int]:
    if not user_ids:
        return set()
    return set(db.session.scalars(select(SecondFactor.user_id).where(
        SecondFactor.user_id.in_(user_ids), SecondFactor.enabled_at.is_not(None))))


def required_for(user: User) -> bool:
    """Staff must have a second factor (always in production; a setting elsewhere)."""
    config = current_app.config
    required = config.get("CLUB_ENV") == "production" or config.get("STAFF_SECOND_FACTOR_REQUIRED", False)
    return bool(required) and user.is_staff


def must_enrol(user: User) -> bool:
    return required_for(user) and not is_enabled(user)


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


# Enrolling ----------------------------------------------------------------------------------

def start_enrolment(user: User) -> Enrolment:
    """The secret to scan, kept (encrypted) until confirmed; reloading the page shows the same one."""
    factor = _factor(user)
    if factor is not None and factor.enabled_at is not None:
        raise SecondFactorError(_("Your second factor is already on."))
    secret = _unseal(factor) if factor is not None else None
    if secret is None:
        secret = totp.new_secret()
        if factor is None:
            db.session.add(SecondFactor(user_id=user.id, secret_encrypted=_seal(secret)))
        else:
            factor.secret_encrypted = _seal(secret)
        try:
            db.session.commit()
        except IntegrityError:  # the same page opened twice at once: use the one that won
            db.session.rollback()
            return start_enrolment(user)
    uri = totp.provisioning_uri(secret, user.email, settings.get("club_name") or totp.ISSUER)
    return Enrolment(secret=secret, uri=uri, qr_svg=totp.qr_svg(uri))


def confirm_enrolment(user: User, raw_code: object) -> list[str]:
    """Turn the factor on with a first code from the app; returns the recovery codes (shown once).

    Every other session of the person ends (they never proved the factor); the caller signs the
    current one in again.
    """
    factor = _factor(user)
    if factor is None or factor.enabled_at is not None:
        raise SecondFactorError(_("Start again: open the set-up page to get a QR code."))
    secret = _unseal(factor)
    check = totp.check_code(secret, raw_code, utcnow(), None) if secret else totp.CodeCheck(False)
    if not check.accepted:
        _log_failure(user, "enrolment")
        raise WrongCode(_("That code does not match. Check the app shows this account, and type the current code."))
    switched_on = db.session.execute(
        update(SecondFactor).where(SecondFactor.user_id == user.id, SecondFactor.enabled_at.is_(None))
        .values(enabled_at=utcnow(), last_used_step=check.step)).rowcount
    if not switched_on:  # a double submit: the first one turned it on
        db.session.rollback()
        raise SecondFactorError(_("Your second factor is already on."))
    codes = _replace_recovery_codes(user)
    user.end_all_sessions()
    audit.record("second_factor.enabled", actor=user, subject=user)
    db.session.commit()
    log.info("second factor turned on for user %s", user.id)
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    if not is_enabled(user):
        raise SecondFactorError(_("Turn on the second factor first."))
    codes = _replace_recovery_codes(user)
    audit.record("second_factor.recovery_codes_renewed", actor=user, subject=user)
    db.session.commit()
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(code)) for code in codes)
    db.session.flush()
    return codes


# Checking -----------------------------------------------------------------------------------

def verify(user: User, raw: object, purpose: str = "sign-in") -> str:
    """Check a code from the app or a recovery code; returns CODE or RECOVERY, raises WrongCode.

    Each is used up here, atomically: a code's time step moves ``last_used_step`` on with a
    conditional UPDATE, a recovery code is marked used only if it was not, so two requests racing
    with the same code cannot both pass.
    """
    factor = _factor(user)
    if factor is None or factor.enabled_at is None:
        raise WrongCode(_("There is no second factor on this account."))
    if totp.normalize_code(raw) is not None:
        secret = _unseal(factor)
        check = totp.check_code(secret, raw, utcnow(), factor.last_used_step) if secret else totp.CodeCheck(False)
        if check.accepted and db.session.execute(
                update(SecondFactor).where(SecondFactor.user_id == user.id, or_(
                    SecondFactor.last_used_step.is_(None), SecondFactor.last_used_step < check.step))
                .values(last_used_step=check.step)).rowcount:
            db.session.commit()
            return CODE
        db.session.rollback()
        _log_failure(user, purpose, replayed=check.replayed or check.accepted)
        raise WrongCode(_("That code has already been used: wait for the next one.") if check.replayed or check.accepted
                        else _("That code does not match. Type the six digits your app shows now."))
    code_hash = _recovery_hash(raw)
    if code_hash is not None and db.session.execute(
            update(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == code_hash,
                                       RecoveryCode.used_at.is_(None)).values(used_at=utcnow())).rowcount:
        left = recovery_codes_left(user)
        audit.record("second_factor.recovery_code_used", actor=user, subject=user, codes_left=left)
        db.session.commit()
        security_log.event("second_factor.recovery_code_used", user_id=user.id, purpose=purpose, codes_left=left)
        return RECOVERY
    db.session.rollback()
    _log_failure(user, purpose)
    raise WrongCode(_("That code does not match. Type the six digits your app shows now, or one of your recovery codes."))


def _log_failure(user: User, purpose: str, replayed: bool = False) -> None:
    security_log.second_factor_failed(user.id, reason=f"{purpose}: {'code replayed' if replayed else 'wrong code'}")


# Turning off and resetting ------------------------------------------------------------------

def _remove(user: User) -> bool:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    return bool(db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id)).rowcount)


def turn_off(user: User) -> None:
    """The person turns their own factor off (the view has checked their password or a code)."""
    if not _remove(user):
        db.session.rollback()
        raise SecondFactorError(_("Your second factor is already off."))
    user.end_all_sessions()
    audit.record("second_factor.disabled", actor=user, subject=user)
    db.session.commit()
    log.info("second factor turned off by user %s", user.id)


def reset_by_admin(person_id: int, admin: User) -> User:
    """An admin removes another person's second factor (a lost phone and no recovery codes).

    Every session of that person ends; a staff member is asked to enrol again at next sign-in.
    """
    person = db.session.get(User, person_id)
    if person is None or not person.is_active:
        raise SecondFactorError(_("That person could not be found; reload the page and try again."))
    if person.id == admin.id:
        raise SecondFactorError(_("Another admin must reset your own second factor; you can turn it off yourself."))
    if not _remove(person):
        db.session.rollback()
        raise SecondFactorError(_("%(name)s has no second factor to reset.", name=person.full_name))
    person.end_all_sessions()
    audit.record("second_factor.reset", actor=admin, subject=person)
    db.session.commit()
    security_log.event("second_factor.reset", user_id=person.id, by_admin=admin.id)
    return person


def reset_from_command_line(person: User) -> bool:
    """The server's operator removes a factor (the last admin locked out); audited without an actor."""
    removed = _remove(person)
    if removed:
        person.end_all_sessions()
        audit.record("second_factor.reset", subject=person, by="command line")
    db.session.commit()
    return removed
