"""The interest list: admins add and remove interests; nobody else may."""
import re

from club.extensions import db
from club.models.club import InterestTag
from tests.factories import login, make_admin, make_curator


def test_the_admin_manages_the_interest_list(client, ctx):
    login(client, make_admin())
    assert client.post("/admin/interests", data={"name": "  Wild   Swimming "}).status_code == 302
    # Kept as the admin wrote it (spaces tidied), and the same word in another case is refused.
    assert db.session.scalars(db.select(InterestTag.name)).all() == ["Wild Swimming"]
    r = client.post("/admin/interests", data={"name": "WILD swimming"})
    assert r.status_code == 400 and "on the list already" in r.get_data(as_text=True)
    r = client.post("/admin/interests", data={"name": ""})
    assert r.status_code == 400 and "Give the interest a name." in r.get_data(as_text=True)
    page = client.get("/admin/interests").get_data(as_text=True)
    assert "Wild Swimming" in page and 'aria-current="page">Interests' in page
    tag_id = db.session.scalars(db.select(InterestTag.id)).one()
    assert client.post(f"/admin/interests/{tag_id}/remove").status_code == 302
    assert db.session.scalars(db.select(InterestTag)).all() == []
    assert client.post(f"/admin/interests/{tag_id}/remove").status_code == 404


def test_only_admins_manage_interests(client, ctx):
    login(client, make_curator())
    assert client.get("/admin/interests").status_code == 403
    assert client.post("/admin/interests", data={"name": "chess"}).status_code == 403


def test_an_interest_reads_the_same_on_the_application_and_the_profile(app, client, ctx):
    """One casing everywhere, as the club wrote it: no capitalising on the application form."""
    from tests.factories import make_member

    db.session.add_all([InterestTag(name="books"), InterestTag(name="Wine")])
    db.session.commit()
    login(client, make_member())
    profile = client.get("/me/profile").get_data(as_text=True)
    assert re.search(r'<label for="interests-\d">books</label>', profile)
    assert re.search(r'<label for="interests-\d">Wine</label>', profile)
    from club.applications.forms import ApplicationForm

    with app.test_request_context():
        form = ApplicationForm()
        form.set_interests(["books", "Wine"])
        assert [label for _value, label in form.interests.choices] == ["books", "Wine"]
