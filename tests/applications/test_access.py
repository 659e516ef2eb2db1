"""Who reaches what: applicants stay out of member pages; visitors are sent to sign in."""
from tests.applications.factories import APPLICANT_PASSWORD, make_application
from tests.factories import login


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
