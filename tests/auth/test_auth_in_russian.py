"""Signing in, the password reset and the second factor, in Russian: pages, refusals, mail."""
import re

import pytest
from flask_babel import ngettext

from club.auth.service import request_password_reset
from club.extensions import db
from club.models.club import OutboxMail
from tests.auth.factories import enrol
from tests.factories import PASSWORD, login, make_member, make_user

RU = {"Accept-Language": "ru-RU,ru;q=0.9"}


def _errors(page: str) -> list[str]:
    return re.findall(r'<p class="error"[^>]*>(.*?)</p>', page, re.S)


def test_the_sign_in_page_reads_in_russian(client):
    page = client.get("/login?lang=ru").get_data(as_text=True)
    for russian in ("Войти", "Для членов клуба, кандидатов и команды клуба.", "Электронная почта", "Пароль",
                    "Забыли пароль?", "Вход для членов клуба", "Членство — только по приглашению.", "Основное меню"):
        assert russian in page, russian
    for english in ("Members, applicants and staff.", "Forgot your password?", ">Email<", ">Password<",
                    "Membership is by invitation."):
        assert english not in page, english


def test_refusals_of_the_sign_in_form_are_in_russian_wtforms_own_included(client, ctx):
    empty = client.post("/login", data={"email": "", "password": ""}, headers=RU).get_data(as_text=True)
    assert _errors(empty) == ["Заполните это поле.", "Заполните это поле."]
    not_an_email = client.post("/login", data={"email": "nobody", "password": "x"}, headers=RU)
    assert _errors(not_an_email.get_data(as_text=True)) == ["Проверьте адрес электронной почты."]
    make_user(email="olga@example.org")
    wrong = client.post("/login", data={"email": "olga@example.org", "password": "not it at all"}, headers=RU)
    assert wrong.status_code == 401
    assert "Такой пары адреса и пароля нет ни в одной учётной записи." in wrong.get_data(as_text=True)


def test_signing_out_and_the_sign_in_prompt_flash_in_russian(client, ctx):
    member = make_member(email="pavel@example.org")
    member.language = "ru"
    db.session.commit()
    login(client, member)
    assert "Вы вышли." in client.post("/logout", follow_redirects=True).get_data(as_text=True)
    prompt = client.get("/me", headers=RU, follow_redirects=True).get_data(as_text=True)
    assert "Чтобы продолжить, войдите." in prompt


def test_a_member_reading_russian_sees_the_navigation_and_security_page_in_russian(client, ctx):
    member = make_member(email="irina@example.org")
    member.language = "ru"
    db.session.commit()
    login(client, member)
    page = client.get("/account/security").get_data(as_text=True)
    for russian in ("Главная", "Мероприятия", "Члены клуба", "Приглашения", "Членство", "Безопасность",
                    "Двухэтапный вход", "Выключен", "Для входа нужен только пароль.", "Выйти"):
        assert russian in page, russian
    for english in (">Home<", ">Members<", ">Security<", "Second factor", "Signing in asks"):
        assert english not in page, english


def test_the_reset_pages_and_a_weak_password_are_refused_in_russian(client, ctx):
    page = client.post("/password/forgot", data={"email": "nobody@example.org"}, headers=RU).get_data(as_text=True)
    assert "Проверьте почту" in page and "nobody@example.org" in page and "запросите ссылку ещё раз" in page
    invalid = client.get("/password/reset/not-a-token", headers=RU)
    assert invalid.status_code == 400
    assert "Ссылка недействительна." in invalid.get_data(as_text=True)


def test_a_common_password_is_refused_in_russian_with_zxcvbns_warning_translated(app):
    from club.core.passwords import password_weakness

    with app.test_request_context("/?lang=ru"):
        found = password_weakness("qwertyuiopasdf")
    assert found.startswith("Этот пароль слишком легко угадать.")
    assert not re.search(r"[A-Za-z]{4,}", found), found  # no English sentence left from zxcvbn


@pytest.mark.parametrize("language, subject, words", [
    ("ru", "Смена пароля", ["Здравствуйте, Вера Петрова", "откройте эту ссылку в течение часа",
                            "пароль останется прежним"]),
    ("en", "Reset your password", ["Dear Вера Петрова,", "open this link within the hour"]),
])
def test_the_reset_mail_is_in_the_recipients_language(app, outbox, language, subject, words):
    with app.test_request_context("/", headers=RU if language == "en" else {"Accept-Language": "en"}):
        user = make_user(email="vera@example.org", name="Вера Петрова")
        user.language = language
        db.session.commit()
        request_password_reset(user.email)
        row = db.session.query(OutboxMail).one()
    assert row.language == language and row.subject.startswith(subject)
    for text in words:
        assert text in row.body, (text, row.body)


@pytest.mark.parametrize("left, shown", [(1, "Остался 1 код."), (3, "Осталось 3 кода."), (5, "Осталось 5 кодов."),
                                         (21, "Остался 21 код.")])
def test_the_recovery_codes_left_take_the_right_russian_form(app, left, shown):
    text = ("You signed in with a recovery code; it cannot be used again. %(num)d left. "
            "If your phone is lost, set up the app again and renew your codes.")
    with app.test_request_context("/?lang=ru"):
        assert shown in ngettext(text, text, left)


@pytest.mark.parametrize("n, at_most, exactly", [
    (1, "Не более 1 символа.", "Нужен ровно 1 символ."),
    (3, "Не более 3 символов.", "Нужно ровно 3 символа."),
    (5, "Не более 5 символов.", "Нужно ровно 5 символов."),
])
def test_wtforms_length_messages_take_the_right_russian_form(app, n, at_most, exactly):
    from club.core.form_messages import club_translations

    with app.test_request_context("/?lang=ru"):
        longest = club_translations.ngettext("Field cannot be longer than %(max)d character.",
                                             "Field cannot be longer than %(max)d characters.", n)
        exact = club_translations.ngettext("Field must be exactly %(max)d character long.",
                                           "Field must be exactly %(max)d characters long.", n)
        assert longest % {"max": n} == at_most and exact % {"max": n} == exactly
    with app.test_request_context("/?lang=en"):
        assert club_translations.gettext("This field is required.") == "This field is required."


def test_enrolling_and_the_code_step_speak_russian(client, ctx):
    member = make_member(email="sofia@example.org")
    member.language = "ru"
    db.session.commit()
    login(client, member)
    page = client.get("/account/security/enrol").get_data(as_text=True)
    assert "Настройка двухэтапного входа" in page and "1. Добавьте клуб в приложение" in page
    secret, _codes = enrol(client)
    client.post("/logout")
    first = client.post("/login", data={"email": member.email, "password": PASSWORD}, headers=RU)
    assert first.headers["Location"].endswith("/login/code")
    page = client.get("/login/code", headers=RU).get_data(as_text=True)
    assert "Вход · шаг 2 из 2" in page and "Телефона нет под рукой?" in page and "Начать заново" in page
    wrong = client.post("/login/code", data={"code": "000000"}, headers=RU).get_data(as_text=True)
    assert "Код не подходит." in wrong
