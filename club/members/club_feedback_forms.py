"""The forms of feedback to the club: a new thread, a member's message, an admin's answer, closing."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from club.core.forms import ClubForm
from club.members.club_feedback import MAX_BODY, MAX_SUBJECT


class NewThreadForm(ClubForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(_l("Please give it a subject.")),
                                                     Length(max=MAX_SUBJECT)])
    body = TextAreaField(_l("Your message"), validators=[DataRequired(_l("Please write a message.")),
                                                         Length(max=MAX_BODY)],
                         description=_l("An idea, a compliment, something that did not go well: "
                                        "the club’s admins read every word and answer here."))


class ThreadMessageForm(ClubForm):
    body = TextAreaField(_l("Your message"), validators=[DataRequired(_l("Please write a message.")),
                                                         Length(max=MAX_BODY)])


class AnswerForm(ClubForm):
    body = TextAreaField(_l("Your answer"), validators=[DataRequired(_l("Please write an answer.")),
                                                        Length(max=MAX_BODY)],
                         description=_l("The member gets your answer by email."))
    close = BooleanField(_l("Close the conversation with this answer"))


class CloseForm(ClubForm):
    """Closing a thread: the CSRF token is all it carries."""
