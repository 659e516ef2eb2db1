"""Two curators deciding the same application at the same moment record one decision."""
import threading

from club.curation import decisions
from club.curation.errors import CurationError
from club.extensions import db
from club.models.applications import Application
from club.models.membership import Membership
from club.models.user import User
from club.models.curation import ApplicationDecision
from tests.curation.factories import make_application
from tests.factories import make_curator


def test_simultaneous_decisions_record_one(app, ctx, outbox):
    make_curator()
    application = make_application()
    deciders = [make_curator().id for _ in range(6)]
    outcomes = ["approved", "rejected", "waitlisted"] * 2
    barrier = threading.Barrier(len(deciders))
    results: list[str] = []

    def decide(user_id, outcome):
        with app.test_request_context():
            actor = db.session.get(User, user_id)
            barrier.wait()
            try:
                decisions.decide(application.id, outcome, "At the same time.", actor)
                results.append("ok")
            except CurationError:
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=args) for args in zip(deciders, outcomes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    db.session.commit()  # end the test's read snapshot; the threads committed on their own connections
    assert sorted(results) == ["ok"] + ["refused"] * 5
    assert db.session.scalar(db.select(db.func.count()).select_from(ApplicationDecision)) == 1
    state = db.session.get(Application, application.id).state
    memberships = db.session.scalar(db.select(db.func.count()).select_from(Membership)
                                    .where(Membership.user_id == application.user_id))
    assert memberships == (1 if state == "approved" else 0)
    assert len(outbox.to(application.email)) == 1
