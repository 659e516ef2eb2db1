"""The announcement form (staff) and the programme mail setting (members)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from club.announcements.service import BODY_MAX, TITLE_MAX
from club.core.forms import ClubForm


class AnnouncementForm(ClubForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the announcement a title.")),
                                                 Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(_l("Write what you want to tell the members.")),
                                                 Length(max=BODY_MAX)],
                         description=_l("Plain text. Leave a blank line between paragraphs; web addresses "
                                        "become links."),
                         render_kw={"rows": 8})
    pinned = BooleanField(_l("Pin it: shown first on members’ home until unpinned"))


class RemoveForm(ClubForm):
    pass


class ProgrammeMailForm(ClubForm):
    wanted = BooleanField(_l("Send me the club’s programme each month"),
                          description=_l("Before each month begins: its evenings, those matching your "
                                         "interests first."))


def programme_mail_form(user) -> ProgrammeMailForm:
    """The setting's form as it stands, for the privacy page (``club.members``) to show; it never
    reads the page's own submission."""
    from club.announcements.programme import wants_programme

    return ProgrammeMailForm(formdata=None, data={"wanted": wants_programme(user)})
