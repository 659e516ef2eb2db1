"""The club's voice (``club.announcements``): announcements staff post for members, and the record of
each member's monthly programme mail (one row per member and month, so it goes once)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from club.extensions import db
from club.models.base import UTCDateTime, utcnow
from club.models.user import User


class Announcement(db.Model):
    """A notice from the club to its members: written by an admin or a curator, shown on home."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # plain text; addresses become links when shown
    pinned: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class ProgrammeMailing(db.Model):
    """This member's programme for this month has been sent: the claim that makes it go once."""

    __tablename__ = "programme_mailings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the first day of the month it covers
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
