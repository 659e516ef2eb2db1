"""Applications for curation tests, inserted directly (the applications feature builds the real flow)."""
from __future__ import annotations

import itertools
from datetime import timedelta

from club.extensions import db
from club.models.applications import Application, Endorsement, Invitation
from club.models.base import utcnow
from club.models.user import User
from tests.factories import make_member, make_user

_seq = itertools.count(1)


def make_application(inviter: User | None = None, *, endorsers: list[User] | None = None, endorsements: int | None = None,
                     state: str = "submitted", with_account: bool = True, submitted_days_ago: int = 3,
                     city: str | None = "London", interests=("books", "wine"), languages=("English",),
                     name: str | None = None, **fields) -> Application:
    """An application by a new person, invited by ``inviter`` (a new member by default).

    ``endorsements`` is the number of endorsements; the inviter endorses first, then fresh members
    (or the given ``endorsers``).
    """
    n = next(_seq)
    inviter = inviter or make_member()
    now = utcnow()
    email = fields.pop("email", None) or f"applicant{n}@example.org"
    full_name = name or f"Applicant {n}"
    applicant = make_user(email=email, name=full_name) if with_account else None
    invitation = Invitation(inviter_id=inviter.id, email=email, created_at=now - timedelta(days=submitted_days_ago + 2),
                            expires_at=now + timedelta(days=14), used_at=now - timedelta(days=submitted_days_ago))
    db.session.add(invitation)
    db.session.flush()
    application = Application(
        invitation_id=invitation.id, user_id=applicant.id if applicant else None, state=state, full_name=full_name,
        email=email, city=city, occupation=fields.pop("occupation", "Architect"), company=fields.pop("company", "Studio North"),
        links=fields.pop("links", ["https://example.org/portfolio"]), interests=list(interests), languages=list(languages),
        motivation=fields.pop("motivation", "I want good conversation and quiet rooms."),
        contribution=fields.pop("contribution", "I can host an evening on small buildings."),
        submitted_at=now - timedelta(days=submitted_days_ago), **fields,
    )
    db.session.add(application)
    db.session.flush()
    wanted = endorsements if endorsements is not None else 2
    people = [inviter] + list(endorsers or [])
    while len(people) < wanted:
        people.append(make_member())
    for person in people[:wanted]:
        db.session.add(Endorsement(application_id=application.id, endorser_id=person.id, state="endorsed",
                                   statement=f"{person.full_name} vouches: a generous host.", answered_at=now))
    application.endorsement_count = wanted
    db.session.commit()
    return application


def decide_by_form(client, application, outcome, reason="Strong endorsements and a clear contribution.", **extra):
    """Post the decision form of ``application`` as the logged-in curator."""
    data = {"decision-outcome": outcome, "decision-reason": reason}
    data.update({f"decision-{k}": v for k, v in extra.items()})
    return client.post(f"/curation/applications/{application.id}/decision", data=data)


def fresh(application):
    """The application as the database holds it now."""
    db.session.expire_all()
    return db.session.get(Application, application.id)


class QueryCounter:
    """Counts the SQL statements run while it is active (Flask-SQLAlchemy's engine)."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)
