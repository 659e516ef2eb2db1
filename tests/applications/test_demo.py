"""The walkthrough of issue 3 on the demo club: invite, open the mailed link, apply, get endorsed, ready."""
import re

from club.applications.endorsements import pending_endorsement_requests
from club.applications.invites import invites_left
from club.applications.status import is_ready_for_decision
from club.demo import DEMO_PASSWORD, seed
from club.extensions import db
from club.models.applications import Application, Endorsement
from club.models.user import User
from tests.applications.factories import application_form
from tests.factories import login


def _accept_rules(client):
    """Demo members accept the current rules when they first arrive (the members feature asks)."""
    r = client.get("/invites")
    if r.status_code == 302 and "/me/rules" in r.headers["Location"]:
        page = client.get(r.headers["Location"]).get_data(as_text=True)
        version = re.search(r'name="version_id"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version_id"', page)
        client.post(r.headers["Location"], data={"version_id": version.group(1) or version.group(2),
                                                  "accept": "y"})
    assert client.get("/invites").status_code == 200


def test_the_demo_walkthrough(app, ctx, outbox):
    assert seed() is True
    member = db.session.scalars(db.select(User).where(User.email == "member@demo.club")).one()
    assert invites_left(member) >= 1
    # The seeded application waits for the second demo member's endorsement.
    second = db.session.scalars(db.select(User).where(User.email == "second@demo.club")).one()
    assert [e.application.full_name for e in pending_endorsement_requests(second)] == ["Iris Calloway"]

    member_client = app.test_client()
    login(member_client, "member@demo.club", DEMO_PASSWORD)
    _accept_rules(member_client)
    assert member_client.post("/invites", data={"email": "newcomer@example.org"}).status_code == 302
    link = re.search(r"http://club\.test(/apply/\S+)", outbox.to("newcomer@example.org")[0].get_content()).group(1)

    applicant = app.test_client()
    form = applicant.get(link).get_data(as_text=True)
    assert "Margot Ellery" in form
    version = re.search(r'name="rules_version" type="hidden" value="(\d+)"', form).group(1)
    r = applicant.post(link, data=application_form(version, interests=["books", "wine"]))
    assert r.status_code == 302 and r.headers["Location"].endswith("/application")
    assert "Endorsements: 1 of 2" in applicant.get("/application").get_data(as_text=True)
    assert applicant.post("/application/endorsers", data={"email": "second@demo.club"}).status_code == 302

    second_client = app.test_client()
    login(second_client, "second@demo.club", DEMO_PASSWORD)
    _accept_rules(second_client)
    application = db.session.scalars(db.select(Application).where(Application.email == "newcomer@example.org")).one()
    request = db.session.scalars(db.select(Endorsement).where(Endorsement.application_id == application.id,
                                                             Endorsement.endorser_id == second.id)).one()
    assert f"/invites/endorsements/{request.id}" in second_client.get("/invites").get_data(as_text=True)
    r = second_client.post(f"/invites/endorsements/{request.id}",
                           data={"answer": "endorse", "statement": "We sailed together at Cowes last summer."})
    assert r.status_code == 302

    page = applicant.get("/application").get_data(as_text=True)
    assert "Endorsements: 2 of 2" in page and "ready for review" in page
    db.session.expire_all()
    assert is_ready_for_decision(db.session.get(Application, application.id))
