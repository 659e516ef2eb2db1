"""Feedback to the club: a member writes, the admins answer in a thread. Who may see which thread,
mail in each reader's language, a double submit makes one, bad input, limits, erasure."""
from __future__ import annotations

import threading

import pytest

from club.core import erasure
from club.extensions import db
from club.members import club_feedback as cf
from club.members import club_feedback_states as cs
from club.models.club import AuditEntry
from club.models.members import ClubFeedback, ClubFeedbackMessage
from club.models.user import User
from tests.factories import count_queries, login, make_admin, make_curator, make_member, make_user


def _speaks(user, language):
    user.language = language
    db.session.commit()
    return user


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.mark.parametrize("state, after_member, after_answer, after_answer_closing, closable", [
    (cs.OPEN, cs.OPEN, cs.ANSWERED, cs.CLOSED, True),
    (cs.ANSWERED, cs.OPEN, cs.ANSWERED, cs.CLOSED, True),
    (cs.CLOSED, cs.OPEN, cs.ANSWERED, cs.CLOSED, False),
])
def test_thread_moves(state, after_member, after_answer, after_answer_closing, closable):
    assert cs.after_member_message(state) == after_member
    assert cs.after_answer(state, close=False) == after_answer
    assert cs.after_answer(state, close=True) == after_answer_closing
    assert cs.may_close(state) is closable


def test_a_member_writes_and_an_admin_answers_each_mailed_in_their_language(client, ctx, outbox):
    admin_en, admin_ru = _speaks(make_admin(), "en"), _speaks(make_admin(), "ru")
    curator = make_curator()
    member = _speaks(make_member(curator=curator, name="Boris Ivanov"), "ru")

    login(client, member)
    assert client.get("/me/feedback").status_code == 200
    r = client.post("/me/feedback", data={"subject": "The library hours", "body": "Could it open on Sundays?"})
    assert r.status_code == 302
    thread = db.session.scalars(db.select(ClubFeedback)).one()
    assert r.headers["Location"].endswith(f"/me/feedback/{thread.id}") and thread.state == cs.OPEN

    en, ru = outbox.to(admin_en.email), outbox.to(admin_ru.email)
    assert len(en) == 1 and len(ru) == 1
    assert "Boris Ivanov writes to the club" in en[0]["Subject"]
    assert "пишет в клуб" in ru[0]["Subject"] and "Could it open on Sundays?" in ru[0].get_content()
    assert f"/admin/feedback/{thread.id}" in en[0].get_content()
    assert not outbox.to(curator.email)  # the club's admins, not the curator
    client.post("/logout")

    login(client, admin_en)
    listing = client.get("/admin/feedback").get_data(as_text=True)
    assert "The library hours" in listing and "Boris Ivanov" in listing
    page = client.get(f"/admin/feedback/{thread.id}").get_data(as_text=True)
    assert "Could it open on Sundays?" in page
    r = client.post(f"/admin/feedback/{thread.id}", data={"body": "From March, yes: ten to four."})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(ClubFeedback, thread.id).state == cs.ANSWERED
    to_member = outbox.to(member.email)
    assert len(to_member) == 1 and "Клуб ответил Вам" in to_member[0]["Subject"]
    assert "From March, yes: ten to four." in to_member[0].get_content()
    assert f"/me/feedback/{thread.id}" in to_member[0].get_content()
    client.post("/logout")

    login(client, member)
    page = client.get(f"/me/feedback/{thread.id}").get_data(as_text=True)
    assert "From March, yes: ten to four." in page
    assert client.post(f"/me/feedback/{thread.id}", data={"body": "Wonderful, thank you."}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ClubFeedback, thread.id).state == cs.OPEN
    assert "wrote again" in outbox.to(admin_en.email)[-1]["Subject"]

    actions = [a for (a,) in db.session.execute(db.select(AuditEntry.action).order_by(AuditEntry.id))
               if a.startswith("club_feedback.")]
    assert actions == ["club_feedback.opened", "club_feedback.answered", "club_feedback.written"]
    details = [d for (d,) in db.session.execute(db.select(AuditEntry.details))]
    assert not any("Sundays" in str(d) or "library" in str(d) for d in details)  # ids and outcomes only


def test_closing_with_or_without_an_answer_and_writing_again_opens_it(client, ctx, outbox):
    admin = make_admin()
    member = make_member()
    thread = cf.open_thread(member, "Parking", "Is there parking at the Linden Room?")
    login(client, admin)
    client.post(f"/admin/feedback/{thread.id}", data={"body": "Yes, two spaces at the back.", "close": "y"})
    db.session.expire_all()
    assert db.session.get(ClubFeedback, thread.id).state == cs.CLOSED
    assert "closed" in outbox.to(member.email)[-1].get_content()
    assert "Parking" not in client.get("/admin/feedback").get_data(as_text=True)  # closed ones hidden
    assert "Parking" in client.get("/admin/feedback?show=all").get_data(as_text=True)

    cf.member_writes(member, thread.id, "One more question.")
    assert db.session.get(ClubFeedback, thread.id).state == cs.OPEN
    mails = len(outbox.to(member.email))
    assert client.post(f"/admin/feedback/{thread.id}/close").status_code == 302
    db.session.expire_all()
    assert db.session.get(ClubFeedback, thread.id).state == cs.CLOSED
    assert len(outbox.to(member.email)) == mails  # closing alone mails nobody
    assert client.post("/admin/feedback/999999/close").status_code == 404


def test_open_threads_come_first_the_longest_waiting_at_the_top(ctx):
    admin = make_admin()
    a, b, c = make_member(), make_member(), make_member()
    first = cf.open_thread(a, "First", "Waiting longest.")
    answered = cf.open_thread(b, "Answered", "Answered already.")
    cf.answer(admin, answered.id, "Done, thank you.")
    second = cf.open_thread(c, "Second", "Waiting less.")
    closed = cf.open_thread(c, "Closed", "Closed one.")
    cf.close(admin, closed.id)
    assert [t.id for t in cf.admin_threads(admin).items] == [first.id, second.id, answered.id]
    assert [t.id for t in cf.admin_threads(admin, include_closed=True).items] == [
        first.id, second.id, answered.id, closed.id]


def test_who_may_see_which_thread(client, ctx):
    admin, curator = make_admin(), make_curator()
    owner, other = make_member(curator=curator), make_member(curator=curator)
    applicant = make_user()  # no membership
    thread = cf.open_thread(owner, "Private", "Only for the club.")

    login(client, other)
    assert client.get(f"/me/feedback/{thread.id}").status_code == 404
    assert client.post(f"/me/feedback/{thread.id}", data={"body": "Let me in"}).status_code == 404
    assert "Private" not in client.get("/me/feedback").get_data(as_text=True)
    assert client.get("/admin/feedback").status_code == 403
    assert client.get(f"/admin/feedback/{thread.id}").status_code == 403
    client.post("/logout")

    login(client, curator)  # a curator is not the club's admin: the member wrote to the admins
    assert client.get("/admin/feedback").status_code == 403
    assert client.get(f"/admin/feedback/{thread.id}").status_code == 403
    client.post("/logout")

    login(client, applicant)
    assert client.get("/me/feedback").status_code in (302, 403)
    assert client.get(f"/me/feedback/{thread.id}").status_code in (302, 403, 404)
    client.post("/logout")

    assert client.get("/me/feedback").status_code == 302  # to the sign-in page
    assert client.get("/admin/feedback").status_code in (302, 403)

    login(client, admin)
    assert client.get(f"/admin/feedback/{thread.id}").status_code == 200
    assert client.get("/admin/feedback/999999").status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(ClubFeedbackMessage)) == 1


def test_a_double_submit_makes_one_thread_and_one_message(client, ctx, outbox):
    admin = make_admin()
    member = make_member()
    login(client, member)
    for _ in range(2):
        client.post("/me/feedback", data={"subject": "Music", "body": "The quartet was superb."})
    thread = db.session.scalars(db.select(ClubFeedback)).one()
    for _ in range(2):
        client.post(f"/me/feedback/{thread.id}", data={"body": "And the wine too."})
    assert _count(ClubFeedback) == 1 and _count(ClubFeedbackMessage) == 2
    assert len(outbox.to(admin.email)) == 2  # one for the thread, one for the message
    client.post("/logout")
    login(client, admin)
    for _ in range(2):
        client.post(f"/admin/feedback/{thread.id}", data={"body": "We will tell them."})
    assert _count(ClubFeedbackMessage) == 3 and len(outbox.to(member.email)) == 1


def test_the_same_message_sent_at_the_same_instant_makes_one(app, ctx):
    """Six tabs send the same new message together: one thread, one message, one mail (both databases)."""
    from club.models.club import OutboxMail

    make_admin()
    member_id = make_member().id
    barrier, errors = threading.Barrier(6), []

    def submit():
        with app.app_context():
            try:
                user = db.session.get(User, member_id)
                db.session.rollback()
                barrier.wait(timeout=30)
                cf.open_thread(user, "Together", "The very same words.")
            except Exception as exc:  # noqa: BLE001 - asserted below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    db.session.commit()
    assert errors == []
    assert _count(ClubFeedback) == 1 and _count(ClubFeedbackMessage) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMail)
                             .where(OutboxMail.template == "club_feedback_new")) == 1


@pytest.mark.parametrize("data, field", [
    ({"subject": "", "body": "No subject"}, "subject"),
    ({"subject": "Hello\x07there", "body": "A bell in the subject"}, "subject"),
    ({"subject": "Two\nlines", "body": "A break in the subject"}, "subject"),
    ({"subject": "x" * 121, "body": "Too long a subject"}, "subject"),
    ({"subject": "Empty", "body": "   "}, "body"),
    ({"subject": "Control", "body": "Null \x00 inside"}, "body"),
    ({"subject": "Long", "body": "y" * 4001}, "body"),
])
def test_bad_input_keeps_what_was_typed_and_names_the_field(client, ctx, data, field):
    make_admin()
    login(client, make_member())
    r = client.post("/me/feedback", data=data)
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and f'id="{field}-error"' in page
    if field == "body" and data["subject"]:
        assert f'value="{data["subject"]}"' in page  # the subject typed is kept
    assert _count(ClubFeedback) == 0


def test_bad_answers_and_tampered_ids(client, ctx):
    admin, member = make_admin(), make_member()
    thread = cf.open_thread(member, "Subject", "Body")
    login(client, admin)
    r = client.post(f"/admin/feedback/{thread.id}", data={"body": "Draft kept\x1b"})
    assert r.status_code == 400 and 'id="body-error"' in r.get_data(as_text=True)
    assert client.post(f"/admin/feedback/{thread.id}", data={"body": ""}).status_code == 400
    assert client.get("/admin/feedback/99999999999").status_code == 404  # beyond an integer: no such page
    assert client.get("/admin/feedback?page=-3").status_code == 200
    assert client.get("/admin/feedback?page=abc").status_code == 200
    assert _count(ClubFeedbackMessage) == 1


def test_new_threads_and_messages_are_limited_per_person(client, ctx):
    make_admin()
    member = make_member()
    login(client, member)
    sent = [client.post("/me/feedback", data={"subject": f"Idea {n}", "body": f"Idea number {n}"}).status_code
            for n in range(6)]
    assert sent == [302] * 5 + [429]
    assert _count(ClubFeedback) == 5
    assert client.get("/me/feedback").status_code == 200  # reading is not limited


def test_the_members_words_are_erased_with_them(ctx):
    admin, member = make_admin(), make_member()
    thread = cf.open_thread(member, "About my neighbour", "Something personal.")
    cf.answer(admin, thread.id, "Thank you for telling us.")
    erasure.erase_person(member.id)
    db.session.commit()
    db.session.expire_all()
    thread = db.session.get(ClubFeedback, thread.id)
    assert thread.subject == "" and thread.state == cs.CLOSED and thread.closed_at is not None
    assert all(m.body == "" and m.erased_at is not None for m in thread.messages)


def test_the_admins_list_costs_the_same_whatever_its_length(client, ctx):
    admin = make_admin()
    for n in range(3):
        cf.open_thread(make_member(), f"Few {n}", "Words")
    login(client, admin)
    with count_queries() as few:
        assert client.get("/admin/feedback").status_code == 200
    for n in range(25):
        cf.open_thread(make_member(), f"Many {n}", "Words")
    with count_queries() as many:
        page = client.get("/admin/feedback").get_data(as_text=True)
    assert many["n"] == few["n"]
    assert page.count("/admin/feedback/") >= cf.PER_PAGE and "?page=2" in page


def test_the_conversations_are_in_the_members_data_export(client, ctx):
    admin, member = make_admin(), make_member()
    thread = cf.open_thread(member, "Dress code", "Is a jacket expected on Thursdays?")
    cf.answer(admin, thread.id, "Never expected, always welcome.")
    login(client, member)
    data = client.get("/me/export").get_json(force=True)
    [exported] = data["feedback_to_club"]
    assert exported["subject"] == "Dress code" and exported["state"] == cs.ANSWERED
    assert [m["text"] for m in exported["messages"]] == ["Is a jacket expected on Thursdays?",
                                                        "Never expected, always welcome."]
    assert exported["messages"][0]["from"] == "you" and exported["messages"][1]["from"] == admin.full_name
