"""The admin's plan pages: /admin/plans (the plans, who is on each, the club's billing settings)."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from club.billing import catalogue, plans
from club.billing.errors import BillingError
from club.billing.forms import BillingSettingsForm, MovePlanForm, PlanAdminForm
from club.billing.setup import stripe_enabled
from club.core import settings
from club.core.security import roles_required
from club.extensions import db
from club.models.billing import Plan
from club.models.user import ROLE_ADMIN

bp = Blueprint("plans", __name__)


def _settings_form() -> BillingSettingsForm:
    return BillingSettingsForm(prefix="settings", data={
        "currency": str(settings.get("currency")).upper(), "promotion_codes": bool(settings.get("promotion_codes")),
        "payment_instructions": settings.get("payment_instructions") or ""})


def _render_list(settings_form: BillingSettingsForm | None = None, status: int = 200):
    return render_template("billing/admin_plans.html", plans=catalogue.all_plans(), counts=plans.member_counts(),
                           settings_form=settings_form or _settings_form(), stripe_enabled=stripe_enabled()), status


@bp.get("/admin/plans")
@roles_required(ROLE_ADMIN)
def admin_plans():
    return _render_list()


@bp.post("/admin/plans/settings")
@roles_required(ROLE_ADMIN)
def admin_billing_settings():
    form = BillingSettingsForm(prefix="settings")
    if not form.validate_on_submit():
        return _render_list(form, 400)
    warning = plans.save_settings(currency=form.currency.data, promotion_codes=form.promotion_codes.data,
                                  payment_instructions=form.payment_instructions.data or "", actor=current_user)
    flash(warning or _("Billing settings saved."), "error" if warning else "success")
    return redirect(url_for("billing.plans.admin_plans"), 303)


def _amounts(form: PlanAdminForm) -> plans.PlanAmounts:
    digits = plans.precision()
    return plans.PlanAmounts(form.name.data or "", form.description.data or "", form.cents(form.monthly, digits),
                             form.cents(form.annual, digits), form.cents(form.initiation, digits))


def _render_plan(plan: Plan | None, form: PlanAdminForm, status: int = 200):
    members = plans.members_on(plan.id) if plan is not None else []
    others = [p for p in catalogue.all_plans() if plan is None or p.id != plan.id]
    move_form = MovePlanForm(prefix="move")
    move_form.plan_id.choices = [(p.id, p.name) for p in ([plan] if plan else []) + others if p.active]
    return render_template("billing/admin_plan.html", plan=plan, form=form, members=members, move_form=move_form,
                           currency=str(settings.get("currency")).upper()), status


def _form_for(plan: Plan) -> PlanAdminForm:
    unit = Decimal(10) ** plans.precision()
    return PlanAdminForm(data={"name": plan.name, "description": plan.description,
                               "monthly": Decimal(plan.monthly_cents) / unit, "annual": Decimal(plan.annual_cents) / unit,
                               "initiation": Decimal(plan.initiation_cents) / unit})


@bp.route("/admin/plans/new", methods=["GET", "POST"])
@roles_required(ROLE_ADMIN)
def admin_new_plan():
    form = PlanAdminForm()
    if form.validate_on_submit():
        try:
            plan, warning = plans.save_plan(None, _amounts(form), actor=current_user)
        except BillingError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            flash(warning or _("Plan “%(name)s” created.", name=plan.name), "error" if warning else "success")
            return redirect(url_for("billing.plans.admin_plan", plan_id=plan.id), 303)
    return _render_plan(None, form, 400 if form.errors else 200)


@bp.route("/admin/plans/<int:plan_id>", methods=["GET", "POST"])
@roles_required(ROLE_ADMIN)
def admin_plan(plan_id: int):
    plan = db.session.get(Plan, plan_id) or abort(404)
    form = _form_for(plan) if request.method == "GET" else PlanAdminForm()
    if form.validate_on_submit():
        try:
            plan, warning = plans.save_plan(plan_id, _amounts(form), actor=current_user)
        except BillingError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            flash(warning or _("Plan saved. New members pay the new prices; existing members keep theirs "
                               "until you move them."), "error" if warning else "success")
            return redirect(url_for("billing.plans.admin_plan", plan_id=plan.id), 303)
    return _render_plan(plan, form, 400 if form.errors else 200)


@bp.post("/admin/plans/<int:plan_id>/active")
@roles_required(ROLE_ADMIN)
def admin_plan_active(plan_id: int):
    try:
        plan, warning = plans.set_active(plan_id, request.form.get("active") == "yes", actor=current_user)
    except BillingError:
        abort(404)
    flash(warning or (_("“%(name)s” is offered again.", name=plan.name) if plan.active else
                      _("“%(name)s” is retired: nobody new can choose it; its members keep it.", name=plan.name)),
          "error" if warning else "success")
    return redirect(url_for("billing.plans.admin_plan", plan_id=plan_id), 303)


@bp.post("/admin/plans/<int:plan_id>/members/<int:membership_id>/move")
@roles_required(ROLE_ADMIN)
def admin_move_member(plan_id: int, membership_id: int):
    form = MovePlanForm(prefix="move")
    if form.validate_on_submit():
        try:
            flash(plans.move_member(membership_id, form.plan_id.data, actor=current_user), "success")
        except BillingError as exc:
            flash(str(exc), "error")
    else:
        flash(_("Choose the plan to move them to."), "error")
    return redirect(url_for("billing.plans.admin_plan", plan_id=plan_id), 303)
