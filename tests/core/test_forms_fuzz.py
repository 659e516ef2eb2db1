"""Every form of the URL map, driven with generated junk as each kind of person: never a 5xx.

For each role (visitor, applicant, member, curator, admin) the test crawls the GET pages of the URL
map, reads each rendered ``<form>`` (its action and field names), then for every POST rule sends
Hypothesis-generated values (control characters, huge and malformed numbers, long strings, odd
unicode, dates out of range, empty) for the field names of the forms aimed at it, or of every form
of the app when no page shows one. GET rules get the same junk in their query strings. A rule the
role may not use (403, or a redirect to sign in) is checked once and not fuzzed further.

Run it on PostgreSQL too (TEST_DATABASE_URL): that is where NUL bytes and integers out of range fail.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from club.extensions import limiter
from club.membership.access import membership_of
from tests.applications.factories import APPLICANT_PASSWORD, make_club_member, make_interests, make_invitation, \
    token_for
from tests.applications.factories import make_application as apply_for_real
from tests.curation.factories import make_application
from tests.events.factories import make_event, seat
from tests.factories import PASSWORD, login, make_admin, make_curator, make_member
from tests.members.factories import make_request

pytestmark = pytest.mark.slow

EXAMPLES = 12  # per route and role; ~45 POST and ~45 GET rules

JUNK = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cs", "Co", "Zl", "Zp"],
                                   exclude_characters="\ud800"), max_size=10),
    st.sampled_from(["", "\x00", "a\x00b", "Ada\r\nBcc: x@example.org", "\x1b[31m", "\u2028", "\x85", "💥" * 50,
                     "99999999999999999999", "2147483648", "-2147483649", "-1", "0", "1e999999", "NaN",
                     "Infinity", "0.001", "9" * 40, "0001-01-01", "9999-12-31", "9999-12-31T23:59",
                     "0001-01-01T00:00", "2024-02-30", "x" * 300, "x" * 5000, "Europe/" + "x" * 500,
                     "a@b.c\x00", "../../etc/passwd", "%00", "<script>", "on", "y", "approved", "admin"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
VALUES = st.one_of(JUNK, st.lists(JUNK, min_size=2, max_size=3))
QUERY_KEYS = ["page", "q", "interest", "city", "state", "sort", "curator", "tag", "m", "next", "session_id",
              "show"]
SKIP = {"auth.logout", "static", "billing.webhook"}  # the webhook has its own tests (signature first)
LAST = {"members.leave", "members.delete_account", "admin.revoke_role", "billing.admin_suspension"}


class _Forms(HTMLParser):
    """The forms of a page: action -> the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, set[str]] = {}
        self._action: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._action = (attrs.get("action") or "").split("?")[0]
            self.forms.setdefault(self._action, set())
        elif tag in ("input", "textarea", "select", "button") and self._action is not None and attrs.get("name"):
            if attrs["name"] != "csrf_token":
                self.forms[self._action].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None


def _world():
    """One of everything a URL can name, and the people of each role."""
    make_interests()
    curator = make_curator()
    admin = make_admin()
    member = make_club_member(curator=curator)
    other = make_member(curator=curator)
    applicant, _application, invitation = apply_for_real(inviter=member, email="applicant@example.net")
    application = make_application()
    event = make_event(host=admin)
    booking = seat(event, member)
    thread = make_request(member)
    fresh_invite = make_invitation(member, email="fresh@example.net")
    ids = {"application_id": application.id, "user_id": other.id, "request_id": thread.id, "event_id": event.id,
           "booking_id": booking.id, "invitation_id": fresh_invite.id, "endorsement_id": 1, "tag_id": 1,
           "change_id": 1, "token": token_for(fresh_invite)}
    ids["membership_id"] = membership_of(member).id
    people = {"visitor": None, "applicant": applicant, "member": member, "curator": curator, "admin": admin}
    return people, ids


def _path(rule, ids) -> str:
    values = {arg: ids.get(arg, 1) for arg in rule.arguments}
    path = rule.rule
    for arg, value in values.items():
        path = re.sub(r"<(?:[^:<>]+:)?" + arg + r">", str(value), path)
    return path


@pytest.mark.parametrize("role", ["visitor", "applicant", "member", "curator", "admin"])
def test_every_form_answers_junk_without_a_server_error(app, ctx, client, role, monkeypatch):
    monkeypatch.setattr(limiter, "enabled", False)
    people, ids = _world()
    person = people[role]
    person_email = person.email if person is not None else None
    password = APPLICANT_PASSWORD if role == "applicant" else PASSWORD
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP]

    def sign_in():
        client.post("/logout")
        if person_email:
            login(client, person_email, password)

    sign_in()
    forms: dict[str, set[str]] = {}
    for rule in rules:
        if "GET" in rule.methods:
            r = client.get(_path(rule, ids))
            assert r.status_code < 500, (role, rule.rule, r.status_code)
            if r.mimetype == "text/html":
                parser = _Forms()
                parser.feed(r.get_data(as_text=True))
                for action, names in parser.forms.items():
                    forms.setdefault(action, set()).update(names)
    every_field = sorted(set().union(*forms.values())) if forms else ["body"]
    seen_errors: list = []
    fuzzed: list[str] = []

    for rule in sorted(rules, key=lambda r: (r.endpoint in LAST, r.rule)):
        path = _path(rule, ids)
        if "POST" in rule.methods:
            names = sorted(forms.get(path, ())) or every_field
            probe = client.post(path, data={})
            assert probe.status_code < 500, (role, rule.rule, probe.status_code)
            if probe.status_code == 403 or "/login" in probe.headers.get("Location", ""):
                continue  # not this role's: access control is tested elsewhere

            @settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(data=st.fixed_dictionaries({}, optional={name: VALUES for name in names}))
            def post_junk(data):
                r = client.post(path, data=data)
                if r.status_code >= 500:
                    seen_errors.append((role, "POST", rule.rule, data, r.status_code))
                assert r.status_code < 500

            post_junk()
            fuzzed.append(rule.rule)
            sign_in()  # a form may have ended the session (e.g. a changed password)
        if "GET" in rule.methods:
            @settings(max_examples=EXAMPLES // 2, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(query=st.dictionaries(st.sampled_from(QUERY_KEYS), JUNK, max_size=3))
            def get_junk(query):
                r = client.get(path, query_string=query)
                assert r.status_code < 500, (role, rule.rule, query, r.status_code)

            get_junk()
    assert seen_errors == []
    # The crawl really reached the role's forms (a login that silently failed would fuzz nothing).
    assert len(fuzzed) >= {"visitor": 3, "applicant": 5, "member": 15, "curator": 20, "admin": 30}[role], fuzzed
