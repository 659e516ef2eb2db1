"""The referral tree: who brought whom and what became of them, for curators and admins only."""
import pytest

from club.extensions import db
from tests.applications.factories import make_application, make_club_member, make_invitation
from tests.factories import login, make_admin, make_curator


@pytest.mark.parametrize("who, allowed", [("member", False), ("curator", True), ("admin", True)])
def test_the_referral_tree_is_for_curators_and_admins(client, ctx, who, allowed):
    inviter = make_club_member(name="Margot Ellery")
    person = {"member": make_club_member, "curator": make_curator, "admin": make_admin}[who]()
    login(client, person)
    expected = 200 if allowed else 403
    assert client.get("/curation/referrals").status_code == expected
    assert client.get(f"/curation/referrals/{inviter.id}").status_code == expected


def test_the_referral_tree_shows_who_brought_whom_and_what_became_of_them(client, ctx):
    founder = make_club_member(name="Margot Ellery")
    applicant, application, _inv = make_application(founder, email="ada@example.net")
    make_invitation(founder, email="still.thinking@example.net")
    # Ada was admitted and invited someone herself.
    application.state = "approved"
    from club.models.membership import Membership
    db.session.add(Membership(user_id=applicant.id, state="active"))
    db.session.commit()
    make_invitation(applicant, email="next.generation@example.net")

    login(client, make_curator())
    overview = client.get("/curation/referrals").get_data(as_text=True)
    assert "Margot Ellery" in overview and "Ada Quill" in overview
    page = client.get(f"/curation/referrals/{founder.id}").get_data(as_text=True)
    assert "Ada Quill" in page and "Approved" in page and "active" in page
    assert "still.thinking@example.net" in page and "Sent" in page
    assert f"/curation/referrals/{applicant.id}" in page and "1 invited" in page
    child = client.get(f"/curation/referrals/{applicant.id}").get_data(as_text=True)
    assert "Brought in by" in child and "Margot Ellery" in child and "next.generation@example.net" in child
    assert client.get("/curation/referrals/999999").status_code == 404
