"""Invites, the application form, the applicant's status page, endorsements, and staff views of referrals."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from club.applications import applying, endorsements, forms
# Aliased: the view functions below are named after the pages (invites, status, referrals, interests).
from club.applications import interests as interest_service
from club.applications import invites as invite_service
from club.applications import referrals as referral_service
from club.applications import status as status_service
from club.applications.errors import ApplicationError, NotYours
from club.applications.invite_links import InviteLinkError
from club.auth.sessions import begin_session
from club.core.security import roles_required
from club.membership.access import has_member_access, member_required
from club.extensions import limiter, login_manager

bp = Blueprint("applications", __name__)


def member_access_only(view):
    """Inviting and endorsing: members with access only. A staff role alone gives neither, and
    anyone signed in without member access is told why (403) rather than shown a bare refusal."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not has_member_access(current_user):
            return render_template("applications/members_only.html"), 403
        return view(*args, **kwargs)

    return wrapped


# Members invite ----------------------------------------------------------------------------

@bp.route("/invites", methods=["GET", "POST"])
@member_access_only
@limiter.limit("20/minute", methods=["POST"])
def invites():
    form = forms.InviteForm()
    status = 200
    if form.validate_on_submit():
        try:
            invitation = invite_service.send_invitation(current_user, form.email.data, form.note.data)
        except invite_service.InviteRefused as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            flash(_("Your invitation to %(email)s is on its way.", email=invitation.email), "success")
            return redirect(url_for("applications.invites"))
    if form.errors:
        status = 400
    return render_template("applications/invites.html", form=form, page=invite_service.invites_page(current_user),
                           revoke_form=forms.RevokeForm()), status


@bp.route("/invites/<int:invitation_id>/revoke", methods=["POST"])
@member_required
def revoke(invitation_id: int):
    if forms.RevokeForm().validate_on_submit():
        try:
            invitation = invite_service.revoke_invitation(current_user, invitation_id)
            flash(_("The invitation to %(email)s is revoked; you can use it for someone else.",
                    email=invitation.email), "success")
        except NotYours:
            abort(404)
        except invite_service.InviteRefused as exc:
            flash(str(exc), "error")
    return redirect(url_for("applications.invites"))


@bp.route("/invites/endorsements/<int:endorsement_id>", methods=["GET", "POST"])
@member_access_only
def endorse(endorsement_id: int):
    try:
        endorsement = endorsements.endorsement_request(current_user, endorsement_id)
    except NotYours:
        abort(404)
    form = forms.EndorseForm()
    if endorsement.state == endorsements.REQUESTED and form.validate_on_submit():
        endorsing = form.answer.data == "endorse"
        try:
            endorsements.answer_endorsement(current_user, endorsement_id, endorse=endorsing,
                                            statement=form.statement.data)
        except endorsements.EndorsementError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Thank you: your endorsement is recorded.") if endorsing
                  else _("You have declined. The applicant is not told who declined."), "success")
        return redirect(url_for("applications.invites"))
    return render_template("applications/endorse.html", endorsement=endorsement, form=form), (
        400 if form.errors else 200)


# Applicants apply --------------------------------------------------------------------------

@bp.route("/apply/<token>", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def apply(token: str):
    form = forms.ApplicationForm()
    try:
        page = applying.apply_page(token, opening=not form.is_submitted())
    except InviteLinkError as exc:
        return render_template("applications/link_unusable.html", problem=exc), exc.status_code
    form.set_interests(page.interests)
    if not form.is_submitted():
        form.rules_version.data = str(page.rules_version_id)
    if form.validate_on_submit():
        answers = applying.Answers(
            full_name=form.full_name.data, city=form.city.data, occupation=form.occupation.data,
            company=form.company.data, links=form.links.links, interests=form.interests.data,
            languages=form.languages.languages, motivation=form.motivation.data,
            contribution=form.contribution.data, rules_version_id=_int(form.rules_version.data),
            password=form.password.data)
        try:
            user = applying.submit_application(token, answers)
        except InviteLinkError as exc:
            return render_template("applications/link_unusable.html", problem=exc), exc.status_code
        except ApplicationError as exc:
            getattr(form, exc.field or "accept_rules").errors.append(str(exc))
            form.rules_version.data = str(page.rules_version_id)
            form.accept_rules.data = False
        else:
            begin_session(user)
            flash(_("Thank you. Your application has reached the club."), "success")
            return redirect(url_for("applications.status"))
    return render_template("applications/apply.html", form=form, page=page), (400 if form.errors else 200)


def _int(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        return -1


# The applicant's status page ---------------------------------------------------------------

@bp.route("/application")
@login_required
def status():
    page = status_service.status_page(current_user)
    if page is None and (current_user.is_staff or current_user.membership is not None):
        return redirect(url_for("public.home"))
    return render_template("applications/status.html", page=page, ask_form=forms.AskEndorsementForm(),
                           withdraw_form=forms.WithdrawForm())


@bp.route("/application/endorsers", methods=["POST"])
@login_required
@limiter.limit("10/minute")
def ask_endorsement():
    form = forms.AskEndorsementForm()
    if form.validate_on_submit():
        try:
            flash(endorsements.ask_for_endorsement(current_user, form.email.data), "success")
        except endorsements.EndorsementError as exc:
            form.email.errors = [str(exc)]
        else:
            return redirect(url_for("applications.status"))
    page = status_service.status_page(current_user)
    if page is None:
        abort(404)
    return render_template("applications/status.html", page=page, ask_form=form,
                           withdraw_form=forms.WithdrawForm()), 400


@bp.route("/application/withdraw", methods=["POST"])
@login_required
def withdraw():
    if forms.WithdrawForm().validate_on_submit():
        try:
            status_service.withdraw_application(current_user)
            flash(_("Your application is withdrawn. Thank you for your interest in the club."), "info")
        except NotYours:
            abort(404)
        except ApplicationError as exc:
            flash(str(exc), "error")
    return redirect(url_for("applications.status"))


# Staff: the referral tree, and the interest list ------------------------------------------

@bp.route("/curation/referrals")
@roles_required("curator", "admin")
def referrers():
    return render_template("applications/referrers.html", referrers=referral_service.referrers())


@bp.route("/curation/referrals/<int:user_id>")
@roles_required("curator", "admin")
def referrals(user_id: int):
    try:
        tree = referral_service.referral_tree(user_id)
    except NotYours:
        abort(404)
    return render_template("applications/referrals.html", tree=tree)


@bp.route("/admin/interests", methods=["GET", "POST"])
@roles_required("admin")
def interests():
    form = forms.InterestForm()
    if form.validate_on_submit():
        try:
            tag = interest_service.add_interest(form.name.data, current_user)
        except ApplicationError as exc:
            form.name.errors = [str(exc)]
        else:
            flash(_("“%(name)s” added to the interests.", name=tag.name), "success")
            return redirect(url_for("applications.interests"))
    return render_template("applications/interests.html", form=form, tags=interest_service.interest_tags(),
                           remove_form=forms.RemoveInterestForm()), (400 if form.errors else 200)


@bp.route("/admin/interests/<int:tag_id>/remove", methods=["POST"])
@roles_required("admin")
def remove_interest(tag_id: int):
    if forms.RemoveInterestForm().validate_on_submit():
        try:
            name = interest_service.remove_interest(tag_id, current_user)
        except NotYours:
            abort(404)
        flash(_("“%(name)s” removed. People who chose it keep it on their record.", name=name), "success")
    return redirect(url_for("applications.interests"))
