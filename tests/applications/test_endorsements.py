"""Endorsements: asking by email without a member lookup, answering once, counting to K."""
import re

import pytest

from club.applications.endorsements import EndorsementError, answer_endorsement, pending_endorsement_requests
from club.applications.status import is_ready_for_decision
from club.extensions import db
from club.membership import states
from club.models.applications import Application, Endorsement
from tests.applications.factories import APPLICANT_PASSWORD, make_application, make_club_member
from tests.core.test_mail import _wait_for, smtp_server  # noqa: F401  (the SMTP fixture)
from tests.factories import login


def _ask(client, email):
    return client.post("/application/endorsers", data={"email": email})


def _applicant_client(client, user):
    login(client, user.email, APPLICANT_PASSWORD)
    return client


def _flash(response_page: str) -> str:
    match = re.search(r'<p class="flash flash-success">(.*?)</p>', response_page, re.S)
    return match.group(1) if match else ""


def test_asking_a_member_and_a_stranger_gives_the_same_answer(client, ctx, outbox):
    friend = make_club_member(email="friend@example.org", name="Theo Lindqvist")
    applicant, application, _inv = make_application()
    _applicant_client(client, applicant)
    before = len(outbox.messages)

    r1 = _ask(client, "friend@example.org")
    page1 = client.get("/application").get_data(as_text=True)
    r2 = _ask(client, "stranger@example.org")
    page2 = client.get("/application").get_data(as_text=True)
    assert r1.status_code == r2.status_code == 302
    assert _flash(page1).replace("friend@example.org", "X") == _flash(page2).replace("stranger@example.org", "X")
    assert "If friend@example.org belongs to a member" in _flash(page1)
    assert "Theo" not in page1 + page2

    # Only the member was asked, by mail with a link to answer.
    mails = outbox.messages[before:]
    assert [m["To"] for m in mails] == ["friend@example.org"]
    request = db.session.scalars(db.select(Endorsement).where(Endorsement.endorser_id == friend.id)).one()
    assert request.state == "requested"
    assert f"/invites/endorsements/{request.id}" in mails[0].get_content()
    assert "Ada Quill asks you to endorse" in mails[0]["Subject"]
    db.session.refresh(application)
    assert application.endorsers_asked == ["friend@example.org", "stranger@example.org"]


@pytest.mark.parametrize("state", [states.LAPSED, states.PENDING_PAYMENT, states.SUSPENDED, states.ENDED])
def test_members_without_access_are_not_asked(client, ctx, outbox, state):
    make_club_member(email="away@example.org", state=state)
    applicant, _application, _inv = make_application()
    _applicant_client(client, applicant)
    before = len(outbox.messages)
    assert _ask(client, "away@example.org").status_code == 302
    assert outbox.messages[before:] == []
    assert db.session.scalar(db.select(db.func.count()).select_from(Endorsement)) == 1  # the inviter's only


def test_asking_the_inviter_counts_them_once(client, ctx, outbox):
    inviter = make_club_member(email="inviter@example.org")
    applicant, application, _inv = make_application(inviter)
    _applicant_client(client, applicant)
    before = len(outbox.messages)
    assert _ask(client, "inviter@example.org").status_code == 302
    assert outbox.messages[before:] == []
    rows = db.session.scalars(db.select(Endorsement).where(Endorsement.endorser_id == inviter.id)).all()
    assert len(rows) == 1 and rows[0].state == "endorsed"
    db.session.refresh(application)
    assert application.endorsement_count == 1


def test_the_applicant_may_ask_up_to_the_limit_and_not_the_same_address_twice(client, ctx):
    applicant, _application, _inv = make_application()
    _applicant_client(client, applicant)
    for i in range(3):
        assert _ask(client, f"p{i}@example.org").status_code == 302
    r = _ask(client, "p0@example.org")
    assert r.status_code == 400 and "You have already asked this address." in r.get_data(as_text=True)
    r = _ask(client, "p9@example.org")
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "You have asked 3 people already" in body
    assert 'value="p9@example.org"' in body


def test_a_member_endorses_once_and_the_application_becomes_ready(client, ctx, outbox, app):
    endorser = make_club_member(email="friend@example.org")
    applicant, application, _inv = make_application()
    _applicant_client(client, applicant)
    _ask(client, "friend@example.org")
    request = db.session.scalars(db.select(Endorsement).where(Endorsement.endorser_id == endorser.id)).one()

    member_client = app.test_client()
    login(member_client, endorser)
    page = member_client.get("/invites").get_data(as_text=True)
    assert "Asked to endorse" in page and "Ada Quill" in page
    form = member_client.get(f"/invites/endorsements/{request.id}").get_data(as_text=True)
    assert "Ada Quill" in form and "Bookbinder" in form

    # The sentence is required to endorse; the typed text comes back with the error.
    r = member_client.post(f"/invites/endorsements/{request.id}", data={"answer": "endorse", "statement": "Yes"})
    assert r.status_code == 400 and "Say in a sentence how you know them" in r.get_data(as_text=True)
    assert "Yes</textarea>" in r.get_data(as_text=True)

    r = member_client.post(f"/invites/endorsements/{request.id}",
                           data={"answer": "endorse", "statement": "We restored a boat together for two summers."})
    assert r.status_code == 302
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.endorsement_count == 2 and is_ready_for_decision(application)
    assert outbox.last()["To"] == application.email and "ready for review" in outbox.last()["Subject"]
    assert pending_endorsement_requests(endorser) == []

    # A second answer changes nothing.
    member_client.post(f"/invites/endorsements/{request.id}", data={"answer": "decline", "statement": ""})
    db.session.expire_all()
    assert db.session.get(Endorsement, request.id).state == "endorsed"
    assert db.session.get(Application, application.id).endorsement_count == 2
    with pytest.raises(EndorsementError):
        answer_endorsement(endorser, request.id, endorse=True, statement="Once more, with feeling please.")

    status = client.get("/application").get_data(as_text=True)
    assert "Endorsements: 2 of 2" in status and "ready for review" in status


def test_declining_does_not_count_and_needs_no_sentence(client, ctx, app):
    endorser = make_club_member(email="friend@example.org")
    applicant, application, _inv = make_application()
    _applicant_client(client, applicant)
    _ask(client, "friend@example.org")
    request = db.session.scalars(db.select(Endorsement).where(Endorsement.endorser_id == endorser.id)).one()
    member_client = app.test_client()
    login(member_client, endorser)
    assert member_client.post(f"/invites/endorsements/{request.id}", data={"answer": "decline"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Endorsement, request.id).state == "declined"
    assert db.session.get(Application, application.id).endorsement_count == 1


def test_only_the_asked_member_with_access_can_answer(client, ctx, app):
    endorser = make_club_member(email="friend@example.org")
    applicant, _application, _inv = make_application()
    _applicant_client(client, applicant)
    _ask(client, "friend@example.org")
    request = db.session.scalars(db.select(Endorsement).where(Endorsement.endorser_id == endorser.id)).one()

    other = app.test_client()
    login(other, make_club_member())
    assert other.get(f"/invites/endorsements/{request.id}").status_code == 404
    assert other.post(f"/invites/endorsements/{request.id}",
                      data={"answer": "endorse", "statement": "I know them well enough, truly."}).status_code == 404
    # The applicant cannot endorse themselves: they reach no member page.
    assert client.post(f"/invites/endorsements/{request.id}",
                       data={"answer": "endorse", "statement": "I am wonderful, believe me."}).status_code == 403
    # A member who lost access cannot answer any more.
    endorser.membership.state = states.LAPSED
    db.session.commit()
    with pytest.raises(EndorsementError):
        answer_endorsement(endorser, request.id, endorse=True, statement="We go back a long way indeed.")
    db.session.rollback()
    assert db.session.get(Endorsement, request.id).state == "requested"


def test_the_endorsement_request_goes_through_a_real_smtp_server(app, client, ctx, smtp_server):  # noqa: F811
    make_club_member(email="friend@example.org")
    applicant, _application, _inv = make_application()
    login(client, applicant.email, APPLICANT_PASSWORD)
    smtp_server.received.clear()
    assert client.post("/application/endorsers", data={"email": "friend@example.org"}).status_code == 302
    assert _wait_for(lambda: any(m["To"] == "friend@example.org" for m in smtp_server.received))
    message = next(m for m in smtp_server.received if m["To"] == "friend@example.org")
    plain = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    assert "/invites/endorsements/" in plain.get_payload(decode=True).decode()


def test_a_curator_whose_membership_lapsed_is_told_endorsing_is_for_members(client, ctx, app):
    from club.models.user import ROLE_CURATOR, UserRole

    endorser = make_club_member(email="friend@example.org")
    db.session.add(UserRole(user_id=endorser.id, role=ROLE_CURATOR))
    db.session.commit()
    applicant, application, _inv = make_application()
    _applicant_client(client, applicant)
    _ask(client, "friend@example.org")
    request = db.session.scalars(db.select(Endorsement).where(Endorsement.endorser_id == endorser.id)).one()
    endorser.membership.state = states.LAPSED
    db.session.commit()

    staff = app.test_client()
    login(staff, endorser)
    page = staff.get(f"/invites/endorsements/{request.id}")
    assert page.status_code == 403 and "Invitations and endorsements are for members" in page.get_data(as_text=True)
    answer = staff.post(f"/invites/endorsements/{request.id}",
                        data={"answer": "endorse", "statement": "We restored a boat together for two summers."})
    assert answer.status_code == 403
    db.session.expire_all()
    assert db.session.get(Endorsement, request.id).state == "requested"
    assert db.session.get(Application, application.id).endorsement_count == 1


def test_an_endorsement_answered_twice_at_the_same_moment_is_applied_once(app, client, ctx, outbox):
    """Six answers to one request, released together by a barrier, each in its own app context."""
    import threading

    from club.models.club import AuditEntry
    from club.models.user import User

    endorser = make_club_member(email="friend@example.org")
    applicant, application, _inv = make_application()
    _applicant_client(client, applicant)
    _ask(client, "friend@example.org")
    request_id = db.session.scalars(db.select(Endorsement.id).where(Endorsement.endorser_id == endorser.id)).one()
    endorser_id, application_id = endorser.id, application.id
    db.session.commit()
    before = len(outbox.messages)
    answers = [True, False] * 3
    barrier = threading.Barrier(len(answers))
    results: list[str] = []

    def answer(endorse):
        with app.test_request_context():
            member = db.session.get(User, endorser_id)
            # Each request has read the unanswered request before the race, as a view does.
            assert db.session.get(Endorsement, request_id).state == "requested"
            barrier.wait()
            try:
                answer_endorsement(member, request_id, endorse=endorse, statement="We sailed together for years.")
                results.append("ok")
            except EndorsementError:
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=answer, args=(a,)) for a in answers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    db.session.commit()  # end the test's read snapshot; the threads committed on their own connections
    assert sorted(results) == ["ok"] + ["refused"] * 5
    audits = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry).where(
        AuditEntry.action.in_(("endorsement.given", "endorsement.declined"))))
    assert audits == 1
    state = db.session.get(Endorsement, request_id).state
    assert state in ("endorsed", "declined")
    assert db.session.get(Application, application_id).endorsement_count == (2 if state == "endorsed" else 1)
    assert len(outbox.messages) - before == (1 if state == "endorsed" else 0)  # "ready for review", once
