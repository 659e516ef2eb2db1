"""Announcements: who posts and changes them, a double submit makes one, home's latest three."""
from datetime import timedelta

import pytest

from club.announcements import service
from club.extensions import db
from club.models.announcements import Announcement
from club.models.base import utcnow
from club.models.club import AuditEntry
from tests.factories import make_admin, make_curator, make_member


def _draft(title="Winter hours", body="The house closes at midnight.", pinned=False):
    return service.Draft(title=title, body=body, pinned=pinned)


def test_admins_and_curators_post_members_do_not(ctx):
    admin, curator, member = make_admin(), make_curator(), make_member()
    assert service.post(admin, _draft("From the owner")).author_id == admin.id
    assert service.post(curator, _draft("From a curator")).author_id == curator.id
    with pytest.raises(service.AnnouncementNotFound):
        service.post(member, _draft("From a member"))
    assert db.session.scalar(db.select(db.func.count()).select_from(Announcement)) == 2
    actions = list(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action.like("announcement.%"))))
    assert actions == ["announcement.posted"] * 2


def test_curators_change_only_their_own_admins_any(ctx):
    admin, curator, other = make_admin(), make_curator(), make_curator()
    mine = service.post(curator, _draft("Mine"))
    theirs = service.post(other, _draft("Theirs"))
    service.edit(curator, mine.id, _draft("Mine, edited", pinned=True))
    assert (mine.title, mine.pinned) == ("Mine, edited", True)
    with pytest.raises(service.AnnouncementNotFound):
        service.edit(curator, theirs.id, _draft("Hijacked"))
    with pytest.raises(service.AnnouncementNotFound):
        service.remove(curator, theirs.id)
    assert db.session.get(Announcement, theirs.id).title == "Theirs"
    service.edit(admin, theirs.id, _draft("Theirs, tidied by the owner"))
    service.remove(admin, mine.id)
    assert db.session.get(Announcement, mine.id) is None
    service.remove(admin, mine.id)  # a second click on a removed one is no error
    actions = [a for a in db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id))
               if a.startswith("announcement.")]
    assert actions == ["announcement.posted", "announcement.posted", "announcement.edited",
                       "announcement.edited", "announcement.removed"]


def test_empty_words_are_refused(ctx):
    curator = make_curator()
    with pytest.raises(service.AnnouncementError) as exc:
        service.post(curator, _draft(title="   "))
    assert exc.value.field == "title"
    with pytest.raises(service.AnnouncementError) as exc:
        service.post(curator, _draft(body="\n\n"))
    assert exc.value.field == "body"


def test_a_double_submit_makes_one(ctx):
    curator = make_curator()
    first = service.post(curator, _draft())
    again = service.post(curator, _draft())
    assert again.id == first.id
    assert db.session.scalar(db.select(db.func.count()).select_from(Announcement)) == 1


def test_a_double_submit_at_the_same_instant_makes_one(app, ctx):
    from tests.events.test_booking_concurrency import run_together

    curator = make_curator()
    results, errors = run_together(app, [(curator.id, lambda user: service.post(user, _draft()).id)] * 4)
    assert errors == [None] * 4 and len(set(results)) == 1
    db.session.rollback()  # this test's own transaction began before the threads wrote
    assert db.session.scalar(db.select(db.func.count()).select_from(Announcement)) == 1


def test_latest_puts_pinned_first_then_newest(ctx):
    admin = make_admin()
    now = utcnow()
    for n, (pinned, age) in enumerate([(False, 5), (True, 30), (False, 1), (False, 3), (True, 60)]):
        db.session.add(Announcement(title=f"A{n}", body="…", pinned=pinned, author_id=admin.id,
                                    created_at=now - timedelta(days=age)))
    db.session.commit()
    assert [a.title for a in service.latest()] == ["A1", "A4", "A2"]
    assert [a.title for a in service.latest(limit=5)] == ["A1", "A4", "A2", "A3", "A0"]
