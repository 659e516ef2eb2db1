"""The shell in Russian: the public page, the error pages (also the one drawn without a database),
the wrong-host refusal, the input policy's refusals, the staff welcome mail, the scripts' words."""
import pytest

from club.core.forms import control_problem
from club.core.mail import send_mail
from club.extensions import db
from club.models.club import OutboxMail
from tests.factories import make_user

RU = {"Accept-Language": "ru"}


def test_the_landing_page_reads_in_russian(client):
    page = client.get("/?lang=ru").get_data(as_text=True)
    for russian in ("Добро пожаловать", "Основан своими членами", "Членство — по приглашению",
                    "<strong>Член клуба приглашает Вас.</strong>", "Открытой регистрации нет.",
                    "Вход для членов клуба", "Перейти к содержанию"):
        assert russian in page, russian
    for english in ("Welcome", "Est. by its members", "A member invites you", "There is no public sign-up",
                    "Skip to content"):
        assert english not in page, english


def test_the_scripts_get_their_words_from_the_page(client):
    page = client.get("/?lang=ru").get_data(as_text=True)
    assert 'data-text-copied="Скопировано."' in page and 'data-text-sending="Отправляем…"' in page
    assert 'data-text-scrolls="{name} (прокручивается по горизонтали)"' in page
    english = client.get("/?lang=en").get_data(as_text=True)
    assert 'data-text-scrolls="{name} (scrolls sideways)"' in english


def test_a_missing_page_is_explained_in_russian(client):
    answer = client.get("/no-such-page", headers=RU)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404
    assert "Здесь ничего нет" in page and "Вернуться в клуб" in page and "Nothing here" not in page


def test_the_page_without_a_database_is_in_russian_too(app, ctx, tmp_path):
    from tests.core.test_errors import _app_on

    down = _app_on(app, f"sqlite:///{tmp_path / 'gone' / 'club.sqlite'}", tmp_path)
    answer = down.test_client().get("/login", headers=RU)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert '<html lang="ru">' in page and "Мы скоро вернёмся" in page and "We will be back" not in page


def test_a_wrong_host_is_refused_in_the_browsers_language(tmp_path):
    from club import create_app
    from tests.test_config import _production

    client = create_app(_production(tmp_path)).test_client()
    russian = client.get("/healthz", base_url="https://attacker.example", headers=RU)
    assert russian.status_code == 400 and "По этому адресу клуб не работает" in russian.get_data(as_text=True)
    english = client.get("/healthz", base_url="https://attacker.example")
    assert "does not serve the club" in english.get_data(as_text=True)


def test_the_input_policy_refuses_in_the_readers_language(app):
    with app.test_request_context("/?lang=ru"):
        assert control_problem("Ada\nQuill", multiline=False) == "Уместите это в одну строку."
    with app.test_request_context("/?lang=en"):
        assert control_problem("Ada\nQuill", multiline=False) == "Keep this on one line."


@pytest.mark.parametrize("language, roles, shown", [
    ("ru", ["curator"], "с ролью куратора."),
    ("ru", ["curator", "admin"], "с ролями куратора и администратора."),
    ("en", ["admin"], "with the role of admin."),
    ("en", ["curator", "admin"], "with the roles of curator and admin."),
])
def test_the_staff_welcome_is_in_the_recipients_language(app, language, roles, shown):
    with app.test_request_context("/"):
        user = make_user(email="new.staff@example.org")
        user.language = language
        db.session.commit()
        send_mail(user.email, "Welcome", "staff_welcome", user=user, link="http://club.test/x", roles=roles)
        db.session.commit()
        body = db.session.query(OutboxMail).one().body
    assert shown in body
    if language == "ru":
        assert "«Забыли пароль?»" in body and "Choose your password" not in body
