"""The way in speaks Russian: the pages, the refusals, the state labels, the mail (in its
recipient's language), and plurals with their three Russian forms."""
import pytest
from flask_babel import ngettext

from club.applications import rules
from club.core import settings
from club.extensions import db
from tests.applications.factories import (APPLICANT_PASSWORD, application_form, current_rules, make_application,
                                          make_club_member, make_interests, make_invitation, token_for)
from tests.factories import login, make_curator


def _page(client, path: str) -> str:
    return client.get(path + ("&" if "?" in path else "?") + "lang=ru").get_data(as_text=True)


def test_the_invites_page_reads_in_russian(client, ctx):
    login(client, make_club_member(name="Margot Ellery"))
    page = _page(client, "/invites")
    assert '<html lang="ru">' in page
    assert "Пригласить в клуб" in page and "Отправить приглашение" in page
    assert "из 3 приглашений осталось в этом квартале" in page
    assert "в течение 14 дней" in page
    for english in ("Bring someone in", "invites left this quarter", "Send the invitation", "Your invitations",
                    "They receive a link by email"):
        assert english not in page


def test_the_status_page_and_its_timeline_read_in_russian(client, ctx):
    applicant, _application, _invitation = make_application()
    login(client, applicant.email, APPLICANT_PASSWORD)
    page = _page(client, "/application")
    assert "Рекомендации: 1 из 2" in page and "На рассмотрении" in page and "Ход рассмотрения" in page
    assert "Осталось 3 просьбы." in page  # the hint under the email field: 3 asks of 3 left
    assert 'data-confirm="Отозвать заявку? Отменить это будет нельзя."' in page
    for english in ("Endorsements:", "Under review", "Where it stands", "Ask for an endorsement",
                    "Withdraw my application", "requests left"):
        assert english not in page


def test_the_application_form_and_its_errors_read_in_russian(client, ctx):
    rules_version = current_rules()
    make_interests()
    invitation = make_invitation(make_club_member(name="Margot Ellery"))
    path = f"/apply/{token_for(invitation)}?lang=ru"
    page = client.get(path).get_data(as_text=True)
    assert "<strong>Margot Ellery</strong> приглашает Вас и ручается за Вас" in page
    assert "Имя и фамилия" in page and "Отправить заявку" in page
    assert 'data-sending="Отправляем…"' in page
    r = client.post(path, data=application_form(rules_version.id, full_name="", motivation="Потому что."))
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Укажите имя и фамилию." in body and "Напишите не менее 80 символов" in body
    assert "Give your full name." not in body and "at least 80 characters" not in body


def test_an_unusable_link_is_explained_in_russian(client, ctx):
    page = client.get("/apply/not-a-token?lang=ru").get_data(as_text=True)
    assert "Эта ссылка-приглашение недействительна" in page and "This invitation link is not valid" not in page


def test_invite_states_and_refusals_are_translated(app):
    with app.test_request_context("/?lang=ru"):
        assert str(rules.INVITE_LABELS[rules.SENT]) == "Отправлено"
        assert str(rules.INVITE_LABELS[rules.REJECTED]) == "Заявка не принята"
        _links, problems = rules.parse_links("ftp://nowhere")
        assert problems == ["«ftp://nowhere» — не веб-адрес; начните его с https://"]
    with app.test_request_context("/?lang=en"):
        assert str(rules.INVITE_LABELS[rules.SENT]) == "Sent"


@pytest.mark.parametrize("language, subject, line", [
    ("ru", "Ada Quill просит Вас дать рекомендацию",
     "Ada Quill подаёт заявку на вступление в The Long Table и просит Вас дать рекомендацию."),
    ("en", "Ada Quill asks you to endorse their application",
     "Ada Quill has applied to join The Long Table and asks whether you would endorse them."),
])
def test_an_endorsement_request_goes_out_in_the_members_language(client, ctx, outbox, language, subject, line):
    friend = make_club_member(email="friend@example.org", name="Theo Lindqvist")
    friend.language = language
    db.session.commit()
    applicant, _application, _invitation = make_application()
    login(client, applicant.email, APPLICANT_PASSWORD)
    # The applicant reads the other language: the member's own decides the mail.
    other = "en" if language == "ru" else "ru"
    client.post(f"/application/endorsers?lang={other}", data={"email": "friend@example.org"})
    message = outbox.to("friend@example.org")[-1]
    club_name = settings.get("club_name")
    assert subject in message["Subject"]
    body = message.get_content()
    assert line.replace("The Long Table", club_name) in body
    assert ("Ответить можно здесь:" in body) == (language == "ru")


def test_an_invitation_to_a_stranger_is_written_in_the_language_of_the_inviting_page(client, ctx, outbox):
    login(client, make_club_member(name="Margot Ellery"))
    client.post("/invites?lang=ru", data={"email": "friend@example.net"})
    message = outbox.last()
    assert "Margot Ellery приглашает Вас подать заявку" in message["Subject"]
    body = message.get_content()
    assert "Членство в клубе — только по приглашению" in body and "г.):" in body  # a Russian long date
    assert "invites you to apply" not in body


@pytest.mark.parametrize("n, requests, invited", [
    (1, "Осталась 1 просьба.", "1 приглашённый"),
    (3, "Осталось 3 просьбы.", "3 приглашённых"),
    (5, "Осталось 5 просьб.", "5 приглашённых"),
])
def test_plurals_take_the_russian_form_for_the_number(app, n, requests, invited):
    with app.test_request_context("/?lang=ru"):
        assert ngettext("%(num)d request left.", "%(num)d requests left.", n) == requests
        assert ngettext("%(num)d invited", "%(num)d invited", n) == invited


def test_the_referral_pages_read_in_russian(client, ctx):
    founder = make_club_member(name="Margot Ellery")
    make_application(inviter=founder)
    login(client, make_curator())
    overview = _page(client, "/curation/referrals")
    assert "Кто кого пригласил" in overview and "Подали заявку" in overview and "Who brought whom" not in overview
    page = _page(client, f"/curation/referrals/{founder.id}")
    assert "Кого этот человек пригласил" in page and "Подана заявка" in page
    assert "People they invited" not in page
