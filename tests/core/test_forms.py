"""The one input policy (club.core.forms.ClubForm): control characters, single lines, numbers a column
holds, lengths, time zones; and each server error the fuzzing found, now a field error."""
import importlib
import pkgutil
import threading
from datetime import date, timedelta

import pytest
from flask_wtf import FlaskForm

import club
from club.core.forms import CONTROL_MESSAGE, LINE_MESSAGE, MAX_INT, ClubForm, control_problem
from club.extensions import db
from club.membership.access import membership_of
from club.models.billing import Payment
from club.models.club import InterestTag
from club.models.user import User
from tests.applications.factories import (application_form, current_rules, make_club_member, make_interests,
                                         make_invitation, token_for)
from tests.curation.factories import make_application
from tests.factories import login, make_admin, make_curator, make_member
from tests.members.factories import make_request


# The rule, as a table ---------------------------------------------------------------------------
@pytest.mark.parametrize("value, multiline, expected", [
    ("Ada Quill", False, None),
    ("Zoë Ørsted-Łukasz 李", False, None),
    ("", False, None),
    ("Ada\x00", False, CONTROL_MESSAGE),
    ("Ada\x00", True, CONTROL_MESSAGE),
    ("Ada\nBcc: x@example.org", False, LINE_MESSAGE),
    ("Ada\rQuill", False, LINE_MESSAGE),
    ("Ada\u2028Quill", False, LINE_MESSAGE),
    ("Ada\tQuill", False, CONTROL_MESSAGE),
    ("bell\x07", True, CONTROL_MESSAGE),
    ("escape\x1b[31m", True, CONTROL_MESSAGE),
    ("delete\x7f", True, CONTROL_MESSAGE),
    ("c1\x85", True, CONTROL_MESSAGE),
    ("c1\x9b", False, CONTROL_MESSAGE),
    ("Line one\r\nLine two\n\tindented", True, None),
])
def test_control_characters_and_line_breaks(value, multiline, expected):
    assert control_problem(value, multiline) == expected


def _form_classes():
    found = []
    for module_info in pkgutil.walk_packages(club.__path__, "club."):
        if module_info.name.endswith("forms"):
            module = importlib.import_module(module_info.name)
            found += [v for v in vars(module).values()
                      if isinstance(v, type) and issubclass(v, FlaskForm) and v.__module__ == module.__name__]
    return found


def test_every_form_of_the_app_follows_the_one_policy():
    forms = _form_classes()
    assert len(forms) > 30
    assert [f.__qualname__ for f in forms if not issubclass(f, ClubForm)] == []


# Each server error the fuzzing found, through the real pages -------------------------------------
NUL = "typed\x00words"


def _profile(client):
    login(client, make_club_member())
    return "/me/profile", {"full_name": NUL, "city": "Bristol"}


def _hello(client):
    login(client, make_club_member(curator=make_curator()))
    return "/me/hello", {"body": NUL}


def _request(client):
    login(client, make_club_member(curator=make_curator()))
    return "/me/requests", {"topic": "help", "body": NUL}


def _thread_message(client):
    member = make_club_member(curator=make_curator())
    thread = make_request(member)
    login(client, member)
    return f"/me/requests/{thread.id}", {"body": NUL}


def _note(client):
    curator = make_curator()
    member = make_member(curator=curator)
    login(client, curator)
    return f"/curation/members/{member.id}/notes", {"note-body": NUL}


def _review_comment(client):
    curator = make_curator()
    application = make_application()
    login(client, curator)
    return f"/curation/applications/{application.id}/review", {"review-score": "4", "review-comment": NUL}


def _decision_reason(client):
    make_curator()
    application = make_application()
    login(client, make_admin())
    return f"/curation/applications/{application.id}/decision", {"decision-outcome": "rejected",
                                                                 "decision-reason": NUL}


def _curator_bio(client):
    login(client, make_curator())
    return "/curation/profile", {"profile-bio": NUL, "profile-capacity": "10"}


def _event_title(client):
    login(client, make_admin())
    return "/events/new", {"title": NUL, "starts_at": "2031-05-01T19:00", "ends_at": "2031-05-01T22:00",
                           "venue_name": "The Linden Room", "capacity": "20", "max_guests": "1",
                           "cancel_cutoff_hours": "24", "visibility": "members"}


def _payment_reference(client):
    member = make_member(state="pending_payment")
    login(client, make_admin())
    today = date.today()
    return f"/admin/billing/{membership_of(member).id}/payment", {
        "pay-amount": "150.00", "pay-paid_on": today.isoformat(), "pay-reference": NUL,
        "pay-period_start": today.isoformat(), "pay-period_end": (today + timedelta(days=30)).isoformat()}


def _interest_name(client):
    login(client, make_admin())
    return "/admin/interests", {"name": NUL}


def _invite_note(client):
    login(client, make_club_member())
    return "/invites", {"email": "friend@example.net", "note": NUL}


def _application_name(client):
    rules = current_rules()
    make_interests()
    invitation = make_invitation()
    return f"/apply/{token_for(invitation)}", application_form(rules.id, full_name=NUL)


NUL_CASES = [_profile, _hello, _request, _thread_message, _note, _review_comment, _decision_reason, _curator_bio,
             _event_title, _payment_reference, _interest_name, _invite_note, _application_name]


@pytest.mark.parametrize("case", NUL_CASES, ids=[c.__name__.strip("_") for c in NUL_CASES])
def test_a_nul_byte_in_any_text_field_is_a_field_error(client, ctx, case):
    url, data = case(client)
    r = client.post(url, data=data)
    page = r.get_data(as_text=True)
    assert r.status_code == 400, (r.status_code, page[:300])
    assert "typed" in page  # what was typed is kept (the hello box too, on the home page it sits on)
    assert CONTROL_MESSAGE in page


def test_a_line_break_in_ones_own_name_is_refused(client, ctx):
    member = make_club_member()
    login(client, member)
    r = client.post("/me/profile", data={"full_name": "Ada Quill\r\nBcc: everyone@example.org"})
    assert r.status_code == 400 and LINE_MESSAGE in r.get_data(as_text=True)
    assert db.session.get(User, member.id).full_name == member.full_name


def test_a_name_already_stored_with_line_breaks_still_mails_on_one_line(client, ctx, outbox):
    """Names stored before the policy: invites, curator requests and reassignment all still mail."""
    curator, other = make_curator(), make_curator()
    member = make_club_member(curator=curator, name="Ada\r\nBcc: everyone@example.org")
    login(client, member)
    assert client.post("/invites", data={"email": "friend@example.net"}).status_code == 302
    assert client.post("/me/requests", data={"topic": "help", "body": "Could you help?"}).status_code == 302
    client.post("/logout")
    login(client, make_admin())
    r = client.post(f"/curation/members/{member.id}/curator",
                    data={"reassign-curator_id": str(other.id), "reassign-reason": "Closer to home."})
    assert r.status_code == 302
    subjects = [str(m["Subject"]) for m in outbox.messages]
    assert any("Ada Bcc: everyone@example.org invites you" in s for s in subjects)
    assert len(outbox.messages) >= 4
    for message in outbox.messages:
        assert message["Bcc"] is None
        assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])


def test_a_payment_amount_beyond_the_column_is_a_field_error(client, ctx):
    member = make_member(state="pending_payment")
    login(client, make_admin())
    today = date.today()
    for amount in ("99999999999999999999", "21474837", "NaN", "Infinity", "1e999999"):
        r = client.post(f"/admin/billing/{membership_of(member).id}/payment", data={
            "pay-amount": amount, "pay-paid_on": today.isoformat(), "pay-reference": "Bank",
            "pay-period_start": today.isoformat(), "pay-period_end": (today + timedelta(days=30)).isoformat()})
        assert r.status_code == 400, amount
    assert db.session.scalar(db.select(db.func.count()).select_from(Payment)) == 0


@pytest.mark.parametrize("user_id", ["99999999999999999999", str(MAX_INT + 1), "-1", "1e3", "x"])
def test_a_huge_or_malformed_user_id_is_refused_not_a_server_error(client, ctx, user_id):
    admin = make_admin()
    make_admin()
    login(client, admin)
    r = client.post("/admin/staff/revoke", data={"user_id": user_id, "role": "admin"})
    assert r.status_code == 302
    assert client.get("/admin/staff").status_code == 200


@pytest.mark.parametrize("path", ["/events/99999999999999999999", f"/members/{MAX_INT + 1}/photo",
                                  "/curation/members?curator=99999999999999999999"])
def test_ids_in_addresses_beyond_a_column_are_not_found(client, ctx, path):
    login(client, make_admin())
    assert client.get(path).status_code in (200, 404)


def test_a_long_time_zone_is_a_field_error(client, ctx):
    login(client, make_admin())
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Time zone" in page
    data = {"club-submit": "1", "club-club_name": "The Linden Club", "club-mission": "A club.",
            "club-invite_quota": "3", "club-required_endorsements": "2", "club-curator_capacity": "25",
            "club-grace_days": "7", "club-retention_days": "180"}
    for zone in ("Europe/" + "x" * 500, "../../etc/passwd", "Europe/London\x00"):
        r = client.post("/admin/settings", data={**data, "club-timezone": zone})
        assert r.status_code == 400, zone
    assert client.post("/admin/settings", data={**data, "club-timezone": "Europe/Paris"}).status_code == 302


def _at_once(app, count, work):
    barrier = threading.Barrier(count, timeout=30)
    results = []

    def run(i):
        with app.test_request_context():
            barrier.wait()
            try:
                results.append(work(i))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_admins_creating_the_same_staff_account_at_once_make_one(app, ctx):
    from club.admin.service import AdminError, create_staff_account

    admins = [make_admin().id, make_admin().id, make_admin().id]

    def create(i):
        try:
            create_staff_account("new.curator@example.org", "New Curator", ["curator"], db.session.get(User, admins[i]))
            return "created"
        except AdminError as exc:
            return str(exc)

    results = _at_once(app, 3, create)
    db.session.commit()
    assert results.count("created") == 1, results
    assert all("already exists" in r for r in results if r != "created")
    assert db.session.scalar(db.select(db.func.count()).select_from(User)
                             .where(User.email == "new.curator@example.org")) == 1


def test_two_admins_adding_the_same_interest_at_once_make_one(app, ctx):
    from club.applications.errors import ApplicationError
    from club.applications.interests import add_interest

    admins = [make_admin().id, make_admin().id, make_admin().id]

    def add(i):
        try:
            add_interest("Letterpress", db.session.get(User, admins[i]))
            return "added"
        except ApplicationError as exc:
            return str(exc)

    results = _at_once(app, 3, add)
    db.session.commit()
    assert results.count("added") == 1, results
    assert all("on the list already" in r for r in results if r != "added")
    assert db.session.scalar(db.select(db.func.count()).select_from(InterestTag)) == 1


def test_a_valid_field_carries_no_aria_invalid_or_empty_describedby(client, ctx):
    """WTForms prints None as "None", and ARIA reads aria-invalid="None" as true: only errors set them."""
    page = client.get("/login").get_data(as_text=True)
    assert '="None"' not in page
    assert 'aria-invalid' not in page and 'aria-describedby' not in page  # email and password have no hint
    refused = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert '="None"' not in refused
