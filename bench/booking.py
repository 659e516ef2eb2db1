"""Booking throughput: the club's booking (``POST /events/<id>/book``, signed in, CSRF, checks,
mail to the outbox, flash and redirect) against the bare booking of ``bench/minimal.py`` (lock,
insert, seat count), in the same run, on the same database, each served by gunicorn (2 sync
workers) and loaded by ``wrk -t2 -c50``: 50 members at once, each booking the same 10-seat event
and then the next one, so every event is raced for by all 50. Counts 5xx answers (wrk's Lua hook),
and overbooking in the database afterwards: events whose ``seats_taken`` is over the capacity or
differs from their confirmed bookings. The events it makes (far in the future) and their bookings
and mail are deleted at the end.

    python bench/booking.py                      # SQLite scratch database of bench/pages.py
    BENCH_DATABASE_URL=postgresql://…/scratch python bench/booking.py
    (bench/pages.py runs it too, after the pages)
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLIENTS = 50
CAPACITY = 10
EVENTS_PER_RUN = 800  # more than 50 × events a run can reach: nobody books the same event twice

LUA = r"""
local members = {MEMBERS}
local events = {EVENTS}
local path, bare = "{PATH}", {BARE}
local threads, next_id = {}, 0
function setup(thread)
  thread:set("tid", next_id); next_id = next_id + 1; table.insert(threads, thread)
end
function init(args)
  per = math.floor(#members / {THREADS}); first = tid * per; counter = 0; fivexx = 0; fourxx = 0
end
function request()
  local m = members[first + (counter % per) + 1]
  local e = events[(math.floor(counter / per) % #events) + 1]
  counter = counter + 1
  local body
  local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
  if bare then body = "user=" .. m.user else body = "guests=0&csrf_token=" .. m.token; headers["Cookie"] = m.cookie end
  return wrk.format("POST", string.format(path, e), headers, body)
end
function response(status, headers, body)
  if status >= 500 then fivexx = fivexx + 1 elseif status >= 400 then fourxx = fourxx + 1 end
end
function done(summary, latency, requests)
  local five, four, sent = 0, 0, 0
  for _, t in ipairs(threads) do five = five + t:get("fivexx"); four = four + t:get("fourxx"); sent = sent + t:get("counter") end
  io.write(string.format("BOOKING fivexx=%d fourxx=%d sent=%d\n", five, four, sent))
end
"""


def _lua(members: list[dict], events: list[int], bare: bool, threads: int) -> str:
    def member(m):
        return "{" + f'user={m["user"]}, cookie="{m["cookie"]}", token="{m["token"]}"' + "}"

    return (LUA.replace("{MEMBERS}", "{" + ", ".join(member(m) for m in members) + "}")
            .replace("{EVENTS}", "{" + ", ".join(map(str, events)) + "}")
            .replace("{PATH}", "/book/%d" if bare else "/events/%d/book")
            .replace("{BARE}", "true" if bare else "false").replace("{THREADS}", str(threads)))


class Club:
    """The scratch club, through the app's own models (this process's DATABASE_URL)."""

    def __init__(self, url: str, secret: str) -> None:
        os.environ.update(DATABASE_URL=url, SECRET_KEY=secret, CLUB_ENV="development")
        from club import create_app

        self.app = create_app()

    def members(self, count: int) -> list[dict]:
        """Signed session cookies and CSRF tokens of ``count`` members with access."""
        from flask import g, session
        from flask_wtf.csrf import generate_csrf
        from sqlalchemy import select

        from club.auth.sessions import begin_session
        from club.extensions import db
        from club.models.membership import Membership
        from club.models.user import User

        out = []
        with self.app.app_context():
            ids = db.session.scalars(select(Membership.user_id).where(Membership.state == "active")
                                     .order_by(Membership.user_id).offset(100).limit(count)).all()
            serializer = self.app.session_interface.get_signing_serializer(self.app)
            for uid in ids:
                with self.app.test_request_context("/"):
                    begin_session(db.session.get(User, uid))
                    g.pop("csrf_token", None)  # generate_csrf keeps one per app context: one per member here
                    token = generate_csrf()
                    cookie = f"{self.app.config['SESSION_COOKIE_NAME']}={serializer.dumps(dict(session))}"
                    out.append({"user": uid, "cookie": cookie, "token": token})
            db.session.remove()
        return out

    def make_events(self, count: int, offset_days: int) -> list[int]:
        from sqlalchemy import insert, select

        from club.extensions import db
        from club.models.base import utcnow
        from club.models.events import Event

        from club.core.database import begin_write

        now = utcnow()
        with self.app.app_context():
            # A writer from the start: a read turned write fails at once on SQLite if the served
            # app wrote in between (BUSY_SNAPSHOT); BEGIN IMMEDIATE waits its turn instead.
            begin_write()
            first = (db.session.scalar(select(db.func.max(Event.id))) or 0) + 1
            starts = now + timedelta(days=3650 + offset_days)
            db.session.execute(insert(Event), [dict(
                id=first + i, state="published", title=f"Bench race {first + i}", description="", starts_at=starts,
                ends_at=starts + timedelta(hours=2), venue_name="Bench", venue_address="", capacity=CAPACITY,
                seats_taken=0, max_guests=0, cancel_cutoff_hours=24, visibility="members", sequence=0,
                created_at=now, updated_at=now, published_at=now) for i in range(count)])
            if db.engine.dialect.name == "postgresql":
                db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('events', 'id'), "
                                           "(SELECT max(id) FROM events))"))
            db.session.commit()
            db.session.remove()
        return list(range(first, first + count))

    def outcome(self, event_ids: list[int]) -> dict:
        """Bookings made, and overbooked events, counted in the database."""
        from sqlalchemy import case, func, select

        from club.extensions import db
        from club.models.events import Booking, Event

        with self.app.app_context():
            confirmed = (select(Booking.event_id, func.sum(1 + Booking.guests).label("seats"))
                         .where(Booking.state == "confirmed", Booking.event_id.in_(event_ids))
                         .group_by(Booking.event_id).subquery())
            rows = db.session.execute(
                select(Event.capacity, Event.seats_taken, func.coalesce(confirmed.c.seats, 0))
                .outerjoin(confirmed, confirmed.c.event_id == Event.id).where(Event.id.in_(event_ids))).all()
            made = db.session.scalar(select(func.count()).select_from(Booking).where(Booking.event_id.in_(event_ids)))
            over = sum(1 for cap, taken, seats in rows if taken > cap or seats > cap or taken != seats)
            db.session.remove()
        return {"bookings": made, "overbooked": over}

    def clean(self, event_ids: list[int], mail_after: int) -> None:
        from sqlalchemy import delete, func, select

        from club.extensions import db
        from club.models.club import OutboxMail
        from club.models.events import Booking, Event

        with self.app.app_context():
            for chunk in range(0, len(event_ids), 500):
                ids = event_ids[chunk:chunk + 500]
                db.session.execute(delete(Booking).where(Booking.event_id.in_(ids)))
                db.session.execute(delete(Event).where(Event.id.in_(ids)))
            db.session.execute(delete(OutboxMail).where(OutboxMail.id > mail_after))
            db.session.commit()
            db.session.remove()

    def last_mail(self) -> int:
        from sqlalchemy import func, select

        from club.extensions import db
        from club.models.club import OutboxMail

        with self.app.app_context():
            value = db.session.scalar(select(func.max(OutboxMail.id))) or 0
            db.session.remove()
        return value


def race(port: int, members: list[dict], events: list[int], bare: bool, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(members, events, bare, 2))
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{len(members)}", f"-d{seconds}s", "--timeout", "30s", "-s", script.name,
                              f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    counts = dict(re.findall(r"(fivexx|fourxx|sent)=(\d+)", out))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "5xx": int(counts["fivexx"]),
            "4xx": int(counts["fourxx"]), "sent": int(counts["sent"])}


def run(club: Club, app_port: int, ref_port: int, rounds: int, seconds: int) -> list[tuple[str, dict]]:
    """Interleaved rounds of the bare and the club's booking; a table row for each."""
    members = club.members(CLIENTS)
    if len(members) < CLIENTS:
        raise SystemExit(f"the scratch club has fewer than {CLIENTS + 100} active members")
    mail_after = club.last_mail()
    made: list[int] = []
    results: dict[str, list[dict]] = {"bare booking": [], "club booking": []}
    try:
        for n in range(rounds):
            for name, port, bare in (("bare booking", ref_port, True), ("club booking", app_port, False)):
                events = club.make_events(EVENTS_PER_RUN, offset_days=len(made) // EVENTS_PER_RUN)
                made += events
                result = race(port, members, events, bare, seconds)
                result.update(club.outcome(events))
                result["wrapped"] = result["sent"] > CLIENTS * EVENTS_PER_RUN
                results[name].append(result)
    finally:
        club.clean(made, mail_after)
    return list(results.items())


def table(database: str, rows: list[tuple[str, list[dict]]], seconds: int) -> str:
    base = statistics.median(r["rps"] for r in rows[0][1])
    lines = [f"\nBooking, {database}: {CLIENTS} members at once on each {CAPACITY}-seat event, wrk -t2 -c{CLIENTS} "
             f"-d{seconds}s, median of {len(rows[0][1])} rounds\n",
             "| booking | bookings/s | % of bare | 5xx | 4xx | overbooked events | bookings made |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, runs in rows:
        rps = statistics.median(r["rps"] for r in runs)
        lines.append(f"| {name} | {rps:.0f} | {100 * rps / base:.1f} % | {sum(r['5xx'] for r in runs)} "
                     f"| {sum(r['4xx'] for r in runs)} | {sum(r['overbooked'] for r in runs)} "
                     f"| {sum(r['bookings'] for r in runs)} |")
        if any(r["wrapped"] for r in runs):
            lines.append(f"(warning: {name} ran out of fresh events; raise EVENTS_PER_RUN)")
    return "\n".join(lines)


def main() -> None:
    from bench import pages

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    url, env, _cookies = pages.prepare(10000, 500)
    club = Club(url, pages.SECRET)
    app_port, ref_port = pages._free_port(), pages._free_port()
    servers = [pages._serve("wsgi:app", env, app_port), pages._serve("bench.minimal:app", env, ref_port)]
    try:
        rows = run(club, app_port, ref_port, args.rounds, args.seconds)
    finally:
        for server in servers:
            pages._stop(server)
    print(table("PostgreSQL" if url.startswith("postgresql") else "SQLite", rows, args.seconds))


if __name__ == "__main__":
    main()
