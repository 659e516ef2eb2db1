"""What the club's voice holds about a person, and how it is erased (see ``club.core.erasure``)."""
from __future__ import annotations

from club.core import erasure
from club.core.erasure import Erasure
from club.extensions import db
from club.models.announcements import ProgrammeMailing

erasure.keep("announcements", "the club's notices to its members, written as the club, not about anyone; "
                              "the author's account is anonymised like any other")


@erasure.person_eraser("programme_mailings")
def erase_programme_mailings(user_id: int, how: Erasure) -> None:
    """Which months' programmes the person was sent: nothing worth keeping."""
    db.session.execute(db.delete(ProgrammeMailing).where(ProgrammeMailing.user_id == user_id))
