"""The curator's workspace: their own members (admins: everyone), last contact, bounded queries."""
from club.curation.notes import add_note
from club.curation.workspace import my_members
from club.extensions import db
from club.membership import states
from club.models.curation import MemberNote
from tests.curation.factories import QueryCounter
from tests.factories import login, make_admin, make_curator, make_member


def test_a_curator_sees_only_their_own_members(client, ctx):
    mine, theirs = make_curator(), make_curator()
    make_member(curator=mine, name="Mina Mine")
    make_member(curator=mine, name="Paula Pending", state=states.PENDING_PAYMENT)
    make_member(curator=theirs, name="Otto Other")
    login(client, mine)
    body = client.get("/curation/members").get_data(as_text=True)
    assert "Mina Mine" in body and "Paula Pending" in body and "Awaiting payment" in body
    assert "Otto Other" not in body


def test_admins_see_every_member_and_can_narrow_to_one_curator(client, ctx):
    first, second = make_curator(name="Fay First"), make_curator(name="Sid Second")
    make_member(curator=first, name="Mina Mine")
    make_member(curator=second, name="Otto Other")
    login(client, make_admin())
    body = client.get("/curation/members").get_data(as_text=True)
    assert "Mina Mine" in body and "Otto Other" in body and "Fay First" in body
    body = client.get(f"/curation/members?curator={second.id}").get_data(as_text=True)
    assert "Otto Other" in body and "Mina Mine" not in body


def test_last_contact_is_the_latest_note(client, ctx):
    curator = make_curator()
    member = make_member(curator=curator)
    add_note(member.id, curator, "Called about the autumn dinner.")
    rows = my_members(curator)
    assert rows[0].last_contact is not None
    login(client, curator)
    body = client.get("/curation/members").get_data(as_text=True)
    assert rows[0].last_contact.strftime("%-d %b %Y") in body


def test_the_members_page_runs_a_fixed_number_of_queries(client, ctx):
    curator = make_curator()
    login(client, curator)

    def measure(n):
        for _ in range(n):
            member = make_member(curator=curator)
            db.session.add(MemberNote(member_id=member.id, author_id=curator.id, body="note"))
        db.session.commit()
        client.get("/curation/members")
        with QueryCounter(db.engine) as counter:
            assert client.get("/curation/members").status_code == 200
        return counter.count

    assert measure(2) == measure(20)
