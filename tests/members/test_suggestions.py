"""Members to meet: the reasons in both languages, who may be suggested (only what members show),
the ranking, the home page, and a constant number of statements."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from club.extensions import db
from club.members import introductions, suggestions
from club.membership import states
from club.models.events import ATTENDED
from club.models.membership import MemberProfile
from tests.factories import count_queries, login, make_member
from tests.members.factories import make_listed_member
from tests.metrics.factories import booking, past_event


@pytest.mark.parametrize("interests, city, evenings, title, english, russian", [
    (["sailing"], None, 0, None,
     ["You both like sailing"], ["У Вас общий интерес: sailing"]),
    (["парусный спорт"], None, 0, None,
     ["You both like парусный спорт"], ["У Вас общий интерес: парусный спорт"]),
    (["sailing", "wine"], None, 0, None,
     ["You both like sailing and wine"], ["У Вас общие интересы: sailing и wine"]),
    (["art", "sailing", "wine", "jazz"], None, 0, None,
     ["You both like art, sailing and wine"], ["У Вас общие интересы: art, sailing и wine"]),
    ([], "London", 0, None,
     ["You both live in London"], ["Вы живёте в одном городе: London"]),
    ([], None, 1, "Autumn Supper",
     ["You were both at “Autumn Supper”"], ["Вы вместе были на вечере «Autumn Supper»"]),
    ([], None, 2, None,
     ["You were at 2 evenings together"], ["Вы вместе были на 2 вечерах"]),
    ([], None, 5, None,
     ["You were at 5 evenings together"], ["Вы вместе были на 5 вечерах"]),
    ([], None, 21, None,
     ["You were at 21 evenings together"], ["Вы вместе были на 21 вечере"]),
    (["sailing"], "London", 1, "Autumn Supper",
     ["You both like sailing", "You both live in London", "You were both at “Autumn Supper”"],
     ["У Вас общий интерес: sailing", "Вы живёте в одном городе: London", "Вы вместе были на вечере «Autumn Supper»"]),
    ([], None, 0, None, [], []),
])
def test_reasons_read_well_in_both_languages(app, interests, city, evenings, title, english, russian):
    with app.test_request_context():
        with force_locale("en"):
            assert suggestions.reasons_for(interests, city, evenings, title) == english
        with force_locale("ru"):
            assert suggestions.reasons_for(interests, city, evenings, title) == russian


def _viewer(**kwargs):
    return make_listed_member(fields=[], city=kwargs.pop("city", "London"),
                              interests=kwargs.pop("interests", ["sailing", "wine"]), **kwargs)


def _names(viewer):
    return [s.name for s in suggestions.people_to_meet(viewer)]


def test_only_what_a_member_shows_is_used_and_hidden_members_never_appear(ctx):
    viewer = _viewer()
    shows_city = make_listed_member(fields=["city"], city="london", interests=["chess"], name="Cora City")
    hides_city = make_listed_member(fields=["interests"], city="London", interests=["chess"], name="Hal Hidden")
    hides_all = make_listed_member(fields=[], city="London", interests=["sailing"], name="Nia Nothing")
    unlisted = make_listed_member(fields=["city", "interests"], listed=False, city="London", interests=["sailing"],
                                  name="Ulla Unlisted")
    lapsed = make_listed_member(fields=["city", "interests"], state=states.LAPSED, city="London",
                                interests=["sailing"], name="Lars Lapsed")
    found = {s.name: s for s in suggestions.people_to_meet(viewer, limit=10)}
    assert set(found) == {"Cora City"}
    assert found["Cora City"].reasons == ("You both live in london",)
    assert found["Cora City"].card.interests == ()  # not shown, so not there to show
    for hidden in (hides_city, hides_all, unlisted, lapsed):
        assert hidden.id not in {s.user_id for s in found.values()}


def test_a_hidden_city_never_makes_a_reason_even_when_the_interest_does(ctx):
    viewer = _viewer()
    make_listed_member(fields=["interests"], city="London", interests=["Sailing"], name="Sam Sailor")
    [found] = suggestions.people_to_meet(viewer)
    assert found.reasons == ("You both like Sailing",)  # as the club wrote it, and no city


def test_ranked_by_what_is_in_common_three_at_most_and_never_oneself(ctx):
    viewer = _viewer()
    make_listed_member(fields=["city", "interests"], city="London", interests=["sailing", "wine"], name="Ann Both")
    make_listed_member(fields=["interests"], interests=["sailing", "wine"], name="Ben Two")
    make_listed_member(fields=["interests"], interests=["wine"], name="Cat One")
    make_listed_member(fields=["city"], city="London", name="Dan City")
    make_listed_member(fields=["city", "interests"], city="Paris", interests=["golf"], name="Eve Nothing")
    assert _names(viewer) == ["Ann Both", "Ben Two", "Cat One"]
    assert "Dan City" in [s.name for s in suggestions.people_to_meet(viewer, limit=10)]
    assert viewer.full_name not in [s.name for s in suggestions.people_to_meet(viewer, limit=10)]


def test_evenings_together_count_when_both_were_checked_in(ctx):
    viewer = _viewer(interests=[], city=None)
    met = make_listed_member(fields=[], interests=[], city=None, name="Mo Met")
    missed = make_listed_member(fields=[], interests=[], city=None, name="Nell No-show")
    supper = past_event(10, capacity=10, seats_taken=3, title="Autumn Supper")
    booking(supper, viewer, ATTENDED)
    booking(supper, met, ATTENDED)
    booking(supper, missed, "no_show")
    db.session.commit()
    [found] = suggestions.people_to_meet(viewer)
    assert found.user_id == met.id and found.reasons == ("You were both at “Autumn Supper”",)
    talk = past_event(5, capacity=10, seats_taken=2, title="Wine Talk")
    booking(talk, viewer, ATTENDED)
    booking(talk, met, ATTENDED)
    db.session.commit()
    [found] = suggestions.people_to_meet(viewer)
    assert found.reasons == ("You were at 2 evenings together",)


def test_members_with_an_introduction_are_not_suggested_again(ctx):
    viewer = _viewer()
    other = make_listed_member(fields=["interests"], interests=["sailing"], name="Ola Other")
    assert _names(viewer) == ["Ola Other"]
    introductions.ask(viewer, other.id)
    assert _names(viewer) == [] and _names(other) == []


def test_home_shows_the_suggestions_with_their_reasons_and_the_way_to_ask(client, ctx):
    viewer = _viewer()
    other = make_listed_member(fields=["interests"], interests=["sailing"], name="Ola Other")
    login(client, viewer)
    body = client.get("/me").get_data(as_text=True)
    assert "Members you may like to meet" in body and "Ola Other" in body and "You both like sailing" in body
    assert f"/members/{other.id}/introduction" in body
    assert other.email not in body
    body = client.get("/me?lang=ru").get_data(as_text=True)
    assert "У Вас общий интерес: sailing" in body


def test_the_home_page_costs_the_same_statements_for_5_and_60_members(client, ctx):
    viewer = _viewer()
    login(client, viewer)
    counts = []
    for total in (5, 60):
        while db.session.query(MemberProfile).count() < total:
            person = make_listed_member(fields=["city", "interests"], city="London", interests=["sailing"])
            supper = past_event(3, capacity=10, seats_taken=2, title=f"Supper {person.id}")
            booking(supper, viewer, ATTENDED)
            booking(supper, person, ATTENDED)
            db.session.commit()
        with count_queries() as counter:
            assert client.get("/me").status_code == 200
        counts.append(counter["n"])
    assert counts[0] == counts[1]


def test_suggestions_take_three_statements_whatever_the_club(ctx):
    viewer = _viewer()
    for _ in range(12):
        person = make_listed_member(fields=["city", "interests"], city="London", interests=["sailing"])
        supper = past_event(3, capacity=10, seats_taken=2)
        booking(supper, viewer, ATTENDED)
        booking(supper, person, ATTENDED)
    db.session.commit()
    db.session.expire_all()
    assert viewer.id and viewer.roles is not None  # the viewer is loaded, as on a page
    with count_queries() as counter:
        assert len(suggestions.people_to_meet(viewer)) == 3
    assert counter["n"] <= 3  # the viewer's profile, the ranking, the titles of single shared evenings


def test_a_member_without_a_profile_gets_no_suggestion_and_no_error(ctx):
    viewer = make_member()
    db.session.delete(db.session.get(MemberProfile, viewer.id))
    db.session.commit()
    make_listed_member(fields=["city"], city="London")
    assert suggestions.people_to_meet(viewer) == []
