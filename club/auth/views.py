"""Signing in and out, and resetting a forgotten password."""
from __future__ import annotations


from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from club.auth import service
from club.auth.forms import ForgotPasswordForm, LoginForm, ResetPasswordForm
from club.core.security import safe_local_path
from club.extensions import limiter

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "That email and password do not match an account. Please try again."


def _failed(response) -> bool:
    return response.status_code == 401


def _login_account_key() -> str:
    return "login-account:" + service.normalize_email(request.form.get("email", ""))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5/minute", methods=["POST"], deduct_when=_failed)
@limiter.limit("5/minute", methods=["POST"], key_func=_login_account_key, deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()
            session.permanent = True
            login_user(user)
            return redirect(safe_local_path(request.args.get("next")) or url_for("public.home"))
        form.password.errors.append(LOGIN_FAILED)
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Bumping the session version kills this cookie and any copy of it.
    service.log_out_everywhere(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("public.landing"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5/minute;20/hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        service.request_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def reset_password(token: str):
    try:
        service.user_for_reset_token(token)
    except service.AccountError as exc:
        return render_template("auth/reset_invalid.html", reason=str(exc)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        service.reset_password(token, form.password.data)
        logout_user()
        session.clear()
        flash("Your password is set. Please sign in with it.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)
