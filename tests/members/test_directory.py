"""The directory: filtered, counted and cut in SQL, in a fixed number of statements."""
from __future__ import annotations


import pytest

from club.extensions import db
from club.members import directory
from club.models.membership import MemberProfile
from tests.factories import count_loads, count_queries, login, make_member
from tests.members.factories import make_listed_member


@pytest.mark.parametrize("query", ["", "?city=ville", "?interest=sailing", "?q=a&page=2"])
def test_the_directory_runs_the_same_number_of_statements_for_5_and_120_members(client, ctx, query):
    viewer = make_member()
    login(client, viewer)
    counts = []
    for total in (5, 120):
        while db.session.query(MemberProfile).filter(MemberProfile.directory_listed.is_(True)).count() < total:
            make_listed_member(fields=["city", "interests"], interests=["sailing"])
        with count_queries() as counter:
            r = client.get("/members" + query)
        assert r.status_code == 200
        counts.append(counter["n"])
    assert counts[0] == counts[1]


def test_pages_are_cut_in_order_and_count_every_match(ctx):
    members = [make_listed_member(fields=["city"], city="Bristol") for _ in range(directory.PAGE_SIZE + 3)]
    make_listed_member(fields=["interests"], city="Bristol")  # city hidden: not a match
    viewer = make_member()
    first = directory.search(viewer, city="bristol")
    second = directory.search(viewer, city="bristol", page=2)
    assert first.total == second.total == len(members) and first.pages == second.pages == 2
    assert len(first.cards) == directory.PAGE_SIZE and len(second.cards) == 3
    shown = [c.user_id for c in first.cards + second.cards]
    assert sorted(shown) == sorted(m.id for m in members)
    names = [c.name for c in first.cards + second.cards]
    assert names == sorted(names)
    assert directory.search(viewer, city="bristol", page=99).page == 2  # a stale link shows the last page


@pytest.mark.parametrize("needle", ["%", "_", "\\", "e\x1fw"])
def test_wildcards_in_a_search_match_only_themselves(ctx, needle):
    make_listed_member(fields=["city", "interests"], city="Bath", interests=["wine"])
    viewer = make_member()
    assert directory.search(viewer, text=needle).total == 0
    assert directory.search(viewer, city=needle).total == 0
    assert directory.search(viewer, interest=needle).total == 0


def test_a_page_loads_only_its_own_members(ctx):
    """The cut is made in SQL: a page of the directory hydrates one page of profiles, not the club."""
    for _ in range(directory.PAGE_SIZE + 12):
        make_listed_member(fields=["city"])
    viewer = make_member()
    db.session.expire_all()
    with count_loads(MemberProfile) as loaded:
        page = directory.search(viewer, page=2)
    assert len(page.cards) == 12 and len(loaded) == 12


@pytest.mark.parametrize("query", ["?q=%00", "?city=Ba%00th", "?interest=%00wine", "?q=" + "a" * 5000])
def test_control_characters_or_a_huge_search_are_searched_without_them_never_an_error(client, ctx, query):
    """PostgreSQL refuses a NUL even inside a LIKE pattern: the search drops control characters."""
    make_listed_member(fields=["city", "interests"], city="Bath", interests=["wine"])
    login(client, make_member())
    assert client.get(f"/members{query}").status_code == 200


def test_an_ambassador_is_marked_on_their_card(client, ctx):
    from club.membership.ambassadors import name_ambassador
    from tests.factories import make_admin

    named, other = make_listed_member(name="Ambra Named"), make_listed_member(name="Otto Other")
    name_ambassador(named, make_admin())
    db.session.commit()
    assert directory.search(other).ambassadors == {named.id}
    login(client, other)
    page = client.get("/members").get_data(as_text=True)
    named_card = page[page.index("Ambra Named"):page.index("Otto Other")]
    assert "Ambassador" in named_card
    assert "Ambassador" not in page[page.index("Otto Other"):]
