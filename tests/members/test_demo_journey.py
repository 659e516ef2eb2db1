"""The issue's "done when", on the demo club: the new member settles in, finds a sailor, asks for an
introduction, gets an answer, takes their data, and could leave."""
import json
from datetime import timedelta

from club import demo
from club.applications.demo import APPLICANT_EMAIL
from club.applications.status import application_of
from club.auth.service import find_user_by_email
from club.billing import offline as billing
from club.curation import decisions as curation
from club.extensions import db
from club.membership.access import membership_of
from club.models.members import CuratorRequest
from club.models.base import utcnow


def test_the_new_member_of_the_demo_settles_in_and_could_leave(client, ctx, outbox):
    assert demo.seed()
    admin = find_user_by_email("admin@demo.club")
    iris = find_user_by_email(APPLICANT_EMAIL)
    application = application_of(iris)
    curation.decide(application.id, "approved", "A fine addition to the river people.", admin,
                    override_reason="Vouched for in person at the summer party.")
    membership = membership_of(iris)
    today = utcnow().date()
    billing.record_offline_payment(membership.id, amount_cents=150000, paid_on=today, reference="DEMO-IRIS",
                                   period_start=today, period_end=today + timedelta(days=364),
                                   includes_initiation=False, actor=admin)
    curator = membership_of(iris).curator
    assert curator is not None

    client.post("/login", data={"email": iris.email, "password": demo.DEMO_PASSWORD})
    page = client.get("/me").get_data(as_text=True)
    assert "Getting started" in page and curator.full_name in page  # her rules were accepted when she applied
    client.post("/me/profile", data={"full_name": "Iris Calloway", "city": "London", "bio": "I restore boats.",
                                     "interests": ["sailing", "design"], "languages": "English, Italian"})
    client.post("/me/privacy", data={"listed": "listed", "fields": ["city", "interests"]})
    client.post("/me/hello", data={"body": "Hello! Thank you for having me."})
    assert "Getting started" not in client.get("/me").get_data(as_text=True)

    directory = client.get("/members?interest=sailing").get_data(as_text=True)
    assert "Theo Lindqvist" in directory and "Margot Ellery" not in directory

    client.post("/me/requests", data={"topic": "introduction", "body": "Could you introduce me to Theo Lindqvist?"})
    thread = db.session.scalars(db.select(CuratorRequest).where(CuratorRequest.member_id == iris.id,
                                                                CuratorRequest.topic == "introduction")).one()
    client.post("/logout")
    client.post("/login", data={"email": curator.email, "password": demo.DEMO_PASSWORD})
    assert "Iris Calloway" in client.get("/curation/requests").get_data(as_text=True)
    client.post(f"/curation/requests/{thread.id}", data={"body": "Gladly: he is at the Autumn Supper."})
    assert "Gladly" in outbox.to(iris.email)[-1].get_content()
    client.post("/logout")

    client.post("/login", data={"email": iris.email, "password": demo.DEMO_PASSWORD})
    assert "Gladly: he is at the Autumn Supper." in client.get(f"/me/requests/{thread.id}").get_data(as_text=True)
    data = json.loads(client.get("/me/export").get_data(as_text=True))
    assert data["account"]["email"] == iris.email and data["payments"][0]["reference"] == "DEMO-IRIS"
    assert "Margot Ellery" not in json.dumps(data)  # her inviter's name is Margot's, not hers
    leave = client.get("/me/leave").get_data(as_text=True)
    assert "Cancel my membership" in leave
