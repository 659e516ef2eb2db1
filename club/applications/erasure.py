"""What applications hold about a person, and how it is erased (see ``club.core.erasure``)."""
from __future__ import annotations

import json

from club.core import erasure
from club.core.erasure import Erasure
from club.extensions import db
from club.models.applications import Application, Endorsement, Invitation


@erasure.application_eraser("applications", "endorsements", "invitations")
def erase_application(application_id: int, how: Erasure) -> None:
    """Erase an applicant's personal data from their application, keeping what statistics need.

    Kept: state, dates, inviter, endorsement count, the cool-down hash (elsewhere). Erased: the
    answers, the email (also on the invitation, which was addressed to it), the inviter's note,
    the endorsers' sentences about the person, and the emails they asked for endorsements.
    """
    application = db.session.get(Application, application_id)
    if application is None:
        return
    application.full_name = how.name
    application.email = f"erased-application-{application.id}@erased.invalid"
    application.city = application.occupation = application.company = None
    application.motivation = application.contribution = None
    application.links, application.interests, application.languages = [], [], []
    application.endorsers_asked = []
    application.erased_at = how.now
    application.invitation.email = application.email
    application.invitation.note = None
    db.session.execute(db.update(Endorsement).where(Endorsement.application_id == application.id)
                       .values(statement=None))


@erasure.person_eraser("applications", "endorsements", "invitations")
def erase_person(user_id: int, how: Erasure) -> None:
    """The person's own applications, what they wrote about others, the notes of their invites,
    and their address wherever other people's rows hold it."""
    own = db.session.execute(db.select(Application.id, Application.email).where(Application.user_id == user_id)).all()
    addresses = {email.strip().lower() for email in (*how.emails, *(row.email for row in own)) if email}
    for application_id, _email in own:
        erasure.erase_application(application_id, how)
    db.session.execute(db.update(Endorsement).where(Endorsement.endorser_id == user_id).values(statement=None))
    db.session.execute(db.update(Invitation).where(Invitation.inviter_id == user_id).values(note=None))
    _forget_address(addresses, how.placeholder_email(user_id))


def _forget_address(addresses: set[str], placeholder: str) -> None:
    """Other people's rows that hold the person's address: applicants' lists of endorsers asked,
    and invitations sent to it that never became an application of theirs.

    In a list the address becomes the placeholder, so the applicant's count of asks stays.
    """
    if not addresses:
        return
    as_text = db.cast(Application.endorsers_asked, db.Text)
    maybe = db.or_(*(as_text.contains(json.dumps(address), autoescape=True) for address in addresses))
    for application in db.session.scalars(db.select(Application).where(maybe)):
        asked = list(application.endorsers_asked or [])
        kept = [placeholder if str(email).strip().lower() in addresses else email for email in asked]
        if kept != asked:
            application.endorsers_asked = kept
    invitations = db.select(Invitation).where(db.func.lower(Invitation.email).in_(sorted(addresses)))
    for invitation in db.session.scalars(invitations):
        invitation.email, invitation.note = placeholder, None


erasure.keep("email_cooldowns", "a keyed hash of an address, no personal data in the clear")
