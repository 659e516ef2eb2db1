"""The admin's view of the outbox (``/admin/mail``): failed and waiting messages, and retrying one.

Only who, what and why it failed are shown, never the body: it may hold someone's sign-in link."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from club.admin.forms import RetryMailForm
from club.admin.views import bp
from club.core import outbox
from club.core.security import roles_required
from club.models.user import ROLE_ADMIN


@bp.route("/mail")
@roles_required(ROLE_ADMIN)
def mail():
    page = outbox.unsent_page(request.args.get("page", 1, type=int))
    return render_template("admin/mail.html", page=page, counts=outbox.counts(), form=RetryMailForm(),
                           max_attempts=outbox.MAX_ATTEMPTS)


@bp.route("/mail/retry", methods=["POST"])
@roles_required(ROLE_ADMIN)
def retry_mail():
    form = RetryMailForm()
    if not form.validate_on_submit():
        abort(400)
    if outbox.retry(form.mail_id.data, current_user):
        flash(_("The message will be sent again in a moment."), "success")
    else:
        flash(_("That message was already sent or is being sent; nothing to retry."), "info")
    return redirect(url_for("admin.mail", page=request.form.get("page", 1, type=int)))
