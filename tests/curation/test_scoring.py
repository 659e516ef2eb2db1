"""Scores: one per curator, changeable until the decision, never on one's own invitee."""
import pytest

from club.curation.errors import CurationError
from club.curation.scoring import score_application
from club.extensions import db
from club.models.club import AuditEntry
from club.models.curation import Review
from tests.curation.factories import make_application
from tests.factories import login, make_admin, make_curator, make_member


def _reviews(application):
    return db.session.scalars(db.select(Review).where(Review.application_id == application.id)).all()


def test_a_curator_scores_once_and_can_change_it(client, ctx):
    application = make_application()
    curator = make_curator()
    login(client, curator)
    r = client.post(f"/curation/applications/{application.id}/review",
                    data={"review-score": "3", "review-comment": "Promising."})
    assert r.status_code == 302
    client.post(f"/curation/applications/{application.id}/review", data={"review-score": "5", "review-comment": "Met them: yes."})
    reviews = _reviews(application)
    assert [(x.curator_id, x.score, x.comment) for x in reviews] == [(curator.id, 5, "Met them: yes.")]
    actions = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.subject_id == application.id)
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["application.scored", "application.score_changed"]


def test_every_curators_score_and_comment_is_on_the_page(client, ctx):
    application = make_application()
    first, second = make_curator(name="Cora First"), make_curator(name="Cy Second")
    score_application(application.id, first, 4, "Warm endorsements.")
    score_application(application.id, second, 2, "Thin on contribution.")
    login(client, first)
    body = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    for text in ("Cora First", "Warm endorsements.", "Cy Second", "Thin on contribution.", "Update my score"):
        assert text in body


def test_the_inviting_curator_cannot_score_their_invitee(client, ctx):
    inviter = make_curator()
    application = make_application(inviter)
    login(client, inviter)
    body = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    assert "You invited this applicant" in body and "Save my score" not in body
    r = client.post(f"/curation/applications/{application.id}/review", data={"review-score": "5"})
    assert r.status_code == 403
    assert _reviews(application) == []


@pytest.mark.parametrize("state", ["approved", "rejected", "waitlisted", "withdrawn"])
def test_scores_close_with_the_decision(client, ctx, state):
    application = make_application(state=state)
    login(client, make_curator())
    r = client.post(f"/curation/applications/{application.id}/review", data={"review-score": "4"})
    assert r.status_code == 400 and "Scores are closed" in r.get_data(as_text=True)
    assert _reviews(application) == []


def test_a_score_must_be_1_to_5_and_the_comment_is_kept(client, ctx):
    application = make_application()
    login(client, make_curator())
    r = client.post(f"/curation/applications/{application.id}/review", data={"review-score": "9", "review-comment": "kept text"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "kept text" in body and 'class="error"' in body
    with pytest.raises(CurationError):
        score_application(application.id, make_curator(), 0, None)


def test_admins_may_score_and_members_may_not(client, ctx):
    application = make_application()
    login(client, make_member())
    assert client.post(f"/curation/applications/{application.id}/review", data={"review-score": "4"}).status_code == 403
    client.post("/logout")
    login(client, make_admin())
    assert client.post(f"/curation/applications/{application.id}/review", data={"review-score": "4"}).status_code == 302


def test_unknown_application_is_404(client, ctx):
    login(client, make_curator())
    assert client.get("/curation/applications/999").status_code == 404
    assert client.post("/curation/applications/999/review", data={"review-score": "4"}).status_code == 404


def test_a_curator_who_endorsed_cannot_score_and_the_page_says_why(client, ctx):
    endorser = make_curator()
    application = make_application(endorsers=[endorser], endorsements=2)
    login(client, endorser)
    body = client.get(f"/curation/applications/{application.id}").get_data(as_text=True)
    assert "You endorsed this applicant, so you do not score them" in body and "Save my score" not in body
    r = client.post(f"/curation/applications/{application.id}/review", data={"review-score": "5"})
    assert r.status_code == 403
    assert _reviews(application) == []
