"""The whole club in Russian: every page a role can reach, and every mail, has no English left
outside what the club itself wrote.

Pages: the demo club is seeded and each role (visitor, member, curator, admin) signs in, chooses
Russian and walks every parameter-free GET page of the URL map and every page linked from those
(one page per route). On each, the visible text and the texts read aloud (labels of buttons,
placeholders, titles) are checked twice:

1. against the English catalogue: no English message that has a Russian translation appears;
2. for English words at all, after taking out everything the club wrote (every text stored in
   the database: names, event texts, rules, plan names, interests, settings) and a short list of
   names that are the same in Russian (Stripe, CSV, iCal…).

Mails: every template in templates/emails rendered in Russian, with a context that fills every
variable with Cyrillic, has no English word left.
"""
from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jinja2 import ChainableUndefined, pass_context
from sqlalchemy import JSON, String, Text, select

from club.core import catalogue, settings
from club.core.demo import DEMO_PASSWORD
from club.extensions import db
from club.models.user import User

# Names and codes that are written the same in a Russian text.
SAME_IN_RUSSIAN = {
    "stripe", "csv", "json", "ics", "ical", "webcal", "svg", "totp", "pdf", "url", "http", "https",
    "google", "apple", "outlook", "english", "email", "e-mail", "mrr", "arr", "id", "eur", "gbp",
    "usd", "rub", "chf", "jpy", "utc", "gmt", "ok", "qr", "sms", "www", "demo", "club", "wi-fi",
    "authenticator", "microsoft", "aegis", "1password", "webp", "chromium", "firefox", "safari",
    "ctrl", "cmd", "mac", "alt", "shift", "enter",
}
_NOT_PAGES = (".ics", ".csv", ".json", "/export", "/photo", "/healthz", "/static/", "/logout", "/calendar/")
_LATIN_WORD = re.compile(r"[0-9]*[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9]|[A-Za-z]")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
_READ_ALOUD = ("placeholder", "aria-label", "title", "alt")


class _Text(HTMLParser):
    """What a person reads or hears on a page: text outside scripts and styles, and labels read
    aloud. An element marked with another language (the switcher's "English") is skipped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag in ("script", "style", "template") or values.get("lang") not in (None, "ru"):
            if tag not in ("br", "img", "input", "meta", "link"):
                self._skip.append(tag)
            return
        if self._skip:
            return
        self.parts.extend(values[name] for name in _READ_ALOUD if values.get(name))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def _club_texts() -> list[str]:
    """Everything the club (its people, its staff, its settings) wrote: shown as written."""
    found: set[str] = set()

    def add(value):
        if isinstance(value, str):
            if len(value.strip()) >= 2:
                found.add(" ".join(value.split()))
                found.update(" ".join(line.split()) for line in value.splitlines() if len(line.strip()) >= 2)
        elif isinstance(value, (list, tuple)):
            for item in value:
                add(item)
        elif isinstance(value, dict):
            for item in value.values():
                add(item)

    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for value in row:
                add(value)
    add(settings.all_settings())
    # People's names, word by word too: a greeting uses the first name alone.
    for (name,) in db.session.execute(select(User.full_name)):
        found.update(part for part in (name or "").split() if len(part) >= 2)
    return sorted(found, key=len, reverse=True)


def _english_messages() -> list[str]:
    """The literal English pieces of every translated message (placeholders cut out)."""
    pieces = set()
    for message in catalogue.read("ru"):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            for piece in _PLACEHOLDER.split(re.sub(r"<[^>]+>", " ", text)):
                piece = " ".join(piece.split()).strip(" .,:;!?()«»\"'—-")
                if len(piece.split()) >= 2 or len(piece) >= 12:
                    pieces.add(piece)
    return sorted(pieces, key=len, reverse=True)


def _english_left(text: str, club_texts: list[str]) -> list[str]:
    """The English words of one text node, once what the club wrote is taken out. A node of three
    words or more that is part of a club text (a paragraph cut by a link) is the club's too."""
    if len(text.split()) >= 3 and any(text in written for written in club_texts):
        return []
    for written in club_texts:
        if written in text:
            text = text.replace(written, " ")
    text = re.sub(r"\S+@\S+|\S*/\S*", " ", text)  # addresses, links, paths, time zones (Europe/London)
    # Single letters (initials) and capitals-only tokens (codes, secrets, JPEG) are not English.
    return [w for w in _LATIN_WORD.findall(text)
            if len(w) > 1 and not w.isupper() and w.lower() not in SAME_IN_RUSSIAN]


def _route(app, path: str) -> str:
    from werkzeug.exceptions import HTTPException

    try:
        endpoint, _ = app.url_map.bind("club.test").match(urlsplit(path).path, method="GET")
    except HTTPException:
        return urlsplit(path).path
    return endpoint


def _walk(app, client) -> dict[str, str]:
    """Every page the signed-in (or not) client reaches: path → its HTML, one page per route."""
    start = sorted(rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments
                   and not any(part in rule.rule for part in _NOT_PAGES))
    queue, seen, pages = deque(["/"] + start), set(), {}
    while queue and len(seen) < 90:
        path = queue.popleft()
        key = _route(app, path)
        if key in seen:
            continue
        seen.add(key)
        answer = client.get(path)
        if answer.status_code != 200 or not answer.mimetype == "text/html":
            continue
        html = answer.get_data(as_text=True)
        pages[path] = html
        parser = _Text()
        parser.feed(html)
        for href in parser.links:
            url = href.split("#")[0]
            if url.startswith("http://club.test"):
                url = url[len("http://club.test"):]
            if url.startswith("/") and not url.startswith("//") and not any(p in url for p in _NOT_PAGES):
                queue.append(url)
    return pages


@pytest.fixture
def demo_club(app):
    from club.demo import seed

    from club.auth.service import create_account
    from club.membership import states
    from club.models.membership import Membership

    with app.app_context():
        seed()
        # Someone approved who has not paid yet: the pages of that in-between state.
        newcomer = create_account("newcomer@demo.club", "Nadia Orlova", DEMO_PASSWORD)
        db.session.add(Membership(user_id=newcomer.id, state=states.PENDING_PAYMENT, kind=None))
        db.session.commit()
        texts = _club_texts()
    return texts


@pytest.mark.parametrize("email", [None, "member@demo.club", "second@demo.club", "curator@demo.club",
                                   "admin@demo.club", "iris.calloway@example.com", "newcomer@demo.club"])
def test_every_page_in_russian_has_no_english_left(app, client, demo_club, email):
    client.get("/?lang=ru")
    if email:
        answer = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert answer.status_code == 302, "the demo account could not sign in"
    pages = _walk(app, client)
    assert len(pages) >= (3 if email is None or "demo.club" not in email else 8), f"only {len(pages)} pages reached"
    messages = _english_messages()
    problems = []
    for path, html in pages.items():
        assert '<html lang="ru">' in html, f"{path} is not in Russian"
        parser = _Text()
        parser.feed(html)
        text = " | ".join(parser.parts)
        stripped = text
        for written in demo_club:
            stripped = stripped.replace(written, " ")
        sentences = [m for m in messages if m in stripped]
        words = [w for part in parser.parts for w in _english_left(part, demo_club)]
        if sentences or words:
            problems.append(f"{path}: {sentences[:5]} {sorted(set(words))[:15]}")
    assert not problems, f"English left on {len(problems)} of {len(pages)} pages:\n" + "\n".join(problems)


EMAILS = sorted((Path(__file__).resolve().parents[2] / "templates" / "emails").glob("*.txt"))


class _Cyrillic(ChainableUndefined):
    """Any variable a mail uses, filled with a Russian word (so only the template's own words are English)."""

    def __str__(self):
        return "Иван"

    def __iter__(self):
        return iter(())

    def __int__(self):
        return 3

    def __bool__(self):
        return True

    def __call__(self, *args, **kwargs):
        return self

    def __lt__(self, other):
        return False

    __gt__ = __le__ = __ge__ = __lt__

    def __add__(self, other):
        return self

    __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __add__

    def __len__(self):
        return 3


def _tolerant(filter_):
    """A date or money filter given a made-up variable shows a made-up date or amount."""
    from datetime import datetime, timezone

    def wrapped(value, *args):
        if isinstance(value, _Cyrillic):
            value = datetime(2026, 12, 5, 19, 0, tzinfo=timezone.utc) if filter_.__name__ == "local_time" else 15000
        return filter_(value, *(a for a in args if not isinstance(a, _Cyrillic)))
    return wrapped


@pytest.mark.parametrize("template", [p.name for p in EMAILS])
def test_every_mail_renders_in_russian(app, template):
    from flask import render_template

    from club.core.i18n import force_locale

    with app.test_request_context("/"):
        usual, filters = app.jinja_env.undefined, dict(app.jinja_env.filters)
        plural = app.jinja_env.globals["ngettext"]

        @pass_context
        def ngettext(context, singular, plural_, num, **variables):
            return plural(context, singular, plural_, 3 if isinstance(num, _Cyrillic) else num, **variables)

        app.jinja_env.globals["ngettext"] = ngettext
        app.jinja_env.undefined = _Cyrillic
        for name in ("local_time", "money"):
            app.jinja_env.filters[name] = _tolerant(filters[name])
        try:
            with force_locale("ru"):
                body = render_template(f"emails/{template}", club_name="Клуб", public_url="http://club.test")
        finally:
            app.jinja_env.undefined = usual
            app.jinja_env.globals["ngettext"] = plural
            app.jinja_env.filters.clear()
            app.jinja_env.filters.update(filters)
    words = _english_left(body, [])
    assert not words, f"{template} in Russian still has English: {sorted(set(words))[:20]}\n{body}"
