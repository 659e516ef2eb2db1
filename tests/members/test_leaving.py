"""Leaving: cancellation per payment kind, bookings released, and deletion that keeps the books."""
import io
from datetime import date, timedelta

import pytest

from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.core.passwords import hash_password
from club.models.base import utcnow
from club.models.club import AuditEntry
from club.models.membership import MemberProfile, Membership
from club.models.user import User
from club.models.billing import Payment
from club.models.events import BOOKING_CONFIRMED, BOOKING_RELEASED, BOOKING_WAITLISTED, Booking
from club.models.members import CuratorRequest, MemberPhoto, RequestMessage
from tests.billing.conftest import fake_stripe, stripe_on  # noqa: F401  (fixtures)
from tests.billing.factories import make_stripe_member
from tests.events.factories import make_event, seat
from tests.factories import PASSWORD, login, make_curator, make_member
from tests.members.factories import image_bytes, make_request


def _leave(client, reason="Moving abroad"):
    return client.post("/me/leave", data={"reason": reason, "confirm": "y"})


def test_complimentary_without_an_end_date_ends_at_once_and_releases_bookings(client, ctx):
    member = make_member(kind="complimentary")
    waiting = make_member()
    event = make_event(capacity=1)
    seat(event, member)
    seat(event, waiting, state=BOOKING_WAITLISTED)
    login(client, member)
    r = _leave(client)
    assert r.status_code == 302
    db.session.expire_all()
    assert membership_of(member).state == states.ENDED
    bookings = {b.user_id: b.state for b in db.session.scalars(db.select(Booking))}
    assert bookings == {member.id: BOOKING_RELEASED, waiting.id: BOOKING_CONFIRMED}
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "membership.state_changed")).all()
    # the member's own words stay off the append-only audit log, so deletion can erase them
    assert entry[-1].details["reason"] == "member cancelled"
    assert "Moving abroad" not in str([e.details for e in db.session.scalars(db.select(AuditEntry))])
    assert membership_of(member).leave_reason == "Moving abroad"


def test_offline_with_a_paid_period_runs_to_its_end(client, ctx):
    member = make_member(kind="offline")
    membership = membership_of(member)
    membership.current_period_end = utcnow() + timedelta(days=20)
    db.session.commit()
    before_end = make_event("Before the end", starts_in=timedelta(days=5))
    seat(before_end, member)
    login(client, member)
    r = _leave(client)
    assert r.status_code == 302
    db.session.expire_all()
    assert membership_of(member).state == states.CANCELLING
    # Access lasts to the end of the period, and so does the booking inside it.
    assert db.session.scalars(db.select(Booking)).one().state == BOOKING_CONFIRMED
    assert client.get("/members").status_code == 200


def test_stripe_cancels_at_period_end_through_stripe(client, ctx, stripe_on):  # noqa: F811
    member, membership, sub = make_stripe_member(stripe_on)
    login(client, member)
    r = _leave(client)
    assert r.status_code == 302
    call = stripe_on.calls("POST", f"/v1/subscriptions/{sub['id']}")[-1]
    assert call.params == {"cancel_at_period_end": "true"}
    db.session.expire_all()
    assert membership_of(member).state == states.CANCELLING


def test_leaving_needs_the_confirmation_box(client, ctx):
    member = make_member()
    login(client, member)
    r = client.post("/me/leave", data={"reason": "typed reason"})
    assert r.status_code == 400 and "typed reason" in r.get_data(as_text=True)
    assert membership_of(member).state == states.ACTIVE


def test_a_lapsed_member_has_nothing_to_cancel(client, ctx):
    login(client, make_member(state="lapsed"))
    assert "There is nothing to cancel now." in client.get("/me/leave").get_data(as_text=True)


def test_deleting_needs_the_password(client, ctx):
    member = make_member()
    login(client, member)
    r = client.post("/me/delete", data={"password": "not my password", "confirm": "y"})
    assert r.status_code == 400 and "That password is not right." in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, member.id).deleted_at is None


def test_deleting_erases_personal_data_and_keeps_the_books(app, client, ctx, outbox):
    curator = make_curator()
    member = make_member(curator=curator, kind="offline", name="Margot Ellery", email="margot@example.org",
                         city="London", interests=["wine"])
    membership = membership_of(member)
    db.session.add(Payment(membership_id=membership.id, source="offline", amount_cents=15000, currency="eur",
                           paid_on=date(2026, 10, 1), reference="REF-1"))
    db.session.commit()
    event = make_event()
    seat(event, member)
    thread = make_request(member, body="Please introduce me to the sommelier.")
    login(client, member)
    client.post("/me/photo", data={"photo": (io.BytesIO(image_bytes()), "me.jpg")},
                content_type="multipart/form-data")
    photo = db.session.get(MemberProfile, member.id).photo_filename
    assert photo

    r = client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"})
    assert r.status_code == 302
    db.session.expire_all()

    user = db.session.get(User, member.id)
    assert user.email == f"deleted-{member.id}@deleted.invalid" and user.full_name == "Former member"
    assert user.password_hash is None and user.deleted_at is not None
    profile = db.session.get(MemberProfile, member.id)
    assert (profile.city, profile.bio, profile.interests, profile.photo_filename) == (None, None, [], None)
    assert profile.directory_listed is False
    assert db.session.get(MemberPhoto, photo) is None
    assert membership_of(user).state == states.ENDED
    assert db.session.scalars(db.select(Booking)).one().state == BOOKING_RELEASED
    messages = db.session.scalars(db.select(RequestMessage).where(RequestMessage.request_id == thread.id)).all()
    assert messages and all(m.body == "" and m.erased_at for m in messages)
    assert db.session.get(CuratorRequest, thread.id).state == "done"
    # The books and the log stay, without the name.
    assert db.session.scalars(db.select(Payment)).one().amount_cents == 15000
    actions = [e.action for e in db.session.scalars(db.select(AuditEntry))]
    assert "account.deleted" in actions and "membership.state_changed" in actions
    assert "Margot" not in str([e.details for e in db.session.scalars(db.select(AuditEntry))])
    # Signed out everywhere, and the old password no longer works.
    assert client.get("/me").status_code == 302
    assert client.post("/login", data={"email": "margot@example.org", "password": PASSWORD}).status_code == 401
    assert "Your account is deleted" in outbox.to("margot@example.org")[-1]["Subject"]


def test_staff_accounts_are_not_deleted_here(client, ctx):
    curator = make_curator()
    login(client, curator)
    r = client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"})
    assert r.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, curator.id).deleted_at is None


@pytest.mark.parametrize("path", ["/me/leave", "/me/delete"])
def test_leaving_pages_need_a_sign_in(client, path):
    r = client.get(path)
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_deletion_tells_other_features_so_they_can_erase_their_own_records(client, ctx):
    from club.core.signals import account_deleted

    member = make_member()
    heard = []

    def receiver(_sender, user_id, **_kw):
        heard.append(user_id)

    account_deleted.connect(receiver)
    try:
        login(client, member)
        client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"})
    finally:
        account_deleted.disconnect(receiver)
    assert heard == [member.id]


def test_deletion_erases_curators_notes_and_the_invitation_addressed_to_the_member(client, ctx):
    from club.models.applications import Application, Invitation
    from club.models.curation import MemberNote
    from tests.curation.factories import make_application

    curator = make_curator()
    application = make_application(state="approved", email="leaving.soon@example.org", name="Lea Ving")
    member = db.session.get(User, application.user_id)
    db.session.add(Membership(user_id=member.id, state="active", kind="complimentary", curator_id=curator.id))
    db.session.add(MemberNote(member_id=member.id, author_id=curator.id, body="Prefers quiet dinners."))
    db.session.commit()
    member.password_hash = hash_password(PASSWORD)
    db.session.commit()

    login(client, member)
    assert client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(MemberNote)) == 0
    invitation = db.session.get(Invitation, application.invitation_id)
    assert "leaving.soon" not in invitation.email
    assert "leaving.soon" not in db.session.get(Application, application.id).email


def test_deletion_erases_the_leaving_reason_feedback_words_and_review_comments(client, ctx):
    from datetime import timedelta

    from club.models.curation import Review
    from club.models.events import EventFeedback
    from tests.curation.factories import make_application

    curator = make_curator()
    application = make_application(state="approved")
    member = db.session.get(User, application.user_id)
    member.password_hash = hash_password(PASSWORD)
    db.session.add(Membership(user_id=member.id, state="active", kind="complimentary", curator_id=curator.id))
    db.session.add(Review(application_id=application.id, curator_id=curator.id, score=4, comment="Knows Ana well"))
    event = make_event(capacity=5, starts_in=timedelta(days=-2))
    db.session.add(EventFeedback(event_id=event.id, user_id=member.id, rating=5, comment="Loved the talk, said Ana"))
    db.session.commit()

    login(client, member)
    assert _leave(client, reason="My health, privately").status_code == 302
    assert client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"}).status_code == 302
    assert membership_of(member).leave_reason is None
    feedback = db.session.scalars(db.select(EventFeedback)).one()
    assert feedback.rating == 5 and feedback.comment == ""
    review = db.session.scalars(db.select(Review)).one()
    assert review.score == 4 and review.comment is None
