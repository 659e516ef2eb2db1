"""The curator's own profile page: editing it, errors keeping what was typed, curators only."""
from club.extensions import db
from club.models.club import InterestTag
from club.models.curation import CuratorProfile
from tests.factories import login, make_admin, make_curator


def test_a_curator_edits_their_profile_and_matching_uses_it(client, ctx):
    for name in ("books", "film", "sailing"):
        db.session.add(InterestTag(name=name))
    db.session.commit()
    curator = make_curator()
    login(client, curator)
    assert client.get("/curation/profile").status_code == 200
    r = client.post("/curation/profile", data={
        "profile-bio": "Sailor.", "profile-contact": "Call me", "profile-city": "Bristol",
        "profile-interests": ["sailing", "film"], "profile-languages": "english, Welsh, English", "profile-capacity": "12"})
    assert r.status_code == 302
    profile = db.session.get(CuratorProfile, curator.id)
    assert (profile.city, profile.interests, profile.languages, profile.capacity) == (
        "Bristol", ["film", "sailing"], ["English", "Welsh"], 12)


def test_profile_errors_keep_what_was_typed(client, ctx):
    curator = make_curator()
    login(client, curator)
    r = client.post("/curation/profile", data={"profile-city": "Bath", "profile-capacity": "0",
                                               "profile-interests": ["not-a-tag"]})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and 'value="Bath"' in body and 'class="error"' in body


def test_only_curators_have_a_profile_page(client, ctx):
    login(client, make_admin())
    assert client.get("/curation/profile").status_code == 403
