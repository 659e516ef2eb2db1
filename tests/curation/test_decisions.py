"""Decisions: a reason always, K endorsements for approval (admin override with a reason), final once
made, a mail per outcome, audit entries, and what approval sets up."""
import pytest

from club.curation import service
from club.extensions import db
from club.membership import states
from club.models.applications import Application, EmailCooldown
from club.models.club import AuditEntry
from club.models.membership import MemberProfile, Membership
from club.models.curation import ApplicationDecision, CuratorAssignment, DecisionsAreFinal
from tests.curation.factories import make_application
from tests.factories import login, make_admin, make_curator, make_member


def _decide(client, application, outcome, reason="Strong endorsements and a clear contribution.", **extra):
    data = {"decision-outcome": outcome, "decision-reason": reason}
    data.update({f"decision-{k}": v for k, v in extra.items()})
    return client.post(f"/curation/applications/{application.id}/decision", data=data)


def _fresh(application):
    db.session.expire_all()
    return db.session.get(Application, application.id)


def test_a_decision_needs_a_reason(client, ctx, outbox):
    application = make_application()
    login(client, make_curator())
    r = _decide(client, application, "approved", reason="   ")
    assert r.status_code == 400 and "every decision is recorded with its reason" in r.get_data(as_text=True)
    assert _fresh(application).state == "submitted" and outbox.messages == []


def test_approval_needs_the_required_endorsements(client, ctx, outbox):
    application = make_application(endorsements=1)
    login(client, make_curator())
    r = _decide(client, application, "approved", override_reason="I know them well")
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Approval needs 2 endorsements" in body
    assert "Strong endorsements" in body  # the typed reason is kept
    assert _fresh(application).state == "submitted"


def test_only_an_admin_may_override_and_must_say_why(client, ctx, outbox):
    make_curator()
    application = make_application(endorsements=1)
    admin = make_admin()
    login(client, admin)
    r = _decide(client, application, "approved")
    assert r.status_code == 400 and "Say why you approve it anyway" in r.get_data(as_text=True)
    r = _decide(client, application, "approved", override_reason="Founding chef; the second endorser is abroad.")
    assert r.status_code == 302
    decision = db.session.scalars(db.select(ApplicationDecision)).one()
    assert decision.override_reason == "Founding chef; the second endorser is abroad."
    assert decision.endorsement_count == 1 and decision.decided_by_id == admin.id
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "application.decided")).one()
    assert entry.details["override"] is True and entry.details["endorsements"] == 1


def test_approval_starts_a_membership_with_a_matched_curator_and_mails_a_way_to_pay(client, ctx, outbox):
    london = make_curator(name="Lena London", city="London", interests=["books", "wine"], languages=["English"])
    paris = make_curator(name="Paul Paris", city="Paris", interests=["film", "art"], languages=["French"])
    application = make_application(city="Paris", interests=["film", "art", "cooking"], languages=["French", "English"],
                                   occupation="Chef", company="Le Coin")
    curator = make_curator()
    login(client, curator)
    r = _decide(client, application, "approved")
    assert r.status_code == 302
    application = _fresh(application)
    membership = db.session.scalars(db.select(Membership).where(Membership.user_id == application.user_id)).one()
    assert membership.state == states.PENDING_PAYMENT and membership.curator_id == paris.id
    profile = db.session.get(MemberProfile, application.user_id)
    assert profile.city == "Paris" and profile.occupation == "Chef" and profile.interests == ["film", "art", "cooking"]
    assert profile.directory_listed is False
    assert db.session.scalars(db.select(CuratorAssignment)).one().curator_id == paris.id

    welcome = outbox.to(application.email)[0]
    assert "approved" in welcome["Subject"].lower()
    assert "http://club.test/billing" in welcome.get_content() and "Paul Paris" in welcome.get_content()
    assert outbox.to(paris.email) and not outbox.to(london.email)
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert {"application.decided", "membership.created", "curator.assigned"} <= set(actions)


def test_when_every_curator_is_full_the_least_loaded_is_chosen_and_admins_are_told(client, ctx, outbox):
    busy = make_curator(capacity=1, interests=["books"])
    lighter = make_curator(capacity=1)
    make_member(curator=busy)
    make_member(curator=busy)
    make_member(curator=lighter)
    admin = make_admin()
    application = make_application(interests=["books"])
    login(client, lighter)
    _decide(client, application, "approved")
    membership = db.session.scalars(db.select(Membership).where(Membership.user_id == _fresh(application).user_id)).one()
    assert membership.curator_id == lighter.id
    told = outbox.to(admin.email)
    assert told and "capacity" in told[0]["Subject"]
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "curation.curators_full")).one()


def test_rejection_mails_without_curators_comments_and_starts_the_cooldown(client, ctx, outbox):
    application = make_application()
    curator = make_curator()
    service.score_application(application.id, curator, 1, "SECRET-COMMENT about them")
    login(client, curator)
    r = _decide(client, application, "rejected", reason="INTERNAL-REASON: not a fit")
    assert r.status_code == 302
    mail = outbox.to(application.email)[0]
    assert "SECRET-COMMENT" not in mail.get_content() and "INTERNAL-REASON" not in mail.get_content()
    assert "not able to offer you membership" in mail.get_content()
    assert db.session.scalar(db.select(db.func.count()).select_from(EmailCooldown)) == 1
    assert db.session.scalars(db.select(Membership).where(Membership.user_id == application.user_id)).first() is None


def test_waitlist_mails_the_applicant_and_can_be_reopened_and_decided_again(client, ctx, outbox):
    make_curator()
    application = make_application()
    curator = make_curator()
    login(client, curator)
    _decide(client, application, "waitlisted", reason="Full this season.")
    assert _fresh(application).state == "waitlisted"
    assert "waiting list" in outbox.to(application.email)[0].get_content()
    # a waitlisted application is not decided again without reopening
    assert _decide(client, application, "approved").status_code == 400
    r = client.post(f"/curation/applications/{application.id}/reopen", data={"reopen-reason": "A place opened."})
    assert r.status_code == 302 and _fresh(application).state == "submitted"
    _decide(client, application, "approved", reason="A place opened; approved.")
    outcomes = db.session.scalars(db.select(ApplicationDecision.outcome).order_by(ApplicationDecision.id)).all()
    assert outcomes == ["waitlisted", "reopened", "approved"]
    body = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    assert "Full this season." in body and "A place opened." in body


def test_reopening_needs_a_reason_and_a_waitlisted_application(client, ctx):
    application = make_application(state="rejected")
    login(client, make_curator())
    r = client.post(f"/curation/applications/{application.id}/reopen", data={"reopen-reason": "Changed my mind"})
    assert r.status_code == 400 and "Only a waitlisted application" in r.get_data(as_text=True)
    assert _fresh(application).state == "rejected"


@pytest.mark.parametrize("first", ["approved", "rejected"])
def test_a_decision_cannot_be_changed_afterwards(client, ctx, outbox, first):
    make_curator()
    application = make_application()
    login(client, make_curator())
    _decide(client, application, first)
    sent = len(outbox.messages)
    r = _decide(client, application, "waitlisted", reason="second thoughts")
    assert r.status_code == 400 and "cannot be changed" in r.get_data(as_text=True)
    assert len(outbox.messages) == sent
    assert db.session.scalar(db.select(db.func.count()).select_from(ApplicationDecision)) == 1
    decision = db.session.scalars(db.select(ApplicationDecision)).one()
    decision.reason = "rewritten"
    with pytest.raises(DecisionsAreFinal):
        db.session.commit()
    db.session.rollback()


def test_a_double_submitted_decision_records_one_decision(client, ctx, outbox):
    make_curator()
    application = make_application()
    login(client, make_curator())
    _decide(client, application, "approved")
    _decide(client, application, "approved")
    assert db.session.scalar(db.select(db.func.count()).select_from(ApplicationDecision)) == 1
    assert len(outbox.to(application.email)) == 1


def test_an_applicant_without_an_account_gets_one_with_a_password_link(client, ctx, outbox):
    make_curator()
    application = make_application(with_account=False)
    login(client, make_curator())
    _decide(client, application, "approved")
    application = _fresh(application)
    assert application.user_id is not None
    assert "/password/reset/" in outbox.to(application.email)[0].get_content()


def test_the_application_page_shows_answers_referrals_track_record_and_history(client, ctx):
    inviter = make_member(name="Ivy Inviter")
    earlier = make_application(inviter, name="Earlier Eve", state="approved", submitted_days_ago=200)
    db.session.add(Membership(user_id=earlier.user_id, state="active", kind="complimentary"))
    db.session.commit()
    make_application(inviter, name="Turned Down Tom", state="rejected", submitted_days_ago=100)
    endorser = make_member(name="Enzo Endorser")
    application = make_application(inviter, endorsers=[endorser], name="Current Cleo",
                                   motivation="MOTIVATION TEXT", contribution="CONTRIBUTION TEXT")
    login(client, make_curator())
    body = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    for text in ("Current Cleo", "MOTIVATION TEXT", "CONTRIBUTION TEXT", "Invited by Ivy Inviter", "Enzo Endorser",
                 "Enzo Endorser vouches: a generous host.", "Earlier Eve", "Turned Down Tom", "active",
                 "Application submitted", "https://example.org/portfolio"):
        assert text in body, text


def test_links_that_are_not_web_addresses_are_not_made_clickable(client, ctx):
    application = make_application(links=["javascript:alert(1)"])
    login(client, make_curator())
    body = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    assert 'href="javascript:' not in body and "javascript:alert(1)" in body
