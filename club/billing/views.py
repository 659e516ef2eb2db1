"""Billing pages: the member's /billing, Stripe's webhook, and the admin's /admin/billing."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from club.billing import admin_lists, labels, offline, plan_views, rules
from club.billing.cancellation import undo_cancellation
from club.billing.checkout import confirm_checkout, portal_url, start_checkout
from club.billing.errors import BillingError
from club.billing.forms import ComplimentaryForm, OfflinePaymentForm, PlanForm, SuspendForm
from club.billing.setup import check_stripe_config
from club.billing.summary import billing_page
from club.billing.webhooks import handle_webhook
from club.core.inputs import search_words
from club.core.links import public_url_for
from club.core.security import allow_stripe, roles_required
from club.core.templating import format_local
from club.extensions import csrf, limiter
from club.membership import reasons, states
from club.membership.suspension import SuspensionError, reinstate, suspend
from club.models.user import ROLE_ADMIN

bp = Blueprint("billing", __name__)
bp.register_blueprint(plan_views.bp)  # the admin's plan pages: billing.plans.*

# The member's payment pages: only their Content-Security-Policy lets Stripe in (club.core.security).
STRIPE_PAGES = frozenset({"billing.billing", "billing.checkout", "billing.success", "billing.portal"})


@bp.before_request
def _stripe_on_payment_pages_only():
    if request.endpoint in STRIPE_PAGES:
        allow_stripe()
bp.record_once(lambda state: check_stripe_config(state.app))


@bp.context_processor
def _state_labels():
    return {"labels": states.LABELS, "kind_labels": labels.KINDS, "kind_short": labels.KINDS_SHORT,
            "plan_labels": labels.PLANS, "source_labels": labels.SOURCES, "change_labels": reasons.LABELS,
            "payment_reference": rules.payment_reference}


# Member ---------------------------------------------------------------------------------------
def _render_billing(form: PlanForm, status: int = 200):
    page = billing_page(current_user)
    if page is None:
        abort(404)  # staff without a membership, applicants not yet approved
    return render_template("billing/billing.html", page=page, form=form), status


@bp.get("/billing")
@login_required
def billing():
    return _render_billing(PlanForm())


@bp.post("/billing/checkout")
@login_required
@limiter.limit("10/minute")
def checkout():
    form = PlanForm()
    if form.validate_on_submit():
        try:
            url = start_checkout(
                current_user, form.plan.data, plan_id=form.plan_id.data,
                success_url=public_url_for("billing.success") + "?session_id={CHECKOUT_SESSION_ID}",
                cancel_url=public_url_for("billing.billing"),
            )
            return redirect(url, 303)
        except BillingError as exc:
            form.plan.errors = [*form.plan.errors, str(exc)]
    return _render_billing(form, 400 if form.errors else 200)


@bp.get("/billing/success")
@login_required
def success():
    if billing_page(current_user) is None:
        abort(404)
    confirmed = confirm_checkout(current_user, search_words(request.args.get("session_id"), 255))
    return render_template("billing/success.html", confirmed=confirmed)


@bp.post("/billing/portal")
@login_required
@limiter.limit("10/minute")
def portal():
    try:
        return redirect(portal_url(current_user, public_url_for("billing.billing")), 303)
    except BillingError as exc:
        flash(str(exc), "error")
        return redirect(url_for("billing.billing"), 303)


@bp.post("/billing/resume")
@login_required
@limiter.limit("10/minute")
def resume():
    """A member paying offline who cancelled keeps their membership after all."""
    try:
        flash(undo_cancellation(current_user, actor=current_user), "success")
    except BillingError as exc:
        flash(str(exc), "error")
    return redirect(url_for("billing.billing"), 303)


@bp.post("/billing/webhook")
@csrf.exempt
@limiter.exempt
def webhook():
    result = handle_webhook(request.get_data(cache=False), request.headers.get("Stripe-Signature"))
    return jsonify({"outcome": result.outcome}), result.status


# Admin ----------------------------------------------------------------------------------------
@bp.get("/admin/billing")
@roles_required(ROLE_ADMIN)
def admin_list():
    listing = admin_lists.memberships_for_admin(request.args.get("page", 1, type=int),
                                                search_words(request.args.get("state"), 20))
    return render_template("billing/admin_list.html", attention=listing.attention, others=listing.others,
                           page=listing.page, state=listing.state)


def _render_detail(membership_id: int, *, payment_form=None, comp_form=None, suspend_form=None, status=200):
    detail = admin_lists.membership_detail(membership_id)
    if detail is None:
        abort(404)
    membership, payments = detail
    return render_template(
        "billing/admin_membership.html", membership=membership, payments=payments,
        payment_form=payment_form or OfflinePaymentForm(prefix="pay"),
        comp_form=comp_form or ComplimentaryForm(prefix="comp"),
        suspend_form=suspend_form or SuspendForm(prefix="suspend"),
    ), status


@bp.get("/admin/billing/<int:membership_id>")
@roles_required(ROLE_ADMIN)
def admin_membership(membership_id: int):
    return _render_detail(membership_id)


@bp.post("/admin/billing/<int:membership_id>/payment")
@roles_required(ROLE_ADMIN)
def admin_record_payment(membership_id: int):
    form = OfflinePaymentForm(prefix="pay")
    if form.validate_on_submit():
        try:
            payment = offline.record_offline_payment(
                membership_id, amount_cents=form.amount_cents, paid_on=form.paid_on.data,
                reference=form.reference.data or "", period_start=form.period_start.data,
                period_end=form.period_end.data, includes_initiation=form.includes_initiation.data,
                actor=current_user)
            flash(_("Payment recorded; the membership is paid until %(day)s.",
                    day=format_local(payment.period_end, "long_date")), "success")
            return redirect(url_for("billing.admin_membership", membership_id=membership_id), 303)
        except BillingError as exc:
            form.amount.errors = [*form.amount.errors, str(exc)]
    return _render_detail(membership_id, payment_form=form, status=400)


@bp.post("/admin/billing/<int:membership_id>/complimentary")
@roles_required(ROLE_ADMIN)
def admin_grant_complimentary(membership_id: int):
    form = ComplimentaryForm(prefix="comp")
    if form.validate_on_submit():
        try:
            offline.grant_complimentary(membership_id, ends_on=form.ends_on.data, reason=form.reason.data,
                                        actor=current_user)
            flash(_("Complimentary membership granted."), "success")
            return redirect(url_for("billing.admin_membership", membership_id=membership_id), 303)
        except BillingError as exc:
            form.ends_on.errors = [*form.ends_on.errors, str(exc)]
    return _render_detail(membership_id, comp_form=form, status=400)


@bp.post("/admin/billing/<int:membership_id>/suspension")
@roles_required(ROLE_ADMIN)
def admin_suspension(membership_id: int):
    form = SuspendForm(prefix="suspend")
    if form.validate_on_submit():
        reinstating = request.form.get("action") == "reinstate"
        try:
            if reinstating:
                reinstate(membership_id, reason=form.reason.data, actor=current_user)
                flash(_("Membership reinstated."), "success")
            else:
                suspend(membership_id, reason=form.reason.data, actor=current_user)
                flash(_("Membership suspended; the member has been signed out."), "success")
            return redirect(url_for("billing.admin_membership", membership_id=membership_id), 303)
        except SuspensionError as exc:
            form.reason.errors = [*form.reason.errors, str(exc)]
    return _render_detail(membership_id, suspend_form=form, status=400)
