"""The leaders page: scores worked out by hand, the reasons behind them, ambassadors named, ended
and flagged when their activity drops, the weights as settings, and who may see it."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from club.extensions import db
from club.membership import states
from club.membership.ambassadors import AmbassadorError, current_ambassadors, end_ambassador, name_ambassador
from club.metrics import leaders
from club.models.base import utcnow
from club.models.club import AuditEntry
from club.models.events import ATTENDED, NO_SHOW
from club.models.membership import Ambassadorship
from tests.factories import count_queries, login, make_admin, make_curator, make_member, make_user
from tests.metrics.factories import application, booking, invitation, member, past_event

WEIGHTS = {"attended": 1, "hosted": 3, "referrals": 5, "feedback": 1}


# -- the rules, by table ---------------------------------------------------------------------

@pytest.mark.parametrize("counts, total, order", [
    ({}, 0, []),
    ({"attended": 4}, 4, ["attended"]),
    ({"attended": 2, "hosted": 1}, 5, ["hosted", "attended"]),
    ({"attended": 1, "referrals": 1, "feedback": 1}, 7, ["referrals", "attended", "feedback"]),
    ({"attended": 0, "feedback": 2}, 2, ["feedback"]),  # a signal that did not fire is no reason
])
def test_a_score_is_count_times_weight_with_its_reasons_biggest_first(counts, total, order):
    score, reasons = leaders.score(counts, WEIGHTS)
    assert score == total and [r.signal for r in reasons] == order
    assert sum(r.points for r in reasons) == score


@pytest.mark.parametrize("recent, earlier, dropped", [
    (0, 0, True),     # nothing at all
    (0, 10, True),
    (4, 10, True),    # under half
    (5, 10, False),   # exactly half is holding on
    (10, 10, False),
    (3, 0, False),    # new activity
])
def test_an_ambassadors_activity_has_dropped_below_half(recent, earlier, dropped):
    assert leaders.has_dropped(recent, earlier) is dropped


# -- a club built by hand ----------------------------------------------------------------------

def _club():
    """Ada: 3 evenings attended (one 120 days ago), hosted 1, rated 2, one invitee approved who
    stayed. Ben: attended 1 (150 days ago), one invitee approved who left. Cy: a no-show only, and
    an evening 200 days ago (outside the six months). Dee: an ambassador who did nothing lately."""
    ada, ben, cy, dee = (member(400, name=n, email=f"{n.lower()}@example.org") for n in ("Ada", "Ben", "Cy", "Dee"))
    recent, older, oldest = past_event(10, capacity=10, seats_taken=3), past_event(120, capacity=10, seats_taken=2), \
        past_event(200, capacity=10, seats_taken=1)
    second = past_event(20, capacity=10, seats_taken=1)
    recent.host_id = ada.id
    booking(recent, ada, ATTENDED, rating=5)
    booking(second, ada, ATTENDED, rating=4)
    booking(older, ada, ATTENDED)
    booking(older, ben, ATTENDED)
    booking(recent, cy, NO_SHOW)
    booking(oldest, cy, ATTENDED)
    stayed = member(30, email="stayed@example.org")
    left = member(30, state=states.ENDED, ended_days_ago=2, email="left@example.org")
    application(invitation(ada, 50, "stayed@example.org"), 45, user=stayed, decided_days_ago=31, outcome="approved")
    application(invitation(ben, 50, "left@example.org"), 45, user=left, decided_days_ago=31, outcome="approved")
    db.session.commit()
    return ada, ben, cy, dee


def test_the_board_ranks_by_hand_worked_scores_with_their_reasons(ctx):
    ada, ben, cy, dee = _club()
    board = leaders.board(utcnow())
    # Ada: 3 attended ×1 + 1 hosted ×3 + 1 referral ×5 + 2 ratings ×1 = 13. Ben: 1 attended = 1.
    assert [(x.name, x.score) for x in board] == [("Ada", 13), ("Ben", 1)]
    assert {(r.signal, r.count, r.points) for r in board[0].reasons} == {
        ("attended", 3, 3), ("hosted", 1, 3), ("referrals", 1, 5), ("feedback", 2, 2)}


def test_ambassadors_are_listed_and_flagged_when_their_activity_dropped(ctx):
    ada, ben, cy, dee = _club()
    admin = make_admin()
    name_ambassador(ben, admin)
    name_ambassador(dee, admin)
    name_ambassador(ada, admin)
    db.session.commit()
    board = {x.name: x for x in leaders.board(utcnow())}
    assert board["Dee"].ambassador_since and board["Dee"].dropped and board["Dee"].score == 0
    # Ben attended 120 days ago (the earlier three months) and nothing since: dropped.
    assert board["Ben"].dropped and (board["Ben"].recent, board["Ben"].earlier) == (0, 1)
    # Ada: 2 attended + hosted + 2 ratings + a referral in the last three months (12) against 1 before.
    assert not board["Ada"].dropped and (board["Ada"].recent, board["Ada"].earlier) == (12, 1)
    assert "Cy" not in board


def test_weights_are_settings_and_change_the_ranking(ctx):
    ada, ben, *_ = _club()
    assert leaders.save_weights({"attended": 10, "hosted": 0, "referrals": 0, "feedback": 0}, make_admin())
    db.session.commit()
    assert [(x.name, x.score) for x in leaders.board(utcnow())] == [("Ada", 30), ("Ben", 10)]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "settings.changed")) == 1


def test_the_board_costs_the_same_statements_whatever_the_size(ctx):
    _club()
    with count_queries() as small:
        leaders.board(utcnow())
    for i in range(15):
        person = member(300, email=f"more{i}@example.org")
        booking(past_event(5 + i, capacity=5, seats_taken=1), person, ATTENDED, rating=3)
    db.session.commit()
    with count_queries() as big:
        leaders.board(utcnow())
    assert len(big) == len(small) <= 12


# -- ambassadors ---------------------------------------------------------------------------------

def test_naming_is_audited_happens_once_and_ending_keeps_the_history(ctx):
    person, admin = make_member(), make_admin()
    first = name_ambassador(person, admin)
    db.session.commit()
    again = name_ambassador(person, admin)
    db.session.commit()
    assert first.id == again.id and list(current_ambassadors()) == [person.id]
    assert end_ambassador(person, admin) and not end_ambassador(person, admin)
    db.session.commit()
    assert current_ambassadors() == {}
    assert db.session.scalar(select(func.count()).select_from(Ambassadorship)) == 1
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("membership.%"))
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["membership.ambassador_named", "membership.ambassador_ended"]


def test_the_database_keeps_one_open_ambassadorship_a_person(ctx):
    from sqlalchemy.exc import IntegrityError

    person, admin = make_member(), make_admin()
    db.session.add_all([Ambassadorship(user_id=person.id, named_by_id=admin.id),
                        Ambassadorship(user_id=person.id, named_by_id=admin.id)])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("state", [states.ENDED, states.SUSPENDED, states.PENDING_PAYMENT])
def test_only_a_current_member_can_be_named(ctx, state):
    with pytest.raises(AmbassadorError):
        name_ambassador(make_member(state=state), make_admin())
    with pytest.raises(AmbassadorError):
        name_ambassador(make_user(), make_admin())


# -- the page ----------------------------------------------------------------------------------

def test_the_admin_names_and_ends_an_ambassador_from_the_page(client, ctx):
    ada, *_ = _club()
    login(client, make_admin())
    page = client.get("/admin/leaders").get_data(as_text=True)
    assert "Ada" in page and "13" in page and "Evenings hosted: 1 (3 points)" in page
    answer = client.post("/admin/leaders/ambassadors", data={"user_id": ada.id, "action": "name"},
                         follow_redirects=True)
    assert "Ada is now an ambassador." in answer.get_data(as_text=True)
    assert list(current_ambassadors()) == [ada.id]
    client.post("/admin/leaders/ambassadors", data={"user_id": ada.id, "action": "end"})
    assert current_ambassadors() == {}


@pytest.mark.parametrize("data", [{"user_id": "x", "action": "name"}, {"user_id": "1", "action": "crown"}, {}])
def test_a_tampered_ambassador_form_is_refused(client, ctx, data):
    login(client, make_admin())
    assert client.post("/admin/leaders/ambassadors", data=data).status_code == 400


def test_bad_weights_get_a_field_error_and_keep_what_was_typed(client, ctx):
    login(client, make_admin())
    answer = client.post("/admin/leaders/weights", data={"attended": "7", "hosted": "1000", "referrals": "x",
                                                         "feedback": "1"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and 'value="7"' in page and 'value="1000"' in page
    assert 'aria-invalid="true"' in page
    assert leaders.weights() == {"attended": 1, "hosted": 3, "referrals": 5, "feedback": 1}


@pytest.mark.parametrize("who", ["member", "curator"])
def test_only_admins_see_the_leaders(client, ctx, who):
    login(client, make_member() if who == "member" else make_curator())
    assert client.get("/admin/leaders").status_code == 403
    assert client.post("/admin/leaders/weights", data={}).status_code == 403


def test_the_leaders_page_in_russian(client, ctx):
    _club()
    login(client, make_admin())
    page = client.get("/admin/leaders?lang=ru").get_data(as_text=True)
    assert "Лидеры и амбассадоры" in page and "Проведено вечеров: 1 (3 балла)" in page
