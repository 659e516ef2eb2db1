"""Retention: `flask --app wsgi purge-applicants` erases old applicants' personal data, once."""
from datetime import timedelta

from club.curation.purge import purge_applicants
from club.extensions import db
from club.models.applications import Application, EmailCooldown, Endorsement
from club.models.base import utcnow
from club.models.club import AuditEntry
from club.models.membership import Membership
from club.models.user import User
from club.models.curation import Review
from tests.curation.factories import make_application
from tests.factories import make_curator, make_member


def _old(state, days_ago, **kwargs):
    application = make_application(state=state, submitted_days_ago=days_ago + 10, **kwargs)
    when = utcnow() - timedelta(days=days_ago)
    if state == "withdrawn":
        application.withdrawn_at = when
    else:
        application.decided_at = when
    db.session.commit()
    return application


def test_purge_erases_old_rejected_and_withdrawn_applicants_and_says_so(app, ctx):
    curator = make_curator()
    inviter = make_member()
    rejected = _old("rejected", 200, inviter=inviter, name="Rhea Rejected", email="rhea@example.org")
    rejected.endorsers_asked = ["friend.of.rhea@example.org"]
    db.session.add(Review(application_id=rejected.id, curator_id=curator.id, score=2, comment="about Rhea"))
    db.session.add(EmailCooldown(email_hash="h" * 64, until=utcnow() + timedelta(days=100)))
    withdrawn = _old("withdrawn", 181, inviter=inviter, name="Walt Withdrawn")
    recent = _old("rejected", 30, name="Rita Recent")
    waitlisted = _old("waitlisted", 400, name="Will Waitlisted")
    db.session.commit()
    rejected_user, withdrawn_user = rejected.user_id, withdrawn.user_id

    result = app.test_cli_runner().invoke(args=["purge-applicants"])
    assert result.exit_code == 0, result.output
    assert f"Erased application #{rejected.id} (rejected" in result.output
    assert f"Erased application #{withdrawn.id} (withdrawn" in result.output
    assert "Erased 2 applications and 2 accounts" in result.output
    assert "Rhea" not in result.output

    db.session.expire_all()
    erased = db.session.get(Application, rejected.id)
    assert erased.erased_at is not None and erased.full_name == "Erased applicant"
    assert "rhea" not in erased.email and erased.motivation is None and erased.links == [] and erased.city is None
    assert erased.endorsers_asked == []
    # kept for the statistics
    assert erased.state == "rejected" and erased.decided_at is not None and erased.endorsement_count == 2
    assert erased.invitation.inviter_id == inviter.id and "rhea" not in erased.invitation.email
    assert all(e.statement is None for e in db.session.scalars(
        db.select(Endorsement).where(Endorsement.application_id == rejected.id)))
    review = db.session.scalars(db.select(Review)).one()
    assert review.score == 2 and review.comment is None
    account = db.session.get(User, rejected_user)
    assert account.deleted_at is not None and account.email == f"erased-{account.id}@erased.invalid"
    assert account.full_name == "Erased applicant" and account.password_hash is None
    assert db.session.get(User, withdrawn_user).deleted_at is not None
    assert db.session.scalar(db.select(db.func.count()).select_from(EmailCooldown)) == 1
    # not old enough, or not closed: untouched
    assert db.session.get(Application, recent.id).full_name == "Rita Recent"
    assert db.session.get(Application, waitlisted.id).full_name == "Will Waitlisted"
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "applications.purged")).one()
    assert sorted(entry.details["applications"]) == sorted([rejected.id, withdrawn.id])

    again = app.test_cli_runner().invoke(args=["purge-applicants"])
    assert again.exit_code == 0 and "Nothing to erase" in again.output


def test_an_account_with_a_membership_is_kept(ctx):
    application = _old("rejected", 365)
    db.session.add(Membership(user_id=application.user_id, state="ended", kind="complimentary"))
    db.session.commit()
    erased = purge_applicants()
    assert [e.account_id for e in erased] == [None]
    assert db.session.get(User, application.user_id).deleted_at is None


def test_the_retention_period_follows_the_setting_and_the_option(app, ctx):
    from club.core import settings

    application = _old("rejected", 40)
    settings.update({"retention_days": 30})
    db.session.commit()
    assert [e.application_id for e in purge_applicants()] == [application.id]
    other = _old("withdrawn", 20)
    result = app.test_cli_runner().invoke(args=["purge-applicants", "--days", "10"])
    assert f"#{other.id}" in result.output
