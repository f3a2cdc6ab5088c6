"""Import in the browser: upload a CSV or XLSX file, see a dry-run preview (what would be
created, updated or left unchanged, and every error by row and column), then confirm. The same
all-or-nothing service as `flask import recommendations`."""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SubmitField

from tracker.clock import local_today
from tracker.exchange.importer import ImportError_, import_recommendations
from tracker.extensions import db
from tracker.policies import can_manage_register
from tracker.validators import REQUIRED

bp = Blueprint("exchange", __name__)
SUFFIXES = (".csv", ".xlsx")
MAX_IMPORT_BYTES = 10 * 1024 * 1024


class UploadForm(FlaskForm):
    file = FileField(
        _l("CSV or XLSX file in the export format"), validators=[FileRequired(REQUIRED)]
    )
    submit = SubmitField(_l("Check the file"))


class ConfirmForm(FlaskForm):
    token = HiddenField()
    submit = SubmitField(_l("Import now"))


def _pending_dir() -> Path:
    """Previewed files wait here for confirmation; abandoned ones go after a day."""
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - 24 * 3600
    for old in path.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return path


def _run(filename: str, data: bytes, *, keep: bool):
    """Import inside the request's transaction; keep it or roll it back (dry run)."""
    try:
        result = import_recommendations(
            filename,
            data,
            on=local_today(),
            actor=current_user,
            label=_("import of %(file)s", file=filename),
        )
    except ImportError_ as exc:
        db.session.rollback()
        return None, exc.problems
    if keep:
        db.session.commit()
    else:
        db.session.rollback()
    return result, []


@bp.before_request
def only_the_secretariat():
    if not can_manage_register(current_user):
        abort(403)


@bp.route("/import", methods=["GET", "POST"])
def import_upload():
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = Path(upload.filename or "").name
        data = upload.read(MAX_IMPORT_BYTES + 1)
        if Path(filename).suffix.lower() not in SUFFIXES:
            form.file.errors.append(_("Use a .csv or .xlsx file in the export format."))
        elif len(data) > MAX_IMPORT_BYTES:
            form.file.errors.append(_("The file is larger than 10 MB."))
        else:
            result, problems = _run(filename, data, keep=False)
            confirm = None
            if not problems:
                token = secrets.token_urlsafe(16)
                (_pending_dir() / token).write_bytes(data)
                session["import"] = {
                    "token": token,
                    "filename": filename,
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
                confirm = ConfirmForm(token=token)
            return render_template(
                "exchange/preview.html",
                filename=filename,
                result=result,
                problems=problems,
                confirm=confirm,
            )
    return render_template("exchange/upload.html", form=form), 422 if form.errors else 200


@bp.route("/import/<token>", methods=["POST"])
def import_confirm(token: str):
    pending = session.get("import") or {}
    form = ConfirmForm()
    path = _pending_dir() / token
    # Only the user who previewed this file, in this session, can confirm it.
    if not form.validate_on_submit() or pending.get("token") != token or not path.is_file():
        flash(_("This import is no longer pending: upload the file again."), "error")
        return redirect(url_for("exchange.import_upload"))
    data = path.read_bytes()
    path.unlink()
    session.pop("import", None)
    if hashlib.sha256(data).hexdigest() != pending["sha256"]:
        abort(400)
    result, problems = _run(pending["filename"], data, keep=True)
    if problems:  # the register changed since the preview: nothing was written
        return render_template(
            "exchange/preview.html",
            filename=pending["filename"],
            result=None,
            problems=problems,
            confirm=None,
        ), 422
    flash(
        _(
            "Imported %(file)s: %(c)d created, %(u)d updated, %(n)d unchanged.",
            file=pending["filename"],
            c=len(result.created),
            u=len(result.updated),
            n=len(result.unchanged),
        ),
        "success",
    )
    return redirect(url_for("register.index"))
