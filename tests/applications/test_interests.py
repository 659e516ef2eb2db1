"""The interest list: admins add and remove interests; nobody else may."""
from club.extensions import db
from club.models.club import InterestTag
from tests.factories import login, make_admin, make_curator


def test_the_admin_manages_the_interest_list(client, ctx):
    login(client, make_admin())
    assert client.post("/admin/interests", data={"name": "  Wild   Swimming "}).status_code == 302
    assert db.session.scalars(db.select(InterestTag.name)).all() == ["wild swimming"]
    r = client.post("/admin/interests", data={"name": "WILD swimming"})
    assert r.status_code == 400 and "on the list already" in r.get_data(as_text=True)
    r = client.post("/admin/interests", data={"name": ""})
    assert r.status_code == 400 and "Give the interest a name." in r.get_data(as_text=True)
    page = client.get("/admin/interests").get_data(as_text=True)
    assert "wild swimming" in page and 'aria-current="page">Interests' in page
    tag_id = db.session.scalars(db.select(InterestTag.id)).one()
    assert client.post(f"/admin/interests/{tag_id}/remove").status_code == 302
    assert db.session.scalars(db.select(InterestTag)).all() == []
    assert client.post(f"/admin/interests/{tag_id}/remove").status_code == 404


def test_only_admins_manage_interests(client, ctx):
    login(client, make_curator())
    assert client.get("/admin/interests").status_code == 403
    assert client.post("/admin/interests", data={"name": "chess"}).status_code == 403
