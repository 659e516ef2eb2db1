"""An approved member awaiting payment: a nav with only what they may use, their curator on home,
and a pay page with the amount due, how to pay and what to quote."""
from club.core import settings
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from club.models.curation import CuratorProfile
from tests.billing.factories import make_plan
from tests.factories import login, make_curator, make_member


def _nav(page: str) -> str:
    return page.split('<nav', 1)[1].split('</nav>', 1)[0]


def test_the_nav_of_a_member_awaiting_payment_leads_only_where_they_may_go(client, ctx):
    login(client, make_member(state=states.PENDING_PAYMENT, kind=None))
    nav = _nav(client.get("/me").get_data(as_text=True))
    assert 'href="/me"' in nav and 'href="/billing"' in nav
    for closed in ('href="/events"', 'href="/members"', 'href="/invites"'):
        assert closed not in nav
    # Every link the nav still shows opens.
    for href in ("/me", "/billing"):
        assert client.get(href).status_code == 200


def test_the_nav_of_a_member_with_access_is_whole(client, ctx):
    login(client, make_member())
    nav = _nav(client.get("/me").get_data(as_text=True))
    for href in ("/me", "/events", "/members", "/invites", "/billing"):
        assert f'href="{href}"' in nav


def test_home_shows_the_curator_and_what_to_do_next(client, ctx):
    curator = make_curator(name="Julian Hart")
    profile = db.session.get(CuratorProfile, curator.id)
    profile.bio, profile.contact = "I look after new members.", "julian@club.example"
    db.session.commit()
    login(client, make_member(state=states.PENDING_PAYMENT, kind=None, curator=curator))
    page = client.get("/me").get_data(as_text=True)
    assert "Julian Hart" in page and "julian@club.example" in page and "I look after new members." in page
    assert "What happens next" in page and 'href="/billing"' in page
    # Nothing that would lead to a 403: no request thread link, no booking lists.
    assert "/me/requests" not in page and "Your next evenings" not in page


def test_the_offline_pay_page_shows_the_amount_due_the_instructions_and_the_reference(client, ctx):
    make_plan(monthly=15000, annual=150000, initiation=50000)
    settings.update({"payment_instructions": "Bank transfer to IBAN GB29 NWBK 6016."})
    db.session.commit()
    member = make_member(state=states.PENDING_PAYMENT, kind=None)
    login(client, member)
    page = client.get("/billing").get_data(as_text=True)
    assert "Amount due" in page
    # Plan plus initiation fee: a year 1,500 + 500; a first month 150 + 500.
    assert "€2,000.00" in page and "€650.00" in page
    assert "IBAN GB29 NWBK 6016" in page
    reference = f"M-{membership_of(member).id:05d}"
    assert reference in page
