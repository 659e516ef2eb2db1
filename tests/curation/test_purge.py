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


# Former members: erased a set time after the membership ended (club setting, 365 days by default).

def _former_member(name: str, curator):
    """A member with a profile, a photo, a request thread, a curator's note, a suspension reason and a payment."""
    from datetime import date

    from club.members import photos
    from club.membership.reasons import SUSPENDED, record_reason
    from club.models.billing import Payment
    from club.models.curation import MemberNote
    from club.models.membership import MemberProfile
    from tests.members.factories import image_bytes, make_request

    member = make_member(name=name, curator=curator, email=f"{name.split()[0].lower()}@example.org")
    profile = db.session.get(MemberProfile, member.id)
    profile.city, profile.bio = "Lisbon", f"{name} restores boats."
    profile.photo_filename = photos.save(image_bytes(), member.id)
    membership = member.membership
    db.session.add(MemberNote(member_id=member.id, author_id=curator.id, body=f"{name} prefers quiet dinners."))
    db.session.add(Payment(membership_id=membership.id, source="offline", amount_cents=15000, currency="eur",
                           paid_on=date(2024, 1, 1), reference="Bank transfer 42"))
    record_reason(membership, SUSPENDED, f"{name} was rude to staff", curator)
    db.session.commit()
    make_request(member, body=f"{name} needs a tailor.")
    return member


def _end(member, reason="member cancelled"):
    from club.membership import states
    from club.membership.changes import change_membership_state

    change_membership_state(member.membership, states.ENDED, reason=reason)
    db.session.commit()


def test_former_members_are_erased_a_year_after_their_membership_ended_and_the_books_stay(app, ctx):
    from freezegun import freeze_time

    from club.members import photos
    from club.membership import states
    from club.membership.changes import change_membership_state
    from club.models.billing import Payment
    from club.models.curation import MemberNote
    from club.models.members import CuratorRequest, RequestMessage
    from club.models.membership import MemberProfile, MembershipReason

    curator = make_curator()
    start = utcnow()
    with freeze_time(start) as clock:
        gone = _former_member("Flora Former", curator)
        back = _former_member("Ben Back", curator)
        later = _former_member("Lena Later", curator)
        photo = db.session.get(MemberProfile, gone.id).photo_filename
        assert photos.load(photo) is not None
        _end(gone)
        _end(back)
        clock.tick(timedelta(days=100))
        change_membership_state(back.membership, states.ACTIVE, reason="invoice paid")  # Ben re-joined
        db.session.commit()
        clock.tick(timedelta(days=100))
        _end(later)
        audit_before = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))

        clock.move_to(start + timedelta(days=364))
        result = app.test_cli_runner().invoke(args=["purge-applicants"])
        assert result.exit_code == 0, result.output
        assert "Nothing to erase: no membership that ended more than 365 days ago" in result.output
        assert db.session.get(User, gone.id).full_name == "Flora Former"

        clock.move_to(start + timedelta(days=366))
        result = app.test_cli_runner().invoke(args=["purge-applicants"])
        assert result.exit_code == 0, result.output
        assert f"Erased former member account #{gone.id} (membership #{gone.membership.id} ended" in result.output
        assert "Erased 1 former member;" in result.output and "Flora" not in result.output

    db.session.expire_all()
    account = db.session.get(User, gone.id)
    assert account.full_name == "Former member" and account.email == f"erased-{gone.id}@erased.invalid"
    assert account.password_hash is None and account.deleted_at is not None
    profile = db.session.get(MemberProfile, gone.id)
    assert (profile.city, profile.bio, profile.photo_filename) == (None, None, None)
    assert photo and photos.load(photo) is None
    assert db.session.scalars(db.select(MemberNote).where(MemberNote.member_id == gone.id)).all() == []
    thread = db.session.scalars(db.select(CuratorRequest).where(CuratorRequest.member_id == gone.id)).one()
    assert all(m.body == "" for m in db.session.scalars(
        db.select(RequestMessage).where(RequestMessage.request_id == thread.id)))
    assert [r.reason for r in db.session.scalars(
        db.select(MembershipReason).where(MembershipReason.membership_id == gone.membership.id))] == [None]
    # The books stay: the membership row, its payments, and the audit log (one more entry: the purge).
    assert (gone.membership.state, gone.membership.ended_at is not None) == (states.ENDED, True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Payment)
                             .where(Payment.membership_id == gone.membership.id)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == audit_before + 1
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "members.purged")).one()
    assert entry.details["accounts"] == [gone.id] and entry.details["retention_days"] == 365
    # Ben came back and Lena left only 166 days ago: untouched.
    assert db.session.get(User, back.id).full_name == "Ben Back"
    assert db.session.get(MemberProfile, back.id).bio == "Ben Back restores boats."
    assert db.session.get(User, later.id).full_name == "Lena Later"

    with freeze_time(start + timedelta(days=367)):
        again = app.test_cli_runner().invoke(args=["purge-applicants"])
    assert "Nothing to erase: no membership that ended more than 365 days ago" in again.output


def test_the_former_members_retention_follows_the_setting_the_option_and_spares_staff(app, ctx):
    from freezegun import freeze_time

    from club.core import settings
    from club.curation.purge import purge_former_members
    from club.models.user import ROLE_CURATOR, UserRole

    curator = make_curator()
    start = utcnow()
    with freeze_time(start) as clock:
        left = make_member(name="Lou Left")
        staff = make_member(name="Sam Staff")
        db.session.add(UserRole(user_id=staff.id, role=ROLE_CURATOR))
        db.session.commit()
        _end(left)
        _end(staff)
        clock.move_to(start + timedelta(days=40))
        assert purge_former_members() == []  # 365 by default
        settings.update({"former_member_retention_days": 30})
        db.session.commit()
        assert [e.user_id for e in purge_former_members()] == [left.id]
        other = make_member(name="Ola Other")
        _end(other)
        clock.move_to(start + timedelta(days=51))
        result = app.test_cli_runner().invoke(args=["purge-applicants", "--former-member-days", "10"])
    assert f"account #{other.id}" in result.output
    assert db.session.get(User, staff.id).full_name == "Sam Staff"
    assert curator.id not in [e.user_id for e in purge_former_members(retention_days=1)]


def test_the_purge_reaches_the_words_of_decisions_and_reassignments_and_keeps_who_and_when(ctx):
    from club.curation.purge import purge_former_members
    from club.models.curation import ApplicationDecision, CuratorAssignment

    curator = make_curator()
    application = _old("rejected", 200)
    db.session.add(ApplicationDecision(application_id=application.id, outcome="rejected", decided_by_id=curator.id,
                                       reason="Rude to the inviter at dinner", override_reason=None))
    member = make_member(curator=curator)
    db.session.add(CuratorAssignment(member_id=member.id, curator_id=curator.id, assigned_by_id=curator.id,
                                     reason="Asked for a curator who speaks Greek"))
    db.session.commit()
    _end(member)
    purge_applicants()
    purge_former_members(now=utcnow() + timedelta(days=400))
    db.session.expire_all()
    decision = db.session.scalars(db.select(ApplicationDecision)).one()
    assert (decision.outcome, decision.decided_by_id, decision.reason) == ("rejected", curator.id, "")
    assignment = db.session.scalars(db.select(CuratorAssignment)).one()
    assert (assignment.curator_id, assignment.reason) == (curator.id, "")
