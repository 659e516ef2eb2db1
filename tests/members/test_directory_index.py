"""The directory's search columns hold exactly what a member shows, and follow every change."""
from __future__ import annotations

import pytest

from club.extensions import db
from club.members import directory
from club.members.directory_index import SEPARATOR, search_values
from club.models.membership import MemberProfile
from club.models.user import User
from tests.factories import make_member
from tests.members.factories import make_listed_member

S = SEPARATOR


@pytest.mark.parametrize("listed, chosen, expected", [
    (False, ["city", "interests"], (None, None, None)),
    (True, [], ("ada lovelace", None, None)),
    (True, ["city"], ("ada lovelace", "bristol", None)),
    (True, ["interests"], ("ada lovelace", None, f"{S}sailing{S}straße{S}")),
    (True, ["city", "interests", "bio"], ("ada lovelace", "bristol", f"{S}sailing{S}straße{S}")),
    (True, ["nonsense"], ("ada lovelace", None, None)),
])
def test_search_values_hold_only_shown_fields(listed, chosen, expected):
    values = search_values(name="Ada Lovelace", listed=listed, chosen=chosen, city="Bristol",
                           interests=["Sailing", "Straße"])
    assert (values["search_name"], values["search_city"], values["search_interests"]) == \
        tuple(v.replace("straße", "strasse") if v else v for v in expected)


def test_hiding_a_field_or_the_whole_card_takes_it_out_of_search_at_once(ctx):
    member = make_listed_member(fields=["city", "interests"], city="Bristol", interests=["sailing"])
    viewer = make_member()
    assert directory.search(viewer, city="bristol").total == 1
    profile = db.session.get(MemberProfile, member.id)
    profile.directory_fields = ["interests"]
    db.session.commit()
    assert directory.search(viewer, city="bristol").total == 0
    assert directory.search(viewer, interest="Sailing").total == 1
    profile.directory_listed = False
    db.session.commit()
    assert directory.search(viewer, interest="sailing").total == 0
    assert profile.search_name is None and profile.search_city is None and profile.search_interests is None


def test_a_new_name_is_found_and_the_old_one_is_not(ctx):
    member = make_listed_member(fields=[])
    viewer = make_member()
    db.session.get(User, member.id).full_name = "Émile Zola"
    db.session.commit()
    assert [c.user_id for c in directory.search(viewer, text="ÉMILE").cards] == [member.id]
    assert directory.search(viewer, text=member.email).total == 0


def test_a_changed_city_or_interest_is_searched_as_it_is_now(ctx):
    member = make_listed_member(fields=["city", "interests"], city="Bristol", interests=["sailing"])
    viewer = make_member()
    profile = db.session.get(MemberProfile, member.id)
    profile.city, profile.interests = "Lisbon", ["wine"]
    db.session.commit()
    assert directory.search(viewer, city="bristol").total == 0 and directory.search(viewer, city="lisb").total == 1
    assert directory.search(viewer, interest="sailing").total == 0 and directory.search(viewer, interest="wine").total == 1
