"""Ballot pages: the staff's ballot page (open, move the close, draw now, re-check), members'
entering and withdrawing, and the page of an offer of seats from the waitlist (accept, decline).
Imported at the bottom of ``club.events.views`` (same blueprint)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from club.events import ballot_close, ballots, offers
from club.events.errors import EventError
from club.events.forms import BookingForm
from club.events.ballot_forms import BallotForm
from club.events.manage import local_to_utc
from club.events.views import bp
from club.membership.access import member_required


def _user():
    return current_user._get_current_object()


def _back(event_id: int):
    return redirect(url_for("events.show", event_id=event_id) + "#your-place")


@bp.route("/events/<int:event_id>/ballot", methods=["GET", "POST"])
@login_required
def ballot(event_id: int):
    page = ballots.ballot_page(_user(), event_id, page=request.args.get("page", 1, type=int))
    form = BallotForm()
    if request.method == "GET" and page.ballot is not None:
        form.closes_at.data = ballots.closes_at_local(page.ballot)
    if request.method == "POST" and form.validate():
        try:
            ballots.open_ballot(_user(), event_id, local_to_utc(form.closes_at.data))
            flash(_("The ballot is open; members enter until it closes.") if page.ballot is None
                  else _("The ballot's close is moved."), "success")
            return redirect(url_for("events.ballot", event_id=event_id))
        except EventError as exc:
            if exc.field:
                form.closes_at.errors = [*form.closes_at.errors, str(exc)]
            else:
                flash(str(exc), "error")
    status = 400 if request.method == "POST" else 200
    return render_template("events/ballot.html", page=page, form=form), status


@bp.route("/events/<int:event_id>/ballot/draw", methods=["POST"])
@login_required
def ballot_draw_now(event_id: int):
    page = ballots.ballot_page(_user(), event_id)  # staff only
    if page.ballot is None:
        abort(404)
    outcome = ballot_close.draw_ballot(page.ballot.id, actor=_user())
    if outcome is None:
        flash(_("The draw has been made; the ballot is closed."), "info")
    else:
        flash(_("The ballot is drawn; everyone who entered has been written to."), "success")
    return redirect(url_for("events.ballot", event_id=event_id))


@bp.route("/events/<int:event_id>/ballot/recheck", methods=["POST"])
@login_required
def ballot_recheck(event_id: int):
    page = ballots.ballot_page(_user(), event_id)  # staff only
    if page.ballot is None:
        abort(404)
    if ballot_close.recheck(page.ballot.id):
        flash(_("Re-checked: the draw recomputed from its seed gives the recorded result."), "success")
    else:
        flash(_("Re-checked: the recorded result does not match the draw from its seed."), "error")
    return redirect(url_for("events.ballot", event_id=event_id))


@bp.route("/events/<int:event_id>/ballot/enter", methods=["POST"])
@member_required
def ballot_enter(event_id: int):
    form = BookingForm()
    if not form.validate():
        flash(" ".join(str(e) for e in form.guests.errors) or _("Say how many guests you bring."), "error")
        return _back(event_id)
    try:
        outcome = ballots.enter(_user(), event_id, form.guests.data)
        flash(_("You are in the ballot. We will write with the result after the draw.") if outcome == "entered"
              else _("You have already entered this ballot."), "success" if outcome == "entered" else "info")
    except EventError as exc:
        flash(str(exc), "error")
    return _back(event_id)


@bp.route("/events/<int:event_id>/ballot/withdraw", methods=["POST"])
@member_required
def ballot_withdraw(event_id: int):
    try:
        ballots.withdraw(_user(), event_id)
        flash(_("Your entry is withdrawn."), "success")
    except EventError as exc:
        flash(str(exc), "error")
    return _back(event_id)


@bp.route("/events/<int:event_id>/offers/<int:offer_id>")
@login_required
def offer(event_id: int, offer_id: int):
    return render_template("events/offer.html", offer=offers.offer_for(_user(), event_id, offer_id))


@bp.route("/events/<int:event_id>/offers/<int:offer_id>/accept", methods=["POST"])
@login_required
def offer_accept(event_id: int, offer_id: int):
    try:
        offers.accept_offer(_user(), event_id, offer_id)
        flash(_("You are booked. We look forward to seeing you."), "success")
    except EventError as exc:
        flash(str(exc), "error")
        return redirect(url_for("events.offer", event_id=event_id, offer_id=offer_id))
    return _back(event_id)


@bp.route("/events/<int:event_id>/offers/<int:offer_id>/decline", methods=["POST"])
@login_required
def offer_decline(event_id: int, offer_id: int):
    try:
        offers.decline_offer(_user(), event_id, offer_id)
        flash(_("The seats go to the next member waiting. Thank you for letting us know."), "success")
    except EventError as exc:
        flash(str(exc), "error")
        return redirect(url_for("events.offer", event_id=event_id, offer_id=offer_id))
    return _back(event_id)
