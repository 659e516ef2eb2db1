"""The design's journeys, end to end, in a real Chromium against the live club.

A member invites a friend; the friend applies (first meeting the error summary); a second member
endorses; the curator scores and approves; the admin records an offline payment; the new member
finds their curator at home, books an event, is promoted from the waitlist when a seat frees up,
and finds the calendar link; then a member leaves. Every page on the way is checked as in
test_pages.py: nothing leaves 127.0.0.1, no console error.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.request import urlopen

import pytest

selenium = pytest.importorskip("selenium", reason="browser tests skipped: selenium is not installed")
from selenium.webdriver.common.by import By  # noqa: E402

from tests.browser.conftest import console_errors, outside_requests, sign_in, submit_and_wait

PASSWORD = "a quiet evening of good conversation"


def _sign_out(driver, base: str) -> None:
    driver.delete_all_cookies()
    driver.get(base + "/")


def _fill(driver, name: str, value: str) -> None:
    element = driver.find_element(By.NAME, name)
    element.clear()
    element.send_keys(value)


def _press(driver, label: str) -> None:
    """Press the submit button (in the page's main content) whose text starts with ``label``."""
    for button in driver.find_elements(By.CSS_SELECTOR, "main button[type=submit], main button:not([type])"):
        if button.text.strip().startswith(label):
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
            submit_and_wait(driver, button)
            return
    raise AssertionError(f"no button {label!r} on {driver.current_url}")


def _text(driver) -> str:
    return re.sub(r"\s+", " ", driver.find_element(By.TAG_NAME, "main").text)


def _clean(driver) -> None:
    here = driver.current_url
    assert outside_requests(driver) == [], here
    assert console_errors(driver, here) == [], f"{here}: {_text(driver)}"


def _link_in_mail(outbox, to: str, path: str) -> str:
    mails = outbox.to(to)
    assert mails, f"no mail to {to}"
    body = mails[-1].get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://\S+" + re.escape(path) + r"\S*", body)
    assert match, f"no {path} link in the mail to {to}: {body}"
    return match.group(0)


def test_invite_apply_endorse_approve_pay_book_waitlist_calendar_and_leave(live, browser, outbox):
    base, driver = live.base_url, browser

    # A member invites a friend.
    sign_in(driver, base, "member@demo.club")
    driver.get(base + "/invites")
    _fill(driver, "email", "newcomer@example.org")
    _press(driver, "Send")
    _clean(driver)
    apply_url = _link_in_mail(outbox, "newcomer@example.org", "/apply/")
    assert apply_url.startswith(base)
    _sign_out(driver, base)

    # The friend applies. A first, empty submit: the error summary takes the focus and links to the fields.
    driver.get(apply_url)
    _press(driver, "Send my application")
    focused = driver.switch_to.active_element
    assert focused.get_attribute("role") == "alert" and "error-summary" in focused.get_attribute("class")
    links = focused.find_elements(By.CSS_SELECTOR, "a[href^='#']")
    assert links, "the error summary links to no field"
    target = links[0].get_attribute("href").split("#")[1]
    links[0].click()
    assert driver.switch_to.active_element.get_attribute("id") == target
    assert driver.find_element(By.ID, target).get_attribute("aria-invalid") == "true"
    assert driver.find_elements(By.CSS_SELECTOR, "[aria-invalid='None'], [aria-describedby='None']") == []
    # The refused form comes back with status 400; that is the only thing the console reports.
    assert [e for e in console_errors(driver, apply_url.split("?")[0], expected_status=400)] == []

    _fill(driver, "full_name", "Nora Quill")
    _fill(driver, "city", "London")
    _fill(driver, "occupation", "Bookbinder")
    for box in driver.find_elements(By.CSS_SELECTOR, "input[name=interests]")[:2]:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.click()
    _fill(driver, "links", "https://example.org/nora-quill")
    _fill(driver, "languages", "English, French")
    _fill(driver, "motivation", "I would like to meet curious people from other trades and talk about books, "
                                "craft and cities over a long supper, and make friends for years to come.")
    _fill(driver, "contribution", "I can run an evening on bookbinding, teach a small group to sew a book by hand "
                                  "and lead a walk through the old print shops of Clerkenwell.")
    rules = driver.find_element(By.NAME, "accept_rules")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", rules)
    rules.click()
    _fill(driver, "password", PASSWORD)
    _fill(driver, "confirm", PASSWORD)
    _press(driver, "Send my application")
    assert "/application" in driver.current_url, _text(driver)
    _clean(driver)

    # She asks a second member to endorse her; he does.
    _fill(driver, "email", "second@demo.club")
    _press(driver, "Ask for an endorsement")
    _clean(driver)
    endorse_url = _link_in_mail(outbox, "second@demo.club", "/invites/endorsements/")
    _sign_out(driver, base)
    sign_in(driver, base, "second@demo.club")
    driver.get(endorse_url)
    _fill(driver, "statement", "I have known Nora for years; she is generous, funny and a fine host.")
    _press(driver, "")  # the page's one submit button
    _clean(driver)
    _sign_out(driver, base)

    # The curator scores and approves.
    from club.extensions import db
    from club.models.user import User

    with live.app_context():
        nora = db.session.scalars(db.select(User).where(User.email == "newcomer@example.org")).one()
        nora_id = nora.id
    sign_in(driver, base, "curator@demo.club")
    driver.get(base + "/curation/applications")
    driver.find_element(By.PARTIAL_LINK_TEXT, "Nora Quill").click()
    application_url = driver.current_url
    score = driver.find_elements(By.CSS_SELECTOR, "input[name=score]")
    if score:
        driver.execute_script("arguments[0].click()", score[-1])
        _press(driver, "Save my score")
        driver.get(application_url)
    approve = [r for r in driver.find_elements(By.CSS_SELECTOR, "#decide input[type=radio]")
               if r.get_attribute("value").startswith("approve")]
    assert approve, _text(driver)
    driver.execute_script("arguments[0].click()", approve[0])
    driver.find_element(By.CSS_SELECTOR, "#decide textarea, #decide input[type=text]").send_keys(
        "Warmly endorsed; a maker who will bring people together.")
    _press(driver, "Record the decision")
    _clean(driver)
    _sign_out(driver, base)

    # The admin records her offline payment.
    from club.models.membership import Membership

    with live.app_context():
        membership_id = db.session.scalars(db.select(Membership.id).where(Membership.user_id == nora_id)).one()
    sign_in(driver, base, "admin@demo.club")
    driver.get(f"{base}/admin/billing/{membership_id}")
    _fill(driver, "pay-amount", "250")
    _fill(driver, "pay-reference", "Bank transfer NQ-1")
    today = date.today()
    for name, day in (("pay-paid_on", today), ("pay-period_start", today),
                      ("pay-period_end", today + timedelta(days=364))):
        driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.NAME, name), day.isoformat())
    driver.execute_script("arguments[0].click()", driver.find_element(By.NAME, "pay-includes_initiation"))
    _press(driver, "Record payment")
    _clean(driver)
    _sign_out(driver, base)

    # A full event, to try the waitlist: one seat, which Margot takes.
    from tests.events.factories import make_event

    with live.app_context():
        event_id = make_event("Bookbinding supper", capacity=1, max_guests=0, cutoff=0,
                              starts_in=timedelta(days=10)).id

    # Nora is a member: home shows her curator; the event is full, so she joins the waitlist.
    sign_in(driver, base, "newcomer@example.org", PASSWORD)
    if "/me/rules" in driver.current_url:
        driver.execute_script("arguments[0].click()", driver.find_element(By.CSS_SELECTOR, "main input[type=checkbox]"))
        _press(driver, "")
    driver.get(base + "/me")
    assert "Julian Marsh" in _text(driver), _text(driver)
    _clean(driver)
    _sign_out(driver, base)

    sign_in(driver, base, "member@demo.club")
    driver.get(f"{base}/events/{event_id}")
    _press(driver, "Book")
    assert "booked" in _text(driver).lower() or "your seat" in _text(driver).lower(), _text(driver)
    _sign_out(driver, base)

    sign_in(driver, base, "newcomer@example.org", PASSWORD)
    driver.get(f"{base}/events/{event_id}")
    _press(driver, "Join the waitlist")
    assert "waitlist" in _text(driver).lower()
    _sign_out(driver, base)

    # Margot cancels (after confirming); Nora is promoted to the seat.
    sign_in(driver, base, "member@demo.club")
    driver.get(f"{base}/events/{event_id}")
    # First she changes her mind at the question: nothing happens, the seat is still hers.
    driver.execute_script("window.asked = []; window.confirm = q => { window.asked.push(q); return false; };")
    driver.find_element(By.XPATH, "//main//button[normalize-space()='Cancel my booking']").click()
    assert driver.execute_script("return window.asked")[0].startswith("Cancel your booking for Bookbinding supper?")
    driver.refresh()
    assert "Cancel my booking" in _text(driver)
    driver.execute_script("window.confirm = () => true;")
    _press(driver, "Cancel my booking")
    _sign_out(driver, base)
    assert _link_in_mail(outbox, "newcomer@example.org", f"/events/{event_id}")

    sign_in(driver, base, "newcomer@example.org", PASSWORD)
    driver.get(f"{base}/events/{event_id}")
    assert "Cancel my booking" in _text(driver), _text(driver)

    # The calendar: the events page offers her personal feed, to copy or to open as webcal://.
    driver.get(base + "/events")
    feed = driver.find_element(By.ID, "feed-url").get_attribute("value")
    webcal = driver.find_element(By.CSS_SELECTOR, "#calendar-feed a[href^='webcal://']").get_attribute("href")
    assert webcal == "webcal://" + feed.split("://", 1)[1]
    driver.find_element(By.CSS_SELECTOR, "button[data-copy=feed-url]").click()
    assert driver.find_element(By.CSS_SELECTOR, "[data-copy-status]").text == "Copied."
    _clean(driver)
    with urlopen(feed) as response:
        assert "Bookbinding supper" in response.read().decode()

    # A member leaves.
    driver.get(base + "/me/leave")
    _fill(driver, "reason", "Moving abroad.")
    confirm = driver.find_element(By.NAME, "confirm")
    if confirm.get_attribute("type") == "checkbox":
        driver.execute_script("arguments[0].click()", confirm)
    else:
        confirm.send_keys("LEAVE")
    _press(driver, "Cancel my membership")
    _clean(driver)
    with live.app_context():
        state = db.session.scalars(db.select(Membership.state).where(Membership.user_id == nora_id)).one()
    assert state != "active", state


# A card fails and recovers; and paying by card, through the local Stripe stand-in ------------------

@pytest.fixture
def stripe_live(live, monkeypatch):
    """The live club talking to the local Stripe stand-in (tests/billing/fake_stripe.py), with the
    demo club's plans priced there (the first at 150 a month, 1,500 a year, 500 to join)."""
    from club.billing.catalogue import active_plans
    from tests.billing.conftest import WEBHOOK_SECRET
    from tests.billing.fake_stripe import FakeStripe

    fake = FakeStripe()
    for key, value in (("STRIPE_SECRET_KEY", "sk_test_club_fake"), ("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET),
                       ("STRIPE_API_BASE", fake.url), ("STRIPE_MAX_NETWORK_RETRIES", 0)):
        monkeypatch.setitem(live.config, key, value)
    with live.app_context():
        from club.core import settings

        money = str(settings.get("currency"))
        for plan in active_plans():
            product = f"club_plan_{plan.id}"
            fake.add_price(f"{product}_monthly", 15000, "month", money, product=product)
            fake.add_price(f"{product}_annual", 150000, "year", money, product=product)
            fake.add_price(f"{product}_initiation", 50000, None, money, product=product)
    yield fake
    fake.close()


def _webhook(base: str, type_: str, obj: dict) -> None:
    """Stripe's webhook, signed as Stripe signs it, posted to the live club (as tests/billing does)."""
    from urllib.request import Request

    from tests.billing.conftest import event, signed

    body, headers = signed(event(type_, obj))
    with urlopen(Request(base + "/billing/webhook", data=body, headers=headers, method="POST")) as response:
        assert response.status == 200


def _past_rules(driver) -> None:
    if "/me/rules" in driver.current_url:
        driver.execute_script("arguments[0].click()", driver.find_element(By.CSS_SELECTOR, "main input[type=checkbox]"))
        _press(driver, "")


def test_a_card_fails_and_recovers(live, stripe_live, browser, outbox):
    from club.extensions import db
    from club.membership import states
    from club.membership.access import membership_of
    from tests.billing.factories import make_stripe_member
    from tests.factories import PASSWORD as MEMBER_PASSWORD

    base, driver, fake = live.base_url, browser, stripe_live
    with live.app_context():
        user, membership, sub = make_stripe_member(fake, status="past_due")
        email, customer, user_id = user.email, membership.stripe_customer_id, user.id

    # Stripe could not take the renewal: the member is told by mail, with a link to their billing page.
    failed = fake.add_invoice(customer=customer, subscription=sub["id"], status="open")
    _webhook(base, "invoice.payment_failed", failed)
    assert _link_in_mail(outbox, email, "/billing").startswith(base)

    sign_in(driver, base, email, MEMBER_PASSWORD)
    _past_rules(driver)
    driver.get(base + "/billing")
    alert = driver.find_element(By.CSS_SELECTOR, ".billing-alert[role=alert]")
    assert "Your last payment did not go through" in alert.text and "You keep full access until" in alert.text
    update = alert.find_element(By.XPATH, ".//button[normalize-space()='Update your card']")
    assert update.find_element(By.XPATH, "./ancestor::form").get_attribute("action") == base + "/billing/portal"
    _clean(driver)
    # During grace the club stays open to her.
    driver.get(base + "/events")
    assert "/events" in driver.current_url and "Upcoming events" in _text(driver)
    _clean(driver)

    # She updates her card at Stripe; Stripe collects and says so.
    fake.set_subscription(sub["id"], status="active")
    paid = fake.add_invoice(customer=customer, subscription=sub["id"], amount_paid=15000)
    _webhook(base, "invoice.paid", paid)
    driver.get(base + "/billing")
    assert driver.find_elements(By.CSS_SELECTOR, ".billing-alert") == [], _text(driver)
    assert "Active" in _text(driver) and "Payment failed" not in _text(driver)
    _clean(driver)
    with live.app_context():
        refreshed = membership_of(db.session.get(type(user), user_id))
        assert refreshed.state == states.ACTIVE and refreshed.grace_until is None


def test_an_applicant_pays_by_card_through_the_stripe_stand_in(live, stripe_live, browser):
    """Choose a plan in the browser; the club makes a Checkout Session at the stand-in and sends the
    browser to its page. That page is Stripe's own (checkout.stripe.com), which the stand-in does
    not serve and the tests may not reach: the browser is kept from going there, the stand-in
    completes the session as Stripe's page would, and the browser comes back to the success URL
    Stripe would send it to. The success page asks the stand-in, and the membership is active."""
    from club.extensions import db
    from club.membership import states
    from club.membership.access import membership_of
    from club.models.user import User
    from tests.billing.factories import make_applicant
    from tests.factories import PASSWORD as MEMBER_PASSWORD

    base, driver, fake = live.base_url, browser, stripe_live
    with live.app_context():
        email = make_applicant().email
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*stripe.com*"]})
    sign_in(driver, base, email, MEMBER_PASSWORD)
    _past_rules(driver)
    driver.get(base + "/billing")
    assert "Choose your plan" in _text(driver) and "150.00" in _text(driver)
    _clean(driver)
    yearly = driver.find_element(By.CSS_SELECTOR, "input[name=plan][value=annual]")
    driver.execute_script("arguments[0].click()", yearly)
    button = driver.find_element(By.XPATH, "//main//button[normalize-space()='Continue to secure payment']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    from selenium.webdriver.support.ui import WebDriverWait

    session = WebDriverWait(driver, 15).until(
        lambda d: next((o for o in fake.objects.values() if o.get("object") == "checkout.session"), None))
    # The browser was sent to Stripe's hosted page for exactly that session, and went no further.
    WebDriverWait(driver, 15).until(lambda d: any("checkout.stripe.com" in u for u in outside_requests(d))
                                    or "checkout.stripe.com" in d.current_url)
    call, = fake.calls("POST", "/v1/checkout/sessions")
    assert call.params["success_url"].startswith(base + "/billing/success")
    # What Stripe's page does when the card is accepted; then Stripe sends the browser back.
    fake.complete_checkout(session["id"], status="active")
    driver.get(call.params["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"]))
    assert "/billing/success" in driver.current_url
    assert outside_requests(driver) == [] and console_errors(driver, driver.current_url) == []
    with live.app_context():
        user = db.session.scalars(db.select(User).where(User.email == email)).one()
        assert membership_of(user).state == states.ACTIVE
    driver.get(base + "/me")
    _past_rules(driver)  # now a member: the club rules first, then her home
    driver.get(base + "/me")
    assert "Active" in _text(driver) and "Welcome" in _text(driver)
    _clean(driver)
