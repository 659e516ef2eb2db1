"""Directory privacy: what each viewer sees of each field, as rules and on the page."""
import pytest

from club.members import privacy
from club.members.privacy import FIELDS, MEMBER, SELF, STAFF
from tests.factories import login, make_admin, make_curator, make_member
from tests.members.factories import make_listed_member, make_tags


class _Profile:
    def __init__(self, listed, fields, photo="p.jpg"):
        self.directory_listed = listed
        self.directory_fields = list(fields)
        self.photo_filename = photo
        self.city, self.occupation, self.company = "Lisbon", "Architect", "Atelier"
        self.bio, self.interests, self.links = "Builds boats.", ["sailing"], ["https://x.example"]


# viewer × field: (listed, chosen fields, relation, field) -> visible?
CASES = [(listed, chosen, relation, name)
         for listed in (True, False)
         for chosen in ((), ("photo",), ("work", "city"), tuple(FIELDS))
         for relation in (SELF, STAFF, MEMBER)
         for name in FIELDS]


@pytest.mark.parametrize("listed,chosen,relation,name", CASES)
def test_each_field_is_visible_only_when_chosen_and_listed_or_to_oneself(listed, chosen, relation, name):
    expected = relation == SELF or (listed and name in chosen)
    assert (name in privacy.visible_fields(listed, chosen, relation)) is expected


@pytest.mark.parametrize("listed,chosen,relation,expected", [
    (False, (), MEMBER, False), (True, (), MEMBER, False), (True, ("photo",), MEMBER, True),
    (False, ("photo",), MEMBER, False), (False, (), STAFF, True), (False, (), SELF, True),
])
def test_photo_visibility(listed, chosen, relation, expected):
    assert privacy.can_see_photo(listed, chosen, relation) is expected


def test_card_holds_nothing_hidden_and_a_hidden_member_has_no_card():
    card = privacy.card_for(user_id=1, name="Ana", joined_at=None, profile=_Profile(True, ["city"]), relation=MEMBER)
    assert card.city == "Lisbon"
    assert card.occupation is card.company is card.bio is None and card.interests == () and card.links == ()
    assert card.has_photo is False
    assert privacy.card_for(user_id=1, name="Ana", joined_at=None, profile=_Profile(False, list(FIELDS)),
                            relation=MEMBER) is None


def test_search_never_matches_on_a_hidden_field():
    card = privacy.card_for(user_id=1, name="Ana", joined_at=None, profile=_Profile(True, ["work"]), relation=MEMBER)
    assert not privacy.matches(card, city="Lisbon")
    assert not privacy.matches(card, interest="sailing")
    assert privacy.matches(card, text="an")


def test_unknown_fields_are_dropped_from_a_choice():
    assert privacy.clean_choice(["links", "email", "photo", "photo"]) == ["photo", "links"]


FIELD_VALUES = {
    "work": lambda u: [f"Occupation-{u.id}", f"Company-{u.id}"],
    "city": lambda u: [f"City{u.id}ville"],
    "interests": lambda u: [f"interest{u.id}"],
    "bio": lambda u: [f"Bio text of member {u.id}."],
    "links": lambda u: [f"https://example.org/member-{u.id}"],
}


@pytest.mark.parametrize("viewer_kind", ["member", "curator", "admin"])
@pytest.mark.parametrize("shown", sorted(FIELD_VALUES))
def test_directory_page_shows_exactly_the_chosen_field(client, ctx, viewer_kind, shown):
    """Each field alone, for each kind of viewer: it shows, and every other field stays out of the page."""
    target = make_listed_member(fields=[shown])
    hidden = make_listed_member(fields=list(FIELDS), listed=False)
    viewer = {"member": make_member, "curator": make_curator, "admin": make_admin}[viewer_kind]()
    login(client, viewer)
    body = client.get("/members").get_data(as_text=True)
    assert target.full_name in body
    for name, values in FIELD_VALUES.items():
        for value in values(target):
            assert (value in body) is (name == shown), f"{name}: {value!r}"
    assert hidden.full_name not in body
    for values in FIELD_VALUES.values():
        for value in values(hidden):
            assert value not in body


def test_search_by_interest_and_city_finds_only_members_who_show_them(client, ctx):
    make_tags("sailing", "wine")
    sailor = make_listed_member(fields=["interests", "city"], interests=["sailing"], city="Bristol")
    secret_sailor = make_listed_member(fields=["city"], interests=["sailing"], city="Bristol")
    wine = make_listed_member(fields=["interests"], interests=["wine"])
    login(client, make_member())
    body = client.get("/members?interest=sailing").get_data(as_text=True)
    assert sailor.full_name in body and secret_sailor.full_name not in body and wine.full_name not in body
    body = client.get("/members?city=bristol").get_data(as_text=True)
    assert sailor.full_name in body and secret_sailor.full_name in body and wine.full_name not in body
    body = client.get(f"/members?q={wine.full_name}").get_data(as_text=True)
    assert wine.full_name in body and sailor.full_name not in body


def test_members_without_access_and_deleted_accounts_are_not_listed(client, ctx):
    lapsed = make_listed_member(fields=list(FIELDS), state="lapsed")
    login(client, make_member())
    assert lapsed.full_name not in client.get("/members").get_data(as_text=True)


def test_the_directory_needs_access(client, ctx):
    login(client, make_member(state="lapsed"))
    assert client.get("/members").status_code == 403


def test_privacy_defaults_to_hidden_and_choosing_is_recorded(client, ctx):
    member = make_member()
    login(client, member)
    page = client.get("/me/privacy").get_data(as_text=True)
    assert "Hidden: you do not appear" in page
    r = client.post("/me/privacy", data={"listed": "listed", "fields": ["city"]})
    assert r.status_code == 302
    from club.extensions import db
    from club.models.membership import MemberProfile
    profile = db.session.get(MemberProfile, member.id)
    assert profile.directory_listed and profile.directory_fields == ["city"] and profile.directory_chosen_at


def test_privacy_form_without_a_choice_is_refused(client, ctx):
    login(client, make_member())
    r = client.post("/me/privacy", data={"fields": ["city"]})
    assert r.status_code == 400 and "Choose listed or hidden." in r.get_data(as_text=True)
