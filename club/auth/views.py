"""Signing in and out, and resetting a forgotten password."""
from __future__ import annotations


from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from club.auth import second_factor, service, throttle
from club.auth.forms import ForgotPasswordForm, LoginForm, ResetPasswordForm
from club.auth.sessions import begin_session
from club.core import i18n
from club.auth.second_factor_views import ask_for_code, bp as second_factor_bp
from club.core.form_messages import N_
from club.core.security import safe_local_path
from club.extensions import limiter

bp = Blueprint("auth", __name__)
bp.register_blueprint(second_factor_bp)  # the code step and the security pages: auth.factor.*

LOGIN_FAILED = N_("That email and password do not match an account. Please try again.")  # shown translated


@bp.route("/login", methods=["GET", "POST"])
@throttle.sign_in_limits
def login():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is not None:
            if second_factor.is_enabled(user):  # the password alone does not sign in: ask for the code
                return throttle.remember_sign_in(ask_for_code(user, request.args.get("next")), user.email)
            begin_session(user)
            response = redirect(safe_local_path(request.args.get("next")) or url_for("public.home"))
            return throttle.remember_sign_in(response, user.email)
        form.password.errors.append(_(LOGIN_FAILED))
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Bumping the session version kills this cookie and any copy of it.
    language = i18n.current_language()  # the reader's: the page after signing out is in it too
    service.log_out_everywhere(current_user._get_current_object())
    logout_user()
    session.clear()
    session[i18n.SESSION_KEY] = language
    flash(_("You are signed out."), "info")
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
        user = service.user_for_reset_token(token)
    except service.AccountError as exc:
        return render_template("auth/reset_invalid.html", reason=str(exc)), 400
    form = ResetPasswordForm()
    form.password_context = (user.email, user.full_name)  # a password built on them is refused
    if form.validate_on_submit():
        service.reset_password(token, form.password.data)
        language = i18n.current_language()
        logout_user()
        session.clear()
        session[i18n.SESSION_KEY] = language
        flash(_("Your password is set. Please sign in with it."), "success")
        # The mail proved who this is: this browser and address pass the per-account sign-in limit.
        return throttle.remember_sign_in(redirect(url_for("auth.login")), user.email)
    return render_template("auth/reset.html", form=form)
