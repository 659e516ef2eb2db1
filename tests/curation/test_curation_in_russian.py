"""Curation in Russian: the queue and an application read in Russian, the mails go out in each
recipient's language, and Russian plurals take their three forms."""
import pytest
from flask import render_template_string
from flask_babel import ngettext

from club.extensions import db
from club.models.club import OutboxMail
from tests.curation.factories import decide_by_form, make_application
from tests.factories import login, make_admin, make_curator, make_member, make_user


def _page(client, path):
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_the_review_queue_reads_in_russian(client, ctx):
    make_application(name="Ruslan Applicant", endorsements=2)
    login(client, make_curator())
    body = _page(client, "/curation/applications?lang=ru")
    assert '<html lang="ru">' in body
    for russian in ("Очередь заявок", "Кандидат", "Кто пригласил", "Рекомендации", "Ваша оценка", "К решению",
                    "Сбор рекомендаций", "давние", "Применить", "пока нет", "3 дня"):
        assert russian in body, russian
    for english in ("Review queue", "Ready for decision", "Awaiting endorsements", "Invited by", "Your score",
                    "Oldest first", "none yet", "My curator profile", "Referral tree", "3 days"):
        assert english not in body, english


def test_an_application_reads_in_russian(client, ctx):
    inviter = make_member(name="Inna Inviter")
    application = make_application(inviter, name="Ruslan Applicant", endorsements=1)
    login(client, make_curator())
    body = _page(client, f"/curation/applications/{application.id}?lang=ru")
    for russian in ("Заявка: Ruslan Applicant", "Ответы", "Кто ручается", "Приглашение от Inna Inviter",
                    "Рекомендация дана", "Оценки кураторов", "Оценок пока нет.", "Сохранить оценку",
                    "Записать решение", "1 из 2 рекомендаций", "Заявка подана", "История",
                    "Внести в лист ожидания", "Inna Inviter приглашает в клуб впервые."):
        assert russian in body, russian
    for english in ("Who vouches", "Curators’ scores", "No scores yet.", "Save my score", "Record the decision",
                    "Application submitted", "of 2 endorsements", "Waitlist or reject now", "earlier invitees",
                    "The applicant is written to at once"):
        assert english not in body, english


def test_a_refusal_and_a_flash_read_in_russian(client, ctx):
    application = make_application(endorsements=2)
    login(client, make_curator())
    client.get("/curation/applications?lang=ru")
    answer = decide_by_form(client, application, "approved", reason="")
    assert answer.status_code == 400
    assert "Укажите причину: каждое решение записывается вместе с ней." in answer.get_data(as_text=True)
    answer = decide_by_form(client, application, "waitlisted")
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Решение записано: заявка в листе ожидания." in page and "Decision recorded" not in page


def test_the_members_pages_read_in_russian(client, ctx):
    curator = make_curator()
    member = make_member(curator=curator, name="Mila Member")
    login(client, curator)
    body = _page(client, "/curation/members?lang=ru")
    assert "Мои члены клуба" in body and "Последний контакт" in body and "My members" not in body
    body = _page(client, f"/curation/members/{member.id}?lang=ru")
    for russian in ("Личные заметки", "Добавить заметку", "Заметок пока нет.", "Членство", "История кураторов"):
        assert russian in body, russian
    assert "Private notes" not in body and "Add note" not in body


def _mail_to(email):
    return db.session.scalars(db.select(OutboxMail).where(OutboxMail.recipients == email)).one()


def test_reassignment_mail_goes_out_in_each_recipients_language(client, ctx):
    old = make_curator(name="Olga Old")
    new = make_curator(name="Nils New")
    member = make_member(curator=old, name="Mo Member")
    member.language, new.language, old.language = "ru", "en", "ru"
    db.session.commit()
    login(client, make_admin())
    answer = client.post(f"/curation/members/{member.id}/curator?lang=en",
                         data={"reassign-curator_id": str(new.id), "reassign-reason": "Moved to Paris."})
    assert answer.status_code == 302
    to_member, to_new, to_old = _mail_to(member.email), _mail_to(new.email), _mail_to(old.email)
    assert to_member.language == "ru" and to_member.subject.startswith("Ваш личный куратор")
    assert "Здравствуйте, Mo Member" in to_member.body and "Теперь Ваш личный куратор" in to_member.body
    assert "Dear" not in to_member.body
    assert to_new.language == "en" and to_new.subject.startswith("A member joins your care: Mo Member")
    assert "Mo Member is now in your care; until now Olga Old looked after them." in to_new.body
    assert to_old.subject.startswith("Mo Member: назначен другой куратор")
    assert "Указанная причина: Moved to Paris." in to_old.body


@pytest.mark.parametrize("language, subject, sentence", [
    ("ru", "Ваша заявка в листе ожидания", "внесли Вашу заявку в лист ожидания"),
    ("en", "Your application is on our waiting list", "we have put your application on our waiting list"),
])
def test_the_applicant_is_written_to_in_their_language(client, ctx, language, subject, sentence):
    application = make_application(endorsements=2)
    db.session.get(type(make_user(email="placeholder@example.org")), application.user_id).language = language
    db.session.commit()
    login(client, make_curator())
    # The curator reads the other language: the applicant's own decides the mail.
    client.get("/curation/applications?lang=" + ("en" if language == "ru" else "ru"))
    assert decide_by_form(client, application, "waitlisted").status_code == 302
    mail = _mail_to(application.email)
    assert mail.language == language and mail.subject.startswith(subject) and sentence in mail.body


@pytest.mark.parametrize("n, waited, applications", [
    (1, "1 день", "1 заявка"), (3, "3 дня", "3 заявки"), (5, "5 дней", "5 заявок"), (21, "21 день", "21 заявка"),
])
def test_russian_plurals_take_three_forms(app, n, waited, applications):
    with app.test_request_context("/?lang=ru"):
        shown = render_template_string('{% from "curation/_macros.html" import waited %}{{ waited(n) }}', n=n)
        assert shown.strip() == waited
        assert ngettext("%(num)d application", "%(num)d applications", n) == applications
