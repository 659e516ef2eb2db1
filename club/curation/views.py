"""Curators' pages: the review queue, an application, their profile, their members and notes."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from club.applications.interests import interest_names
from club.core.inputs import bounded_int
from club.core.security import roles_required
from club.curation import decisions, notes, profiles, reassignment, workspace
from club.curation.application_file import application_file
from club.curation.errors import CurationError, NotAllowed, NotFound
from club.curation.forms import CuratorProfileForm, DecisionForm, NoteForm, ReassignForm, ReopenForm, ReviewForm
from club.curation.loads import curator_loads, curators
from club.curation.queue import QUEUE_FILTERS, QUEUE_SORTS, review_queue
from club.curation.scoring import score_application
from club.membership import states
from club.models.user import ROLE_ADMIN, ROLE_CURATOR

bp = Blueprint("curation", __name__, url_prefix="/curation")

STAFF = (ROLE_CURATOR, ROLE_ADMIN)

# What the curator is told once a decision is recorded, by outcome.
DECIDED = {
    "approved": _l("Decision recorded: approved. The applicant has been written to."),
    "waitlisted": _l("Decision recorded: waitlisted. The applicant has been written to."),
    "rejected": _l("Decision recorded: rejected. The applicant has been written to."),
}


def _refused(exc: CurationError):
    if isinstance(exc, NotFound):
        abort(404)
    if isinstance(exc, NotAllowed):
        abort(403)


def _attach(form, exc: CurationError) -> str | None:
    """Put a refusal next to the field it is about; one about the whole page is returned instead."""
    target = getattr(form, exc.field, None) if exc.field else None
    if target is None:
        return str(exc)
    target.errors = [*target.errors, str(exc)]
    return None


@bp.route("")
@roles_required(*STAFF)
def index():
    return redirect(url_for("curation.queue"))


@bp.route("/applications")
@roles_required(*STAFF)
def queue():
    q = review_queue(current_user, request.args.get("state", "ready"), request.args.get("sort", "oldest"),
                     request.args.get("page", 1, type=int))
    return render_template("curation/queue.html", queue=q, filters=QUEUE_FILTERS, sorts=QUEUE_SORTS)


def _render_application(application_id: int, review_form=None, decision_form=None, reopen_form=None, status=200,
                        error=None):
    try:
        file = application_file(application_id, current_user)
    except CurationError as exc:
        _refused(exc)
        raise
    if review_form is None:
        mine = file.my_review
        review_form = ReviewForm(prefix="review", data={"score": str(mine.score), "comment": mine.comment} if mine else None)
    return render_template(
        "curation/application.html", file=file, review_form=review_form,
        decision_form=decision_form or DecisionForm(prefix="decision"),
        reopen_form=reopen_form or ReopenForm(prefix="reopen"), outcomes=decisions.OUTCOMES, error=error,
        labels=states.LABELS,
    ), status


@bp.route("/applications/<int:application_id>")
@roles_required(*STAFF)
def application(application_id: int):
    return _render_application(application_id)


@bp.route("/applications/<int:application_id>/review", methods=["POST"])
@roles_required(*STAFF)
def review(application_id: int):
    form = ReviewForm(prefix="review")
    error = None
    if form.validate_on_submit():
        try:
            score_application(application_id, current_user, int(form.score.data), form.comment.data)
            flash(_("Your score is saved. You can change it until the application is decided."), "success")
            return redirect(url_for("curation.application", application_id=application_id) + "#scores")
        except CurationError as exc:
            _refused(exc)
            error = _attach(form, exc)
    return _render_application(application_id, review_form=form, status=400, error=error)


@bp.route("/applications/<int:application_id>/decision", methods=["POST"])
@roles_required(*STAFF)
def decision(application_id: int):
    form = DecisionForm(prefix="decision")
    error = None
    if form.validate_on_submit():
        try:
            made = decisions.decide(application_id, form.outcome.data, form.reason.data, current_user,
                                    override_reason=form.override_reason.data,
                                    conflict_reason=form.conflict_reason.data)
            flash(str(DECIDED[made.outcome]), "success")
            return redirect(url_for("curation.application", application_id=application_id))
        except CurationError as exc:
            _refused(exc)
            error = _attach(form, exc)
    return _render_application(application_id, decision_form=form, status=400, error=error)


@bp.route("/applications/<int:application_id>/reopen", methods=["POST"])
@roles_required(*STAFF)
def reopen(application_id: int):
    form = ReopenForm(prefix="reopen")
    error = None
    if form.validate_on_submit():
        try:
            decisions.reopen(application_id, form.reason.data, current_user)
            flash(_("The application is back in the queue for a new decision."), "success")
            return redirect(url_for("curation.application", application_id=application_id))
        except CurationError as exc:
            _refused(exc)
            error = _attach(form, exc)
    return _render_application(application_id, reopen_form=form, status=400, error=error)


@bp.route("/profile", methods=["GET", "POST"])
@roles_required(ROLE_CURATOR)
def profile():
    current = profiles.curator_profile(current_user)
    form = CuratorProfileForm(prefix="profile", data={
        "bio": current.bio, "contact": current.contact, "city": current.city, "interests": current.interests or [],
        "languages": ", ".join(current.languages or []), "capacity": current.capacity,
    })
    form.interests.choices = [(name, name) for name in interest_names()]
    status, error = 200, None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                profiles.update_curator_profile(current_user, bio=form.bio.data, contact=form.contact.data,
                                                city=form.city.data, interests=form.interests.data or [],
                                                languages=form.language_list(), capacity=form.capacity.data)
                flash(_("Your profile is saved."), "success")
                return redirect(url_for("curation.profile"))
            except CurationError as exc:
                _refused(exc)
                error = _attach(form, exc)
        status = 400
    loads = curator_loads()
    return render_template("curation/profile.html", form=form, load=loads.get(current_user.id, 0),
                           error=error), status


@bp.route("/members")
@roles_required(*STAFF)
def members():
    curator_id = bounded_int(request.args.get("curator")) if current_user.is_admin else None
    rows = workspace.my_members(current_user, curator_id)
    choices = curators() if current_user.is_admin else []
    return render_template("curation/members.html", rows=rows, labels=states.LABELS, curators=choices,
                           curator_id=curator_id)


def _render_member(user_id: int, note_form=None, reassign_form=None, status=200, error=None):
    try:
        file = workspace.member_file(user_id, current_user)
    except CurationError as exc:
        _refused(exc)
        raise
    if reassign_form is None:
        reassign_form = ReassignForm(prefix="reassign")
    current_id = file.membership.curator_id if file.membership else None
    reassign_form.curator_id.choices = [
        (c.user.id, _("%(name)s (%(load)s of %(capacity)s members)", name=c.user.full_name, load=c.load,
                      capacity=c.capacity))
        for c in file.curator_choices if c.user.id != current_id
    ]
    return render_template("curation/member.html", file=file, note_form=note_form or NoteForm(prefix="note"),
                           reassign_form=reassign_form, labels=states.LABELS, error=error), status


@bp.route("/members/<int:user_id>")
@roles_required(*STAFF)
def member(user_id: int):
    return _render_member(user_id)


@bp.route("/members/<int:user_id>/notes", methods=["POST"])
@roles_required(*STAFF)
def add_note(user_id: int):
    form = NoteForm(prefix="note")
    error = None
    if form.validate_on_submit():
        try:
            notes.add_note(user_id, current_user, form.body.data)
            flash(_("Note added."), "success")
            return redirect(url_for("curation.member", user_id=user_id) + "#notes")
        except CurationError as exc:
            _refused(exc)
            error = _attach(form, exc)
    return _render_member(user_id, note_form=form, status=400, error=error)


@bp.route("/members/<int:user_id>/curator", methods=["POST"])
@roles_required(ROLE_ADMIN)
def reassign(user_id: int):
    form = ReassignForm(prefix="reassign")
    form.curator_id.choices = [(c.user.id, c.user.full_name) for c in curators()]
    error = None
    if form.validate_on_submit():
        try:
            assignment = reassignment.reassign_curator(user_id, form.curator_id.data, form.reason.data,
                                                       current_user)
            flash(_("%(name)s is now this member's curator. Everyone concerned has been told.",
                    name=assignment.curator.full_name), "success")
            return redirect(url_for("curation.member", user_id=user_id))
        except CurationError as exc:
            _refused(exc)
            error = _attach(form, exc)
    return _render_member(user_id, reassign_form=form, status=400, error=error)


def _spreadsheet_safe(value):
    # A note starting with "=" would run as a formula when the admin opens the file in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@bp.route("/notes/export")
@roles_required(ROLE_ADMIN)
def export_notes():
    rows = notes.notes_export(current_user)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["note_id", "member_id", "member", "member_email", "author",
                                             "written_at", "note"])
    writer.writeheader()
    writer.writerows({k: _spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=curator-notes.csv"})
