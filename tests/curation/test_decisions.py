"""Decisions: a reason always, K endorsements for approval (admin override with a reason), final once
made, a mail per outcome, audit entries, and what approval sets up."""
import pytest

from club.curation.scoring import score_application
from club.extensions import db
from club.models.applications import EmailCooldown
from club.models.club import AuditEntry
from club.models.membership import Membership
from club.models.curation import ApplicationDecision, DecisionsAreFinal
from tests.curation.factories import decide_by_form as _decide, fresh as _fresh, make_application
from tests.factories import login, make_admin, make_curator


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


def test_rejection_mails_without_curators_comments_and_starts_the_cooldown(client, ctx, outbox):
    application = make_application()
    curator = make_curator()
    score_application(application.id, curator, 1, "SECRET-COMMENT about them")
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


# Conflict of interest: whoever invited or endorsed does not decide; an admin may, saying why ----

@pytest.mark.parametrize("how", ["invited", "endorsed"])
def test_a_curator_who_vouched_cannot_decide_and_the_page_says_why(client, ctx, outbox, how):
    curator = make_curator()
    application = (make_application(curator) if how == "invited"
                   else make_application(endorsers=[curator], endorsements=2))
    login(client, curator)
    page = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    assert f"You {how} this applicant, so another curator or an admin decides their application." in page
    assert "Record the decision" not in page
    r = _decide(client, application, "approved")
    assert r.status_code == 403
    assert _fresh(application).state == "submitted"
    assert db.session.scalar(db.select(db.func.count()).select_from(ApplicationDecision)) == 0
    assert outbox.messages == []


def test_a_curator_who_vouched_cannot_reopen_a_waitlisted_application(client, ctx):
    curator = make_curator()
    application = make_application(endorsers=[curator], endorsements=2)
    login(client, make_curator())
    assert _decide(client, application, "waitlisted").status_code == 302
    client.post("/logout")
    login(client, curator)
    page = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    assert "You endorsed this applicant" in page and "Reopen for a new decision" not in page
    r = client.post(f"/curation/applications/{application.id}/reopen", data={"reopen-reason": "Let me."})
    assert r.status_code == 403 and _fresh(application).state == "waitlisted"


def test_an_admin_who_vouched_decides_only_with_a_reason_kept_on_the_decision(client, ctx, outbox):
    make_curator()
    admin = make_admin()
    application = make_application(endorsers=[admin], endorsements=2)
    login(client, admin)
    page = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    assert "You endorsed this applicant. As an admin you may still decide, but say why it falls to you." in page
    assert 'name="decision-conflict_reason"' in page

    r = _decide(client, application, "approved")
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "say why you decide it yourself" in body
    assert "Strong endorsements" in body  # what was typed is kept
    assert _fresh(application).state == "submitted"

    why = "The other curators know the applicant too; I decide as the owner."
    assert _decide(client, application, "approved", conflict_reason=why).status_code == 302
    decision = db.session.scalars(db.select(ApplicationDecision)).one()
    assert decision.conflict_reason == why and decision.decided_by_id == admin.id
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "application.decided")).one()
    assert entry.details["conflict"] == "endorsed" and entry.details["conflict_override"] is True
    assert why not in str(entry.details)  # the audit log holds ids and outcomes, not the words
    history = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    assert "Decided despite vouching for the applicant: " + why in history.replace("&#39;", "'")


def test_without_a_conflict_no_conflict_reason_is_kept(client, ctx, outbox):
    application = make_application()
    admin = make_admin()
    login(client, admin)
    assert _decide(client, application, "rejected", conflict_reason="Nothing to override.").status_code == 302
    decision = db.session.scalars(db.select(ApplicationDecision)).one()
    assert decision.conflict_reason is None
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "application.decided")).one()
    assert entry.details["conflict"] is None and entry.details["conflict_override"] is False
