"""Members at risk: each warning sign worked out on a hand-built club, handling with a note, who
sees whom, the page, and the curator's weekly summary."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from club.extensions import db
from club.members import at_risk
from club.membership import states
from club.models.base import utcnow
from club.models.billing import BillingReminder, Payment
from club.models.club import OutboxMail
from club.models.events import ATTENDED, EventFeedback
from club.models.members import AtRiskFollowUp, CuratorRequest, RequestMessage
from club.models.membership import Membership
from tests.factories import count_queries, login, make_admin, make_curator, make_member
from tests.metrics.factories import booking, member, past_event

NOW = utcnow()
D = timedelta(days=1)


@pytest.mark.parametrize("joined_days_ago, last_days_ago, fires_days_ago", [
    (100, 70, 10),     # 60 days after the last evening
    (100, 10, -50),    # in 50 days
    (20, None, -10),   # new: not before their 30th day
    (40, None, 10),    # 30 days in, never came
    (45, 44, -16),     # came on their second day: 60 days after that evening, later than day 30
])
def test_no_evenings_fires_after_60_quiet_days_once_past_the_first_30(joined_days_ago, last_days_ago, fires_days_ago):
    joined = NOW - joined_days_ago * D
    last = NOW - last_days_ago * D if last_days_ago is not None else None
    assert at_risk.quiet_since(joined, last) == NOW - fires_days_ago * D


def test_quiet_since_needs_a_join_date():
    assert at_risk.quiet_since(None, None) is None


def _member(curator, name, *, state=states.ACTIVE, came_days_ago=5):
    person = member(300, state=state, curator=curator, name=name, email=f"{name.lower()}@example.org")
    if came_days_ago is not None:
        booking(past_event(came_days_ago, capacity=10, seats_taken=1, title=f"Evening of {name}"), person, ATTENDED)
    db.session.commit()
    return person


def _failed_payment(person, days_ago, occasion="2026-01-01"):
    membership = db.session.scalar(select(Membership).where(Membership.user_id == person.id))
    db.session.add(BillingReminder(membership_id=membership.id, kind="payment_failed", occasion=occasion,
                                   sent_at=utcnow() - days_ago * D))
    return membership


def _request(person, days_ago, *, answered_by=None):
    at = utcnow() - days_ago * D
    thread = CuratorRequest(member_id=person.id, topic="other", state="open", created_at=at, updated_at=at)
    thread.messages.append(RequestMessage(author_id=person.id, body="Could you help?", created_at=at))
    if answered_by is not None:
        thread.messages.append(RequestMessage(author_id=answered_by.id, body="Of course.", created_at=at + D))
    db.session.add(thread)


def _club():
    """Curator Clara's members, one per sign and one of each near miss; and Oscar's member."""
    clara, oscar = make_curator(name="Clara", email="clara@example.org"), make_curator(name="Oscar", email="oscar@example.org")
    quiet = _member(clara, "Quiet", came_days_ago=70)
    _member(clara, "Regular")  # came 5 days ago: nothing
    failed = _member(clara, "Failed")
    _failed_payment(failed, 5)
    paid = _member(clara, "Paid")
    membership = _failed_payment(paid, 10)
    db.session.add(Payment(membership_id=membership.id, source="stripe", amount_cents=100, currency="eur",
                           paid_on=(utcnow() - 8 * D).date(), created_at=utcnow() - 8 * D))
    unhappy = _member(clara, "Unhappy")
    evening = past_event(4, capacity=10, seats_taken=2, title="Supper")
    db.session.add(EventFeedback(event_id=evening.id, user_id=unhappy.id, rating=2, created_at=utcnow() - 3 * D))
    content = _member(clara, "Content")
    db.session.add(EventFeedback(event_id=evening.id, user_id=content.id, rating=3, created_at=utcnow() - 3 * D))
    waiting = _member(clara, "Waiting")
    _request(waiting, 8)
    answered = _member(clara, "Answered")
    _request(answered, 8, answered_by=clara)
    _request(_member(clara, "Recent"), 2)  # asked 2 days ago: not yet
    cancelling = _member(clara, "Cancelling", state=states.CANCELLING)
    _member(clara, "Gone", state=states.ENDED, came_days_ago=None)  # not a member now: never listed
    theirs = _member(oscar, "Theirs", came_days_ago=200)
    db.session.commit()
    return {"clara": clara, "oscar": oscar, "quiet": quiet, "failed": failed, "unhappy": unhappy,
            "waiting": waiting, "cancelling": cancelling, "theirs": theirs}


def _signs(rows):
    return {(r.name, s.signal) for r in rows for s in r.signs}


def test_each_sign_fires_for_its_member_and_no_near_miss_does(ctx):
    club = _club()
    assert _signs(at_risk.members_at_risk(club["clara"])) == {
        ("Quiet", "no_evenings"), ("Failed", "failed_payment"), ("Unhappy", "low_rating"),
        ("Waiting", "unanswered_request"), ("Cancelling", "cancelled")}


def test_the_dates_are_when_each_sign_fired(ctx):
    club = _club()
    fired = {r.name: r.signs[0].fired_at for r in at_risk.members_at_risk(club["clara"])}
    assert abs(fired["Quiet"] - (utcnow() - 10 * D)) < timedelta(minutes=1)
    assert abs(fired["Waiting"] - (utcnow() - 1 * D)) < timedelta(minutes=1)
    assert abs(fired["Failed"] - (utcnow() - 5 * D)) < timedelta(minutes=1)


def test_a_curator_sees_only_their_members_and_an_admin_everyones(ctx):
    club = _club()
    assert ("Theirs", "no_evenings") not in _signs(at_risk.members_at_risk(club["clara"]))
    assert _signs(at_risk.members_at_risk(club["oscar"])) == {("Theirs", "no_evenings")}
    everyone = _signs(at_risk.members_at_risk(make_admin()))
    assert ("Theirs", "no_evenings") in everyone and ("Quiet", "no_evenings") in everyone
    with pytest.raises(at_risk.AtRiskError):
        at_risk.members_at_risk(make_member())


def test_handling_hides_that_occurrence_until_the_sign_fires_again(ctx):
    club = _club()
    clara = club["clara"]
    sign = next(s for r in at_risk.members_at_risk(clara) if r.name == "Failed" for s in r.signs)
    first = at_risk.mark_handled(clara, club["failed"], sign.signal, sign.fired_at, "Called; card replaced.")
    again = at_risk.mark_handled(clara, club["failed"], sign.signal, sign.fired_at, "A second click")
    db.session.commit()
    assert first.id == again.id and first.note == "Called; card replaced."
    assert ("Failed", "failed_payment") not in _signs(at_risk.members_at_risk(clara))
    _failed_payment(club["failed"], 1, occasion="2026-02-01")  # it failed again
    db.session.commit()
    assert ("Failed", "failed_payment") in _signs(at_risk.members_at_risk(clara))


def test_a_curator_cannot_handle_someone_elses_member(ctx):
    club = _club()
    with pytest.raises(at_risk.AtRiskError):
        at_risk.mark_handled(club["oscar"], club["quiet"], "no_evenings", utcnow(), "")
    with pytest.raises(at_risk.AtRiskError):
        at_risk.mark_handled(club["clara"], club["quiet"], "made_up", utcnow(), "")


def test_the_list_costs_the_same_statements_whatever_the_size(ctx):
    club = _club()
    with count_queries() as small:
        at_risk.members_at_risk(club["clara"])
    for i in range(12):
        person = _member(club["clara"], f"More{i}", came_days_ago=80)
        _request(person, 9)
        _failed_payment(person, 2)
    db.session.commit()
    with count_queries() as big:
        at_risk.members_at_risk(club["clara"])
    assert len(big) == len(small)


# -- the page ----------------------------------------------------------------------------------

def test_the_curator_follows_a_member_up_from_the_page(client, ctx):
    club = _club()
    login(client, club["clara"])
    page = client.get("/curation/at-risk").get_data(as_text=True)
    assert "Quiet" in page and "No evening attended in 60 days" in page and "Theirs" not in page
    sign = next(s for r in at_risk.members_at_risk(club["clara"]) if r.name == "Quiet" for s in r.signs)
    answer = client.post("/curation/at-risk/handled", data={
        "member_id": club["quiet"].id, "signal": "no_evenings", "fired_at": sign.fired_at.isoformat(),
        "note": "Invited her to the wine supper."}, follow_redirects=True)
    assert "Marked as handled for Quiet." in answer.get_data(as_text=True)
    assert db.session.scalar(select(AtRiskFollowUp.note)) == "Invited her to the wine supper."


def test_a_long_note_gets_a_field_error_and_keeps_what_was_typed(client, ctx):
    club = _club()
    login(client, club["clara"])
    sign = next(s for r in at_risk.members_at_risk(club["clara"]) if r.name == "Quiet" for s in r.signs)
    answer = client.post("/curation/at-risk/handled", data={
        "member_id": club["quiet"].id, "signal": "no_evenings", "fired_at": sign.fired_at.isoformat(),
        "note": "x" * 2001 + "KEPT"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and 'aria-invalid="true"' in page and "KEPT" in page
    assert db.session.scalar(select(func.count()).select_from(AtRiskFollowUp)) == 0


@pytest.mark.parametrize("data", [
    {"member_id": "1", "signal": "crowned", "fired_at": "2026-01-01T00:00:00+00:00"},
    {"member_id": "1", "signal": "no_evenings", "fired_at": "yesterday"},
    {"member_id": "x", "signal": "no_evenings", "fired_at": "2026-01-01T00:00:00+00:00"},
])
def test_tampered_hidden_fields_are_refused(client, ctx, data):
    club = _club()
    login(client, club["clara"])
    assert client.post("/curation/at-risk/handled", data=data).status_code == 400


def test_members_may_not_see_who_is_at_risk(client, ctx):
    login(client, make_member())
    assert client.get("/curation/at-risk").status_code == 403


# -- the weekly summary ------------------------------------------------------------------------

def test_each_curator_gets_their_weeks_signs_in_their_language(ctx, outbox):
    club = _club()
    club["clara"].language = "ru"
    make_curator(name="Idle", email="idle@example.org")  # no members: no mail
    db.session.commit()
    # Clara only: Oscar's one sign fired months ago (nothing new), Idle has no members.
    assert at_risk.send_weekly_summaries() == 1
    rows = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    clara = next(r for r in rows if "clara@" in r.recipients)
    assert clara.language == "ru" and "Waiting" in clara.body and "Failed" in clara.body
    assert "Quiet" not in clara.body  # fired 10 days ago: not new this week
    assert "/curation/at-risk" in clara.body and "Ваши члены клуба на этой неделе" in clara.subject
    assert not any("idle@" in r.recipients or "oscar@" in r.recipients for r in rows)
