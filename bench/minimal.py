"""The references the club is measured against, on the same database (``DATABASE_URL``):

- ``/``: a bare Flask page that renders 50 rows from one indexed SQLAlchemy query with Jinja;
- ``POST /book/<event_id>`` (form ``user``): a bare booking, the least a correct booking can do:
  take the event's lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL ``SELECT … FOR UPDATE``), read the
  count, insert the booking (confirmed if it fits, else waitlisted), add the seats, commit.
  No sign-in, no checks, no mail, no flash: the ceiling the club's booking is compared with.
"""
from __future__ import annotations

import os

from flask import Flask, render_template_string, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Integer, String, event, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Person(db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200))


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>People</title></head><body>
<h1>People</h1><ul>{% for p in people %}<li><a href="/p/{{ p.id }}">{{ p.full_name }}</a> {{ p.email }}</li>{% endfor %}</ul>
</body></html>"""

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db.init_app(app)

with app.app_context():
    ENGINE = db.engine
    SQLITE = ENGINE.dialect.name == "sqlite"
    if SQLITE:  # the same tuning as the club (club.core.database): WAL, busy timeout, our own BEGIN
        @event.listens_for(ENGINE, "connect")
        def _on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 15000")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

        @event.listens_for(ENGINE, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', '')}".strip())


@app.route("/")
def people():
    rows = db.session.scalars(select(Person).where(Person.id > 100).order_by(Person.id).limit(50)).all()
    return render_template_string(PAGE, people=rows)


LOCK = text("SELECT capacity, seats_taken FROM events WHERE id = :event" + ("" if SQLITE else " FOR UPDATE"))
INSERT = text("INSERT INTO bookings (event_id, user_id, state, guests, queued_at, confirmed_at) "
              "VALUES (:event, :user, :state, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) "
              "ON CONFLICT (event_id, user_id) DO NOTHING")
TAKE = text("UPDATE events SET seats_taken = seats_taken + 1 WHERE id = :event")


@app.post("/book/<int:event_id>")
def bare_book(event_id: int):
    user_id = int(request.form["user"])
    with ENGINE.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        capacity, taken = conn.execute(LOCK, {"event": event_id}).one()
        fits = taken + 1 <= capacity
        added = conn.execute(INSERT, {"event": event_id, "user": user_id,
                                      "state": "confirmed" if fits else "waitlisted"}).rowcount
        if fits and added:
            conn.execute(TAKE, {"event": event_id})
    return "booked" if fits else "waitlisted"
