"""What approval sets up: the account, the member profile, the membership with a matched curator,
and the mails (the new member, their curator, the admins when every curator is full)."""
from club.extensions import db
from club.membership import states
from club.models.club import AuditEntry
from club.models.membership import MemberProfile, Membership
from club.models.curation import CuratorAssignment
from tests.curation.factories import decide_by_form as _decide, fresh as _fresh, make_application
from tests.factories import login, make_admin, make_curator, make_member


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


def test_an_applicant_without_an_account_gets_one_with_a_password_link(client, ctx, outbox):
    make_curator()
    application = make_application(with_account=False)
    login(client, make_curator())
    _decide(client, application, "approved")
    application = _fresh(application)
    assert application.user_id is not None
    assert "/password/reset/" in outbox.to(application.email)[0].get_content()


def test_a_curator_who_endorsed_the_new_member_is_not_matched_as_their_curator(client, ctx, outbox):
    # The endorsing curator is the best fit by far; the other one shares nothing.
    endorser = make_curator(name="Best Fit", city="Paris", interests=["film", "art"], languages=["French"])
    other = make_curator(name="Other One", city="Oslo")
    application = make_application(endorsers=[endorser], endorsements=2, city="Paris", interests=["film", "art"],
                                   languages=["French"])
    login(client, make_admin())
    assert _decide(client, application, "approved").status_code == 302
    membership = db.session.scalars(db.select(Membership).where(Membership.user_id == _fresh(application).user_id)).one()
    assert membership.curator_id == other.id
    assert not outbox.to(endorser.email)


def test_when_every_curator_vouched_none_is_matched_and_admins_are_told(client, ctx, outbox):
    inviter = make_curator()
    endorser = make_curator()
    admin = make_admin()
    application = make_application(inviter, endorsers=[endorser], endorsements=2)
    login(client, admin)
    assert _decide(client, application, "approved").status_code == 302
    membership = db.session.scalars(db.select(Membership).where(Membership.user_id == _fresh(application).user_id)).one()
    assert membership.curator_id is None
    told = outbox.to(admin.email)
    assert told and "needs a curator" in told[0]["Subject"]
    assert "invited or endorsed them" in told[0].get_content()
    assert not outbox.to(inviter.email) and not outbox.to(endorser.email)
