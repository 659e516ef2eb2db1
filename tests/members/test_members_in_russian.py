"""The member's side in Russian: pages, form errors, plurals, mail in the recipient's language,
and the language chosen on the profile (the same account column the footer's switcher writes)."""
from datetime import timedelta

import pytest

from club.extensions import db
from club.members import requests_service as rq
from club.members.requests_service import age_label
from club.models.club import OutboxMail
from club.models.user import User
from tests.factories import PASSWORD, login, make_curator, make_member
from tests.members.factories import make_listed_member, make_request


def _reader(language):
    member = make_member(curator=make_curator(name="Julian Ashby"), name="Anna Petrova")
    member.language = language
    db.session.commit()
    return member


def test_the_members_home_reads_in_russian(client, ctx):
    login(client, _reader("ru"))
    page = client.get("/me").get_data(as_text=True)
    assert '<html lang="ru">' in page
    for russian in ("Добро пожаловать, Anna", "Первые шаги", "Заполнить профиль", "Ваш куратор",
                    "Попросить другого куратора", "Ваши ближайшие вечера", "Скачать свои данные", "Покинуть клуб"):
        assert russian in page, russian
    for english in ("Welcome, Anna", "Getting started", "Complete your profile", "Your curator",
                    "Ask for another curator", "Your next evenings", "Download your data", "Leave the club",
                    "Nothing booked yet", "Invitations", " done. Each step can wait"):
        assert english not in page, english


def test_the_same_home_stays_english_for_an_english_reader(client, ctx):
    login(client, _reader("en"))
    page = client.get("/me").get_data(as_text=True)
    assert "Getting started" in page and "Your curator" in page and "Первые шаги" not in page


@pytest.mark.parametrize("listed, shown", [(1, "1 член клуба."), (3, "3 члена клуба."), (5, "5 членов клуба.")])
def test_the_directory_counts_members_with_the_right_russian_form(client, ctx, listed, shown):
    viewer = make_member()
    for _ in range(listed):
        make_listed_member(fields=["city"])
    login(client, viewer)
    page = client.get("/members?lang=ru").get_data(as_text=True)
    assert shown in page and f"{listed} member" not in page
    assert "Найти" in page and ">Search<" not in page


@pytest.mark.parametrize("age, shown", [
    (timedelta(days=1), "1 день"), (timedelta(days=3), "3 дня"), (timedelta(days=5), "5 дней"),
    (timedelta(hours=21), "21 час"), (timedelta(minutes=2), "2 минуты"), (timedelta(seconds=5), "только что"),
])
def test_a_requests_age_in_russian(app, age, shown):
    with app.test_request_context("/?lang=ru"):
        assert age_label(age) == shown


def test_form_errors_and_labels_are_russian(client, ctx):
    login(client, _reader("ru"))
    answer = client.post("/me/requests", data={"topic": "", "body": ""})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Пожалуйста, напишите сообщение." in page and "Выберите, о чём Ваше обращение." in page
    assert "Знакомство с другим членом клуба" in page and "Please write a message." not in page


def test_a_state_change_is_mailed_in_the_members_language(ctx):
    for language, subject, body in (
        ("ru", "Ваше обращение выполнено", "Статус Вашего обращения «Просьба о помощи» теперь: «выполнено»."),
        ("en", "Your request is done", 'Your request "Help with something" is now marked done.'),
    ):
        member = _reader(language)
        thread = make_request(member)
        rq.set_state(member_curator(member), thread.id, "done")
        row = db.session.scalars(db.select(OutboxMail).where(OutboxMail.template == "request_state")
                                 .order_by(OutboxMail.id.desc())).first()
        assert row.language == language and row.subject.startswith(subject)
        assert body in row.body and member.email in row.recipients


def member_curator(member):
    return rq.curator_of(member)


def test_a_new_request_reaches_a_russian_curator_in_russian_from_an_english_page(client, ctx):
    member = _reader("en")
    curator = rq.curator_of(member)
    curator.language = "ru"
    db.session.commit()
    login(client, member)
    client.post("/me/requests", data={"topic": "introduction", "body": "A sailor, please."})
    row = db.session.scalars(db.select(OutboxMail).where(OutboxMail.template == "request_new")).one()
    assert row.language == "ru" and row.subject.startswith("Новое обращение: Anna Petrova")
    assert "Anna Petrova направляет Вам новое обращение: Знакомство с другим членом клуба." in row.body
    assert "Здравствуйте, Julian Ashby" in row.body


def test_the_farewell_mail_is_in_the_language_of_the_deleted_account(client, ctx):
    member = _reader("ru")
    login(client, member)
    answer = client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"})
    assert answer.status_code == 302
    row = db.session.scalars(db.select(OutboxMail).where(OutboxMail.template == "member_deleted")).one()
    assert row.language == "ru" and row.subject.startswith("Ваша учётная запись удалена")
    assert "Это последнее письмо" in row.body
    assert "Ваша учётная запись удалена, личные данные стёрты." in client.get("/").get_data(as_text=True)


def test_the_profile_offers_the_language_and_keeps_the_choice_on_the_account(client, ctx):
    member = _reader("en")
    login(client, member)
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'name="language"' in page and '<option lang="en" selected value="en">English</option>' in page
    assert '<option lang="ru" value="ru">Русский</option>' in page

    answer = client.post("/me/profile", data={"full_name": "Anna Petrova", "language": "ru"})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).language == "ru"
    page = client.get("/me/profile").get_data(as_text=True)
    assert '<html lang="ru">' in page and "Профиль сохранён." in page  # the note is in the new language
    assert "О Вас" in page and "Языки, на которых Вы говорите" in page and "About you" not in page
    assert '<option lang="ru" selected value="ru">Русский</option>' in page

    # A new visit reads Russian too: the account remembers, as with the footer's switcher.
    other = client.application.test_client()
    login(other, member)
    assert '<html lang="ru">' in other.get("/me").get_data(as_text=True)

    client.post("/me/profile", data={"full_name": "Anna Petrova", "language": "en"})
    db.session.expire_all()
    assert db.session.get(User, member.id).language == "en"
    assert "Your profile is saved." in client.get("/me/profile").get_data(as_text=True)


def test_the_profile_refuses_a_language_the_club_does_not_speak(client, ctx):
    member = _reader("en")
    login(client, member)
    answer = client.post("/me/profile", data={"full_name": "Anna Petrova", "language": "xx"})
    assert answer.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, member.id).language == "en"


def test_the_curators_side_reads_in_russian(client, ctx):
    member = _reader("en")
    curator = rq.curator_of(member)
    thread = make_request(member)
    login(client, curator)
    listing = client.get("/curation/requests?lang=ru").get_data(as_text=True)
    assert "Обращения членов клуба" in listing and "Открыто" in listing and "Ждёт ответа" in listing
    assert "Your turn" not in listing and "Members’ requests" not in listing
    client.post(f"/curation/requests/{thread.id}/state", data={"state": "in_progress"})
    page = client.get(f"/curation/requests/{thread.id}").get_data(as_text=True)
    assert "Статус: в работе." in page and "Изменить статус без сообщения" in page
