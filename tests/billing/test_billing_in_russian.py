"""Billing in Russian: the member's and the admin's pages, errors from Stripe, the mails (in the
recipient's language, money written their way), and Russian plurals."""
from datetime import date, timedelta

import pytest
from flask_babel import force_locale, ngettext

from club.billing.offline import record_offline_payment
from club.extensions import db
from club.membership import states
from club.membership.access import membership_of
from tests.billing.conftest import deliver, event
from tests.billing.factories import make_applicant, make_plan, make_stripe_member, payment_form
from tests.factories import login, make_admin


def _page(client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, path
    return r.get_data(as_text=True)


def test_an_applicant_reads_how_to_pay_in_russian(ctx, client):
    make_plan(name="Individual", monthly=15000, annual=150000, initiation=50000)
    login(client, make_applicant())
    body = _page(client, "/billing?lang=ru")
    assert '<html lang="ru">' in body
    for words in ("Членство и оплата", "Ожидает оплаты", "Оплата членства", "Добро пожаловать: Ваша заявка принята.",
                  "Сумма к оплате", "Оплата помесячно", "Оплата за год", "Как оплатить", "650,00\xa0€",
                  "150,00\xa0€ за первый месяц + 500,00\xa0€ вступительный взнос"):
        assert words in body, words
    for english in ("Membership &amp; payment", "Awaiting payment", "Paying your membership", "How to pay",
                    "Monthly", "a month", "once"):
        assert english not in body, english
    assert "Individual" in body  # the club's plan name is the club's own words


def test_an_offline_member_sees_their_payments_with_russian_dates(ctx, client):
    admin, user = make_admin(), make_applicant()
    membership = membership_of(user)
    start = date(2026, 3, 1)
    record_offline_payment(membership.id, amount_cents=150000, paid_on=start, reference="TRANSFER 42",
                           period_start=start, period_end=date.today() + timedelta(days=30),
                           includes_initiation=False, actor=admin)
    login(client, user)
    body = _page(client, "/billing?lang=ru")
    assert "Напрямую клубу" in body and "Дата окончания" in body and "Платежи" in body
    assert "1 мар. 2026\u202fг." in body and "1\xa0500,00\xa0€" in body
    assert "Paid to the club directly" not in body and "Mar 2026" not in body


def test_the_admins_billing_pages_and_flash_in_russian(ctx, client):
    admin, user = make_admin(), make_applicant(name="Vera Petrova")
    membership = membership_of(user)
    login(client, admin)
    body = _page(client, "/admin/billing?lang=ru")
    assert "Требуют внимания" in body and "Ожидает оплаты" in body and "Vera Petrova" in body
    assert "Needs attention" not in body and "Awaiting payment" not in body
    body = _page(client, f"/admin/billing/{membership.id}?lang=ru")
    assert "Отметить оплату напрямую" in body and "Полученная сумма" in body and "Приостановить членство" in body
    assert "Record an offline payment" not in body and "Amount received" not in body
    until = date.today() + timedelta(days=364)
    r = client.post(f"/admin/billing/{membership.id}/payment?lang=ru", data=payment_form(), follow_redirects=True)
    assert "Платёж записан; членство оплачено по" in r.get_data(as_text=True)
    assert f"{until.day} " in r.get_data(as_text=True) and "Payment recorded" not in r.get_data(as_text=True)
    body = _page(client, "/admin/plans?lang=ru")
    assert "Тарифы и цены" in body and "Настройки оплаты" in body and "Разрешить промокоды на странице оплаты" in body
    r = client.post("/admin/plans/new?lang=ru", data={"name": "Couple", "monthly": "", "annual": "2400"})
    assert r.status_code == 400 and "Укажите цену в месяц." in r.get_data(as_text=True)


@pytest.mark.parametrize("failure, russian, english", [
    ("decline", "Оплата картой отклонена.", "Your card was declined."),
    ("down", "Оплата сейчас недоступна. Деньги не списаны", "Payment is not available right now"),
])
def test_stripe_refusals_are_told_in_russian(ctx, client, priced, failure, russian, english):
    login(client, make_applicant())
    priced.decline_next() if failure == "decline" else priced.break_next()
    r = client.post("/billing/checkout?lang=ru", data={"plan": "monthly"})
    assert r.status_code == 400
    assert russian in r.get_data(as_text=True) and english not in r.get_data(as_text=True)


@pytest.mark.parametrize("language, subject, amount, greeting", [
    ("ru", "Пожалуйста, подтвердите оплату членства", "150,00\xa0€", "Здравствуйте,"),
    ("en", "Please confirm your membership payment", "€150.00", "Dear "),
])
def test_the_3d_secure_mail_is_in_the_members_language_with_their_money(ctx, client, stripe_on, outbox,
                                                                       language, subject, amount, greeting):
    user, membership, sub = make_stripe_member(stripe_on)
    user.language = language
    db.session.commit()
    invoice = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], status="open",
                                    amount_due=15000)
    # The webhook comes from Stripe, without a reader's language: the member's own decides.
    assert deliver(client, event("invoice.payment_action_required", invoice)).status_code == 200
    mail, = outbox.to(user.email)
    body = mail.get_content()
    assert subject in mail["Subject"] and amount in body and body.startswith(greeting)
    assert "http://club.test/billing" in body


def test_the_failed_payment_mail_is_russian_for_a_russian_reader(ctx, client, stripe_on, outbox):
    user, membership, sub = make_stripe_member(stripe_on, status="past_due")
    user.language = "ru"
    db.session.commit()
    invoice = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], status="open")
    assert deliver(client, event("invoice.payment_failed", invoice)).status_code == 200
    mail, = outbox.to(user.email)
    body = mail.get_content()
    assert "Оплата членства не прошла" in mail["Subject"]
    assert "не прошёл: банк или карта его отклонили" in body and "Ваше членство полностью действует до" in body
    assert "did not go through" not in body and membership_of(user).state == states.PAST_DUE


@pytest.mark.parametrize("count, words", [(1, "1 изменение."), (3, "3 изменения."), (5, "5 изменений."),
                                          (21, "21 изменение."), (11, "11 изменений.")])
def test_the_nightly_runs_count_is_a_russian_plural(app, count, words):
    with app.app_context(), force_locale("ru"):
        assert ngettext("%(num)d change(s).", "%(num)d change(s).", count) == words
