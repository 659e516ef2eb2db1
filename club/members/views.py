"""The member's side: home, onboarding, profile and privacy, the directory, requests to the
curator (both sides of the thread), data export, leaving. HTTP only; rules live in the services."""
from __future__ import annotations

import json
from functools import wraps

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import force_locale, gettext as _
from flask_login import current_user, login_required, logout_user

from club.core import i18n, settings
from club.core.security import roles_required, safe_local_path
from club.membership.access import member_required
from club.extensions import limiter
from club.members import (directory, export, home as home_service, leaving, privacy, profile_service,
                          request_states, requests_service as rq, rules_gate, welcome)
from club.members.forms import (CuratorChangeForm, DeleteForm, DirectoryForm, HelloForm, LeaveForm, MessageForm,
                                PhotoForm, RequestForm, ResolveForm, RulesForm, StaffAnswerForm, StateForm,
                                profile_form, split_lines, split_list)
from club.members.photos import PhotoRejected
from club.membership.access import membership_of
from club.models.user import ROLE_ADMIN, ROLE_CURATOR

bp = Blueprint("members", __name__)

# Per person, not per address: a photo is re-encoded (~0.7 s of CPU each) and every request or
# message to the curator sends mail. Beyond these a member gets the club's 429 page.
PHOTO_LIMIT = "5/minute;30/day"
REQUEST_LIMIT = "5/hour;20/day"     # new requests, hellos, asking for another curator
MESSAGE_LIMIT = "20/hour;60/day"    # messages in an open thread


def _person_key() -> str:
    return f"person:{current_user.get_id()}"


def membership_needed(view):
    """Pages about one's own membership: people without one are sent to their own home."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if membership_of(current_user) is None:
            return redirect(url_for("public.home"))
        return view(*args, **kwargs)

    return wrapped


# Home and onboarding ---------------------------------------------------------------------------

@bp.route("/me")
@login_required
def home():
    member_home = home_service.home_for(current_user)
    if member_home is None:
        return redirect(url_for("public.home"))
    return render_template("members/home.html", home=member_home, hello_form=HelloForm(),
                           topics=request_states.TOPIC_LABELS, request_labels=request_states.LABELS)


@bp.route("/me/rules", methods=["GET", "POST"])
@login_required
@membership_needed
def accept_rules():
    version = settings.current_rules()
    accepted = version is None or welcome.has_accepted(current_user, version)
    form = RulesForm(data={"version_id": version.id if version else ""})
    if version is not None and form.validate_on_submit():
        try:
            welcome.accept_rules(current_user, int(form.version_id.data))
        except (welcome.RulesError, ValueError) as exc:
            flash(str(exc), "error")
            return redirect(url_for("members.accept_rules", next=request.args.get("next")))
        rules_gate.remember_accepted(version.id)
        target = safe_local_path(request.args.get("next"))
        if target and request.args.get("resend"):
            # Accepted on the page an action was refused on: 307 sends that action on, with its
            # method and what was typed (carried in this form), so nothing is lost.
            return redirect(target, code=307)
        flash(_("Thank you. Welcome in."), "success")
        return redirect(target or url_for("members.home"))
    keep = {}
    if request.method == "POST" and request.args.get("resend") and not accepted:
        # The box was not ticked on the page that kept a refused action: keep it still.
        keep = {"action": request.full_path, "carried": rules_gate.carried_fields(),
                "refused_action": rules_gate.REFUSED_ACTION}
    return render_template("members/rules.html", version=version, form=form, accepted=accepted, **keep), \
        (400 if form.errors else 200)


@bp.route("/me/hello", methods=["POST"])
@member_required
@membership_needed
@limiter.limit(REQUEST_LIMIT, key_func=_person_key, methods=["POST"])
def say_hello():
    form = HelloForm()
    if form.validate_on_submit():
        try:
            thread = rq.say_hello(current_user, form.body.data)
        except rq.RequestError as exc:  # at the field too, never a banner
            form.body.errors = [*form.body.errors, str(exc)]
        else:
            flash(_("Your hello is on its way to your curator."), "success")
            return redirect(url_for("members.request_thread", request_id=thread.id))
    # Refused (empty, too long, already said): home again, the field marked and its error beside it.
    return render_template("members/home.html", home=home_service.home_for(current_user), hello_form=form,
                           topics=request_states.TOPIC_LABELS, request_labels=request_states.LABELS), 400


# Profile, photo and privacy -------------------------------------------------------------------

@bp.route("/me/profile", methods=["GET", "POST"])
@member_required
@membership_needed
def profile():
    own = profile_service.profile_of(current_user)
    form = profile_form(current_user, own, profile_service.interest_names(), i18n.current_language())
    if form.validate_on_submit():
        # The language, like the footer's switcher: on the account (mail) and for this visit.
        language = i18n.choose_language(form.language.data, current_user)
        profile_service.update_profile(current_user, profile_service.ProfileChanges(
            full_name=form.full_name.data, city=form.city.data or "", occupation=form.occupation.data or "",
            company=form.company.data or "", bio=form.bio.data or "", interests=form.interests.data or [],
            languages=split_list(form.languages.data), links=split_lines(form.links.data)))
        with force_locale(language):
            flash(_("Your profile is saved."), "success")
        return redirect(url_for("members.profile"))
    return render_template("members/profile.html", form=form, photo_form=PhotoForm(), profile=own), \
        (400 if form.errors else 200)


@bp.route("/me/photo", methods=["POST"])
@member_required
@membership_needed
@limiter.limit(PHOTO_LIMIT, key_func=_person_key, methods=["POST"])
def upload_photo():
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            profile_service.set_photo(current_user, form.photo.data.stream)
            flash(_("Your photo is saved."), "success")
            return redirect(url_for("members.profile"))
        except PhotoRejected as exc:
            form.photo.errors = [str(exc)]
    own = profile_service.profile_of(current_user)
    shown = profile_form(current_user, own, profile_service.interest_names(), i18n.current_language(), formdata=None)
    return render_template("members/profile.html", form=shown, photo_form=form, profile=own), 400


@bp.route("/me/photo/remove", methods=["POST"])
@member_required
@membership_needed
def remove_photo():
    if ResolveForm().validate_on_submit():
        profile_service.remove_photo(current_user)
        flash(_("Your photo is removed."), "success")
    return redirect(url_for("members.profile"))


@bp.route("/me/privacy", methods=["GET", "POST"])
@member_required
@membership_needed
def privacy_settings():
    own = profile_service.profile_of(current_user)
    form = DirectoryForm(data={"listed": "listed" if own.directory_listed else "hidden",
                               "fields": list(own.directory_fields or [])})
    if form.validate_on_submit():
        profile_service.update_visibility(current_user, listed=form.listed.data == "listed",
                                          fields=form.fields.data or [])
        flash(_("Your directory settings are saved."), "success")
        return redirect(url_for("members.privacy_settings"))
    from club.announcements.forms import programme_mail_form

    return render_template("members/privacy.html", form=form, preview=profile_service.own_card(current_user),
                           field_labels=privacy.FIELDS, programme_form=programme_mail_form(current_user)), \
        (400 if form.errors else 200)


@bp.route("/members/<int:user_id>/photo")
@member_required
def photo(user_id: int):
    jpeg = profile_service.photo_for_viewer(current_user, user_id)
    if jpeg is None:
        abort(404)
    response = Response(jpeg, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Directory ----------------------------------------------------------------------------------------

@bp.route("/members")
@member_required
def directory_page():
    q = request.args.get("q", "")[:100]
    interest = request.args.get("interest", "")[:60]
    city = request.args.get("city", "")[:120]
    page = directory.search(current_user, text=q, interest=interest, city=city,
                            page=request.args.get("page", 1, type=int))
    return render_template("members/directory.html", page=page, q=q, interest=interest, city=city,
                           interests=profile_service.interest_names())


# Requests to the curator: the member's side --------------------------------------------------------

@bp.route("/me/requests", methods=["GET", "POST"])
@member_required
@membership_needed
@limiter.limit(REQUEST_LIMIT, key_func=_person_key, methods=["POST"])
def requests_page():
    form = RequestForm()
    if form.validate_on_submit():
        try:
            thread = rq.open_request(current_user, form.topic.data, form.body.data)
        except rq.RequestError as exc:
            form.body.errors = [*form.body.errors, str(exc)]
        else:
            flash(_("Your request is with your curator. You will hear back by email."), "success")
            return redirect(url_for("members.request_thread", request_id=thread.id))
    return render_template("members/requests.html", form=form, threads=rq.member_requests(current_user),
                           curator=rq.curator_of(current_user), topics=request_states.TOPIC_LABELS,
                           labels=request_states.LABELS,
                           change_pending=rq.open_curator_change(current_user) is not None), \
        (400 if form.errors else 200)


@bp.route("/me/requests/<int:request_id>", methods=["GET", "POST"])
@member_required
@membership_needed
@limiter.limit(MESSAGE_LIMIT, key_func=_person_key, methods=["POST"])
def request_thread(request_id: int):
    try:
        thread = rq.request_for_member(current_user, request_id)
    except rq.RequestNotFound:
        abort(404)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            rq.member_writes(current_user, request_id, form.body.data)
        except rq.RequestError as exc:
            form.body.errors = [*form.body.errors, str(exc)]
        else:
            flash(_("Sent."), "success")
            return redirect(url_for("members.request_thread", request_id=request_id))
    return render_template("members/request_thread.html", thread=thread, form=form,
                           topics=request_states.TOPIC_LABELS, labels=request_states.LABELS), \
        (400 if form.errors else 200)


@bp.route("/me/curator/change", methods=["GET", "POST"])
@member_required
@membership_needed
@limiter.limit(REQUEST_LIMIT, key_func=_person_key, methods=["POST"])
def ask_for_another_curator():
    form = CuratorChangeForm()
    if form.validate_on_submit():
        rq.ask_for_another_curator(current_user, form.reason.data or "")
        flash(_("Your request has gone to the club’s admins. They will be in touch."), "success")
        return redirect(url_for("members.requests_page"))
    return render_template("members/curator_change.html", form=form, curator=rq.curator_of(current_user),
                           pending=rq.open_curator_change(current_user)), (400 if form.errors else 200)


# Requests: the curator's side ------------------------------------------------------------------------

@bp.route("/curation/requests")
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def staff_requests():
    include_done = request.args.get("show") == "all"
    return render_template("members/staff_requests.html",
                           rows=rq.staff_requests(current_user, include_done=include_done),
                           include_done=include_done, topics=request_states.TOPIC_LABELS,
                           labels=request_states.LABELS, age_label=rq.age_label)


@bp.route("/curation/requests/<int:request_id>", methods=["GET", "POST"])
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def staff_request(request_id: int):
    try:
        thread = rq.request_for_staff(current_user, request_id)
    except rq.RequestNotFound:
        abort(404)
    form = StaffAnswerForm()
    if form.validate_on_submit():
        try:
            rq.staff_answers(current_user, request_id, form.body.data, form.state.data or None)
        except (rq.RequestError, request_states.InvalidRequestMove) as exc:
            form.body.errors = [*form.body.errors, str(exc)]
        else:
            flash(_("Sent to %(name)s.", name=thread.member.full_name), "success")
            return redirect(url_for("members.staff_request", request_id=request_id))
    return render_template("members/staff_request.html", thread=thread, form=form,
                           state_form=StateForm(data={"state": thread.state}), topics=request_states.TOPIC_LABELS,
                           labels=request_states.LABELS), (400 if form.errors else 200)


@bp.route("/curation/requests/<int:request_id>/state", methods=["POST"])
@roles_required(ROLE_CURATOR, ROLE_ADMIN)
def staff_request_state(request_id: int):
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        rq.set_state(current_user, request_id, form.state.data)
    except rq.RequestNotFound:
        abort(404)
    except (rq.RequestError, request_states.InvalidRequestMove) as exc:
        flash(str(exc), "error")
    else:
        flash(str(request_states.MARKED[form.state.data]), "success")
    return redirect(url_for("members.staff_request", request_id=request_id))


@bp.route("/admin/curator-requests")
@roles_required(ROLE_ADMIN)
def curator_changes():
    include_done = request.args.get("show") == "all"
    return render_template("members/admin_curator_changes.html",
                           changes=rq.curator_changes(include_done=include_done), include_done=include_done,
                           form=ResolveForm(), age_label=rq.age_label)


@bp.route("/admin/curator-requests/<int:change_id>/done", methods=["POST"])
@roles_required(ROLE_ADMIN)
def resolve_curator_change(change_id: int):
    if ResolveForm().validate_on_submit():
        try:
            rq.resolve_curator_change(current_user, change_id)
        except rq.RequestNotFound:
            abort(404)
        flash(_("Marked done."), "success")
    return redirect(url_for("members.curator_changes"))


# Export and leaving -------------------------------------------------------------------------------------

@bp.route("/me/export")
@login_required
@limiter.limit("10/hour")
def export_data():
    data = export.export_for(current_user)
    return Response(json.dumps(data, indent=2, ensure_ascii=False), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{export.filename_for(current_user)}"'})


@bp.route("/me/leave", methods=["GET", "POST"])
@login_required
@membership_needed
def leave():
    form = LeaveForm()
    if form.validate_on_submit():
        try:
            outcome = leaving.leave_club(current_user, form.reason.data or "")
        except leaving.LeavingError as exc:
            flash(str(exc), "error")
            return redirect(url_for("members.leave"))
        flash(outcome, "success")
        return redirect(url_for("members.home"))
    return render_template("members/leave.html", form=form, may_cancel=leaving.may_cancel(current_user),
                           summary=home_service.billing_for(current_user)), (400 if form.errors else 200)


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
@limiter.limit("5/minute", methods=["POST"])
def delete_account():
    form = DeleteForm()
    if form.validate_on_submit():
        try:
            leaving.delete_account(current_user._get_current_object(), form.password.data)
        except leaving.LeavingError as exc:
            if exc.field:
                form[exc.field].errors.append(str(exc))
            else:
                flash(str(exc), "error")
        else:
            language = i18n.current_language()
            logout_user()
            session.clear()
            i18n.choose_language(language)  # the farewell, and the pages after it, in the language they read
            flash(_("Your account is deleted and your personal data erased. Thank you for your time with us."),
                  "info")
            return redirect(url_for("public.landing"))
    return render_template("members/delete.html", form=form, is_staff=current_user.is_staff), \
        (400 if form.errors or request.method == "POST" else 200)


from club.members import at_risk_views  # noqa: E402,F401  (its routes are on this blueprint)
from club.members import introduction_views  # noqa: E402,F401  (its routes are on this blueprint)
from club.members import club_feedback_views  # noqa: E402,F401  (its routes are on this blueprint)
