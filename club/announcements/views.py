"""Announcements: the staff page to post, edit and remove them (``/curation/announcements``), the
members' list (``/announcements``), and the member's programme mail setting (``/me/programme-mail``,
shown on the privacy page). HTTP only; the rules live in ``service`` and ``programme``."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from club.announcements import programme, service
from club.announcements.forms import AnnouncementForm, ProgrammeMailForm, RemoveForm
from club.core.security import roles_required
from club.membership.access import has_member_access, member_required
from club.models.user import ROLE_ADMIN, ROLE_CURATOR

bp = Blueprint("announcements", __name__)


def _draft(form: AnnouncementForm) -> service.Draft:
    return service.Draft(title=form.title.data or "", body=form.body.data or "", pinned=bool(form.pinned.data))


def _staff_page(form: AnnouncementForm, status: int = 200):
    page = service.staff_page(request.args.get("page", 1, type=int))
    return render_template("announcements/manage.html", form=form, page=page, remove_form=RemoveForm(),
                           may_change=lambda a: service.may_change(current_user, a)), status


@bp.route("/curation/announcements", methods=["GET", "POST"])
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def manage():
    form = AnnouncementForm()
    if form.validate_on_submit():
        try:
            service.post(current_user, _draft(form))
        except service.AnnouncementError as exc:
            form[exc.field or "body"].errors = [*form[exc.field or "body"].errors, str(exc)]
            return _staff_page(form, 400)
        flash(_("Your announcement is posted: members see it on their home page."), "success")
        return redirect(url_for("announcements.manage"))
    return _staff_page(form, 400 if form.errors else 200)


@bp.route("/curation/announcements/<int:announcement_id>/edit", methods=["GET", "POST"])
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def edit(announcement_id: int):
    try:
        announcement = service.for_change(current_user, announcement_id)
    except service.AnnouncementNotFound:
        abort(404)
    form = AnnouncementForm(obj=announcement)
    if form.validate_on_submit():
        try:
            service.edit(current_user, announcement.id, _draft(form))
        except service.AnnouncementError as exc:
            form[exc.field or "body"].errors = [*form[exc.field or "body"].errors, str(exc)]
        else:
            flash(_("The announcement is saved."), "success")
            return redirect(url_for("announcements.manage"))
    return render_template("announcements/edit.html", form=form, announcement=announcement), \
        (400 if form.errors else 200)


@bp.route("/curation/announcements/<int:announcement_id>/remove", methods=["POST"])
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def remove(announcement_id: int):
    if not RemoveForm().validate_on_submit():
        abort(400)
    try:
        service.remove(current_user, announcement_id)
    except service.AnnouncementNotFound:
        abort(404)
    flash(_("The announcement is removed."), "success")
    return redirect(url_for("announcements.manage"))


@bp.route("/announcements")
@member_required
def listing():
    page = service.members_page(current_user, request.args.get("page", 1, type=int))
    return render_template("announcements/list.html", page=page)


@bp.route("/me/programme-mail", methods=["POST"])
@member_required
def programme_mail():
    if not has_member_access(current_user):
        abort(404)  # staff without a membership get no programme
    form = ProgrammeMailForm()
    if not form.validate_on_submit():
        abort(400)
    if programme.set_programme_mail(current_user, bool(form.wanted.data)):
        flash(_("You will receive the club’s programme each month."), "success")
    else:
        flash(_("You will no longer receive the monthly programme."), "success")
    return redirect(url_for("members.privacy_settings") + "#programme-mail")

