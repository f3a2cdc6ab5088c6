"""Browser fixtures: the app served for real (werkzeug in a background thread, a SQLite file, the
seed data and a few accounts), one headless Debian chromium per session, a fresh browser context
per test, and helpers that use the pages as a person does (forms, buttons, nav links).

These tests build their own app: they do not use the `app`/`database_url` fixtures of
tests/conftest.py, which run every test on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from config import TestingConfig
from tracker import create_app
from tracker.audit import acting_as
from tracker.extensions import db
from tracker.models import Assignment, AssignmentRole, Body, Recommendation, Role, Status
from tracker.seeding.loader import load_seeds
from tracker.updates.services import add_update
from tracker.users.services import create_user

CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright's own browsers cannot be downloaded here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct-horse-42"
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 5_000  # a local server answers in milliseconds; fail fast rather than hang

# Chrome reports a CSP violation in the console itself; this listener also reports violations
# the console would word differently. Init scripts run outside the page's CSP.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""

# The accounts the tests sign in with, each test its own so that tests do not depend on order.
ACCOUNTS = {
    "focal_moj": ("focal.moj@browser.example", "Khamla (MOJ focal point)", Role.FOCAL_POINT, "MOJ"),
    "focal_nra": ("focal.nra@browser.example", "Souk (NRA focal point)", Role.FOCAL_POINT, "NRA"),
    "focal_moha": (
        "focal.moha@browser.example",
        "Noy (MOHA focal point)",
        Role.FOCAL_POINT,
        "MOHA",
    ),
    "secretariat": (
        "secretariat@browser.example",
        "Vanh (NSC secretariat)",
        Role.SECRETARIAT,
        None,
    ),
    "admin": ("admin@browser.example", "Admin of the tracker", Role.ADMIN, None),
    "focal_lao": ("focal.lao@browser.example", "Bounmy (NRA focal point)", Role.FOCAL_POINT, "NRA"),
}
LAO_ACCOUNTS = {"focal_lao"}  # these read the tracker in Lao (their profile's language)


def _prepare_database() -> None:
    """The seed data (the five documents), the accounts, each focal point on every assignment
    of their body, and one update awaiting validation so that the queue is not empty."""
    load_seeds(Path(TestingConfig.SEED_DIR))
    users = {
        key: create_user(
            email=email,
            name=name,
            role=role,
            body_code=body,
            password=PASSWORD,
            language="lo" if key in LAO_ACCOUNTS else "en",
        )
        for key, (email, name, role, body) in ACCOUNTS.items()
    }
    for user in users.values():
        if user.body is None:
            continue
        for assignment in db.session.scalars(
            select(Assignment).join(Body).where(Body.id == user.body_id)
        ):
            assignment.focal_points.append(user)
    pending = db.session.scalars(
        select(Recommendation)
        .join(Assignment)
        .join(Body)
        .where(Body.code == "MOHA", Assignment.role == AssignmentRole.LEAD)
        .order_by(Recommendation.code)
    ).first()
    add_update(
        pending,
        status=Status.IN_PROGRESS,
        percent=30,
        reported_on=date(2024, 3, 15),
        assignment=pending.lead,
        narrative="A first meeting of the working group was held.",
        author=users["focal_moha"],
    )
    # The UXO SWG's items (bilingual in its report) are published on the public page.
    for rec in db.session.scalars(
        select(Recommendation).where(Recommendation.code.like("UXO23-%"))
    ):
        rec.published = True
    db.session.commit()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[SimpleNamespace]:
    """The app on 127.0.0.1 at a free port, until the end of the session."""
    data = tmp_path_factory.mktemp("browser-app")
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{data / 'tracker.db'}",
        EVIDENCE_DIR=str(data / "evidence"),
        PUBLIC_PAGE_ENABLED=True,
    )
    app.instance_path = str(data / "instance")
    with app.app_context(), acting_as("cli: seed"):
        db.create_all()
        _prepare_database()
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(
            app=app,
            url=f"http://127.0.0.1:{server.server_port}",
            accounts={key: value[0] for key, value in ACCOUNTS.items()},
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where screenshots go: $SCREENSHOT_DIR, else a temporary directory."""
    path = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path_factory.mktemp("screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing browser is a failure, never a silent skip
        pytest.skip(message)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


class Console:
    """Errors a context's pages reported: console errors (CSP violations included) and uncaught
    exceptions."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, message) -> None:
        # Chrome asks every new site for /favicon.ico on its own; the app has none (a 404).
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error) -> None:
        self.errors.append(f"uncaught: {error.error}")


@pytest.fixture
def new_context(browser, live_server) -> Iterator:
    """Open a fresh browser context (no cookies) with a viewport; closed after the test. Each
    context has `.console`: what its pages reported as errors."""
    opened = []

    def open_context(viewport: dict = LAPTOP, **options):
        options.setdefault("locale", "en-GB")
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, accept_downloads=True, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(CSP_LISTENER)
        console = Console()
        context.on("console", console.on_console)
        context.on("weberror", console.on_page_error)
        context.console = console
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def context(new_context):
    """A fresh laptop-sized browser context."""
    return new_context()


# -- acting as a person ---------------------------------------------------------------------


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Open the site, which asks for a sign-in, and fill the form."""
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def follow_nav(page, name: str) -> None:
    """Click a link of the main navigation in the header, and arrive where it points."""
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)
    href = link.get_attribute("href")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
