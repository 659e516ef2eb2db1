"""The admin overview: each tile counts a list and leads to it."""
import re

from club.membership import states
from tests.factories import login, make_admin, make_member


def test_each_tile_leads_to_the_list_it_counts(client, ctx):
    admin = make_admin()
    make_member(name="Ada Active")
    make_member(name="Pia Pending", state=states.PENDING_PAYMENT, kind=None)
    make_member(name="Lou Lapsed", state=states.LAPSED)
    login(client, admin)
    page = client.get("/admin").get_data(as_text=True)
    tiles = re.findall(r'<a class="stat stat-link" href="([^"]+)"><span class="stat-value">(\d+)</span>', page)
    assert len(tiles) == 7
    for href, count in tiles:
        listed = client.get(href)
        assert listed.status_code == 200, href
        body = listed.get_data(as_text=True)
        if "state=" in href:
            # The list shows exactly the memberships the tile counted.
            assert body.count('<a href="/admin/billing/') == int(count), href
        else:
            assert href == "/admin/staff"
    assert "Pia Pending" in client.get("/admin/billing?state=pending_payment").get_data(as_text=True)
    only_lapsed = client.get("/admin/billing?state=lapsed").get_data(as_text=True)
    assert "Lou Lapsed" in only_lapsed and "Ada Active" not in only_lapsed
    # An unknown state shows every membership.
    assert "Ada Active" in client.get("/admin/billing?state=bogus").get_data(as_text=True)
