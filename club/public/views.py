"""The public face of the club (landing page), the language switcher, the health check, and the
signed-in home redirect."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request
from flask_login import current_user, login_required

from club.core import i18n, jobs
from club.core.database import database_is_up
from club.core.security import safe_local_path
from club.extensions import csrf, db, limiter

bp = Blueprint("public", __name__)


@bp.route("/")
def landing():
    return render_template("public/landing.html")


@bp.route("/home")
@login_required
def home():
    """Send a signed-in person to the page that matters to them."""
    from club.membership.access import membership_of

    if current_user.is_admin:
        return redirect("/admin")
    if current_user.is_curator:
        return redirect("/curation/applications")
    if membership_of(current_user) is not None:
        return redirect("/me")
    return redirect("/application")


@bp.route("/language", methods=["POST"])
def choose_language():
    """The footer's switcher: the language for this visit, and on the account of a signed-in person."""
    i18n.choose_language(request.form.get("lang", ""), current_user)
    if current_user.is_authenticated:
        db.session.commit()
    return redirect(safe_local_path(request.form.get("next")) or "/")


@bp.route("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    if not database_is_up():
        return jsonify(status="error", database="unreachable"), 503
    queue, queue_up = jobs.health()
    return jsonify(status="ok" if queue_up else "error", database="ok", **queue), (200 if queue_up else 503)
