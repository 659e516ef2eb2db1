"""Password hashing with argon2id (memory-hard, OWASP's first choice), and refusing guessable passwords."""
from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import get_locale, gettext as _, ngettext
from zxcvbn import zxcvbn

from club.core.form_messages import N_

MIN_PASSWORD_LENGTH = 10
# zxcvbn's score: 3 is "safely unguessable" (about 10^8 guesses or more). zxcvbn ships, offline, the
# 30,000 most common passwords and common words and names, and sees through l33t, dates,
# keyboard walks and repeats, so "password1234" and "Password123!" score 1.
MIN_PASSWORD_SCORE = 3
_LONGEST_CHECKED = 72  # zxcvbn refuses longer input; a passphrase past 72 characters is not the weak kind
GUESSABLE_MESSAGE = "This password is too easy to guess"  # how each refusal begins, in English
# zxcvbn's warnings (English only): shown in the reader's language; one not listed here is left
# out of a page in another language.
ZXCVBN_WARNINGS = frozenset({
    N_("Straight rows of keys are easy to guess."),
    N_("Short keyboard patterns are easy to guess."),
    N_('Repeats like "aaa" are easy to guess.'),
    N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
    N_('Sequences like "abc" or "6543" are easy to guess.'),
    N_("Recent years are easy to guess."),
    N_("Dates are often easy to guess."),
    N_("This is a top-10 common password."),
    N_("This is a top-100 common password."),
    N_("This is a very common password."),
    N_("This is similar to a commonly used password."),
    N_("A word by itself is easy to guess."),
    N_("Names and surnames by themselves are easy to guess."),
    N_("Common names and surnames are easy to guess."),
})


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check so unknown accounts are not revealed by timing.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def password_weakness(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why ``password`` is refused (a sentence to show, in the reader's language), or None if it
    is good enough.

    ``user_inputs`` are the person's own name and email: a password built on them is weak too.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return ngettext("Use at least %(num)d character.", "Use at least %(num)d characters.", MIN_PASSWORD_LENGTH)
    inputs = [part for value in user_inputs if value for part in _words(value)]
    if _only_own_words(password, inputs):
        return _("This password is too easy to guess: it is made of your own name or email. "
                 "Try a phrase of unrelated words.")
    result = zxcvbn(password[:_LONGEST_CHECKED], user_inputs=inputs)
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    warning = _warning(result["feedback"].get("warning") or "")
    if warning:
        return _("This password is too easy to guess. %(warning)s Try a phrase of three or four unrelated words.",
                 warning=warning)
    return _("This password is too easy to guess. Try a phrase of three or four unrelated words.")


def _warning(text: str) -> str:
    """zxcvbn's warning as one sentence in the reader's language, or "" (none, or not translatable)."""
    text = text.strip()
    if not text:
        return ""
    sentence = text.rstrip(".") + "."
    if sentence in ZXCVBN_WARNINGS:
        return _(sentence)
    return sentence if str(get_locale() or "en") == "en" else ""


def _words(value: str) -> list[str]:
    """An email or a name split into the words someone might build a password from."""
    return [w for w in re.split(r"[\s@._+-]+", value.lower()) if len(w) >= 3] + [value.lower()]


def _only_own_words(password: str, own_words: list[str]) -> bool:
    """Whether the password is little more than the person's own words with separators and digits
    between them ("marguerite.lafontaine1"), which zxcvbn rates higher than it should."""
    rest = re.sub(r"[^a-z]", "", password.lower())
    for word in sorted((re.sub(r"[^a-z]", "", w) for w in own_words), key=len, reverse=True):
        if len(word) >= 3:
            rest = rest.replace(word, "")
    return len(rest) < 4
