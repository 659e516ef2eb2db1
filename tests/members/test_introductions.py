"""Introductions, double opt-in: the states table; no contact detail on any page or in any mail
before both accept; a refusal that reveals nothing; one introduction per double submit; who may
see and do what; staff proposals; erasure; a constant number of statements per page."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from club.core.erasure import erase_person
from club.extensions import db
from club.members import introduction_rules as rules, introductions
from club.membership import states
from club.models.club import AuditEntry, OutboxMail
from club.models.members import Introduction
from tests.factories import count_queries, login, make_admin, make_curator, make_member
from tests.members.factories import make_listed_member

# The states table ------------------------------------------------------------------------------

@pytest.mark.parametrize("state, a, b, side, after", [
    (rules.PROPOSED, False, False, rules.A, rules.ACCEPTED_BY_ONE),
    (rules.PROPOSED, False, False, rules.B, rules.ACCEPTED_BY_ONE),
    (rules.ACCEPTED_BY_ONE, True, False, rules.B, rules.MADE),
    (rules.ACCEPTED_BY_ONE, False, True, rules.A, rules.MADE),
    (rules.ACCEPTED_BY_ONE, True, False, rules.A, None),   # accepting twice
    (rules.MADE, True, True, rules.A, None),
    (rules.DECLINED, True, False, rules.B, None),
    (rules.WITHDRAWN, True, False, rules.B, None),
])
def test_accepting(state, a, b, side, after):
    if after is None:
        with pytest.raises(rules.InvalidIntroductionMove):
            rules.accept(state, a, b, side)
    else:
        assert rules.accept(state, a, b, side) == after


@pytest.mark.parametrize("state, side_accepted, declines, withdraws_as_side, withdraws_as_staff", [
    (rules.PROPOSED, False, True, False, True),
    (rules.ACCEPTED_BY_ONE, False, True, False, True),
    (rules.ACCEPTED_BY_ONE, True, False, True, True),
    (rules.MADE, True, False, False, False),
    (rules.DECLINED, False, False, False, False),
    (rules.WITHDRAWN, True, False, False, False),
])
def test_declining_and_withdrawing(state, side_accepted, declines, withdraws_as_side, withdraws_as_staff):
    if declines:
        assert rules.decline(state, side_accepted) == rules.DECLINED
    else:
        with pytest.raises(rules.InvalidIntroductionMove):
            rules.decline(state, side_accepted)
    assert rules.may_withdraw(state, is_side=True, side_accepted=side_accepted,
                              is_staff_in_charge=False) is withdraws_as_side
    assert rules.may_withdraw(state, is_side=False, side_accepted=False,
                              is_staff_in_charge=True) is withdraws_as_staff


@pytest.mark.parametrize("state, shows", [(s, s == rules.MADE) for s in rules.STATES])
def test_contact_details_show_only_once_made(state, shows):
    assert rules.shows_contact(state) is shows


def test_a_pair_is_stored_in_order_and_needs_two_people():
    assert rules.pair(7, 3) == rules.pair(3, 7) == (3, 7)
    with pytest.raises(rules.InvalidIntroductionMove):
        rules.pair(4, 4)


# A club to introduce ---------------------------------------------------------------------------

SECRET_LINK = "https://example.org/private-telegram"


def _pair():
    curator = make_curator(name="Julian Curator")
    asker = make_listed_member(fields=["city"], curator=curator, name="Margot Asker", email="margot@example.org")
    # Listed, but shows neither links nor anything else that would reach her.
    target = make_listed_member(fields=["interests"], name="Theo Target", email="theo@example.org",
                                interests=["sailing"])
    target.profile.links = [SECRET_LINK]
    asker.profile.links = ["https://example.org/margot-studio"]
    db.session.commit()
    return curator, asker, target


def _mails(to: str) -> list[OutboxMail]:
    return list(db.session.scalars(select(OutboxMail).where(OutboxMail.recipients.contains(to))
                                   .order_by(OutboxMail.id)))


def _all_pages(client, *paths) -> str:
    return "\n".join(client.get(p).get_data(as_text=True) for p in paths)


def test_no_contact_detail_is_shown_or_mailed_before_both_accept(app, ctx):
    curator, asker, target = _pair()
    asker_client, target_client = app.test_client(), app.test_client()
    login(asker_client, asker)
    login(target_client, target)

    r = asker_client.post(f"/members/{target.id}/introduction", data={"note": "I design deck chairs."})
    assert r.status_code == 302
    intro = db.session.scalar(select(Introduction))
    assert intro.state == rules.ACCEPTED_BY_ONE and intro.kind == rules.ASKED and intro.curator_id == curator.id

    # Before the answer: the sides see each other's names, never an address or a link.
    pages = _all_pages(asker_client, "/me", "/me/introductions", f"/members/{target.id}/introduction")
    assert "Theo Target" in pages and "theo@example.org" not in pages and SECRET_LINK not in pages
    pages = _all_pages(target_client, "/me", "/me/introductions", "/members")
    assert "Margot Asker" in pages and "I design deck chairs." in pages
    assert "margot@example.org" not in pages and "margot-studio" not in pages
    assert "1 introduction waits for your answer" in pages
    [asked] = _mails("theo@example.org")
    assert asked.template == "introduction_asked" and "Margot Asker" in asked.body
    assert "margot@example.org" not in asked.body and "margot-studio" not in asked.body
    [told] = _mails(curator.email)
    assert told.template == "introduction_curator" and "Margot Asker" in told.body and "Theo Target" in told.body
    assert "margot@example.org" not in told.body and "theo@example.org" not in told.body

    # Both accepted: each sees, and is mailed, the other's address and links.
    assert target_client.post(f"/me/introductions/{intro.id}/accept").status_code == 302
    db.session.refresh(intro)
    assert intro.state == rules.MADE and intro.closed_at is not None
    assert "margot@example.org" in target_client.get("/me/introductions").get_data(as_text=True)
    body = asker_client.get("/me/introductions").get_data(as_text=True)
    assert "theo@example.org" in body and SECRET_LINK in body
    [made] = [m for m in _mails("margot@example.org") if m.template == "introduction_made"]
    assert "theo@example.org" in made.body and SECRET_LINK in made.body
    [made] = [m for m in _mails("theo@example.org") if m.template == "introduction_made"]
    assert "margot@example.org" in made.body and "margot-studio" in made.body
    # Staff follow the introduction, not the addresses.
    staff_client = app.test_client()
    login(staff_client, curator)
    body = staff_client.get("/curation/introductions").get_data(as_text=True)
    assert "Margot Asker" in body and "Theo Target" in body and "Introduced" in body
    assert "theo@example.org" not in body and "margot@example.org" not in body
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("introduction.asked") == 1 and actions.count("introduction.accepted") == 1


def test_a_decline_tells_the_asker_only_that_it_did_not_happen(app, ctx):
    curator, asker, target = _pair()
    intro, _ = introductions.ask(asker, target.id, "Hello")
    introductions.decline(target, intro.id)
    assert intro.state == rules.DECLINED
    [mail] = [m for m in _mails(asker.email) if m.template == "introduction_not_made"]
    # Another introduction ended by the curator instead: the asker reads the very same words.
    other = make_listed_member(fields=["interests"], name="Theo Target", email="theo2@example.org")
    second, _ = introductions.ask(asker, other.id)
    introductions.withdraw(curator, second.id)
    [first_mail, second_mail] = [m for m in _mails(asker.email) if m.template == "introduction_not_made"]
    assert first_mail.body == second_mail.body and first_mail.subject == second_mail.subject
    assert "declined" not in mail.body.lower().replace("nobody is told", "")  # never says who, or that anyone did
    assert "theo@example.org" not in mail.body
    client = app.test_client()
    login(client, asker)
    body = client.get("/me/introductions").get_data(as_text=True)
    assert body.count("Did not happen") == 2 and "declined" not in body.lower().replace("who declined", "")
    # The one who declined is not mailed, and cannot be asked again.
    assert not [m for m in _mails(target.email) if m.template == "introduction_not_made"]
    again, created = introductions.ask(asker, target.id)
    assert not created and again.id == intro.id


def test_a_double_submit_makes_one_introduction(app, ctx):
    _curator, asker, target = _pair()
    client = app.test_client()
    login(client, asker)
    for _ in range(2):
        assert client.post(f"/members/{target.id}/introduction", data={"note": "Hi"}).status_code == 302
    assert db.session.scalar(select(func.count(Introduction.id))) == 1
    assert len(_mails(target.email)) == 1
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "introduction.asked")) == 1


def test_a_race_lost_at_the_unique_index_returns_the_winner(ctx, monkeypatch):
    _curator, asker, target = _pair()
    a, b = rules.pair(asker.id, target.id)
    winner = Introduction(member_a_id=a, member_b_id=b, kind=rules.ASKED, asked_by_id=target.id,
                          state=rules.ACCEPTED_BY_ONE)
    db.session.add(winner)
    db.session.commit()
    calls = []
    real = introductions.between

    def between_as_if_not_yet_committed(first, second):
        calls.append(1)
        return None if len(calls) == 1 else real(first, second)

    monkeypatch.setattr(introductions, "between", between_as_if_not_yet_committed)
    found, created = introductions.ask(asker, target.id)
    assert not created and found.id == winner.id
    assert db.session.scalar(select(func.count(Introduction.id))) == 1


def test_accepting_twice_and_answers_at_the_wrong_time_change_nothing(ctx):
    _curator, asker, target = _pair()
    intro, _ = introductions.ask(asker, target.id)
    introductions.accept(asker, intro.id)  # the asker accepted by asking
    assert intro.state == rules.ACCEPTED_BY_ONE
    introductions.accept(target, intro.id)
    introductions.accept(target, intro.id)
    introductions.decline(target, intro.id)
    introductions.withdraw(asker, intro.id)
    assert intro.state == rules.MADE
    assert len([m for m in _mails(asker.email) if m.template == "introduction_made"]) == 1


def test_who_may_be_asked_for(app, ctx):
    _curator, asker, target = _pair()
    hidden = make_listed_member(fields=["city"], listed=False)
    lapsed = make_listed_member(fields=["city"], state=states.LAPSED)
    client = app.test_client()
    login(client, asker)
    for person in (hidden, lapsed, asker):
        assert client.get(f"/members/{person.id}/introduction").status_code == 404
        assert client.post(f"/members/{person.id}/introduction", data={}).status_code == 404
    assert client.get("/members/999999/introduction").status_code == 404
    assert db.session.scalar(select(func.count(Introduction.id))) == 0
    # The ask page shows the member as the directory does: what they hide stays hidden.
    body = client.get(f"/members/{target.id}/introduction").get_data(as_text=True)
    assert "Theo Target" in body and "sailing" in body and target.profile.city not in body
    # Control characters and an overlong note are field errors, with what was typed kept.
    r = client.post(f"/members/{target.id}/introduction", data={"note": "x" * 501})
    assert r.status_code == 400 and "x" * 501 in r.get_data(as_text=True)
    assert client.post(f"/members/{target.id}/introduction", data={"note": "a\x00b"}).status_code == 400


def test_only_the_sides_answer_and_others_get_not_found(app, ctx):
    curator, asker, target = _pair()
    intro, _ = introductions.ask(asker, target.id)
    stranger = make_member()
    client = app.test_client()
    login(client, stranger)
    for action in ("accept", "decline", "withdraw"):
        assert client.post(f"/me/introductions/{intro.id}/{action}").status_code == 404
    assert client.post("/me/introductions/99999/accept").status_code == 404
    assert client.post(f"/me/introductions/{intro.id}/bogus").status_code == 404
    assert "Theo Target" not in client.get("/me/introductions").get_data(as_text=True)
    assert client.get("/curation/introductions").status_code == 403
    other_curator = make_curator()
    with pytest.raises(introductions.IntroductionNotFound):
        introductions.withdraw(other_curator, intro.id)
    lapsed = make_member(state=states.LAPSED)
    client = app.test_client()
    login(client, lapsed)
    assert client.get("/me/introductions").status_code == 403
    db.session.refresh(intro)
    assert intro.state == rules.ACCEPTED_BY_ONE


def test_curators_see_their_members_introductions_admins_see_all(app, ctx):
    curator, asker, target = _pair()
    introductions.ask(asker, target.id)
    other_curator = make_curator(name="Olive Othercurator")
    theirs_a = make_listed_member(fields=["city"], curator=other_curator, name="Quentin Quiet")
    theirs_b = make_listed_member(fields=["city"], curator=other_curator, name="Rosa Reserved")
    introductions.propose(other_curator, theirs_a.id, theirs_b.id)
    client = app.test_client()
    login(client, curator)
    body = client.get("/curation/introductions").get_data(as_text=True)
    assert "Margot Asker" in body and "Quentin Quiet" not in body
    client = app.test_client()
    login(client, make_admin())
    body = client.get("/curation/introductions").get_data(as_text=True)
    assert "Margot Asker" in body and "Quentin Quiet" in body and "Rosa Reserved" in body
    body = client.get("/curation/introductions?show=made").get_data(as_text=True)
    assert "Margot Asker" not in body and "No introductions here yet." in body


def test_a_curator_proposes_between_their_own_members_and_each_is_asked_in_their_language(app, ctx):
    curator = make_curator(name="Julian Curator")
    first = make_member(curator=curator, name="Anna Pervaya", email="anna@example.org")
    second = make_member(curator=curator, name="Boris Vtoroy", email="boris@example.org")
    first.language = "ru"
    outsider = make_member(name="Olga Outsider")
    db.session.commit()
    client = app.test_client()
    login(client, curator)
    body = client.get("/curation/introductions/new").get_data(as_text=True)
    assert "Anna Pervaya" in body and "Olga Outsider" not in body
    r = client.post("/curation/introductions/new", data={"first": first.id, "second": outsider.id})
    assert r.status_code == 400 and db.session.scalar(select(func.count(Introduction.id))) == 0
    r = client.post("/curation/introductions/new", data={"first": first.id, "second": first.id})
    assert r.status_code == 400 and "Choose two different members." in r.get_data(as_text=True)
    r = client.post("/curation/introductions/new", data={"first": first.id, "second": second.id,
                                                         "note": "Both restore old boats."})
    assert r.status_code == 302
    client.post("/curation/introductions/new", data={"first": second.id, "second": first.id})
    [intro] = db.session.scalars(select(Introduction)).all()
    assert intro.state == rules.PROPOSED and intro.kind == rules.PROPOSED_BY_STAFF
    [to_first] = _mails("anna@example.org")
    [to_second] = _mails("boris@example.org")
    assert to_first.language == "ru" and "куратор" in to_first.body and "Boris Vtoroy" in to_first.body
    assert to_second.language == "en" and "Anna Pervaya" in to_second.body
    assert "boris@example.org" not in to_first.body and "anna@example.org" not in to_second.body
    # One accepts: staff read "accepted by one side", never which.
    introductions.accept(first, intro.id)
    body = client.get("/curation/introductions").get_data(as_text=True)
    assert "Accepted by one side" in body
    member_client = app.test_client()
    login(member_client, second)
    body = member_client.get("/me/introductions").get_data(as_text=True)
    assert "Proposed by Julian Curator" in body and "Both restore old boats." in body
    assert "anna@example.org" not in body
    # An admin may introduce any two members.
    admin = make_admin()
    _intro, created = introductions.propose(admin, outsider.id, second.id)
    assert created


def test_staff_withdraw_and_the_asker_may_withdraw_their_ask(app, ctx):
    curator, asker, target = _pair()
    intro, _ = introductions.ask(asker, target.id)
    client = app.test_client()
    login(client, asker)
    assert client.post(f"/me/introductions/{intro.id}/withdraw").status_code == 302
    db.session.refresh(intro)
    assert intro.state == rules.WITHDRAWN
    # A withdrawn ask does not block asking again.
    again, created = introductions.ask(asker, target.id)
    assert created and again.id != intro.id
    client = app.test_client()
    login(client, curator)
    assert client.post(f"/curation/introductions/{again.id}/withdraw").status_code == 302
    db.session.refresh(again)
    assert again.state == rules.WITHDRAWN


def test_erasing_a_person_takes_their_introductions(ctx):
    _curator, asker, target = _pair()
    intro, _ = introductions.ask(asker, target.id, "My words")
    introductions.accept(target, intro.id)
    erase_person(asker.id)
    db.session.commit()
    assert db.session.scalar(select(func.count(Introduction.id))) == 0


@pytest.mark.parametrize("path, who", [("/me/introductions", "member"), ("/curation/introductions", "admin")])
def test_the_lists_cost_the_same_statements_for_2_and_25_introductions(app, ctx, path, who):
    curator = make_curator()
    viewer = make_listed_member(fields=["city"], curator=curator)
    admin = make_admin()
    client = app.test_client()
    login(client, viewer if who == "member" else admin)
    counts = []
    for total in (2, 25):
        while db.session.scalar(select(func.count(Introduction.id))) < total:
            other = make_listed_member(fields=["city", "links"], curator=curator)
            intro, _ = introductions.ask(other, viewer.id)
            if intro.id % 2:
                introductions.accept(viewer, intro.id)
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        counts.append(counter["n"])
    assert counts[0] == counts[1]


def test_asks_at_the_same_instant_make_one_introduction(app, ctx):
    from tests.events.test_booking_concurrency import run_together

    _curator, asker, target = _pair()
    target_id = target.id
    results, errors = run_together(app, [(asker.id, lambda user: introductions.ask(user, target_id, "Hi")[1])
                                         for _ in range(6)])
    assert errors == [None] * 6, errors
    assert sorted(results) == [False] * 5 + [True]
    db.session.commit()
    assert db.session.scalar(select(func.count(Introduction.id))) == 1
    assert db.session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.template == "introduction_asked")) == 1


def test_both_sides_accepting_at_the_same_instant_make_it_once(app, ctx):
    from tests.events.test_booking_concurrency import run_together

    curator = make_curator()
    first, second = make_member(curator=curator), make_member(curator=curator)
    intro, _ = introductions.propose(curator, first.id, second.id)
    intro_id = intro.id
    results, errors = run_together(app, [(first.id, lambda user: introductions.accept(user, intro_id).state),
                                         (second.id, lambda user: introductions.accept(user, intro_id).state)])
    assert errors == [None, None], errors
    assert sorted(results) == [rules.ACCEPTED_BY_ONE, rules.MADE]
    db.session.commit()
    db.session.refresh(intro)
    assert intro.state == rules.MADE and intro.a_accepted_at and intro.b_accepted_at
    assert db.session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.template == "introduction_made")) == 2
