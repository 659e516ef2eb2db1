"""A person's second factor (TOTP from an authenticator app) and their recovery codes. Owned by auth.

The TOTP secret is stored encrypted (``club.auth.totp``), never shown again once the factor is
confirmed; recovery codes are stored as keyed hashes and each works once.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from club.extensions import db
from club.models.base import UTCDateTime, utcnow


class SecondFactor(db.Model):
    """One authenticator per person. ``enabled_at`` is None while the person is still enrolling."""

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # The base32 secret, encrypted with a key derived from SECRET_KEY (Fernet token).
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The 30-second time step of the last accepted code: that code and older ones are refused.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
