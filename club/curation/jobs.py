"""Curation's periodic job (``club.core.jobs``): the retention purge that `flask purge-applicants` runs by hand."""
from club.core import settings
from club.core.jobs import periodic

periodic("purge-applicants", every=24 * 60 * 60, target="club.curation.jobs:purge")


def purge() -> int:
    """Erase old applicants after the club's retention period; the number erased."""
    from club.curation.purge import purge_applicants

    return len(purge_applicants(retention_days=int(settings.get("retention_days"))))
