"""Event pages: the list and month view, an event and its booking actions, calendar files, and the
staff's pages to create, publish, call off and check in. Events a person may not see answer 404."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user, login_required

from club.core.inputs import search_words
from club.membership.access import member_required
from club.events import booking as bookings
from club.events import ballots, door, feeds, listing, manage
from club.events.errors import EventError
from club.events.feedback import give_feedback
from club.events.forms import BookingForm, CheckInForm, EventForm, FeedbackForm
from club.extensions import csrf, limiter

bp = Blueprint("events", __name__)

# What the door list says of a mark, in the flash after check-in (the stored codes stay English).
ATTENDANCE_MARKS = {None: _l("not marked"), "attended": _l("attended"), "no_show": _l("no show")}

# A member who loses access gives up their future seats, whichever feature changed the membership.


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


# Members ----------------------------------------------------------------------------------------

@bp.route("/events")
@member_required
def index():
    page = listing.events_page(_viewer(), tag=search_words(request.args.get("tag"), 60) or None,
                               page=request.args.get("page", 1, type=int))
    return render_template("events/index.html", page=page)


@bp.route("/events/month")
@member_required
def month():
    year, month_number = _parse_month(request.args.get("m", ""))
    page = listing.month_page(_viewer(), year, month_number)
    return render_template("events/month.html", page=page)


def _parse_month(raw: str) -> tuple[int | None, int | None]:
    try:
        year, month_number = raw.split("-", 1)
        return int(year), int(month_number)
    except ValueError:
        return None, None


@bp.route("/events/<int:event_id>")
def show(event_id: int):
    return _render_event(listing.event_page(_viewer(), event_id), BookingForm())


def _render_event(page, form, status: int = 200):
    return render_template("events/show.html", page=page, form=form,
                           ballot=ballots.panel_for(_viewer(), page.event)), status


@bp.route("/events/<int:event_id>/book", methods=["POST"])
def book(event_id: int):
    user = _viewer()
    if user is None:
        abort(404)
    form = BookingForm()
    if not form.validate():
        return _render_event(listing.event_page(user, event_id), form, 400)
    try:
        result = bookings.book(user, event_id, form.guests.data, wait_with_all=form.wait_with_all.data == "1")
    except EventError as exc:
        if exc.field == "guests":
            form.guests.errors = [str(exc)]
            return _render_event(listing.event_page(user, event_id), form, 400)
        flash(str(exc), "error")
        return redirect(url_for("events.show", event_id=event_id))
    if result.outcome == "fewer":
        # Fewer seats than the party: the page asks whether to come with fewer or wait with everyone.
        return render_template("events/show.html", page=listing.event_page(user, event_id), form=form,
                               fewer=result)
    messages = {
        "confirmed": (_("You are booked. We look forward to seeing you."), "success"),
        "waitlisted": (_("The event is full, so you are on the waitlist. We will write the moment a seat is yours."),
                       "info"),
        "already": (_("You already have a booking for this event."), "info"),
    }
    flash(*messages[result.outcome])
    return redirect(url_for("events.show", event_id=event_id))


@bp.route("/events/<int:event_id>/cancel", methods=["POST"])
def cancel(event_id: int):
    user = _viewer()
    if user is None:
        abort(404)
    try:
        booking = bookings.cancel_booking(user, event_id)
        flash(_("Your place on the waitlist is given up.") if booking.confirmed_at is None
              else _("Your booking is cancelled and your seat passed on. Thank you for letting us know."), "success")
    except EventError as exc:
        flash(str(exc), "error")
    return redirect(url_for("events.show", event_id=event_id))


@bp.route("/events/<int:event_id>.ics")
def event_ics(event_id: int):
    event, body = feeds.event_ics(_viewer(), event_id)
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'})


@bp.route("/calendar/<token>.ics")
@csrf.exempt
@limiter.limit("60/minute")
def calendar_feed(token: str):
    """A member's personal feed: the token in the URL is the credential (calendar apps send no cookie)."""
    body = feeds.feed_ics(token)
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=300"})


@bp.route("/events/calendar/regenerate", methods=["POST"])
@member_required
def regenerate_feed():
    feeds.regenerate_feed(_viewer())
    flash(_("Your calendar feed has a new address. Calendars subscribed to the old one no longer update: "
            "add the new one."), "success")
    return redirect(url_for("events.index") + "#calendar-feed")


@bp.route("/events/<int:event_id>/feedback", methods=["GET", "POST"])
@login_required
def feedback(event_id: int):
    user = _viewer()
    form = FeedbackForm()
    page = listing.event_page(user, event_id)
    if request.method == "POST" and form.validate():
        try:
            give_feedback(user, event_id, form.rating.data, form.comment.data)
            flash(_("Thank you. Your host will read every word."), "success")
            return redirect(url_for("events.show", event_id=event_id))
        except EventError as exc:
            if exc.field:
                getattr(form, exc.field).errors = [str(exc)]
            else:
                flash(str(exc), "error")
                return redirect(url_for("events.show", event_id=event_id))
    status = 400 if form.errors else (200 if page.may_give_feedback or page.feedback_given else 403)
    return render_template("events/feedback.html", page=page, form=form), status


# Staff ------------------------------------------------------------------------------------------

def _staff_only():
    if not (current_user.is_authenticated and current_user.is_staff):
        abort(404)


def _draft(form: EventForm) -> manage.EventDraft:
    return manage.EventDraft(
        title=form.title.data, description=form.description.data or "",
        starts_at=manage.local_to_utc(form.starts_at.data), ends_at=manage.local_to_utc(form.ends_at.data),
        venue_name=form.venue_name.data, venue_address=form.venue_address.data or "",
        capacity=form.capacity.data, max_guests=form.max_guests.data,
        cancel_cutoff_hours=form.cancel_cutoff_hours.data, visibility=form.visibility.data,
        invited_ids=list(form.invited_ids.data or []), tag_ids=list(form.tag_ids.data or []),
        host_id=form.host_id.data)


def _save(form: EventForm, save, event=None):
    if form.validate_on_submit():
        try:
            saved = save(_draft(form))
            flash(_("Event saved.") if event else _("Draft saved. Publish it when it is ready for members."), "success")
            return redirect(url_for("events.show", event_id=saved.id))
        except EventError as exc:
            if exc.field and hasattr(form, exc.field):
                getattr(form, exc.field).errors = [*getattr(form, exc.field).errors, str(exc)]
            else:
                flash(str(exc), "error")
    status = 400 if request.method == "POST" else 200
    return render_template("events/form.html", form=form, event=event), status


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new():
    _staff_only()
    form = EventForm()
    form.set_choices(manage.form_choices())
    if request.method == "GET":
        form.host_id.data = current_user.id
    return _save(form, lambda draft: manage.create_event(_viewer(), draft))


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int):
    event, values = manage.event_form_data(_viewer(), event_id)
    form = EventForm(data=values) if request.method == "GET" else EventForm()
    form.set_choices(manage.form_choices())
    return _save(form, lambda draft: manage.update_event(_viewer(), event_id, draft), event)


@bp.route("/events/<int:event_id>/publish", methods=["POST"])
def publish(event_id: int):
    _staff_only()
    try:
        manage.publish_event(_viewer(), event_id)
        flash(_("Published: members can now see and book it."), "success")
    except EventError as exc:
        flash(str(exc), "error")
    return redirect(url_for("events.show", event_id=event_id))


@bp.route("/events/<int:event_id>/call-off", methods=["POST"])
def call_off(event_id: int):
    _staff_only()
    try:
        told = manage.call_off_event(_viewer(), event_id)
        flash(ngettext("The event is called off. %(num)d person was told.",
                       "The event is called off. %(num)d people were told.", told), "success")
    except EventError as exc:
        flash(str(exc), "error")
    return redirect(url_for("events.show", event_id=event_id))


@bp.route("/events/<int:event_id>/attendees")
def attendees(event_id: int):
    page = door.attendees_page(_viewer(), event_id)
    return render_template("events/attendees.html", page=page, check_in_form=CheckInForm())


@bp.route("/events/<int:event_id>/attendees.csv")
def attendees_csv(event_id: int):
    event, body = door.attendees_csv(_viewer(), event_id)
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="event-{event.id}-attendees.csv"'})


@bp.route("/events/<int:event_id>/attendees/<int:booking_id>", methods=["POST"])
def check_in(event_id: int, booking_id: int):
    form = CheckInForm()
    if not form.validate():
        abort(400)
    try:
        booking = door.check_in(_viewer(), event_id, booking_id, form.attendance.data or None)
        flash(_("%(name)s: %(mark)s.", name=booking.user.full_name,
                mark=ATTENDANCE_MARKS.get(booking.attendance or None, booking.attendance)), "success")
    except EventError as exc:
        flash(str(exc), "error")
    return redirect(url_for("events.attendees", event_id=event_id) + f"#booking-{booking_id}")


from club.events import proposal_views  # noqa: E402,F401  (its routes are on this blueprint)
from club.events import ballot_views  # noqa: E402,F401  (its routes are on this blueprint)
