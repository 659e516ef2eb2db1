"""The events' periodic jobs (``club.core.jobs``): reminders a day before, feedback requests after.
Both claim each booking's mail in the database, so running them often sends nothing twice."""
from club.core.jobs import periodic

periodic("send-reminders", every=10 * 60, target="club.events.mailings:send_reminders")
periodic("send-feedback-requests", every=60 * 60, target="club.events.mailings:send_feedback_requests")
# Ballots: the draw once a window has ended (claimed in the database, so drawn once), and offers of
# seats from a ballot evening's waitlist that ran out of time.
periodic("draw-ballots", every=5 * 60, target="club.events.ballot_close:draw_due")
periodic("expire-waitlist-offers", every=5 * 60, target="club.events.offers:expire_offers")
