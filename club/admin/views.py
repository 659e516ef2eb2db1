"""The owner's pages: overview, staff and roles, club settings and rules, audit log."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from club.admin import audit_log as audit_reading, service
from club.admin.forms import ClubSettingsForm, GrantRoleForm, RevokeRoleForm, RulesForm, StaffAccountForm, role_label
from club.auth import second_factor
from club.auth.second_factor_forms import ResetSecondFactorForm
from club.core import settings
from club.core.inputs import search_words
from club.core.security import roles_required
from club.membership.counts import counts_by_state
from club.models.user import ROLE_ADMIN

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("")
@roles_required(ROLE_ADMIN)
def dashboard():
    return render_template("admin/dashboard.html", membership_counts=counts_by_state(),
                           staff_count=len(service.staff_members()))


@bp.route("/staff", methods=["GET", "POST"])
@roles_required(ROLE_ADMIN)
def staff():
    create_form = StaffAccountForm(prefix="new")
    grant_form = GrantRoleForm(prefix="grant")
    if request.method == "POST":
        try:
            if "new-submit" in request.form and create_form.validate_on_submit():
                user = service.create_staff_account(create_form.email.data, create_form.full_name.data,
                                                    create_form.roles.data, current_user)
                flash(_("Account created for %(name)s. They have been sent a link to set a password.", name=user.full_name),
                      "success")
                return redirect(url_for("admin.staff"))
            if "grant-submit" in request.form and grant_form.validate_on_submit():
                user = service.grant_role(grant_form.email.data, grant_form.role.data, current_user)
                flash(_("%(name)s is now %(role)s.", name=user.full_name, role=service.role_name(grant_form.role.data)), "success")
                return redirect(url_for("admin.staff"))
        except service.AdminError as exc:
            form = create_form if "new-submit" in request.form else grant_form
            form.email.errors = [*form.email.errors, str(exc)]
        status = 400
    else:
        status = 200
    staff_list = service.staff_members()
    return render_template("admin/staff.html", staff=staff_list, create_form=create_form,
                           grant_form=grant_form, revoke_form=RevokeRoleForm(),
                           reset_form=ResetSecondFactorForm(formdata=None),
                           second_factor_on=second_factor.enabled_user_ids([p.id for p in staff_list]),
                           role_label=role_label), status


@bp.route("/staff/revoke", methods=["POST"])
@roles_required(ROLE_ADMIN)
def revoke_role():
    form = RevokeRoleForm()
    if form.validate_on_submit():
        try:
            user = service.revoke_role(int(form.user_id.data), form.role.data, current_user)
            flash(_("%(name)s is no longer %(role)s.", name=user.full_name, role=service.role_name(form.role.data)), "success")
        except (service.AdminError, ValueError) as exc:
            flash(str(exc), "error")
    return redirect(url_for("admin.staff"))


@bp.route("/staff/second-factor/reset", methods=["POST"])
@roles_required(ROLE_ADMIN)
def reset_second_factor():
    """A lost phone: remove a person's second factor; their sessions end, staff set it up again."""
    form = ResetSecondFactorForm()
    if not form.validate_on_submit():
        flash(_("That person could not be found; reload the page and try again."), "error")
        return redirect(url_for("admin.staff"))
    try:
        person = second_factor.reset_by_admin(form.user_id.data, current_user._get_current_object())
        flash(_("The second factor of %(name)s is reset. They sign in with their password"
                " and set up the app again.", name=person.full_name), "success")
    except second_factor.SecondFactorError as exc:
        flash(str(exc), "error")
    return redirect(url_for("admin.staff"))


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(ROLE_ADMIN)
def club_settings():
    current = settings.all_settings()
    form = ClubSettingsForm(prefix="club", data={k: current[k] for k in ClubSettingsForm.FIELDS})
    rules = settings.current_rules()
    rules_form = RulesForm(prefix="rules", data={"body": rules.body if rules else settings.DEFAULT_RULES})
    if "club-submit" in request.form and form.validate_on_submit():
        changed = service.update_club_settings({k: getattr(form, k).data for k in ClubSettingsForm.FIELDS}, current_user)
        flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("admin.club_settings"))
    if "rules-submit" in request.form and rules_form.validate_on_submit():
        version = service.publish_rules(rules_form.body.data, current_user)
        flash(_("Rules version %(number)s published.", number=version.id) if version else _("The rules are unchanged."),
              "success")
        return redirect(url_for("admin.club_settings"))
    status = 400 if (form.errors or rules_form.errors) else 200
    return render_template("admin/settings.html", form=form, rules_form=rules_form, rules=rules), status


@bp.route("/audit")
@roles_required(ROLE_ADMIN)
def audit_log():
    log = audit_reading.audit_page(request.args.get("page", 1, type=int),
                                   kind=search_words(request.args.get("kind"), 40),
                                   who=search_words(request.args.get("who"), 100))
    return render_template("admin/audit.html", log=log, page=log.page, kinds=audit_reading.kind_choices())


from club.admin import mail_views  # noqa: E402,F401  (its routes are on this blueprint)
