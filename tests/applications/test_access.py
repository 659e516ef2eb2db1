"""Who reaches what: applicants stay out of member pages; staff see the referral tree and the interest list."""
import pytest

from club.applications import service
from club.extensions import db
from club.models.applications import Application
from club.models.club import InterestTag
from tests.applications.factories import APPLICANT_PASSWORD, make_application, make_club_member, make_invitation
from tests.core.test_mail import _wait_for, smtp_server  # noqa: F401  (the SMTP fixture)
from tests.factories import login, make_admin, make_curator

# What an applicant may open: their own application, the public pages, and what anyone with an
# account may do with it (take a copy of their data, delete it).
APPLICANT_ENDPOINTS = {"applications.status", "applications.apply", "public.landing", "public.home",
                       "public.healthz", "static", "members.export_data", "members.delete_account"}
MEMBER_AREAS = ("applications.", "members.", "events.", "curation.", "admin.")


def _sample(arg: str):
    return "sample-token" if "token" in arg else 1


def test_applicants_reach_no_member_page(app, client, ctx):
    applicant, _application, _inv = make_application()
    login(client, applicant.email, APPLICANT_PASSWORD)
    checked, opened = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in APPLICANT_ENDPOINTS:
            continue
        if not rule.endpoint.startswith(MEMBER_AREAS):
            continue
        path = rule.build({arg: _sample(arg) for arg in rule.arguments}, append_unknown=False)[1]
        r = client.get(path)
        if r.status_code not in (302, 403, 404):
            opened.append(f"{path} ({r.status_code})")
        checked.append(path)
    assert opened == []
    assert "/invites" in checked and "/curation/referrals" in checked
    assert client.get("/invites").status_code == 403
    assert client.post("/invites", data={"email": "x@example.net"}).status_code == 403
    assert client.get("/application").status_code == 200


def test_an_applicant_lands_on_their_application_after_signing_in(client, ctx):
    applicant, _application, _inv = make_application()
    login(client, applicant.email, APPLICANT_PASSWORD)
    r = client.get("/home")
    assert r.headers["Location"].endswith("/application")


def test_visitors_are_sent_to_sign_in(client, ctx):
    for path in ("/invites", "/application", "/curation/referrals", "/curation/referrals/1", "/admin/interests"):
        r = client.get(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"], path


@pytest.mark.parametrize("who, allowed", [("member", False), ("curator", True), ("admin", True)])
def test_the_referral_tree_is_for_curators_and_admins(client, ctx, who, allowed):
    inviter = make_club_member(name="Margot Ellery")
    person = {"member": make_club_member, "curator": make_curator, "admin": make_admin}[who]()
    login(client, person)
    expected = 200 if allowed else 403
    assert client.get("/curation/referrals").status_code == expected
    assert client.get(f"/curation/referrals/{inviter.id}").status_code == expected


def test_the_referral_tree_shows_who_brought_whom_and_what_became_of_them(client, ctx):
    founder = make_club_member(name="Margot Ellery")
    applicant, application, _inv = make_application(founder, email="ada@example.net")
    make_invitation(founder, email="still.thinking@example.net")
    # Ada was admitted and invited someone herself.
    application.state = "approved"
    from club.models.membership import Membership
    db.session.add(Membership(user_id=applicant.id, state="active"))
    db.session.commit()
    make_invitation(applicant, email="next.generation@example.net")

    login(client, make_curator())
    overview = client.get("/curation/referrals").get_data(as_text=True)
    assert "Margot Ellery" in overview and "Ada Quill" in overview
    page = client.get(f"/curation/referrals/{founder.id}").get_data(as_text=True)
    assert "Ada Quill" in page and "Approved" in page and "active" in page
    assert "still.thinking@example.net" in page and "Sent" in page
    assert f"/curation/referrals/{applicant.id}" in page and "1 invited" in page
    child = client.get(f"/curation/referrals/{applicant.id}").get_data(as_text=True)
    assert "Brought in by" in child and "Margot Ellery" in child and "next.generation@example.net" in child
    assert client.get("/curation/referrals/999999").status_code == 404


def test_the_admin_manages_the_interest_list(client, ctx):
    login(client, make_admin())
    assert client.post("/admin/interests", data={"name": "  Wild   Swimming "}).status_code == 302
    assert db.session.scalars(db.select(InterestTag.name)).all() == ["wild swimming"]
    r = client.post("/admin/interests", data={"name": "WILD swimming"})
    assert r.status_code == 400 and "on the list already" in r.get_data(as_text=True)
    r = client.post("/admin/interests", data={"name": ""})
    assert r.status_code == 400 and "Give the interest a name." in r.get_data(as_text=True)
    page = client.get("/admin/interests").get_data(as_text=True)
    assert "wild swimming" in page and 'aria-current="page">Interests' in page
    tag_id = db.session.scalars(db.select(InterestTag.id)).one()
    assert client.post(f"/admin/interests/{tag_id}/remove").status_code == 302
    assert db.session.scalars(db.select(InterestTag)).all() == []
    assert client.post(f"/admin/interests/{tag_id}/remove").status_code == 404


def test_only_admins_manage_interests(client, ctx):
    login(client, make_curator())
    assert client.get("/admin/interests").status_code == 403
    assert client.post("/admin/interests", data={"name": "chess"}).status_code == 403


def test_the_invite_mail_goes_through_a_real_smtp_server(client, ctx, smtp_server):  # noqa: F811
    login(client, make_club_member(name="Margot Ellery"))
    assert client.post("/invites", data={"email": "friend@example.net"}).status_code == 302
    assert _wait_for(lambda: smtp_server.received)
    message = smtp_server.received[0]
    assert message["To"] == "friend@example.net" and "Margot Ellery invites you" in message["Subject"]
    assert "http://club.test/apply/" in message.get_payload(decode=True).decode()


def test_the_endorsement_request_goes_through_a_real_smtp_server(app, client, ctx, smtp_server):  # noqa: F811
    make_club_member(email="friend@example.org")
    applicant, _application, _inv = make_application()
    login(client, applicant.email, APPLICANT_PASSWORD)
    smtp_server.received.clear()
    assert client.post("/application/endorsers", data={"email": "friend@example.org"}).status_code == 302
    assert _wait_for(lambda: any(m["To"] == "friend@example.org" for m in smtp_server.received))
    message = next(m for m in smtp_server.received if m["To"] == "friend@example.org")
    assert "/invites/endorsements/" in message.get_payload(decode=True).decode()


def test_application_pages_of_members_without_an_application_lead_home(client, ctx):
    login(client, make_club_member())
    r = client.get("/application")
    assert r.status_code == 302 and r.headers["Location"].endswith("/home")
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0
    assert service.status_page(make_club_member()) is None
