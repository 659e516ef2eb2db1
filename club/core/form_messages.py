"""WTForms' own messages in the club's words, in the reader's language.

WTForms and Flask-WTF refuse input with messages of their own ("This field is required.", an
email's or a length's refusal). Flask-WTF translates them with the catalogue WTForms ships, whose
Russian is not the club's voice (and has gaps). ``club_translations`` (the ``ClubForm``'s
translations) asks the club's catalogue first, then WTForms' one. The messages are listed here,
marked, so that the catalogue keeps them and a translator sees them.

``N_`` marks a string for the catalogue without translating it: for a constant that is kept in
English (a msgid) and translated where it is shown, with ``gettext(CONSTANT)``.
"""
from __future__ import annotations

from flask_babel import get_translations, lazy_ngettext
from flask_wtf.i18n import translations as wtforms_translations


def N_(message: str) -> str:  # noqa: N802 (the name gettext's tools look for)
    return message


class ClubFormTranslations:
    """The club's catalogue first, then WTForms' own (Flask-WTF's, in the page's language)."""

    def gettext(self, string: str) -> str:
        own = get_translations().ugettext(string)
        return own if own != string else wtforms_translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        own = get_translations().ungettext(singular, plural, n)
        untranslated = singular if n == 1 else plural
        return own if own != untranslated else wtforms_translations.ngettext(singular, plural, n)


club_translations = ClubFormTranslations()

# WTForms' and Flask-WTF's messages, word for word (they are looked up by their English text).
MESSAGES = (
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid URL."),
    N_("Field must be equal to %(other_name)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("This field cannot be edited."),
    N_("This field is disabled and cannot have a value."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    # Flask-WTF's, raised untranslated: ``_forms.html`` translates them where it shows them.
    N_("The CSRF token is missing."),
    N_("The CSRF session token is missing."),
    N_("The CSRF token has expired."),
    N_("The CSRF token is invalid."),
    N_("The CSRF tokens do not match."),
)
# Marked only (never shown from here): the catalogue keeps the plurals.
PLURAL_MESSAGES = (
    lazy_ngettext("Field must be at least %(min)d character long.",
                  "Field must be at least %(min)d characters long.", 1),
    lazy_ngettext("Field cannot be longer than %(max)d character.",
                  "Field cannot be longer than %(max)d characters.", 1),
    lazy_ngettext("Field must be exactly %(max)d character long.",
                  "Field must be exactly %(max)d characters long.", 1),
    lazy_ngettext("'%(value)s' is not a valid choice for this field.",
                  "'%(value)s' are not valid choices for this field.", 1),
)
