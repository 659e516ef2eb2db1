"""The HTML part of every mail, in the club's look, made from its plain text.

Each mail is written once, as plain text (``templates/emails/*.txt``); this turns that text into
HTML: the club's name on a green band, paragraphs on paper, a link alone on its line as a button
with its address under it to copy, a quoted note set apart, web addresses as links. Inline styles
only (mail readers drop style sheets), no images, nothing fetched from anywhere. Everything the
text holds is escaped: a name or a note cannot add markup.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from markupsafe import Markup, escape

_URL = re.compile(r"https?://[^\s<>\"]+")
_TRAILING = ".,;:!?)»”’"

# The club's colours (static/css/club.css).
IVORY, PAPER, INK, MUTED, LINE, GREEN, BRASS = "#f6f2ea", "#fffdf8", "#1f2421", "#5a605a", "#e3dccd", "#1f3d33", "#9a7b3f"
SERIF = "Georgia, 'Times New Roman', serif"
SANS = "-apple-system, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"

P_STYLE = f"margin:0 0 16px;font:16px/1.6 {SANS};color:{INK};"
QUOTE_STYLE = (f"margin:0 0 16px;padding:8px 16px;border-left:3px solid {BRASS};"
               f"font:italic 16px/1.6 {SERIF};color:{INK};")
LINK_STYLE = f"color:{GREEN};text-decoration:underline;word-break:break-all;"
BUTTON_STYLE = (f"display:inline-block;padding:12px 22px;border-radius:8px;background:{GREEN};color:#ffffff;"
                f"font:600 16px/1.2 {SANS};text-decoration:none;")
SMALL_STYLE = f"margin:8px 0 16px;font:13px/1.5 {SANS};color:{MUTED};word-break:break-all;"


def _split_url(raw: str) -> tuple[str, str]:
    """A URL found in prose, without the punctuation that ends the sentence after it."""
    url = raw.rstrip(_TRAILING)
    return url, raw[len(url):]


def _linked(text: str) -> Markup:
    """Escaped text whose web addresses are links."""
    out, last = [], 0
    for match in _URL.finditer(text):
        url, tail = _split_url(match.group(0))
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<a href="{0}" style="{1}">{0}</a>').format(url, LINK_STYLE))
        out.append(escape(tail))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _block(paragraph: str) -> Markup:
    lines = paragraph.split("\n")
    stripped = paragraph.strip()
    if len(lines) > 1 and _URL.fullmatch(lines[-1].strip()):  # "Open this link:" and the link under it
        return _block("\n".join(lines[:-1])) + Markup("\n") + _block(lines[-1])
    if _URL.fullmatch(stripped):
        return Markup(
            '<p style="margin:8px 0 0;"><a href="{0}" style="{1}">{2}</a></p>\n'
            '<p style="{3}">{4} <a href="{0}" style="{5}">{0}</a></p>'
        ).format(stripped, BUTTON_STYLE, _("Open the link"), SMALL_STYLE,
                 _("Or copy this address into your browser:"), LINK_STYLE)
    if all(line.startswith("  ") or not line.strip() for line in lines):
        body = Markup("<br>\n").join(_linked(line.strip()) for line in lines)
        return Markup('<blockquote style="{0}">{1}</blockquote>').format(QUOTE_STYLE, body)
    body = Markup("<br>\n").join(_linked(line.rstrip()) for line in lines)
    return Markup('<p style="{0}">{1}</p>').format(P_STYLE, body)


def html_of(text: str, *, club_name: str, subject: str, language: str = "en") -> str:
    """The whole HTML document for a mail whose plain text is ``text`` (translated words: the
    caller sets the locale to the mail's language)."""
    paragraphs = [p for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip("\n")) if p.strip()]
    signature = None
    if paragraphs and paragraphs[-1].strip() == club_name:
        signature = paragraphs.pop()
    blocks = Markup("\n").join(_block(p) for p in paragraphs)
    sign = Markup('<p style="margin:24px 0 0;padding-top:16px;border-top:1px solid {0};'
                  'font:18px/1.4 {1};color:{2};">{3}</p>').format(LINE, SERIF, GREEN, signature) if signature else ""
    return str(Markup(
        '<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{subject}</title>\n</head>\n'
        '<body style="margin:0;padding:0;background:{ivory};">\n'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:{ivory};">\n'
        '<tr><td align="center" style="padding:24px 12px;">\n'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        'style="max-width:600px;background:{paper};border:1px solid {line};border-radius:10px;">\n'
        '<tr><td style="padding:20px 28px;background:{green};border-radius:10px 10px 0 0;'
        'font:20px/1.3 {serif};color:#ffffff;letter-spacing:.02em;">{club}</td></tr>\n'
        '<tr><td style="height:3px;background:{brass};font-size:0;line-height:0;">&nbsp;</td></tr>\n'
        '<tr><td style="padding:28px;">\n{blocks}\n{sign}\n</td></tr>\n'
        '</table>\n</td></tr>\n</table>\n</body>\n</html>\n'
    ).format(lang=language, subject=subject, ivory=IVORY, paper=PAPER, line=LINE, green=GREEN, serif=SERIF,
             club=club_name, brass=BRASS, blocks=blocks, sign=sign))
