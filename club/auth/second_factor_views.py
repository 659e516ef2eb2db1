"""Pages of the second factor: the code after the password, the security page, enrolment.

A person with a second factor is not signed in by the password alone: the session then holds only
"password right for user X" (``PENDING``, for five minutes) and the code page finishes the sign-in.
Registered inside the auth blueprint, so its endpoints are ``auth.factor.*``.
"""
from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required, login_user

from club.auth import second_factor
from club.auth.second_factor_forms import ConfirmAppForm, ProveItIsYouForm, SignInCodeForm
from club.auth.sessions import begin_session
from club.core import i18n
from club.core.passwords import verify_password
from club.core.security import safe_local_path
from club.extensions import db, limiter
from club.models.user import User

bp = Blueprint("factor", __name__)

PENDING = "second_factor_pending"
PENDING_SECONDS = 300


def _failed(response) -> bool:
    return response.status_code in (400, 401)


def _pending_key() -> str:
    pending = session.get(PENDING)
    uid = pending.get("uid") if isinstance(pending, dict) else None
    return f"second-factor:{uid}"


def _person_key() -> str:
    return f"second-factor-change:{current_user.get_id()}"


def ask_for_code(user: User, next_path: str | None):
    """After a right password, for a person with a second factor: remember that much, ask for the code.
    The language chosen before stays for the code step."""
    language = session.get(i18n.SESSION_KEY)
    session.clear()
    if language:
        session[i18n.SESSION_KEY] = language
    session[PENDING] = {"uid": user.id, "v": user.session_version, "at": int(time.time()),
                        "next": safe_local_path(next_path)}
    return redirect(url_for("auth.factor.sign_in_code"))


def _pending_user() -> tuple[User | None, str | None]:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int) \
            or not isinstance(pending.get("uid"), int) or time.time() - pending["at"] > PENDING_SECONDS:
        return None, None
    user = db.session.get(User, pending["uid"])
    if user is None or not user.is_active or user.session_version != pending.get("v"):
        return None, None
    return user, pending.get("next")


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"], deduct_when=_failed)
@limiter.limit("5/minute;20/hour", methods=["POST"], key_func=_pending_key, deduct_when=_failed)
def sign_in_code():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    user, next_path = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash(_("Please sign in again: the step for the code lasts five minutes."), "info")
        return redirect(url_for("auth.login"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        try:
            used = second_factor.verify(user, form.code.data)
        except second_factor.WrongCode as exc:
            form.code.errors.append(str(exc))
            return render_template("auth/second_factor_code.html", form=form), 401
        begin_session(user)
        if used == second_factor.RECOVERY:
            left = second_factor.recovery_codes_left(user)
            flash(ngettext("You signed in with a recovery code; it cannot be used again. %(num)d left. "
                           "If your phone is lost, set up the app again and renew your codes.",
                           "You signed in with a recovery code; it cannot be used again. %(num)d left. "
                           "If your phone is lost, set up the app again and renew your codes.", left), "info")
            return redirect(url_for("auth.factor.security"))
        return redirect(next_path or url_for("public.home"))
    return render_template("auth/second_factor_code.html", form=form), (400 if form.errors else 200)


@bp.route("/account/security")
@login_required
def security():
    user = current_user._get_current_object()
    return _security_page(user)


@bp.route("/account/security/enrol", methods=["GET", "POST"])
@login_required
@limiter.limit("5/minute", methods=["POST"], key_func=_person_key, deduct_when=_failed)
def enrol():
    user = current_user._get_current_object()
    try:
        enrolment = second_factor.start_enrolment(user)
    except second_factor.SecondFactorError as exc:
        flash(str(exc), "info")
        return redirect(url_for("auth.factor.security"))
    form = ConfirmAppForm()
    status = 200
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.password.data):
            form.password.errors.append(_("That is not your password."))
            status = 401
        else:
            try:
                codes = second_factor.confirm_enrolment(user, form.code.data)
            except second_factor.WrongCode as exc:
                form.code.errors.append(str(exc))
                status = 401
            except second_factor.SecondFactorError as exc:
                flash(str(exc), "info")
                return redirect(url_for("auth.factor.security"))
            else:
                login_user(user)  # the session version moved on: every other session has ended
                return render_template("auth/recovery_codes.html", codes=codes, first_time=True,
                                       next_path=safe_local_path(request.args.get("next")))
    elif form.errors:
        status = 400
    return render_template("auth/enrol.html", enrolment=enrolment, form=form,
                           required=second_factor.required_for(user)), status


def _proved(user: User, form: ProveItIsYouForm, purpose: str) -> bool:
    proof = form.proof.data or ""
    if verify_password(user.password_hash, proof):
        return True
    try:
        second_factor.verify(user, proof, purpose=purpose)
        return True
    except second_factor.WrongCode:
        form.proof.errors.append(_("That is neither your password nor a current code from your app."))
        return False


@bp.route("/account/security/recovery-codes", methods=["POST"])
@login_required
@limiter.limit("5/minute", methods=["POST"], key_func=_person_key, deduct_when=_failed)
def renew_recovery_codes():
    user = current_user._get_current_object()
    form = ProveItIsYouForm(prefix="renew")
    if form.validate_on_submit() and _proved(user, form, "renew recovery codes"):
        try:
            codes = second_factor.regenerate_recovery_codes(user)
        except second_factor.SecondFactorError as exc:
            flash(str(exc), "info")
            return redirect(url_for("auth.factor.security"))
        return render_template("auth/recovery_codes.html", codes=codes, first_time=False, next_path=None)
    return _security_page(user, renew_form=form)


@bp.route("/account/security/off", methods=["POST"])
@login_required
@limiter.limit("5/minute", methods=["POST"], key_func=_person_key, deduct_when=_failed)
def turn_off():
    user = current_user._get_current_object()
    form = ProveItIsYouForm(prefix="off")
    if form.validate_on_submit() and _proved(user, form, "turn off"):
        try:
            second_factor.turn_off(user)
        except second_factor.SecondFactorError as exc:
            flash(str(exc), "info")
            return redirect(url_for("auth.factor.security"))
        login_user(user)  # this session stays; every other one has ended
        flash(_("Your second factor is off. Sign-in now asks for your password only."), "success")
        return redirect(url_for("auth.factor.security"))
    return _security_page(user, off_form=form)


def _security_page(user: User, renew_form: ProveItIsYouForm | None = None,
                   off_form: ProveItIsYouForm | None = None):
    failed = renew_form or off_form
    status = 200 if failed is None else (401 if failed.proof.errors and failed.proof.data else 400)
    return render_template("auth/security.html", enabled=second_factor.is_enabled(user),
                           required=second_factor.required_for(user),
                           codes_left=second_factor.recovery_codes_left(user),
                           renew_form=renew_form or ProveItIsYouForm(prefix="renew", formdata=None),
                           off_form=off_form or ProveItIsYouForm(prefix="off", formdata=None)), status
