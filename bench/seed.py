"""Seed a scratch database with a club of a given size for the benchmark (not the demo).

    DATABASE_URL=sqlite:////tmp/bench/club.sqlite python bench/seed.py --members 10000 --events 500 --bookings 50000

Builds the schema with the migrations, then bulk-inserts members (profiles with mixed directory
choices), an admin and a curator, interest tags, events (a third past, the rest to come) with
bookings (the past ones checked at the door, some rated), requests to the curator, and open
applications. Prints the session cookies of a member, the curator and the admin as JSON on the
last line, for the load tool.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CITIES = ["London", "Bristol", "Lisbon", "Berlin", "Paris", "Madrid", "Vienna", "Dublin", "Oslo", "Rome"]
TAGS = ["wine", "sailing", "books", "cinema", "design", "music", "walking", "food", "art", "science"]
FIRST = ["Ada", "Ben", "Chloé", "Dev", "Ema", "Finn", "Greta", "Hugo", "Iris", "Jon", "Kai", "Lena", "Milo", "Nina"]
LAST = ["Smith", "Okafor", "Müller", "Rossi", "Silva", "Novak", "Berg", "Costa", "Dubois", "Kaur", "Lee", "Moreau"]
PASSWORD = "bench-correct-horse-battery"


def _migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade", "heads"], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)


def seed(members: int, events: int, applications: int, bookings_total: int | None = None,
         requests: int = 2000) -> dict[str, str]:
    from sqlalchemy import func, insert, select, text

    from club import create_app
    from club.auth.sessions import begin_session
    from club.core.passwords import hash_password
    from club.extensions import db
    from club.members.directory_index import search_values
    from club.models.applications import Application, Invitation
    from club.models.base import utcnow
    from club.models.club import InterestTag
    from club.models.events import Booking, Event, EventFeedback, EventTag
    from club.models.members import CuratorRequest, RequestMessage
    from club.models.membership import MemberProfile, Membership
    from club.models.user import User, UserRole

    app = create_app()
    rnd = random.Random(13)
    now = utcnow()
    with app.app_context():
        if db.session.scalar(select(func.count()).select_from(User)):
            sys.exit("the database is not empty: give bench/seed.py a scratch database")
        password_hash = hash_password(PASSWORD)
        users, memberships, profiles, roles = [], [], [], []
        staff = [(1, "admin@bench.example", "Alex Admin", "admin"), (2, "curator@bench.example", "Cora Curator", "curator")]
        for uid, email, name, role in staff:
            users.append(dict(id=uid, email=email, full_name=name, password_hash=password_hash, created_at=now))
            roles.append(dict(user_id=uid, role=role, granted_at=now))
        for i in range(members):
            uid = i + 3
            name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {uid}"
            users.append(dict(id=uid, email=f"member{uid}@bench.example", full_name=name,
                              password_hash=password_hash, created_at=now))
            memberships.append(dict(id=uid, user_id=uid, state="lapsed" if i % 10 == 9 else "active", kind="offline",
                                    plan="annual", curator_id=2, approved_at=now - timedelta(days=400),
                                    joined_at=now - timedelta(days=rnd.randrange(1, 900)), updated_at=now))
            listed = i % 4 != 0
            fields = rnd.sample(["photo", "work", "city", "interests", "bio", "links"], rnd.randrange(0, 5))
            city, interests = rnd.choice(CITIES), rnd.sample(TAGS, 3)
            profiles.append(dict(user_id=uid, city=city, occupation="Architect", company=f"Studio {uid % 97}",
                                 bio="Likes long suppers and short speeches.", interests=interests,
                                 languages=["English"], links=[f"https://example.org/{uid}"], directory_listed=listed,
                                 directory_fields=fields, directory_chosen_at=now, updated_at=now,
                                 **search_values(name=name, listed=listed, chosen=fields, city=city,
                                                 interests=interests)))
        db.session.execute(insert(User), users)
        db.session.execute(insert(UserRole), roles)
        db.session.execute(insert(Membership), memberships)
        db.session.execute(insert(MemberProfile), profiles)
        db.session.execute(insert(InterestTag), [dict(id=i + 1, name=t) for i, t in enumerate(TAGS)])
        event_rows, tag_rows, bookings, feedback = [], [], [], []
        per_event = min(max(1, bookings_total // max(events, 1)) if bookings_total else 20, members)
        for i in range(events):
            eid = i + 1
            starts = now + timedelta(days=rnd.randrange(-300, 600), hours=rnd.randrange(0, 24))
            event_rows.append(dict(id=eid, state="published", title=f"Supper no. {eid}", description="An evening.",
                                   starts_at=starts, ends_at=starts + timedelta(hours=3), venue_name="The Long Room",
                                   venue_address="1 Linden Street", capacity=per_event + 20, seats_taken=0,
                                   max_guests=1,
                                   cancel_cutoff_hours=24, visibility="members", host_id=2, created_by_id=2,
                                   sequence=0, created_at=now, updated_at=now, published_at=now))
            for t in rnd.sample(range(1, len(TAGS) + 1), 2):
                tag_rows.append(dict(event_id=eid, tag_id=t))
            past = starts < now  # a past evening was checked at the door, and some gave a rating
            for uid in rnd.sample(range(3, members + 3), per_event):
                came = "no_show" if past and uid % 7 == 0 else "attended" if past else None
                bookings.append(dict(event_id=eid, user_id=uid, state="confirmed", guests=0, queued_at=now,
                                     confirmed_at=now, attendance=came))
                if came == "attended" and uid % 4 == 0:
                    feedback.append(dict(event_id=eid, user_id=uid, rating=1 + uid % 5, comment="",
                                         created_at=starts + timedelta(days=1)))
            event_rows[-1]["seats_taken"] = per_event
        db.session.execute(insert(Event), event_rows)
        db.session.execute(insert(EventTag), tag_rows)
        # The member who browses has bookings of their own too.
        for eid in range(1, min(events, 30) + 1):
            if not any(b["event_id"] == eid and b["user_id"] == 3 for b in bookings):
                bookings.append(dict(event_id=eid, user_id=3, state="confirmed", guests=0, queued_at=now,
                                     confirmed_at=now))
        db.session.execute(insert(Booking), bookings)
        if feedback:
            db.session.execute(insert(EventFeedback), feedback)
        # Requests to the curator over the last year: most answered within a day, some waiting.
        threads, messages = [], []
        for i in range(requests):
            rid, uid = i + 1, 3 + rnd.randrange(members)
            opened = now - timedelta(days=rnd.randrange(0, 365), hours=rnd.randrange(0, 24))
            answered = i % 5 != 0
            threads.append(dict(id=rid, member_id=uid, topic="help", state="done" if answered and i % 2 else "open",
                                created_at=opened, updated_at=opened))
            messages.append(dict(request_id=rid, author_id=uid, body="Could you help?", created_at=opened))
            if answered:
                messages.append(dict(request_id=rid, author_id=2, body="Of course.",
                                     created_at=opened + timedelta(hours=rnd.randrange(1, 48))))
        if threads:
            db.session.execute(insert(CuratorRequest), threads)
            db.session.execute(insert(RequestMessage), messages)
        invitations, apps = [], []
        for i in range(applications):
            invitations.append(dict(id=i + 1, inviter_id=3 + i, email=f"applicant{i}@bench.example", created_at=now,
                                    expires_at=now + timedelta(days=30), opened_at=now, used_at=now))
            apps.append(dict(id=i + 1, invitation_id=i + 1, state="submitted", full_name=f"Applicant {i}",
                             email=f"applicant{i}@bench.example", city=rnd.choice(CITIES), occupation="Writer",
                             links=[], interests=rnd.sample(TAGS, 2), languages=["English"],
                             motivation="I like the club.", contribution="Suppers.", endorsement_count=0,
                             endorsers_asked=[], submitted_at=now - timedelta(hours=i)))
        if apps:
            db.session.execute(insert(Invitation), invitations)
            db.session.execute(insert(Application), apps)
        if db.engine.dialect.name == "postgresql":
            for table in ("users", "memberships", "events", "bookings", "interest_tags", "invitations", "applications",
                          "event_feedback", "curator_requests", "request_messages"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
        return cookies(app)


def cookies(app) -> dict[str, str]:
    """Signed session cookies for the member (id 3), the curator and the admin."""
    from flask import session

    from club.auth.sessions import begin_session
    from club.extensions import db
    from club.models.user import User

    out = {}
    serializer = app.session_interface.get_signing_serializer(app)
    for who, uid in (("member", 3), ("curator", 2), ("admin", 1)):
        with app.test_request_context("/"):
            begin_session(db.session.get(User, uid))
            out[who] = f"{app.config['SESSION_COOKIE_NAME']}={serializer.dumps(dict(session))}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10000)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--applications", type=int, default=300)
    parser.add_argument("--bookings", type=int, help="spread evenly over the events (default: 20 per event)")
    parser.add_argument("--requests", type=int, default=2000, help="requests to the curator over the last year")
    parser.add_argument("--cookies-only", action="store_true", help="only print cookies of an already seeded database")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if args.cookies_only:
        from club import create_app
        print(json.dumps(cookies(create_app())))
        return
    _migrate(url)
    print(json.dumps(seed(args.members, args.events, args.applications, args.bookings, args.requests)))


if __name__ == "__main__":
    main()
