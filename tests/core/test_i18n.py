"""Languages: which one a person gets, the switcher, mail in the recipient's language, Babel's
dates and money, and the catalogue itself (complete, current, placeholders kept)."""
from datetime import datetime, timezone

import pytest
from babel.messages.catalog import Catalog

from club.core import catalogue
from club.core.mail import send_mail
from club.core.templating import format_local, money
from club.extensions import db
from club.models.club import OutboxMail
from club.models.user import User
from tests.factories import login, make_member, make_user


# -- which language ---------------------------------------------------------------------------

@pytest.mark.parametrize("accept, query, shown", [
    (None, "", "en"),
    ("ru-RU,ru;q=0.9,en;q=0.5", "", "ru"),
    ("de-DE,de;q=0.9", "", "en"),                  # a language the club does not speak
    ("en-GB,en;q=0.9,ru;q=0.8", "", "en"),
    ("ru", "?lang=en", "en"),                     # the address wins over the browser
    (None, "?lang=ru", "ru"),
    (None, "?lang=xx", "en"),                     # an unknown one is ignored
])
def test_a_visitor_gets_the_browser_language_unless_the_address_says(client, accept, query, shown):
    headers = {"Accept-Language": accept} if accept else {}
    page = client.get("/login" + query, headers=headers).get_data(as_text=True)
    assert f'<html lang="{shown}">' in page


def test_lang_in_the_address_lasts_for_the_visit(client):
    client.get("/login?lang=ru")
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ru">' in page and "Выйти" not in page  # a visitor has no sign-out
    assert "Вход для членов клуба" in page


def test_the_switcher_keeps_a_signed_in_persons_choice_on_their_account(client, ctx):
    member = make_member(email="anna@example.com")
    login(client, member)
    answer = client.post("/language", data={"lang": "ru", "next": "/me?tab=x"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/me?tab=x")
    assert db.session.get(User, member.id).language == "ru"
    # A new visit (a new browser) reads Russian too: the account remembers.
    other = client.application.test_client()
    login(other, member)
    assert '<html lang="ru">' in other.get("/me").get_data(as_text=True)


def test_the_switcher_refuses_to_send_anyone_elsewhere(client):
    answer = client.post("/language", data={"lang": "ru", "next": "https://evil.example/"})
    assert answer.headers["Location"].endswith("/")
    assert "evil" not in answer.headers["Location"]


def test_signing_in_keeps_the_language_chosen_before_and_remembers_it(client, ctx):
    member = make_member(email="boris@example.com")
    client.get("/login?lang=ru")
    login(client, member)
    assert db.session.get(User, member.id).language == "ru"
    assert '<html lang="ru">' in client.get("/me").get_data(as_text=True)


# -- the command line: the shell's locale -------------------------------------------------------

@pytest.mark.parametrize("environ, shown", [
    ({}, "en"),
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LANG": "ru"}, "ru"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "POSIX"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),                        # a language the club does not speak
    ({"LC_ALL": "ru_RU.UTF-8", "LANG": "en_GB.UTF-8"}, "ru"),  # LC_ALL overrides LANG
    ({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"),
    ({"LC_MESSAGES": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}, "ru"),
    ({"LANGUAGE": "de:ru:en", "LANG": "en_US.UTF-8"}, "ru"),  # the first one the club speaks
    ({"LANGUAGE": "de", "LANG": "ru_RU.UTF-8"}, "ru"),         # nothing spoken there: the others decide
])
def test_the_command_lines_language_comes_from_the_environment(environ, shown):
    from club.core.i18n import environment_language

    assert environment_language(environ) == shown


@pytest.fixture
def russian_shell(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")


def test_a_command_answers_in_the_shells_language(app, russian_shell):
    with app.app_context():  # no request, as on a real command line
        runner = app.test_cli_runner()
        asked = runner.invoke(args=["create-admin"], input="ivan@club.example\nИван\nshort\nshort\n")
        assert "Адрес электронной почты первого администратора" in asked.output
        assert "Используйте не менее 10 символов." in asked.output and "Use at least" not in asked.output
        missing = runner.invoke(args=["reset-second-factor", "nobody@club.example"])
        assert "Учётной записи с адресом nobody@club.example нет." in missing.output
        made = runner.invoke(args=["create-admin", "--email", "ivan@club.example", "--name", "Иван",
                                   "--password", "long enough password"])
        assert made.exit_code == 0 and "Администратор ivan@club.example создан." in made.output


def test_a_command_in_a_russian_shell_still_mails_each_person_in_their_own_language(app, outbox, russian_shell):
    from club.auth.service import request_password_reset

    with app.app_context():
        reader = make_user(email="emma@example.com")
        reader.language = "en"
        db.session.commit()
        request_password_reset(reader.email)
        row = db.session.query(OutboxMail).one()
        assert row.language == "en" and row.subject.startswith("Reset your password")


def test_a_page_ignores_the_servers_locale(client, russian_shell):
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


# -- mail --------------------------------------------------------------------------------------

def test_mail_is_written_in_the_recipients_language_whatever_the_page(app, outbox):
    from flask_babel import lazy_gettext as _l

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        reader = make_user(email="vera@example.com")
        reader.language = "ru"
        db.session.commit()
        send_mail(reader.email, _l("Sign out"), "password_reset", user=reader,
                  name=reader.full_name, link="http://club.test/x", hours=1)
        db.session.commit()
        row = db.session.query(OutboxMail).one()
        assert row.language == "ru" and row.subject.startswith("Выйти")


def test_mail_to_someone_without_an_account_follows_the_page(app):
    from flask_babel import lazy_gettext as _l

    with app.test_request_context("/", headers={"Accept-Language": "ru"}):
        send_mail("new@example.com", _l("Sign out"), "password_reset", user={"full_name": "N"}, link="http://x", hours=1)
        db.session.commit()
        assert db.session.query(OutboxMail).one().language == "ru"


# -- dates, numbers, money -----------------------------------------------------------------------

SATURDAY_EVENING = datetime(2026, 12, 5, 19, 0, tzinfo=timezone.utc)  # 19:00 in London


@pytest.mark.parametrize("language, style, shown", [
    ("en", "long_date", "5 December 2026"),
    ("ru", "long_date", "5 декабря 2026 г."),
    ("en", "date", "5 Dec 2026"),
    ("ru", "time", "19:00"),
    ("ru", "long_datetime", "5 декабря 2026 г., 19:00"),
    ("en", "datetime", "Sat, 5 Dec 2026, 19:00"),
    ("ru", "long_month_year", "декабрь 2026 г."),
])
def test_dates_are_written_in_the_readers_language_and_the_clubs_zone(app, language, style, shown):
    with app.test_request_context(f"/?lang={language}"):
        assert shown in format_local(SATURDAY_EVENING, style).replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize("language, cents, currency, shown", [
    ("ru", 15000, "eur", "150,00 €"),
    ("en", 15000, "eur", "€150.00"),
    ("ru", 1250050, "rub", "12 500,50 ₽"),
    ("ru", 5000, "jpy", "5 000 ¥"),
])
def test_money_is_written_in_the_readers_language(app, language, cents, currency, shown):
    with app.test_request_context(f"/?lang={language}"):
        assert money(cents, currency).replace("\xa0", " ").replace("\u202f", " ") == shown


# -- the catalogue -------------------------------------------------------------------------------

def test_every_marked_string_has_a_current_russian_translation():
    found = catalogue.problems("ru")
    assert not found, "\n".join(found[:40]) + (f"\n… and {len(found) - 40} more" if len(found) > 40 else "")


def _one(msgid, string, plural=None):
    template = Catalog(locale="ru")
    template.add(msgid if plural is None else (msgid, plural))
    catalog = Catalog(locale="ru")
    catalog.add(msgid if plural is None else (msgid, plural), string)
    return catalogue.problems("ru", template, catalog)


@pytest.mark.parametrize("msgid, plural, string, fine", [
    ("Hello %(name)s", None, "Здравствуйте, %(name)s", True),
    ("Hello %(name)s", None, "Здравствуйте", False),           # drops the placeholder
    ("Hello %(name)s", None, "Здравствуйте, %(nom)s", False),  # renames it
    ("Hello", None, "", False),                                # untranslated
    ("%(num)d seat", "%(num)d seats", ("%(num)d место", "%(num)d места", "%(num)d мест"), True),
    ("One seat at %(event)s", "%(num)d seats at %(event)s",
     ("%(num)d место на %(event)s", "%(num)d места на %(event)s", "%(num)d мест"), False),
    ("%(num)d seat", "%(num)d seats", ("%(num)d место", "%(num)d места"), False),  # Russian needs three
])
def test_the_catalogue_check_catches_what_a_translator_can_get_wrong(msgid, plural, string, fine):
    assert (_one(msgid, string, plural) == []) is fine


def test_the_catalogue_check_notices_strings_gone_from_the_code():
    template = Catalog(locale="ru")
    catalog = Catalog(locale="ru")
    catalog.add("Old words", "Старые слова")
    assert any("no longer in the code" in p for p in catalogue.problems("ru", template, catalog))
