"""The curator-matching rule, as tables and as properties that must hold for any club."""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from club.curation.matching import Candidate, Newcomer, choose_curator, fit

C = Candidate.of


@pytest.mark.parametrize("newcomer, candidates, expected, all_full", [
    # the most shared interests and languages wins, whatever the city or load
    (Newcomer.of(["books", "wine"], ["English"], "London"),
     [C(1, 10, 0, ["film"], ["French"], "London"), C(2, 10, 8, ["books", "wine"], ["English"], "Paris")], 2, False),
    # languages count as much as interests
    (Newcomer.of(["art"], ["Italian", "French"], "Rome"),
     [C(1, 10, 0, ["art", "film"], ["English"], None), C(2, 10, 0, ["art"], ["Italian", "French"], None)], 2, False),
    # equal fit: the same city breaks the tie, even against a lighter load
    (Newcomer.of(["books"], ["English"], "Paris"),
     [C(1, 10, 1, ["books"], ["English"], "London"), C(2, 10, 5, ["books"], ["English"], "paris ")], 2, False),
    # equal fit and city: the lighter load
    (Newcomer.of(["books"], [], "London"),
     [C(1, 10, 6, ["books"], [], "London"), C(2, 10, 3, ["books"], [], "London")], 2, False),
    # everything equal: the lower id, so the answer is stable
    (Newcomer.of([], [], None), [C(7, 10, 2), C(3, 10, 2)], 3, False),
    # a full curator is passed over for one with room, however good the fit
    (Newcomer.of(["books", "wine"], ["English"], "London"),
     [C(1, 2, 2, ["books", "wine"], ["English"], "London"), C(2, 10, 9, [], [], None)], 2, False),
    # everyone full: the least loaded, and the admin must be told
    (Newcomer.of(["books"], [], "London"),
     [C(1, 2, 4, ["books"], [], "London"), C(2, 3, 3, [], [], None)], 2, True),
    # everyone full with equal loads: the better fit
    (Newcomer.of(["books"], [], None), [C(1, 2, 2), C(2, 2, 2, ["books"])], 2, True),
    # case and spaces do not matter
    (Newcomer.of(["Books "], ["english"], None), [C(1, 5, 0, ["wine"]), C(2, 5, 0, ["books"], ["English"])], 2, False),
])
def test_matching_table(newcomer, candidates, expected, all_full):
    match = choose_curator(newcomer, candidates)
    assert match.curator_id == expected
    assert match.all_full is all_full


def test_no_curators_no_match():
    assert choose_curator(Newcomer.of(["books"]), []) is None


def test_the_match_says_what_is_shared():
    match = choose_curator(Newcomer.of(["books", "wine", "film"], ["English", "French"], "London"),
                           [C(1, 5, 0, ["wine", "books"], ["French"], "London")])
    assert match.shared_interests == {"books", "wine"} and match.shared_languages == {"french"} and match.same_city


TAGS = ["art", "books", "film", "music", "wine", "sailing"]
LANGS = ["English", "French", "German"]
CITIES = [None, "London", "Paris"]


@st.composite
def candidates(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    ids = draw(st.lists(st.integers(min_value=1, max_value=1000), min_size=count, max_size=count, unique=True))
    result = []
    for curator_id in ids:
        capacity = draw(st.integers(min_value=1, max_value=6))
        result.append(C(curator_id, capacity, draw(st.integers(min_value=0, max_value=8)),
                        draw(st.lists(st.sampled_from(TAGS), max_size=4)), draw(st.lists(st.sampled_from(LANGS), max_size=2)),
                        draw(st.sampled_from(CITIES))))
    return result


newcomers = st.builds(Newcomer.of, st.lists(st.sampled_from(TAGS), max_size=4), st.lists(st.sampled_from(LANGS), max_size=2),
                      st.sampled_from(CITIES))


@settings(max_examples=300, deadline=None)
@given(newcomer=newcomers, pool=candidates(), seed=st.integers())
def test_matching_properties(newcomer, pool, seed):
    match = choose_curator(newcomer, pool)
    chosen = next(c for c in pool if c.curator_id == match.curator_id)
    with_room = [c for c in pool if c.has_room]

    # Deterministic: the order curators are listed in never changes the answer.
    shuffled = pool[:]
    random.Random(seed).shuffle(shuffled)
    assert choose_curator(newcomer, shuffled) == match

    if with_room:
        # Never a curator at capacity while another has room ...
        assert chosen.has_room and not match.all_full
        # ... and no one with room fits better.
        assert fit(newcomer, chosen) == max(fit(newcomer, c) for c in with_room)
        # Among equal fits in the same city (or equally not), nobody lighter was passed over.
        same = [c for c in with_room if fit(newcomer, c) == fit(newcomer, chosen)
                and (c.city or "").strip().casefold() == (chosen.city or "").strip().casefold()]
        assert chosen.load == min(c.load for c in same)
    else:
        # Everyone full: the least loaded, and the caller must tell the admin.
        assert match.all_full and chosen.load == min(c.load for c in pool)


@pytest.mark.parametrize("excluded, expected, all_full", [
    (frozenset(), 1, False),          # the best fit
    ({1}, 2, False),                  # the best fit vouched for the newcomer: the next one
    ({1, 2}, 3, True),                # only a full curator is left: chosen, and the admin is told
    ({1, 2, 3}, None, None),          # everyone vouched: no match, the caller tells the admin
    ({9}, 1, False),                  # excluding someone who is not a curator changes nothing
])
def test_curators_who_vouched_are_never_matched(excluded, expected, all_full):
    newcomer = Newcomer.of(["books", "wine"], ["English"], "London")
    pool = [Candidate.of(1, 5, 0, ["books", "wine"], ["English"], "London"),
            Candidate.of(2, 5, 3, ["books"], [], None),
            Candidate.of(3, 1, 1, ["books", "wine"], ["English"], "London")]
    match = choose_curator(newcomer, pool, excluded=excluded)
    assert (match.curator_id if match else None) == expected
    assert (match.all_full if match else None) is all_full
