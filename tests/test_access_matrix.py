"""The access matrix: every route of the app (`app.url_map`, except `static`), for every kind of
actor, with the outcome each must get. New routes must join this matrix:
`test_every_route_is_in_the_matrix` fails, naming the endpoint, until MATRIX has an entry for it.

Actors (test ids read `test_access[<endpoint>-<actor>]`):

    anonymous       nobody signed in
    viewer          a viewer (NSC member or partner)
    focal_A_on_B    the focal point of body A, given the ids of body B's objects
    focal_A_on_A    the same focal point, given the ids of body A's own objects
    secretariat     the NSC secretariat
    admin           an administrator

Every actor but focal_A_on_A is given body B's objects, so nothing may be reached by guessing
an id.

Outcomes:

    forbidden   403 for a signed-in actor; for anonymous, a redirect to /login. Nothing is
                written (the audit trail does not grow, and the route's `done` check is false).
    allowed     the status given per route in MATRIX, and for a redirect its target (a redirect
                with no target given must not go to /login). Every POST sends valid data, so an
                allowed POST means the action went through: `done` checks the database after it.
                A GET never writes anything.
    unknown id  every path parameter naming an object is swapped, one at a time, for an id or
                code that does not exist: 404 for an actor who could otherwise act, 403 or 404
                for a signed-in actor who could not, /login for anonymous.

POSTs carry a valid CSRF token, taken from /account/password for signed-in actors and from
/login for anonymous: anonymous POSTs thus reach the sign-in guard itself (without a token they
would stop earlier, at the CSRF check, with a 400).

Each test builds its own small world, since allowed POSTs change it: two bodies A and B, each
leading a recommendation (in a cluster of its own) with its focal point attached to the lead
assignment, a submitted update carrying a real PDF stored through
`tracker.updates.services.submit_update`, a returned update, an indicator with a submitted and a
returned value, and a failed reminder in the outbox; both bodies also support a joint
recommendation (assignments with nobody attached yet); plus a viewer, the secretariat and an
admin. Passwords are hashed with a single PBKDF2 round in these tests only, to keep the ~280
tests fast.
"""

from __future__ import annotations

import io
import re
import string
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import partial
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.security import generate_password_hash

from config import TestingConfig
from tests import factories as f
from tests.conftest import PASSWORD, csrf_token, login
from tracker import create_app
from tracker.admin.services import attach_focal_point
from tracker.exchange.export import export_recommendations
from tracker.extensions import db
from tracker.models import (
    Assignment,
    AuditEvent,
    Body,
    Cluster,
    Evidence,
    GeneratedReport,
    Indicator,
    IndicatorValue,
    MessageState,
    OutboxMessage,
    Recommendation,
    ReportCover,
    ReviewState,
    Role,
    Source,
    Status,
    StatusUpdate,
    User,
)
from tracker.models.base import utcnow
from tracker.register.services import cluster_by_path
from tracker.reminders.rules import load_rules
from tracker.reports import services as report_services
from tracker.updates import indicators as values
from tracker.updates import services
from tracker.updates.evidence import path_of

ANONYMOUS = "anonymous"
VIEWER = "viewer"
FOCAL_ON_B = "focal_A_on_B"
FOCAL_ON_A = "focal_A_on_A"
SECRETARIAT = "secretariat"
ADMIN = "admin"
ACTORS = (ANONYMOUS, VIEWER, FOCAL_ON_B, FOCAL_ON_A, SECRETARIAT, ADMIN)

SIGNED_IN = frozenset(ACTORS) - {ANONYMOUS}
EVERYONE = frozenset(ACTORS)
MANAGERS = frozenset({SECRETARIAT, ADMIN})
ONLY_ADMIN = frozenset({ADMIN})
FOCAL_POINTS = frozenset({FOCAL_ON_B, FOCAL_ON_A})

# Endpoints that were being added while this file was written: while absent from url_map their
# tests are skipped, not failed. Only these two; every other entry must name an existing endpoint.
PENDING = frozenset({"exchange.import_upload", "exchange.import_confirm"})

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
NEW_PASSWORD = "another-horse-43"
MARK = "Reported through the access matrix."
# An id no row has. Kept within PostgreSQL's INTEGER: a larger one in a URL currently ends in a
# 500 there (DataError: integer out of range), not a 404 (SQLite answers 404).
UNKNOWN_ID = 2_147_483_647
# Path parameters that name objects (the rest, like the import token, do not).
OBJECT_PARAMS = frozenset(
    {"code", "assignment", "update", "value", "evidence", "indicator", "cluster", "body"}
    | {"spare_assignment", "focal", "source", "message", "report"}
)


# -- the world ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """The ids and codes of one body's objects (plain values: they outlive any deletion)."""

    body: str
    other_body: str
    source: str
    code: str  # the recommendation the body leads
    rec_id: int
    assignment: int  # the body's lead assignment of it, with `focal` attached
    spare_assignment: int  # the body's supporting assignment of JOINT-REC-1, nobody attached
    cluster: int  # the recommendation's cluster
    other_cluster: int
    update: int  # submitted, with a PDF
    evidence: int  # that PDF
    indicator: int
    value: int  # submitted
    focal: int  # the body's focal point
    message: int  # a failed reminder to the focal point


@dataclass(frozen=True)
class World:
    a: Side
    b: Side
    emails: dict[str, str | None]
    ids: dict[str, int | None]

    def side(self, actor: str) -> Side:
        return self.a if actor == FOCAL_ON_A else self.b


@dataclass
class Ctx:
    """What data, done and check functions see."""

    world: World
    side: Side
    actor: str
    client: object
    user_id: int | None
    token: str = ""
    params: dict = field(default_factory=dict)


def _report(assignment, author, narrative: str, files=()) -> StatusUpdate:
    return services.submit_update(
        assignment,
        author,
        status=Status.IN_PROGRESS,
        percent=40,
        reported_on=date(2024, 3, 1),
        narrative=narrative,
        files=files,
    )


def _message(focal: User, rec: Recommendation) -> OutboxMessage:
    message = OutboxMessage(
        idempotency_key=f"{focal.email}|digest|2024-03-01",
        recipient_email=focal.email,
        recipient=focal,
        kind="digest",
        subject=f"Reminder about {rec.code}",
        body_text="Please report.",
        body_html="<p>Please report.</p>",
        items=[rec.code],
        run_date=date(2024, 3, 1),
        state=MessageState.FAILED,
        attempts=5,
        last_error="connection refused",
    )
    db.session.add(message)
    return message


def _side(code: str, other: str, joint: Recommendation, reviewer: User, make_user) -> Side:
    """Body `code`'s objects (the body itself exists already)."""
    src = joint.source
    cluster = cluster_by_path(src, [f"Cluster of {code}"])
    rec = f.recommendation(src, f"{code}-REC-1", lead=code, cluster=cluster, text=f"{code} text.")
    focal = make_user(Role.FOCAL_POINT, email=f"focal.{code}@example.org", body_code=code)
    assignment = rec.assignments[0]
    attach_focal_point(assignment, focal)
    pdf = FileStorage(io.BytesIO(PDF), filename="report.pdf", content_type="application/pdf")
    update = _report(assignment, focal, f"Done by {code}.", files=[pdf])
    assert path_of(update.evidence[0].stored_name).is_file()
    returned = _report(assignment, focal, f"Returned work of {code}.")
    services.return_update(returned, reviewer, "Add the attendance list.", utcnow())
    indicator = Indicator(code=f"{code}-IND-1", source=src, recommendation=rec, name="People")
    db.session.add(indicator)
    value = values.submit_indicator_value(
        indicator, focal, period="2024", value=Decimal(5), source_note="Survey."
    )
    sent_back = values.submit_indicator_value(
        indicator, focal, period="2023", value=Decimal(4), source_note="Guess."
    )
    values.return_indicator_value(sent_back, reviewer, "Give the source.", utcnow())
    message = _message(focal, rec)
    db.session.flush()
    return Side(
        body=code,
        other_body=other,
        source=src.code,
        code=rec.code,
        rec_id=rec.id,
        assignment=assignment.id,
        spare_assignment=next(a.id for a in joint.assignments if a.body.code == code),
        cluster=cluster.id,
        other_cluster=0,  # set below, once both exist
        update=update.id,
        evidence=update.evidence[0].id,
        indicator=indicator.id,
        value=value.id,
        focal=focal.id,
        message=message.id,
    )


@pytest.fixture
def world(app, make_user, monkeypatch) -> World:
    monkeypatch.setattr(
        "tracker.models.user.generate_password_hash",
        partial(generate_password_hash, method="pbkdf2:sha256:1"),
    )
    src = f.source("UPR-3")
    f.body("BODY-A", name="Ministry A")
    f.body("BODY-B", name="Ministry B")
    joint = f.recommendation(src, "JOINT-REC-1", supporting=("BODY-A", "BODY-B"))
    users = {
        VIEWER: make_user(Role.VIEWER, email="viewer@example.org"),
        SECRETARIAT: make_user(Role.SECRETARIAT, email="secretariat@example.org"),
        ADMIN: make_user(Role.ADMIN, email="admin@example.org"),
    }
    a = _side("BODY-A", "BODY-B", joint, users[SECRETARIAT], make_user)
    b = _side("BODY-B", "BODY-A", joint, users[SECRETARIAT], make_user)
    db.session.commit()
    focal_a = db.session.get(User, a.focal)
    users |= {FOCAL_ON_B: focal_a, FOCAL_ON_A: focal_a}
    return World(
        a=replace(a, other_cluster=b.cluster),
        b=replace(b, other_cluster=a.cluster),
        emails={ANONYMOUS: None} | {actor: user.email for actor, user in users.items()},
        ids={ANONYMOUS: None} | {actor: user.id for actor, user in users.items()},
    )


# -- checks used by the matrix --------------------------------------------------------------


def fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def signed_out(ctx: Ctx) -> bool:
    response = ctx.client.get("/")
    return ctx.user_id is not None and response.headers.get("Location", "").startswith("/login")


def language_is_lao(ctx: Ctx) -> bool:
    with ctx.client.session_transaction() as session:
        chosen = session.get("language") == "lo"
    return chosen and (ctx.user_id is None or fresh(User, ctx.user_id).language == "lo")


def password_changed(ctx: Ctx) -> bool:
    return ctx.user_id is not None and fresh(User, ctx.user_id).check_password(NEW_PASSWORD)


def rec_of(ctx: Ctx) -> Recommendation | None:
    return fresh(Recommendation, ctx.side.rec_id)


def assigned(ctx: Ctx, body_code: str) -> bool:
    rec = rec_of(ctx)
    return any(a.body.code == body_code for a in rec.assignments)


def focal_points(ctx: Ctx, assignment_id: int) -> set[int]:
    assignment = fresh(Assignment, assignment_id)
    return {user.id for user in assignment.focal_points}


def exists(model, *criteria) -> bool:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*criteria)) > 0


def version(ctx: Ctx) -> str:
    return str(rec_of(ctx).version)


def register_csv(ctx: Ctx, *, changed: bool) -> bytes:
    """The register in the exchange format; `changed`: with a new text for the side's item."""
    data = export_recommendations("csv")
    return data.replace(f"{ctx.side.body} text.".encode(), b"Imported text.") if changed else data


def pending_import(ctx: Ctx) -> dict:
    """Preview a changed register (as the actor) and return the import's token; a token that
    names nothing for actors who may not preview."""
    response = ctx.client.post(
        "/import",
        data={
            "csrf_token": ctx.token,
            "file": (io.BytesIO(register_csv(ctx, changed=True)), "register.csv"),
        },
    )
    match = re.search(r'action="/import/([^"]+)"', response.get_data(as_text=True))
    return {"token": match.group(1) if match else "not-a-pending-import"}


def shows_own_body_only(ctx: Ctx, response) -> None:
    page = response.get_data(as_text=True)
    if ctx.actor in FOCAL_POINTS:
        # ?body=BODY-B is ignored: a focal point always sees their own body's items.
        assert "BODY-A-REC-1" in page and "BODY-B-REC-1" not in page
    else:
        assert ctx.side.code in page


def shows_own_returns_only(ctx: Ctx, response) -> None:
    page = response.get_data(as_text=True)
    own = {VIEWER: set(), FOCAL_ON_B: {"BODY-A"}, FOCAL_ON_A: {"BODY-A"}}.get(
        ctx.actor, {"BODY-A", "BODY-B"}
    )
    for code in ("BODY-A", "BODY-B"):
        assert (f"Returned work of {code}." in page) is (code in own), code


def is_the_pdf(ctx: Ctx, response) -> None:
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")


def is_the_html_message(ctx: Ctx, response) -> None:
    assert response.data == b"<p>Please report.</p>"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]


def is_a_report_file(ctx: Ctx, response) -> None:
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert b"JOINT-REC-1" in response.data


def generated_report(ctx: Ctx) -> dict:
    """A report file in the history (made by the secretariat), for the download route."""
    row, _data = report_services.generate(
        "midterm",
        db.session.scalar(select(Source).where(Source.code == ctx.side.source)),
        "html",
        as_of=date(2024, 3, 31),
        now=utcnow(),
        may_see=lambda evidence: True,
        author=db.session.get(User, ctx.world.ids[SECRETARIAT]),
    )
    db.session.commit()
    return {"report": row.id}


def is_a_preview(ctx: Ctx, response) -> None:
    assert 'action="/import/' in response.get_data(as_text=True)


# -- the matrix -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    method: str
    status: int  # for an allowed actor
    to: str | None = None  # an allowed redirect's path, formatted with the path parameters
    data: Callable[[Ctx], dict] | None = None
    done: Callable[[Ctx], bool] | None = None  # the POST went through
    check: Callable[[Ctx, object], None] | None = None  # more about an allowed response
    signed_in: tuple[int, str] | None = None  # (status, to) for signed-in actors, if different


def GET(status: int = 200, **kw) -> Call:  # noqa: N802
    return Call("GET", status, **kw)


def POST(status: int = 302, **kw) -> Call:  # noqa: N802
    return Call("POST", status, **kw)


@dataclass(frozen=True)
class Route:
    path: str  # with {parameters} from Side (and from `prepare`)
    allowed: frozenset[str]
    calls: tuple[Call, ...]
    prepare: Callable[[Ctx], dict] | None = None  # more path parameters, made per test
    # Actors for whom the object parameters do not matter: they always get their own (an
    # unknown id gives them the allowed outcome, not a 404).
    own_regardless: frozenset[str] = frozenset()


def route(path: str, allowed: frozenset[str], *calls: Call, **kw) -> Route:
    return Route(path, allowed, calls, **kw)


DETAIL = "/recommendations/{code}"

MATRIX: dict[str, Route] = {
    # -- auth -------------------------------------------------------------------------------
    "auth.login": route(
        "/login",
        EVERYONE,
        GET(200, signed_in=(302, "/")),
        POST(
            to="/",
            data=lambda c: {"email": c.world.emails[VIEWER], "password": PASSWORD},
            done=lambda c: c.client.get("/").status_code == 200,
        ),
    ),
    "auth.logout": route("/logout", SIGNED_IN, POST(to="/login", done=signed_out)),
    "auth.change_password": route(
        "/account/password",
        SIGNED_IN,
        GET(),
        POST(
            to="/",
            data=lambda c: {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
            done=password_changed,
        ),
    ),
    "auth.set_language": route("/language/lo", EVERYONE, POST(to="/", done=language_is_lao)),
    # -- register ---------------------------------------------------------------------------
    "register.index": route("/", SIGNED_IN, GET()),
    "register.download": route("/register.csv", SIGNED_IN, GET()),
    "register.detail": route(DETAIL, SIGNED_IN, GET()),
    "register.create": route(
        "/recommendations/new",
        MANAGERS,
        GET(),
        POST(
            to="/recommendations/NEW-REC-1",
            data=lambda c: {
                "code": "NEW-REC-1",
                "source": c.side.source,
                "cluster": "0",
                "text": "A new recommendation.",
                "position": "supported",
            },
            done=lambda c: exists(Recommendation, Recommendation.code == "NEW-REC-1"),
        ),
    ),
    "register.edit": route(
        "/recommendations/{code}/edit",
        MANAGERS,
        GET(),
        POST(
            to=DETAIL,
            data=lambda c: {
                "code": c.side.code,
                "source": c.side.source,
                "cluster": str(c.side.cluster),
                "text": "Edited text.",
                "position": "noted",
                "version": version(c),
            },
            done=lambda c: rec_of(c).text == "Edited text.",
        ),
    ),
    "register.archive": route(
        "/recommendations/{code}/archive",
        MANAGERS,
        POST(to=DETAIL, data=lambda c: {"version": version(c)}, done=lambda c: rec_of(c).archived),
    ),
    "register.assign_body": route(
        "/recommendations/{code}/assignments/new",
        MANAGERS,
        GET(),
        POST(
            to=DETAIL,
            data=lambda c: {"body": c.side.other_body, "role": "supporting", "precision": "day"},
            done=lambda c: assigned(c, c.side.other_body),
        ),
    ),
    "register.edit_assignment": route(
        "/assignments/{assignment}/edit",
        MANAGERS,
        GET(),
        POST(
            to=DETAIL,
            data=lambda c: {
                "body": c.side.body,
                "role": "lead",
                "deadline_text": "by the end of 2030",
                "precision": "year",
            },
            done=lambda c: (
                fresh(Assignment, c.side.assignment).deadline_text == "by the end of 2030"
            ),
        ),
    ),
    "register.delete_assignment": route(
        "/assignments/{assignment}/delete",
        MANAGERS,
        POST(to=DETAIL, done=lambda c: fresh(Assignment, c.side.assignment) is None),
    ),
    "register.bulk": route(
        "/bulk-assign",
        MANAGERS,
        GET(),
        POST(
            to="/",
            data=lambda c: {
                "body": c.side.other_body,
                "role": "supporting",
                "precision": "day",
                "codes": [c.side.code],
            },
            done=lambda c: assigned(c, c.side.other_body),
        ),
    ),
    # -- updates, evidence, indicator values, validation ------------------------------------
    "updates.new_update": route(
        "/assignments/{assignment}/updates/new",
        MANAGERS | {FOCAL_ON_A},
        GET(),
        POST(
            to=DETAIL,
            data=lambda c: {
                "status": "in_progress",
                "percent": "60",
                "reported_on": "2024-03-02",
                "narrative": MARK,
                "links": "",
                "files": [(io.BytesIO(PDF), "minutes.pdf")],
            },
            done=lambda c: exists(
                StatusUpdate,
                StatusUpdate.assignment_id == c.side.assignment,
                StatusUpdate.narrative == MARK,
            ),
        ),
    ),
    "updates.new_value": route(
        "/indicators/{indicator}/values/new",
        MANAGERS | {FOCAL_ON_A},
        GET(),
        POST(
            to=DETAIL,
            data=lambda c: {"period": "2025", "value": "12", "source_note": MARK},
            done=lambda c: exists(
                IndicatorValue,
                IndicatorValue.indicator_id == c.side.indicator,
                IndicatorValue.source_note == MARK,
            ),
        ),
    ),
    # Everyone signed in has the page; it lists only what the user may resubmit.
    "updates.returned": route("/updates/returned", SIGNED_IN, GET(check=shows_own_returns_only)),
    # By policy (can_view_evidence = can_view) evidence is read by whoever reads the register,
    # as the recommendation page shows every update with its evidence to every signed-in user.
    "updates.evidence_file": route("/evidence/{evidence}", SIGNED_IN, GET(check=is_the_pdf)),
    # Whether a file shows on the public page is the secretariat's call.
    "updates.publish_evidence": route(
        "/evidence/{evidence}/public",
        MANAGERS,
        POST(
            to=DETAIL,
            data=lambda c: {"public": "1"},
            done=lambda c: fresh(Evidence, c.side.evidence).public is True,
        ),
    ),
    "updates.queue": route("/validation", MANAGERS, GET()),
    "updates.review_update": route(
        "/validation/updates/{update}",
        MANAGERS,
        POST(
            to="/validation",
            data=lambda c: {f"u{c.side.update}-approve": "Validate"},
            done=lambda c: fresh(StatusUpdate, c.side.update).review_state is ReviewState.VALIDATED,
        ),
    ),
    "updates.review_value": route(
        "/validation/values/{value}",
        MANAGERS,
        POST(
            to="/validation",
            data=lambda c: {f"v{c.side.value}-approve": "Validate"},
            done=lambda c: (
                fresh(IndicatorValue, c.side.value).review_state is ReviewState.VALIDATED
            ),
        ),
    ),
    # -- dashboard: every signed-in user (viewers are NSC members) ---------------------------
    "dashboard.index": route("/dashboard", SIGNED_IN, GET()),
    # -- reports: everyone signed in reads previews and kept files; managers generate and
    # edit covers (a generated file is kept in the history and sent as an attachment) -------
    "reports.index": route("/reports", SIGNED_IN, GET()),
    "reports.preview": route("/reports/midterm/{source}?as_of=2024-03-31", SIGNED_IN, GET()),
    "reports.generate": route(
        "/reports/midterm/{source}",
        MANAGERS,
        POST(
            200,
            data=lambda c: {"as_of": "2024-03-31", "format": "html"},
            done=lambda c: exists(GeneratedReport, GeneratedReport.kind == "midterm"),
            check=is_a_report_file,
        ),
    ),
    "reports.download": route(
        "/reports/files/{report}",
        SIGNED_IN,
        GET(check=is_a_report_file),
        prepare=generated_report,
    ),
    "reports.edit_cover": route(
        "/reports/cover/{source}",
        MANAGERS,
        GET(),
        POST(
            to="/reports",
            data=lambda c: {"title": "Mid-term report ຂອງ ສປປ ລາວ", "introduction": "Hello."},
            done=lambda c: exists(ReportCover, ReportCover.title == "Mid-term report ຂອງ ສປປ ລາວ"),
        ),
    ),
    # -- workspace: a focal point's own body whatever ?body= says; any body for managers ----
    "workspace.index": route(
        "/my?body={body}",
        FOCAL_POINTS | MANAGERS,
        GET(check=shows_own_body_only),
        own_regardless=FOCAL_POINTS,
    ),
    # -- admin: bodies and focal points -----------------------------------------------------
    "admin.bodies": route("/admin/bodies", MANAGERS, GET()),
    "admin.body": route("/admin/bodies/{body}", MANAGERS, GET()),
    "admin.new_body": route(
        "/admin/bodies/new",
        MANAGERS,
        GET(),
        POST(
            to="/admin/bodies/BODY-C",
            data=lambda c: {"code": "BODY-C", "name": "Body C", "kind": "ministry", "parent": ""},
            done=lambda c: exists(Body, Body.code == "BODY-C"),
        ),
    ),
    "admin.edit_body": route(
        "/admin/bodies/{body}/edit",
        MANAGERS,
        GET(),
        POST(
            to="/admin/bodies/{body}",
            data=lambda c: {
                "code": c.side.body,
                "name": "Renamed body",
                "kind": "committee",
                "parent": "",
            },
            done=lambda c: exists(Body, Body.code == c.side.body, Body.name == "Renamed body"),
        ),
    ),
    "admin.attach": route(
        "/admin/assignments/{spare_assignment}/focal-points",
        MANAGERS,
        POST(
            to="/admin/bodies/{body}",
            data=lambda c: {"user": str(c.side.focal)},
            done=lambda c: c.side.focal in focal_points(c, c.side.spare_assignment),
        ),
    ),
    "admin.detach": route(
        "/admin/assignments/{assignment}/focal-points/{focal}/remove",
        MANAGERS,
        POST(
            to="/admin/bodies/{body}",
            done=lambda c: c.side.focal not in focal_points(c, c.side.assignment),
        ),
    ),
    "admin.attach_everywhere": route(
        "/admin/bodies/{body}/focal-points/{focal}/all",
        MANAGERS,
        POST(
            to="/admin/bodies/{body}",
            done=lambda c: c.side.focal in focal_points(c, c.side.spare_assignment),
        ),
    ),
    # -- admin: clusters --------------------------------------------------------------------
    "admin.clusters": route("/admin/clusters", MANAGERS, GET()),
    "admin.cluster_list": route("/admin/clusters/{source}", MANAGERS, GET()),
    "admin.new_cluster": route(
        "/admin/clusters/{source}/new",
        MANAGERS,
        GET(),
        POST(
            to="/admin/clusters/{source}",
            data=lambda c: {"title": "New cluster", "parent": ""},
            done=lambda c: exists(Cluster, Cluster.title == "New cluster"),
        ),
    ),
    "admin.edit_cluster": route(
        "/admin/clusters/{cluster}/edit",
        MANAGERS,
        GET(),
        POST(
            to="/admin/clusters/{source}",
            data=lambda c: {"title": "Renamed cluster", "parent": ""},
            done=lambda c: fresh(Cluster, c.side.cluster).title == "Renamed cluster",
        ),
    ),
    # Body B's cluster was created second: moving it up puts it before A's.
    "admin.shift": route(
        "/admin/clusters/{cluster}/up",
        MANAGERS,
        POST(
            to="/admin/clusters/{source}",
            done=lambda c: (
                fresh(Cluster, c.side.cluster).sort_order
                < fresh(Cluster, c.side.other_cluster).sort_order
            ),
        ),
    ),
    # -- admin: accounts (the target is a focal point: the secretariat manages those) -------
    "admin.users": route("/admin/users", MANAGERS, GET()),
    "admin.new_user": route(
        "/admin/users/new",
        MANAGERS,
        GET(),
        POST(
            to="/admin/users",
            data=lambda c: {
                "email": "new.user@example.org",
                "name": "New user",
                "role": "viewer",
                "body": "",
                "language": "en",
                "password": "Fresh-password-1",
                "must_change_password": "y",
            },
            done=lambda c: exists(User, User.email == "new.user@example.org"),
        ),
    ),
    "admin.edit_user": route(
        "/admin/users/{focal}/edit",
        MANAGERS,
        GET(),
        POST(
            to="/admin/users",
            data=lambda c: {
                "name": "Renamed focal point",
                "role": "focal_point",
                "body": c.side.body,
                "language": "lo",
            },
            done=lambda c: fresh(User, c.side.focal).name == "Renamed focal point",
        ),
    ),
    "admin.set_user_active": route(
        "/admin/users/{focal}/active",
        MANAGERS,
        POST(
            to="/admin/users/{focal}/edit",
            data=lambda c: {"active": "0"},
            done=lambda c: not fresh(User, c.side.focal).active,
        ),
    ),
    # The temporary password is shown once, on the 200 response itself.
    "admin.reset_user_password": route(
        "/admin/users/{focal}/reset-password",
        MANAGERS,
        POST(200, done=lambda c: fresh(User, c.side.focal).must_change_password),
    ),
    # -- reminders: the administrators' outbox (admins only, not the secretariat) -----------
    "reminders.rules": route(
        "/admin/reminder-rules",
        MANAGERS,
        GET(),
        POST(
            to="/admin/reminder-rules",
            data=lambda c: {
                "before_days": "10, 0",
                "overdue_every_days": "7",
                "escalate_head_after_days": "30",
                "escalate_secretariat_after_days": "60",
                "stale_after_days": "90",
                "waiting_review_days": "7",
                "returned_resubmit_days": "14",
                "needs_date_monthly": "y",
            },
            done=lambda c: load_rules().before_days == (10, 0),
        ),
    ),
    "reminders.outbox": route("/admin/outbox", ONLY_ADMIN, GET()),
    "reminders.outbox_message": route("/admin/outbox/{message}", ONLY_ADMIN, GET()),
    "reminders.outbox_html": route(
        "/admin/outbox/{message}/message.html", ONLY_ADMIN, GET(check=is_the_html_message)
    ),
    "reminders.outbox_resend": route(
        "/admin/outbox/{message}/resend",
        ONLY_ADMIN,
        POST(
            to="/admin/outbox/{message}",
            done=lambda c: fresh(OutboxMessage, c.side.message).state is MessageState.QUEUED,
        ),
    ),
    # -- reminders: everyone's own preferences ----------------------------------------------
    "reminders.preferences": route(
        "/account/preferences",
        SIGNED_IN,
        GET(),
        POST(
            to="/account/preferences",
            data=lambda c: {"language": "lo", "reminders_paused": "y"},
            done=lambda c: c.user_id is not None and fresh(User, c.user_id).reminders_paused,
        ),
    ),
    # -- exchange: import in the browser ----------------------------------------------------
    # An allowed POST of a valid file answers 200 with the dry-run preview (nothing written).
    "exchange.import_upload": route(
        "/import",
        MANAGERS,
        GET(),
        POST(
            200,
            data=lambda c: {"file": (io.BytesIO(register_csv(c, changed=False)), "r.csv")},
            check=is_a_preview,
        ),
    ),
    # The token is not an object id: it is made per test by an actual preview (`prepare`).
    # A token that names nothing sends a manager back to the upload page (no 404 to check).
    "exchange.import_confirm": route(
        "/import/{token}",
        MANAGERS,
        POST(to="/", done=lambda c: rec_of(c).text == "Imported text."),
        prepare=pending_import,
    ),
}


# -- the tests ------------------------------------------------------------------------------


def routes_of(app) -> dict[str, set[str]]:
    """Every endpoint but static, with its methods (HEAD and OPTIONS aside)."""
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            found.setdefault(rule.endpoint, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return found


def test_every_route_is_in_the_matrix(tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", EVIDENCE_DIR=str(tmp_path))
    routes = routes_of(app)
    missing = sorted(set(routes) - set(MATRIX))
    assert not missing, f"new routes must join this matrix: {', '.join(missing)}"
    stale = sorted(set(MATRIX) - set(routes) - PENDING)
    assert not stale, f"matrix entries for endpoints that do not exist: {', '.join(stale)}"
    for endpoint, methods in routes.items():
        tried = {call.method for call in MATRIX[endpoint].calls}
        assert tried == methods, f"{endpoint} answers {sorted(methods)}; the matrix tries {tried}"


def audit_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def send(ctx: Ctx, call: Call, path: str):
    if call.method == "GET":
        response = ctx.client.get(path)
    else:
        data = {"csrf_token": ctx.token, **(call.data(ctx) if call.data else {})}
        response = ctx.client.post(path, data=data)
    response.get_data()  # read it all, so that closing loses nothing
    response.close()
    return response


def redirect_path(response) -> str | None:
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    return urlsplit(response.headers["Location"]).path


def assert_forbidden(response, actor: str, what: str) -> None:
    if actor == ANONYMOUS:
        assert redirect_path(response) == "/login", f"{what}: {response.status_code}"
    else:
        assert response.status_code == 403, f"{what}: {response.status_code}"


def assert_allowed(ctx: Ctx, call: Call, response, what: str) -> None:
    status, to = call.status, call.to
    if call.signed_in and ctx.actor != ANONYMOUS:
        status, to = call.signed_in
    assert response.status_code == status, f"{what}: {response.status_code}, not {status}"
    if to is not None:
        assert redirect_path(response) == to.format(**ctx.params), what
    elif redirect_path(response) is not None:
        assert redirect_path(response) != "/login", what
    if call.check:
        call.check(ctx, response)


def object_params(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name in OBJECT_PARAMS]


def unknown(value):
    return UNKNOWN_ID if isinstance(value, int) else "NO-SUCH-THING"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_access(endpoint, actor, app, client, world):
    routes = routes_of(app)
    if endpoint not in routes:
        assert endpoint in PENDING, f"{endpoint} is in the matrix but not in url_map"
        pytest.skip(f"{endpoint} is not in url_map yet (being added); its entry waits for it")
    entry = MATRIX[endpoint]
    if actor == ANONYMOUS:
        token = csrf_token(client, "/login")
    else:
        assert login(client, world.emails[actor]).status_code == 302
        token = csrf_token(client, "/account/password")
    side = world.side(actor)
    ctx = Ctx(world, side, actor, client, world.ids[actor], token, asdict(side))
    if entry.prepare:
        ctx.params |= entry.prepare(ctx)
    allowed = actor in entry.allowed
    path = entry.path.format(**ctx.params)
    adapter = app.url_map.bind("localhost")

    for call in entry.calls:
        what = f"{call.method} {path} as {actor}"
        assert adapter.match(urlsplit(path).path, method=call.method)[0] == endpoint, what
        before = audit_count()
        response = send(ctx, call, path)
        if allowed:
            assert_allowed(ctx, call, response, what)
        else:
            assert_forbidden(response, actor, what)
        if call.done:
            assert call.done(ctx) is allowed, f"{what}: the action went through: {not allowed}"
        if call.method == "GET" or not allowed:
            assert audit_count() == before, f"{what} changed something"

    # No object is found by guessing: an unknown id is a 404 for whoever could act on it.
    before = audit_count()
    for name in object_params(entry.path):
        probe = entry.path.format(**(ctx.params | {name: unknown(ctx.params[name])}))
        for call in entry.calls:
            what = f"{call.method} {probe} as {actor}"
            response = send(ctx, call, probe)
            if actor == ANONYMOUS:
                assert_forbidden(response, actor, what)
            elif actor in entry.own_regardless:
                assert_allowed(ctx, call, response, what)
            elif allowed:
                assert response.status_code == 404, f"{what}: {response.status_code}"
            else:
                assert response.status_code in (403, 404), f"{what}: {response.status_code}"
    assert audit_count() == before


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("/assignments/{assignment}/updates/new", StatusUpdate),
        ("/indicators/{indicator}/values/new", IndicatorValue),
    ],
    ids=["updates.new_update", "updates.new_value"],
)
def test_a_returned_item_of_another_body_cannot_be_named(path, model, client, world):
    """?replaces= names a returned update or value: one of body B's is a 404 on body A's form."""
    returned_of_b = db.session.scalar(
        select(model.id).where(
            model.review_state == ReviewState.RETURNED, model.author_id == world.b.focal
        )
    )
    assert returned_of_b is not None
    assert login(client, world.emails[FOCAL_ON_A]).status_code == 302
    form = path.format(assignment=world.a.assignment, indicator=world.a.indicator)
    assert client.get(form).status_code == 200
    assert client.get(f"{form}?replaces={returned_of_b}").status_code == 404
