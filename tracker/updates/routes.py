"""Status updates with evidence, indicator values, and the secretariat's validation queue."""

from __future__ import annotations

from decimal import Decimal

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from tracker.extensions import db
from tracker.models import (
    Assignment,
    Evidence,
    Indicator,
    IndicatorValue,
    ReviewState,
    StatusUpdate,
)
from tracker.models.base import utcnow
from tracker.policies import (
    can_enter_indicator_value,
    can_publish_evidence,
    can_update,
    can_validate,
    can_view_evidence,
)
from tracker.updates import indicators as values
from tracker.updates import services
from tracker.updates.evidence import download, human_size
from tracker.updates.forms import (
    MAX_FILES,
    IndicatorValueForm,
    ReviewForm,
    UpdateForm,
    show_service_error,
)
from tracker.urls import safe_next

bp = Blueprint("updates", __name__)


@bp.app_template_filter("filesize")
def filesize(size: int | None) -> str:
    return human_size(size) if size is not None else ""


@bp.app_template_filter("decimal_number")
def decimal_number(value: Decimal | None) -> str:
    """An indicator number without trailing zeros, in the page's format: 5815.0000 -> 5,815."""
    return format_decimal(value.normalize(), format="#,##0.####") if value is not None else ""


@bp.url_value_preprocessor
def limit_request_size(endpoint, view_args) -> None:
    # Runs before the app's before_request hooks, where CSRFProtect reads (parses) the body:
    # this blueprint accepts at most MAX_FILES evidence files of the configured size, plus text.
    request.max_content_length = current_app.config["EVIDENCE_MAX_BYTES"] * MAX_FILES + 2**20


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    flash(
        _(
            "The upload is too large: at most %(count)d files of %(limit)s each.",
            count=MAX_FILES,
            limit=human_size(current_app.config["EVIDENCE_MAX_BYTES"]),
        ),
        "error",
    )
    return redirect(request.full_path.rstrip("?"), code=303)


def _returned(model, item_id: int | None, belongs):
    """The returned item named by ?replaces= (404 if unknown or not of this page)."""
    if item_id is None:
        return None
    item = db.get_or_404(model, item_id)
    if not belongs(item):
        abort(404)
    return item


# -- submitting -----------------------------------------------------------------------------


@bp.route("/assignments/<int:assignment_id>/updates/new", methods=["GET", "POST"])
def new_update(assignment_id: int):
    assignment = db.get_or_404(Assignment, assignment_id)
    if not can_update(current_user, assignment):
        abort(403)
    rec = assignment.recommendation
    returned = _returned(
        StatusUpdate,
        request.args.get("replaces", type=int),
        lambda u: u.recommendation_id == rec.id and u.assignment_id in (None, assignment.id),
    )
    if returned is not None and not services.awaiting_resubmission(returned):
        flash(_("This update is not awaiting resubmission."), "error")
        return redirect(url_for("register.detail", code=rec.code))
    form = UpdateForm(returned=returned, current=rec)
    if form.validate_on_submit():
        try:
            services.submit_update(assignment, current_user, replaces=returned, **form.submission())
        except services.UpdateError as error:
            db.session.rollback()
            if not show_service_error(form, error):
                flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Your update is submitted; the secretariat will review it."), "success")
            return redirect(safe_next(request.args.get("next"), "register.detail", code=rec.code))
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "updates/new.html", form=form, assignment=assignment, rec=rec, returned=returned
    )
    return page, status


@bp.route("/indicators/<int:indicator_id>/values/new", methods=["GET", "POST"])
def new_value(indicator_id: int):
    indicator = db.get_or_404(Indicator, indicator_id)
    if not can_enter_indicator_value(current_user, indicator):
        abort(403)
    returned = _returned(
        IndicatorValue,
        request.args.get("replaces", type=int),
        lambda v: v.indicator_id == indicator.id,
    )
    back = (
        url_for("register.detail", code=indicator.recommendation.code)
        if indicator.recommendation
        else url_for("register.index")
    )
    if returned is not None and not services.awaiting_resubmission(returned):
        flash(_("This value is not awaiting resubmission."), "error")
        return redirect(back)
    form = IndicatorValueForm(returned=returned)
    if form.validate_on_submit():
        try:
            values.submit_indicator_value(
                indicator,
                current_user,
                period=form.period.data,
                value=form.value.data,
                source_note=form.source_note.data,
                replaces=returned,
            )
        except services.UpdateError as error:
            db.session.rollback()
            if not show_service_error(form, error):
                flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The value is submitted; the secretariat will review it."), "success")
            return redirect(back)
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "updates/new_value.html", form=form, indicator=indicator, returned=returned, back=back
    )
    return page, status


@bp.route("/updates/returned")
def returned():
    """What the secretariat sent back to this user's body, with its comments, to resubmit."""
    updates = [
        (u, services.resubmission_assignment(u, current_user))
        for u in services.returned_updates_for(current_user)
    ]
    return render_template(
        "updates/returned.html", updates=updates, values=values.returned_values_for(current_user)
    )


# -- evidence -------------------------------------------------------------------------------


@bp.route("/evidence/<int:evidence_id>")
def evidence_file(evidence_id: int):
    item = db.get_or_404(Evidence, evidence_id)
    if not can_view_evidence(current_user, item):
        abort(403)
    return download(item.stored_name, item.filename, item.content_type, "private, no-store")


@bp.route("/evidence/<int:evidence_id>/public", methods=["POST"])
def publish_evidence(evidence_id: int):
    """Show a file or link on the public transparency page, or stop showing it (the page shows
    it only while its update is validated and its recommendation published)."""
    item = db.get_or_404(Evidence, evidence_id)
    if not can_publish_evidence(current_user):
        abort(403)
    item.public = request.form.get("public") == "1"
    db.session.commit()
    flash(
        _("%(name)s is shown on the public page.", name=item.filename or item.url)
        if item.public
        else _("%(name)s is no longer shown on the public page.", name=item.filename or item.url),
        "success",
    )
    code = item.update.recommendation.code
    return redirect(safe_next(request.form.get("next"), "register.detail", code=code))


# -- validation -----------------------------------------------------------------------------


def _queue_page(failed: tuple[str, ReviewForm] | None = None, status: int = 200):
    """The queue; `failed`: a review form (by prefix) to show again with its errors."""
    updates, pending = services.pending_updates(), values.pending_values()
    forms = {f"u{u.id}": ReviewForm(prefix=f"u{u.id}", formdata=None) for u in updates}
    forms |= {f"v{v.id}": ReviewForm(prefix=f"v{v.id}", formdata=None) for v in pending}
    if failed is not None:
        forms[failed[0]] = failed[1]
    page = render_template("updates/queue.html", updates=updates, values=pending, forms=forms)
    return page, status


@bp.route("/validation")
def queue():
    if not can_validate(current_user):
        abort(403)
    return _queue_page()


def _review(item, prefix: str, validate, send_back, messages: dict[str, str]):
    if item.review_state is not ReviewState.SUBMITTED:
        return _conflict(item)
    form = ReviewForm(prefix=prefix)
    if not form.validate_on_submit() or not (form.approve.data or form.send_back.data):
        return _queue_page(failed=(prefix, form), status=422)
    try:
        if form.send_back.data:
            send_back(item, current_user, form.comment.data, utcnow())
        else:
            validate(item, current_user, utcnow())
    except services.ReviewConflict:
        db.session.rollback()
        return _conflict(item)
    db.session.commit()
    flash(messages["returned" if form.send_back.data else "validated"], "success")
    return redirect(url_for(".queue"))


def _conflict(item):
    flash(
        _(
            "Someone else has already reviewed this (now %(state)s by %(who)s); nothing was "
            "changed.",
            state=item.review_state.label,
            who=item.reviewer.name if item.reviewer else "—",
        ),
        "error",
    )
    return redirect(url_for(".queue"))


@bp.route("/validation/updates/<int:update_id>", methods=["POST"])
def review_update(update_id: int):
    if not can_validate(current_user):
        abort(403)
    update = db.get_or_404(StatusUpdate, update_id)
    code = update.recommendation.code
    return _review(
        update,
        f"u{update.id}",
        services.validate_update,
        services.return_update,
        {
            "validated": _("The update on %(code)s is validated.", code=code),
            "returned": _("The update on %(code)s is returned with your comment.", code=code),
        },
    )


@bp.route("/validation/values/<int:value_id>", methods=["POST"])
def review_value(value_id: int):
    if not can_validate(current_user):
        abort(403)
    value = db.get_or_404(IndicatorValue, value_id)
    code = value.indicator.code
    return _review(
        value,
        f"v{value.id}",
        values.validate_indicator_value,
        values.return_indicator_value,
        {
            "validated": _("The value of %(code)s is validated.", code=code),
            "returned": _("The value of %(code)s is returned with your comment.", code=code),
        },
    )
