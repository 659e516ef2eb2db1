"""The owner's pages in Russian: staff and roles, settings, the mail outbox (with its plurals),
the staff welcome mail, and the membership kernel's labels other pages show."""
from __future__ import annotations

import pytest

from club.core.mail import send_mail
from club.extensions import db
from club.membership import reasons, states
from club.models.club import OutboxMail
from club.models.user import User
from tests.factories import login, make_admin, make_user


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_staff_page_reads_in_russian(client, ctx):
    login(client, make_admin())
    page = _page(client, "/admin/staff?lang=ru")
    for russian in ("Команда и роли", "Назначить роль", "Новая учётная запись команды", "Двухэтапный вход",
                    "Журнал действий", ">администратор<", "Создать учётную запись"):
        assert russian in page, russian
    for english in ("Staff &amp; roles", "Grant a role", "New staff account", "Staff sign in with a code",
                    "Second factor", "Create account", ">Overview<", ">admin<"):
        assert english not in page, english
    # a visitor of the same page without ?lang reads English
    other = client.application.test_client()
    login(other, make_admin())
    assert "Grant a role" in _page(other, "/admin/staff")


def test_settings_labels_errors_and_flashes_are_russian(client, ctx):
    login(client, make_admin())
    page = _page(client, "/admin/settings?lang=ru")
    assert "Название клуба" in page and "Часовой пояс" in page and "Сохранить настройки" in page
    assert "Club name" not in page and "Save settings" not in page
    form = {"club-club_name": "Клуб на Набережной", "club-mission": "Хорошая компания.",
            "club-timezone": "Nowhere/Atlantis", "club-invite_quota": "3", "club-required_endorsements": "2",
            "club-curator_capacity": "25", "club-grace_days": "14", "club-retention_days": "180",
            "club-former_member_retention_days": "365", "club-submit": "1"}
    refused = client.post("/admin/settings?lang=ru", data=form)
    assert refused.status_code == 400
    assert "Укажите название часового пояса" in refused.get_data(as_text=True)
    saved = client.post("/admin/settings?lang=ru", data={**form, "club-timezone": "Europe/Moscow"},
                        follow_redirects=True)
    assert "Настройки сохранены." in saved.get_data(as_text=True)


def test_refusals_name_the_role_in_russian(client, ctx):
    admin = make_admin()
    login(client, admin)
    client.get("/admin/staff?lang=ru")
    answer = client.post("/admin/staff", data={"grant-email": admin.email, "grant-role": "admin",
                                               "grant-submit": "1"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 400 and f"{admin.full_name} уже администратор." in body
    client.post("/admin/staff/revoke", data={"user_id": admin.id, "role": "admin"})
    after = _page(client, "/admin/staff")
    assert "В клубе должен остаться хотя бы один администратор." in after


@pytest.mark.parametrize("failed, shown", [
    (1, "1 письмо не доставлено"),
    (3, "3 письма не доставлены"),
    (5, "5 писем не доставлено"),
])
def test_the_outbox_counts_use_the_right_russian_plural(client, ctx, failed, shown):
    reader = make_user()
    for i in range(failed):
        row = send_mail(f"r{i}@example.org", "Hello", "password_reset", user=reader, link="http://club.test/x")
        row.state, row.attempts, row.last_error = "failed", 8, "SMTPDataError: 451"
    db.session.commit()
    login(client, make_admin())
    page = _page(client, "/admin/mail?lang=ru")
    assert shown in page
    assert "после 8 попыток письмо помечается как недоставленное" in page
    assert "повторить сейчас" in page and "retry now" not in page and " failed</span>" not in page


@pytest.mark.parametrize("language, subject", [("ru", "Для Вас создана учётная запись команды клуба"),
                                               ("en", "You have a staff account")])
def test_the_staff_welcome_mail_is_in_the_language_of_its_reader(client, ctx, outbox, language, subject):
    login(client, make_admin())
    client.get(f"/admin/staff?lang={language}")  # a new account has no language yet: the admin's page decides
    answer = client.post("/admin/staff", data={"new-full_name": "Nora Quill", "new-email": "nora@example.org",
                                               "new-roles": ["curator"], "new-submit": "1"})
    assert answer.status_code == 302
    row = db.session.scalars(db.select(OutboxMail).where(OutboxMail.recipients == "nora@example.org")).one()
    assert row.language == language and row.subject.startswith(subject)
    assert db.session.scalars(db.select(User).where(User.email == "nora@example.org")).one().is_curator


def test_the_mail_follows_a_staff_members_own_language(app, ctx):
    from flask_babel import lazy_gettext as _l

    reader = make_user()
    reader.language = "ru"
    db.session.commit()
    with app.test_request_context("/?lang=en"):
        row = send_mail(reader.email, _l("You have a staff account"), "staff_welcome", language=reader.language,
                        user=reader, link="http://club.test/x", roles=["admin"])
        assert row.language == "ru" and row.subject.startswith("Для Вас создана")
    db.session.rollback()


@pytest.mark.parametrize("language, active, suspended, reinstated", [
    ("ru", "Действует", "Приостановлено", "Восстановлено"),
    ("en", "Active", "Suspended", "Reinstated"),
])
def test_the_kernels_labels_follow_the_reader(app, language, active, suspended, reinstated):
    with app.test_request_context(f"/?lang={language}"):
        assert str(states.label(states.ACTIVE)) == active
        assert str(states.label(states.SUSPENDED)) == suspended
        assert str(reasons.label(reasons.REINSTATED)) == reinstated
        assert states.label("something_new") == "something_new"  # an unknown code is shown as it is
