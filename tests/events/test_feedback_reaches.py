"""Feedback that reaches someone: each rating and comment is mailed to the evening's host and the
attendee's curator (each in their language, once), both can read it on a page, and a low rating
tells the curator of the follow-up on members at risk."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from club.events import feedback, feedback_notices
from club.events.errors import EventError
from club.extensions import db
from club.members import at_risk
from club.models.club import AuditEntry as Audit, OutboxMail
from club.models.events import EventFeedback
from tests.events.factories import make_event, seat
from tests.factories import count_queries, login, make_curator, make_member


def _evening(host=None, title="Wine by the river"):
    """An evening that ended an hour ago (nobody was checked in, so every confirmed seat may rate)."""
    return make_event(title, starts_in=timedelta(hours=-4), hours=3, host=host)


def _mails(template: str) -> list[OutboxMail]:
    return list(db.session.scalars(db.select(OutboxMail).where(OutboxMail.template == template)
                                   .order_by(OutboxMail.id)))


def _set_language(user, language: str):
    user.language = language
    db.session.commit()
    return user


@pytest.mark.parametrize("rating, low", [(1, True), (2, True), (3, False), (4, False), (5, False)])
def test_a_rating_of_one_or_two_is_low(rating, low):
    assert feedback_notices.is_low(rating) is low


def test_host_and_curator_each_get_a_mail_in_their_language_with_the_words(client, ctx, outbox):
    curator = _set_language(make_curator(), "ru")
    host = _set_language(make_curator(), "en")
    member = make_member(curator=curator, name="Anna Pavlova")
    event = _evening(host=host)
    seat(event, member)

    login(client, member)
    r = client.post(f"/events/{event.id}/feedback", data={"rating": "4", "comment": "The cellar was a delight."})
    assert r.status_code == 302

    to_curator, to_host = outbox.to(curator.email), outbox.to(host.email)
    assert len(to_curator) == 1 and len(to_host) == 1
    curator_text, host_text = to_curator[0].get_content(), to_host[0].get_content()
    assert "Отзыв" in to_curator[0]["Subject"] and "Anna Pavlova" in to_curator[0]["Subject"]
    assert "4 из 5" in curator_text and "The cellar was a delight." in curator_text
    assert f"/curation/members/{member.id}#feedback" in curator_text
    assert "/curation/at-risk" not in curator_text  # a good rating opens no follow-up
    assert "New feedback on Wine by the river" in to_host[0]["Subject"]
    assert "4 of 5" in host_text and "The cellar was a delight." in host_text
    assert f"/events/{event.id}/attendees#feedback" in host_text
    assert not outbox.to(member.email)  # the attendee is not mailed about their own words

    entry = db.session.scalars(db.select(Audit).where(Audit.action == "event.feedback_given")).one()
    assert entry.actor_id == member.id and entry.subject_id == event.id
    assert sorted(entry.details["told"]) == sorted([curator.id, host.id])
    assert "The cellar" not in str(entry.details)  # ids only, no words


@pytest.mark.parametrize("rating", [1, 2, 3, 5])
def test_a_low_rating_tells_the_curator_of_the_follow_up_it_opened(ctx, rating):
    """The mail's promise and the at-risk list agree: a follow-up exactly when the rating is 1 or 2."""
    curator = make_curator()
    member = make_member(curator=curator)
    event = _evening()
    seat(event, member)

    feedback.give_feedback(member, event.id, rating, "")
    mail = _mails("event_feedback_curator")[-1]
    signs = {s.signal for r in at_risk.members_at_risk(curator) if r.user_id == member.id for s in r.signs}
    opened = "low_rating" in signs
    assert opened is (rating <= 2)
    assert ("/curation/at-risk" in mail.body) is opened
    assert ("members at risk" in mail.body) is opened
    assert ("low rating" in mail.subject.lower()) is opened
    assert "They left no comment." in mail.body


def test_a_double_submit_mails_nobody_twice(client, ctx, outbox):
    curator, host = make_curator(), make_curator()
    member = make_member(curator=curator)
    event = _evening(host=host)
    seat(event, member)
    login(client, member)
    for _ in range(2):
        client.post(f"/events/{event.id}/feedback", data={"rating": "2", "comment": "Cold soup."})
    with pytest.raises(EventError, match="already shared"):
        feedback.give_feedback(member, event.id, 1, "Again")
    assert db.session.scalar(db.select(db.func.count()).select_from(EventFeedback)) == 1
    assert len(outbox.to(curator.email)) == 1 and len(outbox.to(host.email)) == 1


def test_the_same_feedback_sent_at_the_same_instant_mails_once(app, ctx):
    """Four tabs send the rating together: one feedback, one mail each (both databases)."""
    from club.models.user import User

    curator, host = make_curator(), make_curator()
    member = make_member(curator=curator)
    event = _evening(host=host)
    seat(event, member)
    member_id, event_id = member.id, event.id
    barrier, outcomes = threading.Barrier(4), []

    def submit():
        with app.app_context():
            try:
                user = db.session.get(User, member_id)
                db.session.rollback()
                barrier.wait(timeout=30)
                feedback.give_feedback(user, event_id, 2, "Same words")
                outcomes.append("given")
            except EventError:
                outcomes.append("already")
            except Exception as exc:  # noqa: BLE001 - asserted below
                outcomes.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    db.session.commit()
    assert sorted(outcomes) == ["already"] * 3 + ["given"]
    assert db.session.scalar(db.select(db.func.count()).select_from(EventFeedback)) == 1
    assert len(_mails("event_feedback_curator")) == 1 and len(_mails("event_feedback_host")) == 1


@pytest.mark.parametrize("has_curator, has_host, curator_hosts, expected", [
    (True, True, False, {"event_feedback_curator": 1, "event_feedback_host": 1}),
    (True, True, True, {"event_feedback_curator": 1, "event_feedback_host": 0}),  # one mail, saying both
    (True, False, False, {"event_feedback_curator": 1, "event_feedback_host": 0}),
    (False, True, False, {"event_feedback_curator": 0, "event_feedback_host": 1}),
    (False, False, False, {"event_feedback_curator": 0, "event_feedback_host": 0}),
])
def test_who_is_told(ctx, has_curator, has_host, curator_hosts, expected):
    curator = make_curator() if has_curator else None
    host = curator if curator_hosts else (make_curator() if has_host else None)
    member = make_member(curator=curator)
    event = _evening(host=host)
    seat(event, member)
    feedback.give_feedback(member, event.id, 5, "Perfect.")
    assert {t: len(_mails(t)) for t in expected} == expected
    if curator_hosts:
        assert f"/events/{event.id}/attendees#feedback" in _mails("event_feedback_curator")[0].body


def test_a_host_rating_their_own_evening_is_not_mailed_about_it(ctx):
    host = make_curator()
    _set_language(host, "en")
    from club.models.membership import Membership
    db.session.add(Membership(user_id=host.id, state="active", kind="complimentary"))
    db.session.commit()
    event = _evening(host=host)
    seat(event, host)
    feedback.give_feedback(host, event.id, 4, "")
    assert _mails("event_feedback_host") == [] and _mails("event_feedback_curator") == []


def test_host_and_curator_read_it_on_their_pages_and_nobody_else(client, ctx):
    curator, other_curator, host = make_curator(), make_curator(), make_curator()
    member, other_member = make_member(curator=curator), make_member(curator=other_curator)
    event = _evening(host=host, title="Night at the observatory")
    seat(event, member)
    feedback.give_feedback(member, event.id, 1, "We never saw a star.")

    login(client, host)
    page = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert 'id="feedback"' in page and "We never saw a star." in page
    client.post("/logout")

    login(client, curator)
    page = client.get(f"/curation/members/{member.id}").get_data(as_text=True)
    assert 'id="feedback"' in page and "We never saw a star." in page and "Night at the observatory" in page
    assert "Low rating" in page and "/curation/at-risk" in page
    client.post("/logout")

    login(client, other_curator)
    assert client.get(f"/curation/members/{member.id}").status_code in (403, 404)
    client.post("/logout")

    login(client, other_member)
    assert client.get(f"/events/{event.id}/attendees").status_code == 404
    assert client.get(f"/curation/members/{member.id}").status_code in (403, 404)


def test_the_members_file_costs_the_same_whatever_they_rated(client, ctx):
    curator = make_curator()
    member = make_member(curator=curator)
    for n in range(6):
        event = _evening(title=f"Evening {n}")
        seat(event, member)
        feedback.give_feedback(member, event.id, 1 + n % 5, f"Comment {n}")
        if n == 0:
            login(client, curator)
            with count_queries() as few:
                assert client.get(f"/curation/members/{member.id}").status_code == 200
    with count_queries() as many:
        body = client.get(f"/curation/members/{member.id}").get_data(as_text=True)
    assert "Comment 5" in body and "Comment 0" in body
    assert many["n"] == few["n"]


def test_the_latest_ratings_only_and_newest_first(ctx):
    member = make_member()
    for n in range(12):
        event = _evening(title=f"Evening {n}")
        seat(event, member)
        feedback.give_feedback(member, event.id, 3, f"Comment {n}")
    given = feedback.feedback_by(member.id)
    assert len(given) == 10 and given[0].comment == "Comment 11" and given[-1].comment == "Comment 2"
