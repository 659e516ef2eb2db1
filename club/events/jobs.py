"""The events' periodic jobs (``club.core.jobs``): reminders a day before, feedback requests after.
Both claim each booking's mail in the database, so running them often sends nothing twice."""
from club.core.jobs import periodic

periodic("send-reminders", every=10 * 60, target="club.events.mailings:send_reminders")
periodic("send-feedback-requests", every=60 * 60, target="club.events.mailings:send_feedback_requests")
