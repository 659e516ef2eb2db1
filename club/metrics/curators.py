"""Curators: the members each looks after against their capacity."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from club.curation import stats as curation_stats
from club.metrics import rules
from club.metrics.tables import Chart, Family, Table


def family() -> Family:
    loads = curation_stats.curator_loads()
    table = Table("curators_load", _l("Members per curator, today"),
                  [_l("Curator"), _l("Members"), _l("Capacity"), _l("Load")],
                  [[r["name"], r["members"], r["capacity"], rules.rate(r["members"], r["capacity"])] for r in loads],
                  chart=Chart("bars", 0, 3, percent=True), percent_columns={3},
                  note=_l("Members awaiting payment, active, past due or ending count; a load over 100% is over capacity."))
    return Family("curators", _l("Curators"), [table])
