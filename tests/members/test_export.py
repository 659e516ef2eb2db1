"""/me/export: everything the club stores about the member, and nothing about anyone else."""
import json
from datetime import date

from club.extensions import db
from club.members import requests_service
from club.membership.access import membership_of
from club.models.membership import Membership, MemberProfile
from club.models.billing import Payment
from club.models.curation import MemberNote, Review
from tests.applications.factories import make_application, make_club_member
from tests.events.factories import make_event, seat
from tests.factories import login, make_curator
from tests.members.factories import make_listed_member, make_request


def _member_with_a_history():
    """An applicant turned member, with a booking, a request thread, a payment and notes about them."""
    curator = make_curator(name="Julian Marsh")
    user, application, _invitation = make_application(email="ada@example.net")
    db.session.add(Membership(user_id=user.id, state="active", kind="offline", curator_id=curator.id))
    profile = db.session.get(MemberProfile, user.id) or MemberProfile(user_id=user.id)
    profile.city, profile.bio, profile.interests, profile.languages = "Bristol", "I bind books.", ["books"], ["English"]
    db.session.add(profile)
    db.session.flush()
    membership = membership_of(user)
    db.session.add(Payment(membership_id=membership.id, source="offline", amount_cents=15000, currency="eur",
                           paid_on=date(2026, 10, 1), reference="TRANSFER-ADA-01"))
    db.session.add(MemberNote(member_id=user.id, author_id=curator.id, body="CURATOR-ONLY: prefers quiet corners"))
    db.session.add(Review(application_id=application.id, curator_id=curator.id, score=5,
                          comment="REVIEW-ONLY: a superb candidate"))
    db.session.commit()
    seat(make_event("Binding Evening"), user, guests=1)
    thread = make_request(user, topic="introduction", body="Please introduce me to a printer.")
    requests_service.staff_answers(curator, thread.id, "Meet Theo on Thursday.")
    return user, curator


def test_export_holds_everything_about_the_member(client, ctx):
    user, curator = _member_with_a_history()
    login(client, user, password="a long applicant password")
    r = client.get("/me/export")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert r.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(r.get_data(as_text=True))
    assert data["account"]["email"] == "ada@example.net"
    assert data["membership"]["state"] == "active" and data["membership"]["curator"] == "Julian Marsh"
    assert data["profile"]["city"] == "Bristol" and data["profile"]["directory"]["listed"] is False
    assert data["applications"][0]["motivation"].startswith("m") and data["applications"][0]["full_name"] == "Ada Quill"
    assert data["bookings"][0]["event"] == "Binding Evening" and data["bookings"][0]["guests"] == 1
    messages = data["requests_to_curator"][0]["messages"]
    assert [m["text"] for m in messages] == ["Please introduce me to a printer.", "Meet Theo on Thursday."]
    assert messages[0]["from"] == "you" and messages[1]["from"] == "Julian Marsh"
    assert data["payments"][0]["amount_cents"] == 15000 and data["payments"][0]["reference"] == "TRANSFER-ADA-01"
    assert data["rules_accepted"] and data["rules_accepted"][0]["rules_version"]


def test_export_holds_nothing_of_other_people_nor_staff_notes(client, ctx):
    user, curator = _member_with_a_history()
    other = make_club_member(name="Zed Otherperson", email="zed@example.org", curator=curator)
    other_profile = db.session.get(MemberProfile, other.id)
    other_profile.city, other_profile.bio = "Othertown", "OTHER-BIO"
    db.session.commit()
    make_request(other, body="OTHER-REQUEST: a private matter")
    seat(make_event("Other Evening"), other)
    login(client, user, password="a long applicant password")
    text = client.get("/me/export").get_data(as_text=True)
    for secret in ("CURATOR-ONLY", "REVIEW-ONLY", "Zed Otherperson", "zed@example.org", "Othertown", "OTHER-BIO",
                   "OTHER-REQUEST", "Other Evening", curator.email, "invitee@example.net"):
        assert secret not in text, secret
    # The inviter is another member: their name is not part of this member's data.
    data = json.loads(text)
    assert "score" not in text and "comment" not in json.dumps(data["applications"])


def test_export_needs_a_sign_in_and_serves_only_the_signed_in_person(client, ctx):
    assert client.get("/me/export").status_code == 302
    a = make_listed_member(name="Alpha Person")
    b = make_listed_member(name="Beta Person")
    login(client, a)
    text = client.get("/me/export").get_data(as_text=True)
    assert "Alpha Person" in text and "Beta Person" not in text and str(b.email) not in text
