"""One application on file: answers, who vouches, the inviter's track record, the history."""
from club.extensions import db
from club.models.membership import Membership
from tests.curation.factories import make_application
from tests.factories import login, make_curator, make_member


def test_the_application_page_shows_answers_referrals_track_record_and_history(client, ctx):
    inviter = make_member(name="Ivy Inviter")
    earlier = make_application(inviter, name="Earlier Eve", state="approved", submitted_days_ago=200)
    db.session.add(Membership(user_id=earlier.user_id, state="active", kind="complimentary"))
    db.session.commit()
    make_application(inviter, name="Turned Down Tom", state="rejected", submitted_days_ago=100)
    endorser = make_member(name="Enzo Endorser")
    application = make_application(inviter, endorsers=[endorser], name="Current Cleo",
                                   motivation="MOTIVATION TEXT", contribution="CONTRIBUTION TEXT")
    login(client, make_curator())
    body = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    for text in ("Current Cleo", "MOTIVATION TEXT", "CONTRIBUTION TEXT", "Invited by Ivy Inviter", "Enzo Endorser",
                 "Enzo Endorser vouches: a generous host.", "Earlier Eve", "Turned Down Tom", "active",
                 "Application submitted", "https://example.org/portfolio"):
        assert text in body, text


def test_links_that_are_not_web_addresses_are_not_made_clickable(client, ctx):
    application = make_application(links=["javascript:alert(1)"])
    login(client, make_curator())
    body = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    assert 'href="javascript:' not in body and "javascript:alert(1)" in body
