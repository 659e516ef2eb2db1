"""The admin dashboard costs the same statements whatever the club's size (issue 13): its counts are
aggregated in SQL, never loaded row by row."""
from club.membership import states
from tests.curation.factories import make_application
from tests.factories import count_queries, login, make_admin, make_curator, make_member


def _statements(client):
    client.get("/admin")  # signed in and past the gates: only the page is counted
    with count_queries() as counted:
        answer = client.get("/admin")
    assert answer.status_code == 200
    return counted["n"]


def test_the_dashboard_sends_the_same_statements_for_3_and_40_members(client, ctx):
    admin = make_admin()
    login(client, admin)
    make_member()
    make_member(state=states.LAPSED)
    make_application()
    small = _statements(client)
    for n in range(30):
        make_member(state=states.LAPSED if n % 5 == 0 else states.ACTIVE)
    for _ in range(6):
        make_application()
    make_curator()
    assert _statements(client) == small
