"""The owner's metrics: the page, the same figures as JSON, and each figure as CSV. Admins only."""
from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request

from club.core import settings
from club.core.security import roles_required
from club.metrics import charts, report
from club.metrics.forms import period_from
from club.metrics.periods import CHOICES
from club.models.base import utcnow
from club.models.user import ROLE_ADMIN

bp = Blueprint("metrics", __name__, url_prefix="/admin")


def _figures():
    now = utcnow()
    period, shown, error = period_from(request.args, now.date())
    return now, period, shown, error, report.build(period, now)


@bp.route("/metrics")
@roles_required(ROLE_ADMIN)
def page():
    _now, period, shown, error, families = _figures()
    return render_template("metrics/page.html", period=period, previous=period.previous(), shown=shown,
                           error=error, families=families, choices=CHOICES, charts=charts,
                           currency=settings.get("currency")), 400 if error else 200


@bp.route("/metrics.json")
@roles_required(ROLE_ADMIN)
def as_json():
    _now, period, _shown, error, families = _figures()
    if error:
        return jsonify({"error": error}), 400
    return jsonify(report.as_json(period, families))


@bp.route("/metrics/<key>.csv")
@roles_required(ROLE_ADMIN)
def as_csv(key: str):
    _now, period, _shown, error, families = _figures()
    table = report.find_table(families, key)
    if table is None or error:
        abort(404)
    name = f"{key}_{period.start.isoformat()}_{period.end.isoformat()}.csv"
    return Response(table.as_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


from club.metrics import leader_views  # noqa: E402,F401  (its routes are on this blueprint)
