"""The member's own side: requests to their curator (a thread each) and asks for another curator."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from club.extensions import db
from club.models.base import UTCDateTime, utcnow
from club.models.user import User


class CuratorRequest(db.Model):
    """Something a member asks of their curator; the conversation is its messages.

    ``state``: open → in_progress → done (see ``club.members.request_states``). The request
    belongs to the member; whoever is their curator now answers it, so a reassignment hands
    open requests over with the member.
    """

    __tablename__ = "curator_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member: Mapped[User] = relationship(foreign_keys=[member_id])
    messages: Mapped[list[RequestMessage]] = relationship(
        back_populates="request", order_by="RequestMessage.id", cascade="all, delete-orphan"
    )


class RequestMessage(db.Model):
    """One message in a request's thread, by the member or by staff."""

    __tablename__ = "request_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("curator_requests.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the member deleted their account and the text was erased.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    request: Mapped[CuratorRequest] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class CuratorChangeRequest(db.Model):
    """A member asks for another curator; the admin decides (and reassigns in curation)."""

    __tablename__ = "curator_change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The curator at the time of asking, so the admin sees whom the member wants to leave.
    curator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="open", index=True)  # open | done
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    member: Mapped[User] = relationship(foreign_keys=[member_id])
    curator: Mapped[User | None] = relationship(foreign_keys=[curator_id])


class MemberPhoto(db.Model):
    """A member's photo, re-encoded as a plain JPEG (``club.members.photos``), kept in the database
    so every app host serves it without a shared disk. ``MemberProfile.photo_filename`` names the
    current one by its ``key``."""

    __tablename__ = "member_photos"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AtRiskFollowUp(db.Model):
    """A curator handled one warning sign about a member (``club.members.at_risk``), with a note.

    A sign is identified by its kind and the moment it fired: handling hides that occurrence; the
    same sign firing again later (a new failed payment) shows again. The note is the curator's
    words about the member, erased with the member.
    """

    __tablename__ = "at_risk_follow_ups"
    __table_args__ = (db.UniqueConstraint("member_id", "signal", "fired_at", name="uq_at_risk_follow_ups_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    signal: Mapped[str] = mapped_column(String(30))  # see club.members.at_risk.SIGNALS
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)  # None once erased
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClubFeedback(db.Model):
    """A member's word to the club itself (to the admins), and its thread of answers.

    ``state``: open (the club's turn) → answered (the member's) → closed; a member writing again
    opens it again (see ``club.members.club_feedback_states``). The thread is the member's: erased
    with them (``club.members.erasure``).
    """

    __tablename__ = "club_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(20), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member: Mapped[User] = relationship(foreign_keys=[member_id])
    messages: Mapped[list[ClubFeedbackMessage]] = relationship(
        back_populates="thread", order_by="ClubFeedbackMessage.id", cascade="all, delete-orphan"
    )


class ClubFeedbackMessage(db.Model):
    """One message in a club feedback thread, by the member or by an admin."""

    __tablename__ = "club_feedback_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("club_feedback.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the member's account was deleted and the words erased.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    thread: Mapped[ClubFeedback] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class Introduction(db.Model):
    """Two members introduced by the club, double opt-in (``club.members.introductions``).

    A member asks (their curator is told) or a curator proposes; each side accepts or declines.
    ``state``: proposed → accepted_by_one → made | declined | withdrawn (``club.members.introduction_rules``).
    The pair is stored in id order (``member_a_id < member_b_id``) so one partial unique index
    keeps one introduction per pair that is not withdrawn: a double submit makes one, and a
    declined pair cannot be asked again. Nobody's contact details are stored here: they are read
    from the account and profile once the state is ``made``.
    """

    __tablename__ = "introductions"
    __table_args__ = (
        db.CheckConstraint("member_a_id < member_b_id", name="pair_in_order"),
        db.Index("uq_introductions_pair", "member_a_id", "member_b_id", unique=True,
                 sqlite_where=db.text("state <> 'withdrawn'"), postgresql_where=db.text("state <> 'withdrawn'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_a_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    member_b_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "asked" by a member | "proposed" by staff
    # Who started it: the member who asked, or the curator (or admin) who proposed.
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The curator it goes through: the asker's curator, or the staff who proposed it.
    curator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    a_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    b_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The asker's few words to the other side (and the curator's, for a proposal); erased with the pair.
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # made, declined or withdrawn

    member_a: Mapped[User] = relationship(foreign_keys=[member_a_id])
    member_b: Mapped[User] = relationship(foreign_keys=[member_b_id])
    asked_by: Mapped[User | None] = relationship(foreign_keys=[asked_by_id])
