"""The leaders page (``/admin/leaders``): the ranking, naming and ending ambassadors, the weights.
Admins only; on the metrics blueprint."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from club.core.security import roles_required
from club.extensions import db
from club.membership.ambassadors import AmbassadorError, end_ambassador, name_ambassador
from club.metrics import leaders
from club.metrics.leader_forms import AmbassadorForm, WeightsForm
from club.metrics.views import bp
from club.models.base import utcnow
from club.models.user import ROLE_ADMIN, User


def _page(weights_form: WeightsForm | None = None, status: int = 200):
    weights_form = weights_form or WeightsForm(data=leaders.weights())
    return render_template("metrics/leaders.html", leaders=leaders.board(utcnow()), weights_form=weights_form,
                           ambassador_form=AmbassadorForm(), labels=leaders.LABELS), status


@bp.route("/leaders")
@roles_required(ROLE_ADMIN)
def leaders_page():
    return _page()


@bp.route("/leaders/ambassadors", methods=["POST"])
@roles_required(ROLE_ADMIN)
def ambassador():
    form = AmbassadorForm()
    if not form.validate_on_submit():
        abort(400)
    member = db.session.get(User, form.user_id.data)
    if member is None:
        abort(404)
    if form.action.data == "name":
        try:
            name_ambassador(member, current_user)
        except AmbassadorError as exc:
            flash(str(exc), "error")
            return redirect(url_for("metrics.leaders_page"))
        db.session.commit()
        flash(_("%(name)s is now an ambassador.", name=member.full_name), "ok")
    else:
        if end_ambassador(member, current_user):
            db.session.commit()
            flash(_("%(name)s is no longer an ambassador.", name=member.full_name), "ok")
    return redirect(url_for("metrics.leaders_page"))


@bp.route("/leaders/weights", methods=["POST"])
@roles_required(ROLE_ADMIN)
def weights():
    form = WeightsForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    if leaders.save_weights({s: getattr(form, s).data for s in leaders.SIGNALS}, current_user):
        db.session.commit()
    flash(_("The weights are saved."), "ok")
    return redirect(url_for("metrics.leaders_page"))
