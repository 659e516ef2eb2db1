"""Every mail goes as plain text and HTML in the club's look, from the configured sender under the
club's name, with every link whole in the raw message (no quoted-printable line breaks)."""
import re
from email import message_from_bytes, policy
from email.utils import parseaddr

import pytest

from club.core import settings
from club.core.mail import send_mail
from club.core.mail_html import html_of
from club.extensions import db
from tests.factories import make_user

LONG_LINK = "http://club.test/invites/accept/" + "Tk" * 60 + "?from=mail&utm=none"


def _raw(outbox) -> bytes:
    outbox.deliver()
    files = sorted(outbox.folder.glob("*.eml"))
    assert files, "no mail was delivered"
    return files[-1].read_bytes()


@pytest.mark.parametrize("language, name", [("en", "Ada Lovelace"), ("ru", "Анна Каренина")])
def test_the_raw_eml_holds_every_link_whole_in_both_parts(app, ctx, outbox, language, name):
    user = make_user(name=name)
    user.language = language
    send_mail(user.email, "Your invitation", "password_reset", user=user, link=LONG_LINK)
    db.session.commit()
    raw = _raw(outbox)
    text = raw.decode("utf-8")
    assert b"quoted-printable" not in raw.lower()
    # The link, whole, on one line, in the plain part and in the HTML part (where & is written &amp;).
    assert text.count(LONG_LINK) == 1 and text.count(LONG_LINK.replace("&", "&amp;")) == 3, text
    for url in re.findall(r"https?://[^\s<>\"]+", text):
        assert not url.endswith("="), url
    message = message_from_bytes(raw, policy=policy.default)
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert LONG_LINK in plain and 'href="{}"'.format(LONG_LINK.replace("&", "&amp;")) in html
    assert name in plain and name in html


def test_from_is_the_configured_address_under_the_clubs_name(app, ctx, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SENDER", "Old Name <members@linden.example>")
    settings.update({"club_name": "The Linden Club"})
    db.session.commit()
    send_mail("reader@example.org", "Hello", "password_reset", user=make_user(), link="http://club.test/x")
    db.session.commit()
    message = message_from_bytes(_raw(outbox), policy=policy.default)
    assert parseaddr(str(message["From"])) == ("The Linden Club", "members@linden.example")
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]


def test_the_html_is_in_the_clubs_look_self_contained_and_escaped(app, ctx):
    text = ("Dear <b>Eve</b>,\n\nYou are booked for Supper & Songs.\n\nThey wrote:\n\n  I'll bring <script>x</script>\n"
            "  and a friend.\n\nSee http://club.test/events/4, then reply.\n\nhttp://club.test/events/4\n\nThe Linden Club")
    with app.test_request_context():
        html = html_of(text, club_name="The Linden Club", subject="Booked: Supper", language="en")
    assert "#1f3d33" in html and "#f6f2ea" in html  # the club's green and ivory
    assert "<img" not in html and "<link" not in html and "<script" not in html and "<style" not in html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html and "&lt;script&gt;" in html and "Supper &amp; Songs" in html
    assert "<blockquote" in html  # the quoted note is set apart
    assert 'href="http://club.test/events/4"' in html and 'href="http://club.test/events/4,' not in html
    assert "Open the link" in html  # a link alone on its line is a button, its address under it
    assert not re.search(r'src="https?://', html)
    assert all(len(line.encode()) <= 990 for line in html.splitlines())


def test_a_line_too_long_for_smtp_goes_as_base64(app, ctx, outbox):
    from club.core.mail import _transfer_encoding

    assert _transfer_encoding("short") == "7bit"
    assert _transfer_encoding("коротко") == "8bit"
    assert _transfer_encoding("x" * 2000) == "base64"
