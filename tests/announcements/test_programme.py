"""The monthly programme mail: once a month per member, only evenings they may see, interests first,
opt-out respected, in the member's language."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from club.announcements import programme, rules
from club.core import settings
from club.extensions import db
from club.membership import states
from club.models.announcements import ProgrammeMailing
from club.models.base import utcnow
from club.models.events import EVENT_CANCELLED, EVENT_DRAFT
from tests.events.factories import make_event
from tests.factories import make_admin, make_member

ZONE = ZoneInfo("Europe/London")


def _sending_day():
    """The 26th of this month (noon, club time): the programme for next month is due."""
    today = utcnow().astimezone(ZONE).date()
    return datetime(today.year, today.month, 26, 12, tzinfo=ZONE).astimezone(timezone.utc)


def _next_month(day: int, hour: int = 19):
    first = rules.next_month(utcnow().astimezone(ZONE).date())
    return datetime(first.year, first.month, day, hour, tzinfo=ZONE).astimezone(timezone.utc)


def _evening(title, day, **kwargs):
    return make_event(title, starts_in=_next_month(day) - utcnow(), **kwargs)


def test_each_member_gets_the_coming_months_programme_once(app, ctx, outbox):
    members = [make_member(), make_member(state=states.CANCELLING), make_member(state=states.PAST_DUE)]
    lapsed, pending = make_member(state=states.LAPSED), make_member(state=states.PENDING_PAYMENT)
    staff_only = make_admin()
    _evening("Spring Supper", 10)
    now = _sending_day()
    assert programme.send_programmes(now - timedelta(days=2)) == 0  # before the 25th: nothing
    assert programme.send_programmes(now) == 3  # active, cancelling and past due (in grace) have access
    assert programme.send_programmes(now) == 0
    assert programme.send_programmes(now + timedelta(days=3)) == 0
    result = app.test_cli_runner().invoke(args=["send-programmes"])
    assert result.exit_code == 0 and "programmes sent." in result.output
    for m in members:
        mails = outbox.to(m.email)
        assert len(mails) == 1 and "The club's programme for" in mails[0]["Subject"]
        assert "Spring Supper" in mails[0].get_content()
    for m in (lapsed, pending, staff_only):
        assert outbox.to(m.email) == []


def test_the_mail_holds_only_evenings_the_member_may_see_with_booking_links(app, ctx, outbox):
    member, other = make_member(), make_member()
    seen = _evening("Open Supper", 8)
    invited = _evening("Invited Dinner", 9, visibility="invite_only", invited=[member])
    _evening("Someone Else's Dinner", 10, visibility="invite_only", invited=[other])
    _evening("Draft Evening", 11, state=EVENT_DRAFT)
    _evening("Called Off", 12, state=EVENT_CANCELLED)
    make_event("This Month's Talk", starts_in=timedelta(hours=2))
    make_event("The Month After", starts_in=_next_month(5) - utcnow() + timedelta(days=40))
    programme.send_programmes(_sending_day())
    body = outbox.to(member.email)[0].get_content()
    assert "Open Supper" in body and "Invited Dinner" in body
    for hidden in ("Someone Else's Dinner", "Draft Evening", "Called Off", "This Month's Talk", "The Month After"):
        assert hidden not in body
    assert f"http://club.test/events/{seen.id}" in body and f"http://club.test/events/{invited.id}" in body
    assert "http://club.test/me/privacy" in body and "turn it off" in body


def test_evenings_matching_the_members_interests_come_first(app, ctx, outbox):
    member = make_member(interests=["Sailing"])
    _evening("Early Supper", 3)
    _evening("Late Regatta", 20, tags=["sailing"])
    programme.send_programmes(_sending_day())
    body = outbox.to(member.email)[0].get_content()
    assert body.index("Chosen for your interests") < body.index("Late Regatta") < body.index("Also this month") \
        < body.index("Early Supper")


def test_opting_out_is_respected_and_opting_in_again_works(app, ctx, outbox):
    keen, quiet = make_member(), make_member()
    programme.set_programme_mail(quiet, False)
    _evening("Supper", 6)
    assert programme.send_programmes(_sending_day()) == 1
    assert outbox.to(quiet.email) == [] and len(outbox.to(keen.email)) == 1
    programme.set_programme_mail(quiet, True)
    assert programme.send_programmes(_sending_day()) == 1
    assert len(outbox.to(quiet.email)) == 1


def test_a_member_with_nothing_to_see_gets_no_mail_until_there_is(app, ctx, outbox):
    member = make_member()
    now = _sending_day()
    assert programme.send_programmes(now) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(ProgrammeMailing)) == 0
    _evening("Late Addition", 15)
    assert programme.send_programmes(now + timedelta(days=1)) == 1
    assert len(outbox.to(member.email)) == 1


def test_the_sending_day_is_a_setting(app, ctx, outbox):
    make_member()
    _evening("Supper", 6)
    settings.update({"programme_day": 28})
    db.session.commit()
    assert programme.send_programmes(_sending_day()) == 0
    assert programme.send_programmes(_sending_day() + timedelta(days=2)) == 1


def test_the_programme_is_written_in_the_members_language(app, ctx, outbox):
    english, russian = make_member(), make_member()
    russian.language = "ru"
    db.session.commit()
    _evening("Supper", 6)
    programme.send_programmes(_sending_day())
    en, ru = outbox.to(english.email)[0], outbox.to(russian.email)[0]
    assert "The club's programme for" in en["Subject"] and "Dear" in en.get_content()
    assert "Программа клуба" in ru["Subject"] and "Здравствуйте" in ru.get_content()
    assert "Забронировать" in ru.get_content() and "The club" not in ru.get_content()


def test_overlapping_runs_send_each_programme_once(app, ctx, outbox):
    from tests.events.test_booking_concurrency import run_together

    members = [make_member() for _ in range(5)]
    _evening("Supper", 6)
    now = _sending_day()
    results, errors = run_together(app, [(members[0].id, lambda _user: programme.send_programmes(now))] * 4)
    assert errors == [None] * 4 and sum(results) == 5
    assert sorted(len(outbox.to(m.email)) for m in members) == [1] * 5


def test_the_job_is_registered_daily():
    from club.core.jobs import periodic_jobs

    job = {j.name: j for j in periodic_jobs()}["send-programmes"]
    assert job.every == 24 * 3600 and job.target == "club.announcements.programme:send_programmes"
