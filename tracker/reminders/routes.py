"""Pages of the reminders: the administrators' Outbox (read every message, resend a failed or
sent one) and every user's preferences (language, pausing reminders). Also the template
global the recommendation page uses to list the reminders sent about its item."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField

from tracker.extensions import db
from tracker.i18n import language_choices
from tracker.models import MessageState, OutboxMessage
from tracker.models.base import utcnow
from tracker.policies import can_administer
from tracker.reminders.mail import MailSettings
from tracker.reminders.outbox import (
    RESENDABLE,
    OutboxError,
    messages_query,
    reminders_for,
    resend,
    state_counts,
)
from tracker.validators import NOT_A_CHOICE

bp = Blueprint("reminders", __name__)


class PreferencesForm(FlaskForm):
    language = SelectField(
        _l("Language"), choices=language_choices(), invalid_choice_message=NOT_A_CHOICE
    )
    reminders_paused = BooleanField(
        _l("Pause reminders (escalations still reach your body's head and the secretariat)")
    )
    submit = SubmitField(_l("Save"))


def _admin_only() -> None:
    if not can_administer(current_user):
        abort(403)


@bp.app_template_global("item_reminders")
def item_reminders(recommendation_id: int):
    """For templates/reminders/_item_reminders.html, shown to the secretariat and admins."""
    return reminders_for(recommendation_id)


@bp.route("/admin/outbox")
def outbox():
    _admin_only()
    state = next((s for s in MessageState if s.value == request.args.get("state")), None)
    recipient = request.args.get("recipient", "").strip()
    page = db.paginate(
        messages_query(state, recipient),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "reminders/outbox.html",
        page=page,
        states=list(MessageState),
        counts=state_counts(),
        state=state,
        recipient=recipient,
        smtp=MailSettings.from_config(current_app.config),
    )


@bp.route("/admin/outbox/<int:message_id>")
def outbox_message(message_id: int):
    _admin_only()
    message = db.get_or_404(OutboxMessage, message_id)
    return render_template("reminders/outbox_message.html", message=message, resendable=RESENDABLE)


@bp.route("/admin/outbox/<int:message_id>/message.html")
def outbox_html(message_id: int):
    """The HTML body as a download, sandboxed: it never runs inside the app's origin."""
    _admin_only()
    message = db.get_or_404(OutboxMessage, message_id)
    return Response(
        message.body_html,
        mimetype="text/html",
        headers={
            "Content-Disposition": f'attachment; filename="message-{message.id}.html"',
            "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'",
        },
    )


@bp.route("/admin/outbox/<int:message_id>/resend", methods=["POST"])
def outbox_resend(message_id: int):
    _admin_only()
    message = db.get_or_404(OutboxMessage, message_id)
    try:
        resend(message, utcnow())
    except OutboxError:
        db.session.rollback()
        flash(_("Only a failed or sent message can be sent again."), "error")
    else:
        db.session.commit()
        flash(_("Message %(id)d is queued to be sent again.", id=message.id), "success")
    return redirect(url_for("reminders.outbox_message", message_id=message.id))


@bp.route("/account/preferences", methods=["GET", "POST"])
def preferences():
    form = PreferencesForm(obj=current_user)
    if form.validate_on_submit():
        current_user.language = form.language.data
        current_user.reminders_paused = form.reminders_paused.data
        db.session.commit()
        session["language"] = form.language.data
        refresh()  # the confirmation is in the language just chosen
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("reminders.preferences"))
    return render_template("reminders/preferences.html", form=form)
