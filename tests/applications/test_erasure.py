"""Erasing a person reaches their address in other people's rows, not only their own."""
from __future__ import annotations

import json

from club.extensions import db
from club.models.applications import Application, Invitation
from tests.curation.factories import make_application
from tests.factories import PASSWORD, login, make_member

GONE = "mia.gone@example.org"


# The goodbye mail to the erased address waits in the outbox until it is sent (club.core.outbox).
LEGITIMATELY_HOLDING = {"mail_outbox"}


def _every_value_in_the_database() -> str:
    """Every row of every table, as one string (JSON columns included), to look for an address."""
    rows = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in LEGITIMATELY_HOLDING:
                continue
            rows.extend(json.dumps(list(map(str, row))) for row in conn.execute(table.select()))
    return "\n".join(rows).lower()


def test_deleting_an_account_erases_the_address_from_other_applicants_lists_and_invitations(client, ctx):
    member = make_member(email=GONE, name="Mia Gone")
    asking = make_application(state="submitted", name="Bea Asking")
    asking.endorsers_asked = ["first@example.org", GONE, "last@example.org"]
    other = make_application(state="submitted", name="Cal Other")
    other.endorsers_asked = ["mia.gone@example.org.uk"]  # a different address that merely starts the same
    # An old invitation once sent to her address, expired before she joined another way.
    old = Invitation(inviter_id=asking.invitation.inviter_id, email=GONE, note="Mia, you'd love it",
                     expires_at=asking.submitted_at)
    db.session.add(old)
    db.session.commit()
    assert GONE in _every_value_in_the_database()

    login(client, member)
    assert client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"}).status_code == 302

    db.session.expire_all()
    asked = db.session.get(Application, asking.id).endorsers_asked
    # Her address is replaced in place: the list keeps its length, so the applicant's count of asks stays.
    assert asked == ["first@example.org", f"deleted-{member.id}@deleted.invalid", "last@example.org"]
    assert db.session.get(Application, other.id).endorsers_asked == ["mia.gone@example.org.uk"]
    invitation = db.session.get(Invitation, old.id)
    assert invitation.email == f"deleted-{member.id}@deleted.invalid" and invitation.note is None
    # Nowhere in the database, in any table, except as part of the unrelated longer address.
    assert GONE not in _every_value_in_the_database().replace("mia.gone@example.org.uk", "")


def test_the_address_is_found_whatever_its_case(ctx):
    from club.core import erasure

    member = make_member(email="Zed.Case@Example.org")
    asking = make_application(state="submitted")
    asking.endorsers_asked = ["zed.case@example.org", "someone@example.org"]
    db.session.commit()
    erasure.erase_person(member.id)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Application, asking.id).endorsers_asked == [
        f"deleted-{member.id}@deleted.invalid", "someone@example.org"]
