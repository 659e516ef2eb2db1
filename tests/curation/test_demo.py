"""The issue's walkthrough on the demo club: the curator approves the waiting application, the
new member gets a matched curator and the mail with a way to pay, and the curator sees them."""
from club.extensions import db
from club.membership import states
from club.models.applications import Application, Endorsement
from club.models.membership import Membership
from club.models.user import User
from club.models.curation import MemberNote


def test_the_curator_approves_the_demo_application(app, client, ctx, outbox):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    db.session.remove()
    curator = db.session.scalars(db.select(User).where(User.email == "curator@demo.club")).one()
    application = db.session.scalars(db.select(Application).where(Application.state == "submitted")).first()
    assert application is not None, "the applications demo leaves one application in the queue"
    member_note = db.session.scalars(db.select(MemberNote)).first()
    assert member_note is not None
    # The second demo member endorses, as in the walkthrough.
    for endorsement in db.session.scalars(db.select(Endorsement).where(Endorsement.application_id == application.id)):
        endorsement.state = "endorsed"
    application.endorsement_count = 2
    db.session.commit()

    client.post("/login", data={"email": "curator@demo.club", "password": "demo-password"})
    page = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    assert application.full_name in page
    r = client.post(f"/curation/applications/{application.id}/decision",
                    data={"decision-outcome": "approved", "decision-reason": "Two warm endorsements."})
    assert r.status_code == 302

    db.session.expire_all()
    application = db.session.get(Application, application.id)
    membership = db.session.scalars(db.select(Membership).where(Membership.user_id == application.user_id)).one()
    assert membership.state == states.PENDING_PAYMENT
    # Julian (London; books; English) shares more with the applicant than the Paris curator.
    assert membership.curator_id == curator.id
    mail = outbox.to(application.email)[0]
    assert "/billing" in mail.get_content() and curator.full_name in mail.get_content()
    assert application.full_name in client.get("/curation/members").get_data(as_text=True)
