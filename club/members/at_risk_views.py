"""Members at risk (``/curation/at-risk``): the curator's members with warning signs, and marking one
handled with a note. Curators see their own members, admins everyone's. On the members blueprint."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from club.core.security import roles_required
from club.extensions import db
from club.members import at_risk
from club.members.at_risk_forms import HandledForm
from club.members.views import bp
from club.models.user import ROLE_ADMIN, ROLE_CURATOR, User


def _page(form: HandledForm | None = None, status: int = 200):
    curator_id = request.args.get("curator", type=int) if current_user.is_admin else None
    return render_template("members/at_risk.html", rows=at_risk.members_at_risk(current_user, curator_id),
                           form=form or HandledForm(), failed=form), status


@bp.route("/curation/at-risk")
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def at_risk_list():
    return _page()


@bp.route("/curation/at-risk/handled", methods=["POST"])
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def at_risk_handled():
    form = HandledForm()
    if not form.validate_on_submit():
        if form.member_id.errors or form.signal.errors or form.fired_at.errors:
            abort(400)  # the hidden fields were tampered with
        return _page(form, 400)
    member = db.session.get(User, form.member_id.data)
    if member is None:
        abort(404)
    try:
        at_risk.mark_handled(current_user, member, form.signal.data, form.fired_at.data, form.note.data or "")
    except at_risk.AtRiskError as exc:
        form.note.errors = [*form.note.errors, str(exc)]
        return _page(form, 400)
    db.session.commit()
    flash(_("Marked as handled for %(name)s.", name=member.full_name), "success")
    return redirect(url_for("members.at_risk_list"))
