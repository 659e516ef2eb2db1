"""People and the roles granted to them. One person, one account."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from club.extensions import db
from club.models.base import UTCDateTime, utcnow

ROLE_CURATOR = "curator"
ROLE_ADMIN = "admin"
STAFF_ROLES = (ROLE_CURATOR, ROLE_ADMIN)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), index=True)  # the directory's order (issue 13)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Bumped to end every session of this person (logout, password change, suspension).
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the person reads the club in ("en", "ru"); their mail is written in it too.
    language: Mapped[str | None] = mapped_column(String(5))
    # Set when the person deletes their account: personal data is erased, the row stays
    # so that payments and the audit log keep pointing somewhere.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin",
        foreign_keys="UserRole.user_id"
    )

    # Flask-Login protocol -------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # The session version travels in the cookie; a mismatch logs the cookie out.
        return f"{self.id}:{self.session_version}"

    # Roles ----------------------------------------------------------------------------
    @property
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names.intersection(names))

    @property
    def is_admin(self) -> bool:
        return self.has_role(ROLE_ADMIN)

    @property
    def is_curator(self) -> bool:
        return self.has_role(ROLE_CURATOR)

    @property
    def is_staff(self) -> bool:
        return self.has_role(*STAFF_ROLES)

    def end_all_sessions(self) -> None:
        self.session_version = (self.session_version or 0) + 1

    def __repr__(self) -> str:  # pragma: no cover
        return f"<User {self.id} {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])


def new_secret() -> str:
    return secrets.token_urlsafe(24)
