"""Members' own evenings, on the events blueprint: a member proposes an evening
(``/events/propose``) and follows their proposals (``/events/proposals/mine``); staff review them
(``/events/proposals``), approve (editing first if they wish) or decline with a reason."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from club.core.security import roles_required
from club.events import proposals
from club.events.errors import EventError
from club.events.manage import local_to_utc
from club.events.proposal_forms import DeclineForm, ProposalForm, WithdrawForm
from club.events.views import bp
from club.membership.access import member_required
from club.models.user import ROLE_ADMIN, ROLE_CURATOR


def _me():
    return current_user._get_current_object()


def _draft(form: ProposalForm) -> proposals.ProposalDraft:
    return proposals.ProposalDraft(
        title=form.title.data, description=form.description.data or "",
        starts_at=local_to_utc(form.starts_at.data), ends_at=local_to_utc(form.ends_at.data),
        venue_name=form.venue_name.data, venue_address=form.venue_address.data or "",
        capacity=form.capacity.data, max_guests=form.max_guests.data)


def _refused(form, exc: EventError) -> None:
    """A refusal at its field when it names one of the form's, else a message at the top."""
    if exc.field and exc.field in form:
        form[exc.field].errors = [*form[exc.field].errors, str(exc)]
    else:
        flash(str(exc), "error")


# The member -------------------------------------------------------------------------------------

@bp.route("/events/propose", methods=["GET", "POST"])
@member_required
def propose():
    if not proposals.may_propose(_me()):
        abort(403)
    form = ProposalForm()
    if form.validate_on_submit():
        try:
            proposals.propose(_me(), _draft(form))
            flash(_("Thank you. Your proposal is with the curators; we will write when it is decided."), "success")
            return redirect(url_for("events.my_proposals"))
        except EventError as exc:
            _refused(form, exc)
    return render_template("events/proposal_form.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/events/proposals/mine")
@member_required
def my_proposals():
    page = proposals.my_proposals(_me(), request.args.get("page", 1, type=int))
    return render_template("events/proposals_mine.html", page=page, labels=proposals.STATE_LABELS,
                           withdraw_form=WithdrawForm(), may_propose=proposals.may_propose(_me()))


@bp.route("/events/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@member_required
def withdraw_proposal(proposal_id: int):
    if not WithdrawForm().validate():
        abort(400)
    try:
        proposals.withdraw(_me(), proposal_id)
        flash(_("Your proposal is withdrawn."), "success")
    except EventError as exc:
        flash(str(exc), "error")
    return redirect(url_for("events.my_proposals"))


# Staff ------------------------------------------------------------------------------------------

@bp.route("/events/proposals")
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def proposals_queue():
    queue = proposals.staff_queue(_me(), request.args.get("state"), request.args.get("page", 1, type=int))
    return render_template("events/proposals.html", queue=queue, labels=proposals.STATE_LABELS)


def _review(proposal_id: int, form: ProposalForm | None = None, decline_form: DeclineForm | None = None,
            status: int = 200):
    proposal = proposals.proposal_for_staff(_me(), proposal_id)
    if form is None:
        form = ProposalForm(data=proposals.form_values(proposal), formdata=None)
    return render_template("events/proposal.html", proposal=proposal, form=form,
                           decline_form=decline_form or DeclineForm(formdata=None),
                           labels=proposals.STATE_LABELS), status


@bp.route("/events/proposals/<int:proposal_id>")
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def proposal(proposal_id: int):
    return _review(proposal_id)


@bp.route("/events/proposals/<int:proposal_id>/approve", methods=["POST"])
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def approve_proposal(proposal_id: int):
    form = ProposalForm()
    if form.validate_on_submit():
        try:
            event = proposals.approve(_me(), proposal_id, _draft(form))
            flash(_("Approved and published, with the member as host. They have been told."), "success")
            return redirect(url_for("events.show", event_id=event.id))
        except EventError as exc:
            _refused(form, exc)
    return _review(proposal_id, form=form, status=400)


@bp.route("/events/proposals/<int:proposal_id>/decline", methods=["POST"])
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def decline_proposal(proposal_id: int):
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            proposals.decline(_me(), proposal_id, form.reason.data)
            flash(_("Declined. The member has been told, with your reason."), "success")
            return redirect(url_for("events.proposals_queue"))
        except EventError as exc:
            _refused(form, exc)
    return _review(proposal_id, decline_form=form, status=400)
