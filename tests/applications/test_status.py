"""The applicant's status page in every state, readiness for a decision, withdrawing."""
import pytest

from club.applications.endorsements import pending_endorsement_requests
from club.applications.invites import invites_left
from club.applications.referrals import referrals_of
from club.applications.status import application_of, is_ready_for_decision, status_page
from club.core import settings
from club.extensions import db
from club.models.applications import Application
from tests.applications.factories import make_application, make_club_member
from tests.applications.test_endorsements import _applicant_client, _ask
from tests.factories import login, make_user


def test_application_pages_of_members_without_an_application_lead_home(client, ctx):
    login(client, make_club_member())
    r = client.get("/application")
    assert r.status_code == 302 and r.headers["Location"].endswith("/home")
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0
    assert status_page(make_club_member()) is None


def test_required_endorsements_follow_the_admin_setting(ctx):
    settings.update({"required_endorsements": 1})
    db.session.commit()
    _applicant, application, _inv = make_application()
    assert is_ready_for_decision(application)


def test_the_applicant_can_withdraw_and_requests_disappear(client, ctx):
    endorser = make_club_member(email="friend@example.org")
    applicant, application, _inv = make_application()
    _applicant_client(client, applicant)
    _ask(client, "friend@example.org")
    assert len(pending_endorsement_requests(endorser)) == 1
    assert client.post("/application/withdraw").status_code == 302
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.state == "withdrawn" and application.withdrawn_at is not None
    assert pending_endorsement_requests(endorser) == []
    page = client.get("/application").get_data(as_text=True)
    assert "You withdrew your application" in page and "Withdraw my application" not in page
    assert _ask(client, "other@example.org").status_code == 400
    # A decided application cannot be withdrawn.
    application.state = "approved"
    db.session.commit()
    client.post("/application/withdraw")
    db.session.expire_all()
    assert db.session.get(Application, application.id).state == "approved"


def test_service_functions_other_features_use(ctx):
    inviter = make_club_member()
    applicant, application, invitation = make_application(inviter)
    assert application_of(applicant).id == application.id
    assert application_of(make_user()) is None
    referrals = referrals_of(inviter)
    assert [i.id for i in referrals] == [invitation.id] and referrals[0].application.id == application.id
    assert invites_left(inviter) == 2
    assert is_ready_for_decision(application) is False


@pytest.mark.parametrize("state, words", [
    ("submitted", "It goes to review once 2 members have endorsed you."),
    ("approved", "You are admitted."),
    ("waitlisted", "The club would like to come back to you later."),
    ("rejected", "The club has decided not to admit you at this time."),
    ("withdrawn", "You withdrew your application"),
])
def test_the_status_page_in_every_state(client, ctx, state, words):
    from club.models.base import utcnow

    applicant, application, _inv = make_application()
    application.state = state
    if state == "withdrawn":
        application.withdrawn_at = utcnow()
    db.session.commit()
    _applicant_client(client, applicant)
    page = client.get("/application").get_data(as_text=True)
    assert words in page
    assert ("Ask for an endorsement" in page) is (state == "submitted")
    assert ("Withdraw my application" in page) is (state in ("submitted", "waitlisted"))
    assert ('href="/billing"' in page) is (state == "approved")
