"""Requests to the curator: the thread, its states, the mails, and who sees which request."""
from datetime import timedelta

import pytest
from freezegun import freeze_time

from club.extensions import db
from club.members import request_states as rs
from club.models.club import AuditEntry
from club.models.members import CuratorChangeRequest, CuratorRequest, RequestMessage
from tests.factories import login, make_admin, make_curator, make_member
from tests.members.factories import make_request


@pytest.mark.parametrize("state,after_member,after_staff", [
    (rs.OPEN, rs.OPEN, rs.IN_PROGRESS), (rs.IN_PROGRESS, rs.IN_PROGRESS, rs.IN_PROGRESS),
    (rs.DONE, rs.OPEN, rs.DONE),
])
def test_state_after_a_message(state, after_member, after_staff):
    assert rs.after_member_message(state) == after_member
    assert rs.after_staff_message(state) == after_staff


@pytest.mark.parametrize("current,new,allowed", [
    (rs.OPEN, rs.IN_PROGRESS, True), (rs.OPEN, rs.DONE, True), (rs.IN_PROGRESS, rs.DONE, True),
    (rs.DONE, rs.OPEN, True), (rs.OPEN, rs.OPEN, True), (rs.OPEN, "archived", False),
])
def test_request_moves(current, new, allowed):
    if allowed:
        rs.check_move(current, new)
    else:
        with pytest.raises(rs.InvalidRequestMove):
            rs.check_move(current, new)


def test_a_member_asks_for_an_introduction_and_the_curator_answers(app, client, ctx, outbox):
    curator = make_curator()
    member = make_member(curator=curator)
    login(client, member)
    r = client.post("/me/requests", data={"topic": "introduction", "body": "I would love to meet a sailor."})
    assert r.status_code == 302
    thread = db.session.scalars(db.select(CuratorRequest)).one()
    assert thread.state == rs.OPEN and thread.topic == "introduction"
    mail = outbox.to(curator.email)[-1]
    assert "New request from" in mail["Subject"] and "I would love to meet a sailor." in mail.get_content()
    assert f"/curation/requests/{thread.id}" in mail.get_content()

    client.post("/logout")
    login(client, curator)
    listing = client.get("/curation/requests").get_data(as_text=True)
    assert member.full_name in listing and "An introduction to another member" in listing and "Your turn" in listing
    r = client.post(f"/curation/requests/{thread.id}", data={"body": "Theo sails every weekend; meet him Thursday."})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(CuratorRequest, thread.id).state == rs.IN_PROGRESS
    mail = outbox.to(member.email)[-1]
    assert "answered" in mail["Subject"] and "Theo sails every weekend" in mail.get_content()

    client.post("/logout")
    login(client, member)
    page = client.get(f"/me/requests/{thread.id}").get_data(as_text=True)
    assert "I would love to meet a sailor." in page and "Theo sails every weekend" in page
    client.post(f"/me/requests/{thread.id}", data={"body": "Thank you!"})
    assert "wrote again" in outbox.to(curator.email)[-1]["Subject"]

    client.post("/logout")
    login(client, curator)
    assert client.post(f"/curation/requests/{thread.id}/state", data={"state": "done"}).status_code == 302
    db.session.expire_all()
    done = db.session.get(CuratorRequest, thread.id)
    assert done.state == rs.DONE and done.closed_at is not None
    assert "done" in outbox.to(member.email)[-1]["Subject"]
    assert "Members’ requests" in client.get("/curation/requests").get_data(as_text=True)
    assert member.full_name not in client.get("/curation/requests").get_data(as_text=True)
    assert member.full_name in client.get("/curation/requests?show=all").get_data(as_text=True)

    # Writing again on a done request opens it again.
    client.post("/logout")
    login(client, member)
    client.post(f"/me/requests/{thread.id}", data={"body": "One more thing."})
    db.session.expire_all()
    assert db.session.get(CuratorRequest, thread.id).state == rs.OPEN
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"request.opened", "request.state_changed"} <= actions


def test_answering_can_close_the_request_at_once(client, ctx, outbox):
    curator = make_curator()
    member = make_member(curator=curator)
    thread = make_request(member)
    login(client, curator)
    client.post(f"/curation/requests/{thread.id}", data={"body": "Done: see you Tuesday.", "state": "done"})
    db.session.expire_all()
    assert db.session.get(CuratorRequest, thread.id).state == rs.DONE


def test_a_double_submit_makes_one_request_and_one_message(client, ctx):
    curator = make_curator()
    member = make_member(curator=curator)
    login(client, member)
    for _ in range(2):
        client.post("/me/requests", data={"topic": "help", "body": "Same words."})
    assert db.session.scalar(db.select(db.func.count()).select_from(CuratorRequest)) == 1
    thread = db.session.scalars(db.select(CuratorRequest)).one()
    for _ in range(2):
        client.post(f"/me/requests/{thread.id}", data={"body": "Again."})
    assert db.session.scalar(db.select(db.func.count()).select_from(RequestMessage)) == 2


def test_bad_input_keeps_the_typed_message_and_names_the_field(client, ctx):
    login(client, make_member(curator=make_curator()))
    r = client.post("/me/requests", data={"body": "My typed words"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Choose what your request is about." in body and "My typed words" in body


def test_curators_see_only_their_own_members_requests_and_admins_see_all(client, ctx):
    mine, other = make_curator(), make_curator()
    my_member = make_member(curator=mine)
    their_member = make_member(curator=other)
    my_request, their_request = make_request(my_member), make_request(their_member, body="Private matter of theirs")
    login(client, mine)
    listing = client.get("/curation/requests").get_data(as_text=True)
    assert my_member.full_name in listing and their_member.full_name not in listing
    assert client.get(f"/curation/requests/{their_request.id}").status_code == 404
    assert client.post(f"/curation/requests/{their_request.id}", data={"body": "x"}).status_code == 404
    assert client.post(f"/curation/requests/{their_request.id}/state", data={"state": "done"}).status_code == 404
    client.post("/logout")
    login(client, make_admin())
    listing = client.get("/curation/requests").get_data(as_text=True)
    assert my_member.full_name in listing and their_member.full_name in listing
    assert "Private matter of theirs" in client.get(f"/curation/requests/{their_request.id}").get_data(as_text=True)
    assert my_request.id != their_request.id


def test_members_cannot_open_each_others_requests_or_the_curator_pages(client, ctx):
    curator = make_curator()
    owner, nosy = make_member(curator=curator), make_member(curator=curator)
    thread = make_request(owner, body="Only mine to read")
    login(client, nosy)
    assert client.get(f"/me/requests/{thread.id}").status_code == 404
    assert client.post(f"/me/requests/{thread.id}", data={"body": "hi"}).status_code == 404
    assert client.get("/curation/requests").status_code == 403
    assert client.get(f"/curation/requests/{thread.id}").status_code == 403


def test_a_reassigned_member_takes_their_requests_to_the_new_curator(client, ctx):
    old, new = make_curator(), make_curator()
    member = make_member(curator=old)
    thread = make_request(member)
    from club.membership.access import membership_of
    membership_of(member).curator_id = new.id
    db.session.commit()
    login(client, old)
    assert client.get(f"/curation/requests/{thread.id}").status_code == 404
    client.post("/logout")
    login(client, new)
    assert client.get(f"/curation/requests/{thread.id}").status_code == 200


def test_the_workspace_shows_each_requests_age(client, ctx):
    curator = make_curator()
    member = make_member(curator=curator)
    with freeze_time("2026-01-01 09:00:00"):
        make_request(member)
    with freeze_time("2026-01-04 10:00:00"):
        login(client, curator)
        assert "3 days" in client.get("/curation/requests").get_data(as_text=True)


def test_age_labels():
    from club.members.requests_service import age_label
    assert age_label(timedelta(seconds=20)) == "just now"
    assert age_label(timedelta(minutes=1)) == "1 minute"
    assert age_label(timedelta(hours=5, minutes=3)) == "5 hours"
    assert age_label(timedelta(days=2, hours=23)) == "2 days"


def test_a_member_asks_for_another_curator_and_the_admin_resolves_it(client, ctx, outbox):
    admin = make_admin()
    curator = make_curator()
    member = make_member(curator=curator)
    login(client, member)
    for _ in range(2):
        assert client.post("/me/curator/change", data={"reason": "We never quite click."}).status_code == 302
    change = db.session.scalars(db.select(CuratorChangeRequest)).one()
    assert change.curator_id == curator.id
    assert "another curator" in outbox.to(admin.email)[-1]["Subject"]
    assert not outbox.to(curator.email)
    client.post("/logout")
    login(client, curator)
    assert client.get("/admin/curator-requests").status_code == 403
    client.post("/logout")
    login(client, admin)
    page = client.get("/admin/curator-requests").get_data(as_text=True)
    assert "We never quite click." in page and f"/curation/members/{member.id}" in page
    assert client.post(f"/admin/curator-requests/{change.id}/done").status_code == 302
    db.session.expire_all()
    assert db.session.get(CuratorChangeRequest, change.id).state == "done"
    assert "Nobody is asking" in client.get("/admin/curator-requests").get_data(as_text=True)


def test_identical_requests_sent_at_the_same_instant_make_one(app, ctx):
    """Six tabs submit the same request together: one request, one message (both databases)."""
    import threading

    from club.members import requests_service
    from club.models.user import User

    member_id = make_member(curator=make_curator()).id  # read here: threads must not touch this session
    barrier, errors = threading.Barrier(6), []

    def submit():
        with app.app_context():
            try:
                user = db.session.get(User, member_id)
                db.session.rollback()
                barrier.wait(timeout=30)
                requests_service.open_request(user, "help", "The very same words.")
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
    assert db.session.scalar(db.select(db.func.count()).select_from(CuratorRequest)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(RequestMessage)) == 1


def test_requests_and_messages_to_the_curator_are_limited_per_person(client, ctx, outbox):
    """Each one mails the curator: beyond five new requests an hour the member gets the 429 page."""
    curator = make_curator()
    member, other = make_member(curator=curator), make_member(curator=curator)
    login(client, member)
    sent = [client.post("/me/requests", data={"topic": "help", "body": f"Request number {n}"}).status_code
            for n in range(6)]
    assert sent == [302] * 5 + [429]
    assert "Too many attempts" in client.post("/me/requests", data={"topic": "help", "body": "Again"}) \
        .get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(CuratorRequest)) == 5
    thread_id = db.session.scalars(db.select(CuratorRequest.id)).first()
    replies = [client.post(f"/me/requests/{thread_id}", data={"body": f"And another thing {n}"}).status_code
               for n in range(21)]
    assert replies == [302] * 20 + [429]
    assert client.get("/me/requests").status_code == 200  # reading is not limited
    client.post("/logout")
    login(client, other)
    assert client.post("/me/requests", data={"topic": "help", "body": "My own first request"}).status_code == 302
