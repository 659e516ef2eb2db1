"""Events in Russian: the pages a member and the staff read, the plural of seats, the refusals the
services raise, the calendar feed's name, and the mail, each in its reader's language."""
import html
import re
from datetime import timedelta

import pytest

from club.events import booking, mailings
from club.extensions import db
from club.models.base import utcnow
from tests.events.factories import make_event, seat
from tests.events.test_calendar import _parse
from tests.factories import login, make_curator, make_member


def _speaking(language, **kwargs):
    """A member whose account keeps ``language`` (so the pages and the mail they get are in it)."""
    member = make_member(**kwargs)
    member.language = language
    db.session.commit()
    return member


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True)).replace("\xa0", " ").replace("\u202f", " ")


def test_the_events_list_is_in_russian_with_no_english_left(client, ctx):
    member = _speaking("ru")
    make_event("Supper", capacity=10)
    login(client, member)
    page = _text(client.get("/events"))
    assert '<html lang="ru">' in page
    for russian in ("Предстоящие мероприятия", "Закрытые мероприятия", "Осталось 10 мест", "Ваш календарь",
                    "Подписаться в приложении календаря", "Создать новую ссылку"):
        assert russian in page
    for english in ("Upcoming events", "Private events", "seats left", "Your calendar", "Subscribe",
                    "Make a new address", "Copy the address", "hosted by"):
        assert english not in page


@pytest.mark.parametrize("free, shown", [
    (1, "Осталось 1 место"), (3, "Осталось 3 места"), (5, "Осталось 5 мест"),
    (21, "Осталось 21 место"), (22, "Осталось 22 места"), (11, "Осталось 11 мест"),
])
def test_seats_left_take_the_russian_plural(client, ctx, free, shown):
    member = _speaking("ru")
    make_event("Supper", capacity=free)
    login(client, member)
    assert shown in _text(client.get("/events"))


def test_seats_left_stay_english_for_an_english_reader(client, ctx):
    member = _speaking("en")
    make_event("Supper", capacity=1)
    make_event("Dinner", capacity=5)
    login(client, member)
    page = _text(client.get("/events"))
    assert "1 seat left" in page and "5 seats left" in page and "Осталось" not in page


def test_an_event_page_and_a_booking_read_in_russian(client, ctx):
    member = _speaking("ru")
    event = make_event("Supper", capacity=10, max_guests=2)
    login(client, member)
    page = _text(client.get(f"/events/{event.id}"))
    assert "Забронировать" in page and "Когда" in page and "члены клуба могут привести до 2 гостей" in page
    assert ">Book<" not in page and "members may bring" not in page
    r = client.post(f"/events/{event.id}/book", data={"guests": "2"}, follow_redirects=True)
    page = _text(r)
    assert "Место забронировано. Будем рады Вас видеть." in page
    assert "Бронирование подтверждено" in page and "Вы и 2 гостя" in page
    assert "Забронировано · +2" in page and "You are booked" not in page
    assert "Отменить бронирование" in page and "Cancel my booking" not in page


def test_the_waitlist_reads_in_russian(client, ctx):
    member, other = _speaking("ru"), make_member()
    event = make_event("Supper", capacity=1)
    seat(event, other)
    login(client, member)
    assert "Встать в лист ожидания" in _text(client.get(f"/events/{event.id}"))
    page = _text(client.post(f"/events/{event.id}/book", data={"guests": "1"}, follow_redirects=True))
    assert "Все места заняты, поэтому Вы в листе ожидания." in page
    assert "Ваш номер в листе ожидания — 1" in page and "нужно 2 места" in page
    assert "Вы в листе ожидания" in page and "You are on the waitlist" not in page


def test_a_refusal_after_the_cut_off_gives_the_date_in_the_readers_language(client, ctx):
    member = _speaking("ru")
    event = make_event(starts_in=timedelta(hours=10), cutoff=24)
    seat(event, member)
    login(client, member)
    page = _text(client.post(f"/events/{event.id}/cancel", follow_redirects=True))
    assert "Отменить бронирование можно было не позднее чем за 24 часа до начала" in page
    assert "Cancellation closed" not in page
    # The date inside the sentence is written the Russian way too (a Russian month abbreviation).
    sentence = re.search(r"за 24 часа до начала \(до ([^)]*)\)", page).group(1)
    assert re.search(r"[а-я]{3}", sentence) and not re.search(r"[A-Za-z]", sentence)


def test_a_guest_allowance_refusal_is_in_russian_with_its_plural(client, ctx):
    member = _speaking("ru")
    event = make_event(max_guests=1)
    login(client, member)
    # The form allows up to 20; the event only 1: the service refuses at the field.
    page = _text(client.post(f"/events/{event.id}/book", data={"guests": "3"}))
    assert "Вы можете привести не более 1 гостя." in page


def test_the_month_page_is_in_russian(client, ctx):
    member = _speaking("ru")
    login(client, member)
    page = _text(client.get("/events/month?m=2026-12"))
    assert "<h1>Декабрь 2026" in page and "Пн" in page and "Вс" in page
    assert "Предыдущий месяц" in page and "Следующий месяц" in page
    assert "Previous month" not in page and ">Mon<" not in page and "December" not in page


def test_the_staff_pages_are_in_russian(client, ctx):
    curator, member = make_curator(), make_member()
    curator.language = "ru"
    db.session.commit()
    event = make_event("Supper", capacity=10)
    seat(event, member, guests=1)
    login(client, curator)
    page = _text(client.get(f"/events/{event.id}"))
    assert "Для команды клуба" in page and "Занято 2 из 10 мест" in page and "Опубликовано" in page
    assert "Отменить мероприятие" in page and "For staff" not in page and "Published" not in page
    page = _text(client.get(f"/events/{event.id}/attendees"))
    assert "Участники" in page and "Подтверждённые бронирования" in page and "Лист ожидания пуст." in page
    assert "Attendees" not in page and "Nobody is waiting" not in page
    page = _text(client.get("/events/new"))
    assert "Новое мероприятие" in page and "Сохранить как черновик" in page and "Место проведения" in page
    assert "Save as draft" not in page and "Venue" not in page


def test_the_booking_mail_follows_the_recipient_not_the_page(client, ctx, outbox):
    reader_ru, reader_en = _speaking("ru"), _speaking("en")
    event = make_event("Supper", capacity=10, max_guests=2)
    login(client, reader_ru)
    client.post(f"/events/{event.id}/book?lang=en", data={"guests": "1"})  # she reads this page in English
    client.post("/logout")
    login(client, reader_en)
    client.post(f"/events/{event.id}/book?lang=ru", data={"guests": "0"})  # he reads this page in Russian
    [russian] = outbox.to(reader_ru.email)
    assert russian["Subject"].startswith("Бронирование подтверждено: Supper")
    body = russian.get_content()
    assert "Здравствуйте," in body and "забронированы за Вами и 1 гостем" in body
    assert "Когда:" in body and "Где: The Linden Room, 14 Mercer Street" in body
    assert "не позднее чем за 24 часа до начала" in body and "Dear" not in body and "When" not in body
    [english] = outbox.to(reader_en.email)
    assert english["Subject"].startswith("Booked: Supper")
    body = english.get_content()
    assert "Dear" in body and "You are booked for Supper." in body and "24 hours before the start" in body
    assert "Здравствуйте" not in body


def test_a_promotion_mail_is_in_the_waiting_members_language(client, ctx, outbox):
    holder, waiting = _speaking("en"), _speaking("ru")
    event = make_event("Supper", capacity=1)
    seat(event, holder)
    booking.book(waiting, event.id, 0)
    login(client, holder)
    client.post(f"/events/{event.id}/cancel")
    [mail] = outbox.to(waiting.email)
    assert mail["Subject"].startswith("Для Вас освободилось место: Supper")
    assert "Хорошая новость" in mail.get_content()


def test_the_reminder_is_in_russian_with_a_russian_date(ctx, outbox):
    member = _speaking("ru")
    event = make_event("Supper", starts_in=timedelta(hours=20))
    seat(event, member, guests=2)
    assert mailings.send_reminders(utcnow()) == 1
    [mail] = outbox.to(member.email)
    assert mail["Subject"].startswith("Завтра: Supper")
    body = mail.get_content()
    assert "вместе с 2 гостями" in body
    when = next(line for line in body.splitlines() if line.startswith("Когда:"))
    assert not re.search(r"[A-Za-z]", when)  # weekday and month in Russian


def test_the_personal_feed_is_named_in_its_owners_language(client, ctx):
    member = _speaking("ru")
    event = make_event("Supper")
    booking.book(member, event.id, 0)
    login(client, member)
    url = re.search(r'value="(http://club\.test/calendar/[^"]+\.ics)"', client.get("/events").get_data(as_text=True))
    client.post("/logout")
    # A calendar app asks in English (or in no language at all): the feed is named for its owner.
    r = client.get(re.sub(r"^https?://[^/]+", "", url.group(1)), headers={"Accept-Language": "en"})
    calendar, _ = _parse(r.data)
    assert str(calendar["X-WR-CALNAME"]).endswith(": мои мероприятия")
