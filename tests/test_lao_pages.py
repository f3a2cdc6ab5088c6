"""The product in Lao: every page a Lao-speaking user opens speaks Lao. English may appear only as
data (codes, names, e-mail addresses), as the abbreviations Lao official writing keeps (UPR, SDG…),
or marked as a fallback (lang="en") where a record has no Lao text yet. This catches text that
was never marked for translation as well as text marked but not translated."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.conftest import csrf_token, login
from tracker.clock import local_today
from tracker.extensions import db
from tracker.models import (
    Assignment,
    Body,
    Cluster,
    Evidence,
    Recommendation,
    Role,
    Source,
    Status,
    User,
)
from tracker.updates.services import add_update

# Latin words that stay Latin in Lao official writing, and file formats.
KEPT = {
    "UPR",
    "RTIM",
    "SWG",
    "SWGs",
    "SDG",
    "SDGs",
    "NSEDP",
    "UXO",
    "NSC",
    "OHCHR",
    "CSV",
    "XLSX",
    "DOCX",
    "PDF",
    "HTML",
    "ID",
    "KB",
    "MB",
    "KiB",
    "MiB",
    "Word",
    "Excel",
    "OpenDocument",
    "ODT",
    "JPEG",
    "PNG",
    "UTC",
    "Lao",
    "PDR",
    "IX",
    "MTR",
    "JSON",
    "SMTP",
    "Noto",
    "Sans",
    "OFL",
}
TEXT_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class EnglishFinder(HTMLParser):
    """Collects the Latin words a page shows outside elements marked as English or as code."""

    def __init__(self, data: list[str]):
        super().__init__(convert_charrefs=True)
        self.data = sorted(data, key=len, reverse=True)
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def exempt(self) -> bool:
        return any(flag for _tag, flag in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        flag = tag in ("script", "style", "code", "kbd", "samp", "pre") or (
            attrs.get("lang", "lo") != "lo" and tag != "html"
        )
        if not self.exempt() and not flag:
            for name in TEXT_ATTRIBUTES:
                self.check(attrs.get(name) or "", f"<{tag} {name}>")
        if tag not in VOID:
            self.stack.append((tag, flag))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, text):
        if not self.exempt():
            self.check(text, "")

    def check(self, text: str, where: str) -> None:
        for value in self.data:
            text = text.replace(value, " ")
        # Not words to translate: addresses, file names, setting names (MAIL_SERVER), the time
        # zone's name, and literal input shown in quotes ("quarter 1/2024" is what one types).
        text = re.sub(
            r"\S+@\S+|https?://\S*|\S+\.(csv|xlsx|docx|pdf)\b|\b\w*_\w*\b|Asia/Vientiane"
            r"|\"[^\"]*\"|“[^”]*”",
            " ",
            text,
        )
        words = [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in KEPT]
        if words:
            self.found.append(f"{where} {' '.join(text.split())[:100]!r}")


@pytest.fixture
def lao_world(app, make_user):
    today = local_today()
    upr = f.source("UPR-3", title="Third cycle of the Universal Periodic Review", title_lo=None)
    f.body("MOJ", name="Ministry of Justice", name_lo="ກະຊວງຍຸຕິທຳ", acronym="MoJ")
    f.body("MOHA", name="Ministry of Home Affairs", acronym="MoHA")
    cluster = Cluster(source=upr, title="Access to justice", title_lo="ການເຂົ້າເຖິງຍຸຕິທຳ")
    db.session.add(cluster)
    db.session.flush()
    due = (today + timedelta(days=30)).isoformat()
    lao = f.recommendation(
        upr,
        "UPR-3-1",
        lead="MOJ",
        supporting=("MOHA",),
        deadline=due,
        cluster=cluster,
        text="Strengthen legal aid for all.",
        text_lo="ເພີ່ມທະວີການຊ່ວຍເຫຼືອທາງດ້ານກົດໝາຍ ໃຫ້ທຸກຄົນ.",
    )
    english = f.recommendation(
        upr,
        "UPR-3-2",
        lead="MOJ",
        deadline=(today - timedelta(days=3)).isoformat(),
        text="Ratify the convention.",
    )
    admin = make_user(Role.ADMIN, email="admin.lo@nsc.example", name="Somchai", language="lo")
    focal = make_user(
        Role.FOCAL_POINT,
        email="focal.lo@moj.example",
        name="Khamla",
        body_code="MOJ",
        language="lo",
    )
    validated = add_update(
        lao,
        status=Status.IN_PROGRESS,
        reported_on=today - timedelta(days=9),
        narrative="ໄດ້ຮ່າງດຳລັດ.",
        validated_by=admin,
    )
    db.session.add(Evidence(update=validated, url="https://laoofficialgazette.gov.la/decree"))
    assignment = db.session.scalar(
        select(Assignment).where(Assignment.recommendation_id == english.id)
    )
    add_update(
        english,
        status=Status.IN_PROGRESS,
        reported_on=today - timedelta(days=1),
        narrative="ກຳລັງກະກຽມ.",
        author=focal,
        assignment=assignment,
    )
    db.session.commit()
    return {"admin": admin, "focal": focal, "assignment_id": assignment.id, "today": today}


def data_strings() -> list[str]:
    """What the database holds that may rightly show in English: codes, names, addresses."""
    values: list[str] = []
    for model, columns in (
        (Source, ("code", "title")),
        (Body, ("code", "name", "acronym")),
        (Recommendation, ("code",)),
        (User, ("email", "name")),
    ):
        for row in db.session.scalars(select(model)):
            values += [getattr(row, c) for c in columns if getattr(row, c, None)]
    return values


def english_on(client, path: str) -> list[str]:
    response = client.get(path, follow_redirects=True)
    assert response.status_code in (200, 404), f"{path}: {response.status_code}"
    page = response.get_data(as_text=True)
    assert '<html lang="lo">' in page, f"{path} is not served in Lao"
    finder = EnglishFinder(data_strings())
    finder.feed(page)
    return [f"{path}: {found}" for found in finder.found]


STAFF_PAGES = [
    "/",
    "/?status=in_progress&overdue=1&sort=-deadline",
    "/recommendations/UPR-3-1",
    "/recommendations/UPR-3-2",
    "/recommendations/UPR-3-1/edit",
    "/recommendations/new",
    "/recommendations/UPR-3-1/assignments/new",
    "/bulk-assign",
    "/dashboard",
    "/reports",
    "/reports/cover/UPR-3",
    "/reports/midterm/UPR-3",
    "/validation",
    "/admin/users",
    "/admin/users/new",
    "/admin/bodies",
    "/admin/bodies/MOJ",
    "/admin/bodies/new",
    "/admin/clusters",
    "/admin/clusters/UPR-3",
    "/admin/outbox",
    "/admin/reminder-rules",
    "/account/preferences",
    "/account/password",
    "/import",
    "/no-such-page",
]


def test_every_staff_page_speaks_lao(client, lao_world):
    login(client, "admin.lo@nsc.example")
    problems = [p for path in STAFF_PAGES for p in english_on(client, path)]
    assert not problems, "English left on Lao pages:\n" + "\n".join(problems)


def test_every_focal_point_page_speaks_lao(client, lao_world):
    login(client, "focal.lo@moj.example")
    paths = ["/my", f"/assignments/{lao_world['assignment_id']}/updates/new", "/updates/returned"]
    problems = [p for path in paths for p in english_on(client, path)]
    assert not problems, "English left on Lao pages:\n" + "\n".join(problems)


def test_the_login_page_speaks_lao_to_a_lao_browser(client, lao_world):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "lo"
    problems = english_on(client, "/login")
    assert not problems, "\n".join(problems)


def lao_problems(response) -> list[str]:
    page = response.get_data(as_text=True)
    assert '<html lang="lo">' in page
    finder = EnglishFinder(data_strings())
    finder.feed(page)
    return finder.found


def test_form_errors_and_messages_speak_lao(client, lao_world):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "lo"
    wrong = client.post(
        "/login",
        data={
            "email": "focal.lo@moj.example",
            "password": "wrong",
            "csrf_token": csrf_token(client),
        },
    )
    assert wrong.status_code == 401 and not lao_problems(wrong)  # refused, told why in Lao
    login(client, "focal.lo@moj.example")
    path = f"/assignments/{lao_world['assignment_id']}/updates/new"
    empty = client.post(path, data={"csrf_token": csrf_token(client, path), "percent": "150"})
    page = empty.get_data(as_text=True)
    assert 'class="field-error"' in page  # the form was refused, field by field
    assert not lao_problems(empty)


def test_a_record_without_lao_text_is_shown_in_english_visibly_marked(client, lao_world):
    login(client, "admin.lo@nsc.example")
    page = client.get("/").get_data(as_text=True)
    # UPR-3-1 has Lao text: shown in Lao; UPR-3-2 has none: English, marked, with a note.
    assert "ເພີ່ມທະວີການຊ່ວຍເຫຼືອທາງດ້ານກົດໝາຍ" in page
    assert "Strengthen legal aid" not in page
    marked = re.search(
        r'<span lang="en" class="fallback">Ratify the convention.</span>\s*'
        r'<small class="lang-tag">([^<]+)</small>',
        page,
    )
    assert marked and re.search("[\u0e80-\u0eff]", marked.group(1))


def test_numbers_and_dates_follow_the_lao_locale(client, lao_world):
    from babel.dates import format_date

    login(client, "admin.lo@nsc.example")
    page = client.get("/recommendations/UPR-3-1").get_data(as_text=True)
    reported = lao_world["today"] - timedelta(days=9)
    assert format_date(reported, "medium", locale="lo") in page  # CLDR Lao, e.g. "23 ພ.ຈ. 2026"


def test_a_language_chosen_before_signing_in_is_kept_in_the_profile(client, lao_world, make_user):
    make_user(Role.VIEWER, email="partner@undp.example", language="en")
    client.post("/language/lo", data={"csrf_token": csrf_token(client), "next": "/login"})
    login(client, "partner@undp.example")
    assert '<html lang="lo">' in client.get("/").get_data(as_text=True)
    language = db.session.scalar(select(User.language).where(User.email == "partner@undp.example"))
    assert language == "lo"  # and so are the reminders sent to this person
