"""Feedback to the club: the member's threads (``/me/feedback``) and the admins' (``/admin/feedback``).
On the members blueprint; the service is ``club.members.club_feedback``."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from club.core.security import roles_required
from club.extensions import limiter
from club.members import club_feedback as cf
from club.members import club_feedback_states as cs
from club.members.club_feedback_forms import AnswerForm, CloseForm, NewThreadForm, ThreadMessageForm
from club.members.views import MESSAGE_LIMIT, REQUEST_LIMIT, _person_key, bp, membership_needed
from club.membership.access import member_required
from club.models.user import ROLE_ADMIN


def _refused(form, exc: cf.FeedbackError) -> None:
    field = getattr(form, exc.field or "body")
    field.errors = [*field.errors, str(exc)]


def _page_number() -> int:
    return max(1, min(request.args.get("page", 1, type=int) or 1, 100000))


# The member's side -------------------------------------------------------------------------------

@bp.route("/me/feedback", methods=["GET", "POST"])
@member_required
@membership_needed
@limiter.limit(REQUEST_LIMIT, key_func=_person_key, methods=["POST"])
def club_feedback():
    form = NewThreadForm()
    if form.validate_on_submit():
        try:
            thread = cf.open_thread(current_user, form.subject.data, form.body.data)
        except cf.FeedbackError as exc:
            _refused(form, exc)
        else:
            flash(_("Thank you. The club’s admins will answer here, and you will hear by email."), "success")
            return redirect(url_for("members.club_feedback_thread", thread_id=thread.id))
    return render_template("members/club_feedback.html", form=form,
                           threads=cf.member_threads(current_user, _page_number()), labels=cs.LABELS), \
        (400 if form.errors else 200)


@bp.route("/me/feedback/<int:thread_id>", methods=["GET", "POST"])
@member_required
@membership_needed
@limiter.limit(MESSAGE_LIMIT, key_func=_person_key, methods=["POST"])
def club_feedback_thread(thread_id: int):
    try:
        thread = cf.thread_for_member(current_user, thread_id)
    except cf.FeedbackNotFound:
        abort(404)
    form = ThreadMessageForm()
    if form.validate_on_submit():
        try:
            cf.member_writes(current_user, thread_id, form.body.data)
        except cf.FeedbackNotFound:
            abort(404)
        except cf.FeedbackError as exc:
            _refused(form, exc)
        else:
            flash(_("Sent."), "success")
            return redirect(url_for("members.club_feedback_thread", thread_id=thread_id))
    return render_template("members/club_feedback_thread.html", thread=thread, form=form, labels=cs.LABELS), \
        (400 if form.errors else 200)


# The admins' side --------------------------------------------------------------------------------

@bp.route("/admin/feedback")
@roles_required(ROLE_ADMIN)
def admin_club_feedback():
    include_closed = request.args.get("show") == "all"
    return render_template("members/admin_club_feedback.html", include_closed=include_closed, labels=cs.LABELS,
                           threads=cf.admin_threads(current_user, include_closed=include_closed,
                                                    page=_page_number()))


@bp.route("/admin/feedback/<int:thread_id>", methods=["GET", "POST"])
@roles_required(ROLE_ADMIN)
def admin_club_feedback_thread(thread_id: int):
    try:
        thread = cf.thread_for_admin(current_user, thread_id)
    except cf.FeedbackNotFound:
        abort(404)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            cf.answer(current_user, thread_id, form.body.data, close=bool(form.close.data))
        except cf.FeedbackNotFound:
            abort(404)
        except cf.FeedbackError as exc:
            _refused(form, exc)
        else:
            flash(_("Sent to %(name)s.", name=thread.member.full_name), "success")
            return redirect(url_for("members.admin_club_feedback_thread", thread_id=thread_id))
    return render_template("members/admin_club_feedback_thread.html", thread=thread, form=form,
                           close_form=CloseForm(), labels=cs.LABELS), (400 if form.errors else 200)


@bp.route("/admin/feedback/<int:thread_id>/close", methods=["POST"])
@roles_required(ROLE_ADMIN)
def admin_close_club_feedback(thread_id: int):
    if not CloseForm().validate_on_submit():
        abort(400)
    try:
        cf.close(current_user, thread_id)
    except cf.FeedbackNotFound:
        abort(404)
    flash(_("The conversation is closed."), "success")
    return redirect(url_for("members.admin_club_feedback"))
