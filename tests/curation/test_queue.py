"""The review queue: who sees it, tabs and counts, order, and a bounded number of queries."""

import pytest

from club.extensions import db
from tests.curation.factories import QueryCounter, make_application
from tests.factories import login, make_admin, make_curator, make_member


def test_visitors_sign_in_and_members_are_refused(client, ctx):
    assert "/login" in client.get("/curation/applications").headers["Location"]
    login(client, make_member())
    assert client.get("/curation/applications").status_code == 403
    assert client.get("/curation/members").status_code == 403


@pytest.mark.parametrize("maker", [make_curator, make_admin])
def test_curators_and_admins_see_the_queue(client, ctx, maker):
    make_application(name="Ada Ready")
    login(client, maker())
    r = client.get("/curation/applications")
    assert r.status_code == 200 and "Ada Ready" in r.get_data(as_text=True)


def test_tabs_filter_and_count_every_state(client, ctx):
    inviter = make_member()
    make_application(inviter, name="Rita Ready", endorsements=2)
    make_application(inviter, name="Rob Ready", endorsements=3)
    make_application(inviter, name="Sam Short", endorsements=1)
    make_application(inviter, name="Wes Waiting", state="waitlisted")
    make_application(inviter, name="Amy Approved", state="approved")
    make_application(inviter, name="Rex Rejected", state="rejected")
    make_application(inviter, name="Will Withdrawn", state="withdrawn")
    login(client, make_curator())

    def names(state):
        body = client.get(f"/curation/applications?state={state}").get_data(as_text=True)
        everyone = ["Rita Ready", "Rob Ready", "Sam Short", "Wes Waiting", "Amy Approved", "Rex Rejected", "Will Withdrawn"]
        return {n for n in everyone if n in body}, body

    ready, body = names("ready")
    assert ready == {"Rita Ready", "Rob Ready"}
    for label, count in [("Ready for decision", 2), ("Awaiting endorsements", 1), ("Waitlisted", 1), ("Decided", 2),
                         ("Withdrawn", 1)]:
        assert f'{label} <span class="count">{count}</span>' in body
    assert names("submitted")[0] == {"Sam Short"}
    assert names("waitlisted")[0] == {"Wes Waiting"}
    assert names("decided")[0] == {"Amy Approved", "Rex Rejected"}
    assert names("withdrawn")[0] == {"Will Withdrawn"}


def test_ready_applications_oldest_first_by_default_and_newest_on_request(client, ctx):
    inviter = make_member()
    make_application(inviter, name="Middle Mo", submitted_days_ago=5)
    make_application(inviter, name="Oldest Ola", submitted_days_ago=9)
    make_application(inviter, name="Newest Nia", submitted_days_ago=1)
    login(client, make_curator())
    body = client.get("/curation/applications").get_data(as_text=True)
    assert body.index("Oldest Ola") < body.index("Middle Mo") < body.index("Newest Nia")
    body = client.get("/curation/applications?sort=newest").get_data(as_text=True)
    assert body.index("Newest Nia") < body.index("Middle Mo") < body.index("Oldest Ola")


def test_the_queue_shows_the_average_score_and_mine(client, ctx):
    from club.curation.scoring import score_application

    application = make_application(name="Scored Sue")
    me, colleague = make_curator(), make_curator()
    score_application(application.id, me, 4, "good")
    score_application(application.id, colleague, 2, "unsure")
    login(client, me)
    body = client.get("/curation/applications").get_data(as_text=True)
    assert "3.0" in body and "(2)" in body


def _queue_queries(app, client, how_many):
    inviter = make_member()
    curator = make_curator()
    for i in range(how_many):
        application = make_application(inviter, submitted_days_ago=i + 1)
        from club.curation.scoring import score_application

        score_application(application.id, curator, 1 + i % 5, "seen")
    login(client, curator)
    client.get("/curation/applications")  # warm up: settings, templates
    with QueryCounter(db.engine) as counter:
        r = client.get("/curation/applications")
    assert r.status_code == 200
    return counter.count


def test_the_queue_runs_the_same_number_of_queries_for_3_and_30_applications(app, client, ctx):
    few = _queue_queries(app, client, 3)
    db.session.remove()
    from tests.conftest import _empty_tables

    _empty_tables()
    many = _queue_queries(app, client, 30)
    assert few == many, f"{few} queries for 3 applications, {many} for 30"
    assert many <= 8
