"""Public page fixtures: a second app on the same database with the page turned on, and a small
register in which everything that must stay private carries a distinctive string."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from functools import partial

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.security import generate_password_hash

from config import TestingConfig
from tests import factories as f
from tests.conftest import IsolatedClient, csrf_token
from tracker import create_app
from tracker.admin.services import attach_focal_point
from tracker.extensions import db
from tracker.models import Cluster, Evidence, Position, Recommendation, Role, Status
from tracker.models.base import utcnow
from tracker.register.services import countries_named
from tracker.updates.services import add_update, return_update, submit_update, validate_update

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
PER_PAGE = 4  # small, so that the list has several pages


def public_app(database_url: str, evidence_dir: str, **overrides):
    return create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        EVIDENCE_DIR=evidence_dir,
        PUBLIC_PAGE_ENABLED=True,
        ITEMS_PER_PAGE=PER_PAGE,
        **overrides,
    )


@pytest.fixture(scope="session")
def _public_app(_app, database_url):
    # Generous: the limit itself is tested on an app of its own (test_rate_limit.py).
    app = public_app(database_url, _app.config["EVIDENCE_DIR"], PUBLIC_RATE_LIMIT="100000/hour")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def public(app, _public_app):
    """An anonymous browser on the app with the public page on (the test's data is committed
    before each request, as with `client`)."""
    _public_app.test_client_class = IsolatedClient
    return _public_app.test_client()


def switch_language(browser, code: str, page: str = "/public/") -> None:
    response = browser.post(
        f"/language/{code}", data={"csrf_token": csrf_token(browser, page), "next": page}
    )
    assert response.status_code == 302, response.status_code


@dataclass
class World:
    # Strings that may never appear on a public page, whatever the URL or the language.
    secrets: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # codes
    hidden: list[str] = field(default_factory=list)  # codes of unpublished or archived items
    public_files: list[int] = field(default_factory=list)  # evidence ids that download
    other_evidence: list[int] = field(default_factory=list)  # every other evidence id
    expected: dict[Status, int] = field(default_factory=dict)  # published items by status
    ids: dict[str, int] = field(default_factory=dict)


def _upload(name: str) -> FileStorage:
    return FileStorage(io.BytesIO(PDF), filename=name, content_type="application/pdf")


@pytest.fixture
def world(app, make_user, monkeypatch) -> World:
    monkeypatch.setattr(  # one PBKDF2 round: these tests are not about passwords
        "tracker.models.user.generate_password_hash",
        partial(generate_password_hash, method="pbkdf2:sha256:1"),
    )
    w = World()
    upr = f.source("UPR-3", title="UPR third cycle", title_lo="ການທົບທວນຮອບທີສາມ", cycle=3)
    ws = f.source("WS-2023-GENDER", kind=f.SourceKind.WORKSHOP, title="Gender workshop")
    f.body("MOJ", name="Ministry of Justice", name_lo="ກະຊວງຍຸຕິທຳ", acronym="MoJ")
    f.body("MOHA", name="Ministry of Home Affairs", acronym="MoHA")
    f.body("HIDB", name="Quietbody Office")  # leads only an unpublished item
    rights = Cluster(source=upr, title="Civil rights", title_lo="ສິດພົນລະເມືອງ", sort_order=1)
    justice = Cluster(source=upr, title="Justice", parent=rights, sort_order=1)
    health = Cluster(source=upr, title="Health", sort_order=2)
    hidden_cluster = Cluster(source=upr, title="Mothcluster affairs", sort_order=3)
    db.session.add_all([rights, justice, health, hidden_cluster])
    db.session.flush()
    courts = f.sdg_target("16.3", "Promote the rule of law")
    women = f.sdg_target("5.5", "Women's leadership")
    uxo = f.sdg_target("18.1", "Ravenword target")  # only an unpublished item cites it
    uxo.goal.title = "Lives safe from ravenword"

    focal = make_user(
        Role.FOCAL_POINT,
        email="bounmy.focalmail@example.org",
        body_code="MOJ",
        name="Bounmy Focalname",
    )
    sec = make_user(
        Role.SECRETARIAT, email="khamla.secmail@example.org", name="Khamla Reviewername"
    )
    w.secrets += ["Bounmy", "Focalname", "focalmail", "Khamla", "Reviewername", "secmail"]
    w.secrets += ["@example.org"]

    # PUB-01: bilingual, with the whole life of updates and every kind of evidence.
    p1 = f.recommendation(
        upr,
        "PUB-01",
        lead="MOJ",
        supporting=("MOHA",),
        deadline="quarter 1/2024",
        cluster=justice,
        text="Strengthen the independence of the courts lumenword.",
        text_lo="ເສີມສ້າງຄວາມເປັນເອກະລາດຂອງສານ ແສງດາວ",
        position=Position.SUPPORTED,
        published=True,
    )
    p1.sdg_targets = [courts]
    p1.states = countries_named(["France"])
    attach_focal_point(p1.lead, focal)
    first = submit_update(
        p1.lead,
        focal,
        status=Status.IN_PROGRESS,
        percent=30,
        reported_on=date(2024, 2, 1),
        narrative="Judges trained in Vientiane, validated narrative one.",
        files=[_upload("public-court-report.pdf"), _upload("confidential-minutesfile.pdf")],
        links=["https://example.gov.la/public-link", "https://intranet.example/privatelinkword"],
    )
    first.source_note = "Internal sourcenote word"
    validate_update(first, sec, utcnow())
    first.review_comment = "Validation remark commentword"  # never shown, even when validated
    public_file, private_file, public_link, private_link = first.evidence
    public_file.public = public_link.public = True
    w.secrets += ["confidential-minutesfile", "privatelinkword", "sourcenote", "commentword"]

    returned = submit_update(
        p1.lead,
        focal,
        status=Status.IMPLEMENTED,
        percent=100,
        reported_on=date(2024, 3, 1),
        narrative="Returned narrative returnword.",
        files=[_upload("returned-evidence-retfile.pdf")],
    )
    returned.evidence[0].public = True  # marked public, but its update was returned
    return_update(returned, sec, "Please add the decree number reviewcommentword.", utcnow())
    pending = submit_update(
        p1.lead,
        focal,
        status=Status.IMPLEMENTED,
        percent=100,
        reported_on=date(2024, 4, 1),
        narrative="Pending narrative pendingword.",
        files=[_upload("pending-evidence-pendfile.pdf")],
    )
    pending.evidence[0].public = True  # marked public, but not validated yet
    w.secrets += ["returnword", "retfile", "reviewcommentword", "pendingword", "pendfile"]
    w.published.append("PUB-01")
    w.expected[Status.IN_PROGRESS] = 1
    w.ids.update(p1=p1.id, justice=justice.id, rights=rights.id, health=health.id)

    # PUB-02: English only (the Lao page falls back to English).
    p2 = f.recommendation(
        upr,
        "PUB-02",
        lead="MOHA",
        cluster=health,
        text="Achieve universal health coverage englishonly.",
        published=True,
    )
    p2.sdg_targets = [women]
    add_update(p2, status=Status.IMPLEMENTED, reported_on=date(2024, 1, 5), validated_by=sec)
    w.published.append("PUB-02")
    w.expected[Status.IMPLEMENTED] = 1

    # A few more published items, for counts and pages.
    statuses = [Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED, Status.IMPLEMENTED, None]
    for i, status in enumerate(statuses * 2):
        rec = f.recommendation(
            ws if i % 2 else upr,
            f"PUB-1{i}",
            lead=("MOJ", "MOHA")[i % 2],
            cluster=(rights, None)[i % 2],
            text=f"Published item number {i}.",
            published=True,
        )
        if status is not None:
            add_update(rec, status=status, reported_on=date(2024, 1, 1 + i), validated_by=sec)
        shown = status or Status.NOT_STARTED
        w.expected[shown] = w.expected.get(shown, 0) + 1
        w.published.append(rec.code)

    # Never shown: an unpublished item (its own cluster, body, SDG goal, validated update and
    # evidence marked public) and a published but archived one.
    hid = f.recommendation(
        upr,
        "HID-01",
        lead="HIDB",
        cluster=hidden_cluster,
        text="Secret zebraword recommendation.",
        text_lo="ຄຳແນະນຳລັບ ມ້າລາຍ",
    )
    hid.sdg_targets = [uxo]
    hidden_update = add_update(
        hid,
        status=Status.IMPLEMENTED,
        reported_on=date(2024, 1, 9),
        narrative="Hidden narrative hidenarrword.",
        validated_by=sec,
    )
    db.session.add(
        Evidence(update=hidden_update, url="https://example.gov.la/hiddenlinkword", public=True)
    )
    hid_file = submit_update(
        hid.lead,
        sec,
        status=Status.IMPLEMENTED,
        percent=None,
        reported_on=date(2024, 1, 10),
        narrative="Hidden file update hidenarrword.",
        files=[_upload("hidden-public-hidfile.pdf")],
    )
    validate_update(hid_file, sec, utcnow())
    hid_file.evidence[0].public = True
    archived = f.recommendation(
        ws,
        "ARC-01",
        lead="MOJ",
        text="Archived quokkaword recommendation.",
        published=True,
        archived=True,
    )
    add_update(archived, status=Status.IMPLEMENTED, reported_on=date(2024, 1, 3), validated_by=sec)
    w.secrets += ["HID-01", "zebraword", "ມ້າລາຍ", "hidenarrword", "hiddenlinkword", "hidfile"]
    w.secrets += ["Mothcluster", "Quietbody", "HIDB", "ravenword", "Ravenword"]
    w.secrets += ["ARC-01", "quokkaword"]
    w.hidden += ["HID-01", "ARC-01"]
    w.ids.update(hidden_cluster=hidden_cluster.id)
    db.session.commit()

    w.public_files = [public_file.id]
    every = db.session.scalars(select(Evidence.id)).all()
    w.other_evidence = [i for i in every if i != public_file.id]
    assert db.session.get(Recommendation, p1.id).status is Status.IN_PROGRESS
    return w


def total_listed(page: str) -> int:
    match = re.search(r'<p class="muted">([\d,]+) recommendations?</p>', page)
    assert match, "no total on the list page"
    return int(match.group(1).replace(",", ""))
