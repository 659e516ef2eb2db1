"""The rules gate holds for every member action, not page views only, while the ways out stay open;
an action refused for the rules is kept on the rules page and sent on by accepting."""
import html
import io
import re

from club.extensions import db
from club.models.club import RulesAcceptance
from club.models.events import Booking
from tests.events.factories import make_event
from tests.factories import login, make_member, make_rules


def _member_behind_new_rules(client):
    """A member who accepted the first rules, signed in, and then the admin publishes new ones."""
    first = make_rules("Version one of the rules.")
    member = make_member()
    db.session.add(RulesAcceptance(user_id=member.id, rules_version_id=first.id))
    db.session.commit()
    login(client, member)
    assert client.get("/members").status_code == 200  # accepted: the session remembers it
    second = make_rules("Version two: the rules changed.")
    return member, second


def _form_action(page: str) -> str:
    return html.unescape(re.search(r'<form method="post" novalidate action="([^"]+)"', page).group(1))


def _hidden(page: str) -> dict[str, str]:
    """Every hidden field of the page's forms: the rules form's own and the ones it carries."""
    fields = {}
    for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        fields[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    return fields


def test_booking_by_post_before_accepting_new_rules_is_refused_then_sent_on_by_accepting(client, ctx):
    member, rules = _member_behind_new_rules(client)
    event = make_event("Supper on the river")

    refused = client.post(f"/events/{event.id}/book", data={"guests": "1"},
                          headers={"Referer": f"http://club.test/events/{event.id}"})
    assert refused.status_code == 403
    page = refused.get_data(as_text=True)
    assert "The club’s rules have changed since you last accepted them" in page
    assert "Version two: the rules changed." in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 0
    assert f'href="/events/{event.id}"' in page  # "Not now": back to the page the form was on

    # Accepting on that page sends the booking on: a 307 keeps the method and what was sent.
    action = _form_action(page)
    carried = _hidden(page)
    assert carried["guests"] == "1"
    accepted = client.post(action, data={**carried, "accept": "y"})
    assert accepted.status_code == 307 and accepted.headers["Location"].endswith(f"/events/{event.id}/book")
    assert db.session.scalars(db.select(RulesAcceptance.rules_version_id)
                              .where(RulesAcceptance.user_id == member.id)).all().count(rules.id) == 1
    sent_on = client.post(accepted.headers["Location"], data={**carried, "accept": "y"})
    assert sent_on.status_code == 302
    booking = db.session.scalars(db.select(Booking)).one()
    assert booking.user_id == member.id and booking.guests == 1


def test_text_typed_into_a_refused_form_is_kept_on_the_rules_page(client, ctx, outbox):
    _member, _rules = _member_behind_new_rules(client)
    typed = "Hello Julian,\nglad to be here — and <b>not</b> shouting."
    refused = client.post("/me/hello", data={"body": typed})
    assert refused.status_code == 403
    page = refused.get_data(as_text=True)
    assert _hidden(page)["body"] == typed
    assert outbox.messages == []
    # Not ticking the box keeps it still.
    again = client.post(_form_action(page), data={**_hidden(page)})
    assert again.status_code == 400 and _hidden(again.get_data(as_text=True))["body"] == typed


def test_a_file_upload_refused_for_the_rules_sends_the_member_to_the_rules_and_back(client, ctx):
    _member_behind_new_rules(client)
    refused = client.post("/me/photo", data={"photo": (io.BytesIO(b"not really a photo"), "me.jpg")},
                          content_type="multipart/form-data", headers={"Referer": "http://club.test/me/profile"})
    assert refused.status_code == 302
    assert "/me/rules" in refused.headers["Location"] and "next=/me/profile" in refused.headers["Location"]


def test_the_ways_out_stay_open_by_post_before_accepting(client, ctx):
    member, _rules = _member_behind_new_rules(client)
    # Deleting the account: a wrong password gets the form's own answer, not the rules.
    wrong = client.post("/me/delete", data={"password": "not my password", "confirm": "y"})
    assert wrong.status_code == 400 and "Before you go on: the club rules" not in wrong.get_data(as_text=True)
    assert client.post("/me/leave", data={}).status_code != 403
    assert client.get("/me/export").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/members").status_code == 302  # signed out: sent to sign in


def test_members_who_accepted_are_not_stopped_by_post(client, ctx):
    rules = make_rules()
    member = make_member()
    db.session.add(RulesAcceptance(user_id=member.id, rules_version_id=rules.id))
    db.session.commit()
    login(client, member)
    event = make_event()
    assert client.post(f"/events/{event.id}/book", data={"guests": "0"}).status_code == 302
    assert db.session.scalars(db.select(Booking)).one().user_id == member.id
