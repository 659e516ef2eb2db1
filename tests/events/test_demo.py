"""The "done when" walkthrough on the demo club: one nearly full event fills, the next member
waits, a cancellation promotes them with a mail in the outbox, and the calendar feed parses."""
import re

from icalendar import Calendar

from club.auth.service import find_user_by_email
from club.core import settings
from club.demo import DEMO_PASSWORD, seed
from club.models.club import RulesAcceptance
from club.extensions import db
from club.models.events import Event


def _sign_in(client, email):
    r = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert r.status_code == 302




def test_demo_walkthrough(client, ctx, outbox):
    seed()
    # The walkthrough is about events: both members have accepted the current club rules.
    rules = settings.current_rules()
    for email in ("member@demo.club", "second@demo.club"):
        user = find_user_by_email(email)
        if rules is not None and db.session.get(RulesAcceptance, (user.id, rules.id)) is None:
            db.session.add(RulesAcceptance(user_id=user.id, rules_version_id=rules.id))
    db.session.commit()
    supper = db.session.scalars(db.select(Event).where(Event.title == "Supper at the Long Table")).one()
    assert supper.capacity - supper.seats_taken == 1
    supper_id = supper.id

    _sign_in(client, "member@demo.club")
    listing = client.get("/events", follow_redirects=True).get_data(as_text=True)
    assert "Supper at the Long Table" in listing and "1 seat left" in listing
    assert "Private view" in listing  # the invite-only one she is invited to
    r = client.post(f"/events/{supper_id}/book", data={"guests": "0"}, follow_redirects=True)
    assert "You are booked" in r.get_data(as_text=True)
    feed = re.search(r'value="(http://club\.test/calendar/[^"]+\.ics)"',
                     client.get("/events", follow_redirects=True).get_data(as_text=True)).group(1)
    vevents = Calendar.from_ical(client.get(feed.replace("http://club.test", "")).data).walk("VEVENT")
    assert "Supper at the Long Table" in [str(v["SUMMARY"]) for v in vevents]
    client.post("/logout")

    _sign_in(client, "second@demo.club")
    assert "Private view" not in client.get("/events", follow_redirects=True).get_data(as_text=True)
    r = client.post(f"/events/{supper_id}/book", data={"guests": "0"}, follow_redirects=True)
    assert "number 1 on the waitlist" in r.get_data(as_text=True)
    client.post("/logout")

    _sign_in(client, "member@demo.club")
    client.post(f"/events/{supper_id}/cancel")
    promoted = outbox.to("second@demo.club")
    assert promoted and "A seat is yours: Supper at the Long Table" in promoted[-1]["Subject"]
