"""Introductions (double opt-in): a member's list and answers (/me/introductions), asking for one
(/members/<id>/introduction), and the staff's list and proposals (/curation/introductions). On the
members blueprint; the rules live in ``club.members.introductions``."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from club.core.security import roles_required
from club.extensions import limiter
from club.members import introduction_lists as lists, introduction_rules as rules, introductions as service, privacy
from club.members.introduction_forms import AnswerForm, AskForm, ProposeForm
from club.members.views import bp
from club.membership.access import has_member_access, member_required
from club.models.user import ROLE_ADMIN, ROLE_CURATOR

ASK_LIMIT = "10/hour;30/day"  # each ask mails a member and a curator


def _person_key() -> str:
    return f"person:{current_user.get_id()}"


def _existing_message(intro) -> str:
    if intro.state == rules.MADE:
        return _("You are already introduced.")
    if intro.state in rules.OPEN:
        return _("This introduction is already under way.")
    return _("This introduction did not happen, and cannot be asked for again.")


@bp.route("/me/introductions")
@member_required
def introductions_page():
    return render_template("members/introductions.html", page=lists.for_member(current_user, request.args.get(
        "page", 1, type=int)), form=AnswerForm())


@bp.route("/members/<int:user_id>/introduction", methods=["GET", "POST"])
@member_required
@limiter.limit(ASK_LIMIT, key_func=_person_key, methods=["POST"])
def ask_introduction(user_id: int):
    try:
        target = service.listed_member(current_user, user_id)
    except service.IntroductionNotFound:
        abort(404)
    existing = service.between(current_user.id, target.id)
    if existing is not None and request.method == "POST":  # asked already: a double submit lands where the first did
        flash(_existing_message(existing), "info")
        return redirect(url_for("members.introductions_page"))
    form = AskForm()
    if existing is None and form.validate_on_submit():
        try:
            intro, created = service.ask(current_user, target.id, form.note.data)
        except service.IntroductionNotFound:
            abort(404)
        except service.IntroductionError as exc:
            form.note.errors = [*form.note.errors, str(exc)]
        else:
            if created:
                flash(_("%(name)s is asked, and your curator knows. You will hear by email.",
                        name=target.full_name), "success")
            else:
                flash(_existing_message(intro), "info")
            return redirect(url_for("members.introductions_page"))
    card = privacy.card_for(user_id=target.id, name=target.full_name,
                            joined_at=target.membership.joined_at if target.membership else None,
                            profile=target.profile, relation=privacy.MEMBER)
    return render_template("members/introduction_ask.html", target=target, card=card, form=form,
                           existing=existing, existing_message=_existing_message(existing) if existing else None,
                           may_ask=has_member_access(current_user)), \
        (400 if form.errors else 200)


@bp.route("/me/introductions/<int:intro_id>/<any(accept, decline, withdraw):action>", methods=["POST"])
@member_required
def answer_introduction(intro_id: int, action: str):
    if not AnswerForm().validate_on_submit():
        abort(400)
    move = {"accept": service.accept, "decline": service.decline, "withdraw": service.withdraw}[action]
    try:
        intro = move(current_user, intro_id)
    except service.IntroductionNotFound:
        abort(404)
    if action == "accept":
        flash(_("You are introduced: their contact details are below.") if intro.state == rules.MADE
              else _("Thank you. You will hear by email once the other side has answered."), "success")
    elif action == "decline":
        flash(_("Declined. Nobody is told who declined, or why."), "info")
    else:
        flash(_("Withdrawn."), "info")
    return redirect(url_for("members.introductions_page"))


# Staff --------------------------------------------------------------------------------------------

@bp.route("/curation/introductions")
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def staff_introductions():
    listing = lists.for_staff(current_user, request.args.get("show", "all"), request.args.get("page", 1, type=int))
    return render_template("members/introductions_staff.html", listing=listing, form=AnswerForm())


@bp.route("/curation/introductions/new", methods=["GET", "POST"])
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def propose_introduction():
    form = ProposeForm(service.proposable_members(current_user))
    if form.validate_on_submit():
        try:
            intro, created = service.propose(current_user, form.first.data, form.second.data, form.note.data)
        except service.IntroductionError as exc:
            form.second.errors = [*form.second.errors, str(exc)]
        else:
            flash(_("Both are asked. You will see here when they have answered.") if created
                  else _existing_message(intro), "success" if created else "info")
            return redirect(url_for("members.staff_introductions"))
    return render_template("members/introduction_propose.html", form=form), (400 if form.errors else 200)


@bp.route("/curation/introductions/<int:intro_id>/withdraw", methods=["POST"])
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def staff_withdraw_introduction(intro_id: int):
    if not AnswerForm().validate_on_submit():
        abort(400)
    try:
        service.withdraw(current_user, intro_id)
    except service.IntroductionNotFound:
        abort(404)
    flash(_("Withdrawn."), "info")
    return redirect(url_for("members.staff_introductions"))
