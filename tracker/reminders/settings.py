"""The reminder rules page: the secretariat changes when reminders go (days before a deadline,
overdue rhythm, escalation thresholds, ...). An empty number switches that rule off."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, SubmitField
from wtforms.validators import Optional

from tracker.extensions import db
from tracker.policies import can_manage_register
from tracker.reminders.routes import bp
from tracker.reminders.rules import Rules, load_rules, save_rules
from tracker.validators import NOT_A_WHOLE_NUMBER, number_between

# What every number-of-days field takes (empty: the rule is off).
DAYS = {
    "validators": [Optional(), number_between(1, 3650)],
    "invalid_value_message": NOT_A_WHOLE_NUMBER,
}
NUMBER_FIELDS = (
    "overdue_every_days",
    "escalate_head_after_days",
    "escalate_secretariat_after_days",
    "stale_after_days",
    "waiting_review_days",
    "returned_resubmit_days",
)


class RulesForm(FlaskForm):
    before_days = StringField(
        _l("Days before a deadline"),
        description=_l("Numbers of days separated by commas; 0 means on the day."),
    )
    overdue_every_days = IntegerField(_l("Overdue: remind every (days)"), **DAYS)
    escalate_head_after_days = IntegerField(
        _l("Tell the body's head when overdue more than (days)"), **DAYS
    )
    escalate_secretariat_after_days = IntegerField(
        _l("Tell the NSC secretariat when overdue more than (days)"), **DAYS
    )
    stale_after_days = IntegerField(_l("No update for (days)"), **DAYS)
    waiting_review_days = IntegerField(_l("Submitted update not reviewed for (days)"), **DAYS)
    returned_resubmit_days = IntegerField(_l("Returned update not resubmitted for (days)"), **DAYS)
    needs_date_monthly = BooleanField(_l("Monthly list of deadlines that need a date"))
    submit = SubmitField(_l("Save the rules"))


@bp.route("/admin/reminder-rules", methods=["GET", "POST"])
def rules():
    if not can_manage_register(current_user):
        abort(403)
    current = load_rules()
    form = RulesForm(
        data={**current.to_json(), "before_days": ", ".join(str(d) for d in current.before_days)}
    )
    if form.validate_on_submit():
        try:
            before = tuple(
                int(x) for x in form.before_days.data.replace(";", ",").split(",") if x.strip()
            )
        except ValueError:
            form.before_days.errors.append(_("Write whole numbers of days separated by commas."))
        else:
            try:
                save_rules(
                    Rules(
                        before_days=before,
                        needs_date_monthly=form.needs_date_monthly.data,
                        **{name: getattr(form, name).data for name in NUMBER_FIELDS},
                    )
                )
            except ValueError as error:
                field = next(
                    (f for f in ("before_days", *NUMBER_FIELDS) if f in str(error)), "before_days"
                )
                getattr(form, field).errors.append(str(error))
            else:
                db.session.commit()
                flash(_("Reminder rules saved; they apply from the next sweep."), "success")
                return redirect(url_for("reminders.rules"))
    return render_template("reminders/rules.html", form=form)
