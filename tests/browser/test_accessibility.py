"""Accessibility (WCAG 2.1 AA basics) of the main pages, in English and in Lao: axe-core finds
no serious or critical violation on any of them, and the register is usable with the keyboard
alone (a skip link first, a visible focus indicator on every stop, the navigation and the filter
form work without a mouse).

axe-core is vendored for the tests only (tests/browser/vendor/, MPL-2.0)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import PASSWORD, sign_in
from tracker.audit import acting_as
from tracker.extensions import db
from tracker.models import Assignment, Body, Role
from tracker.users.services import create_user

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
LANGUAGES = ["en", "lo"]
LANGUAGE_BUTTON = {"en": "English", "lo": "ລາວ"}  # the header's switch, named in its own language

# Accounts of this module alone: the language is a property of the account, so switching one to
# Lao must not change the pages other tests see.
ROLES = {
    "admin": (Role.ADMIN, None),
    "secretariat": (Role.SECRETARIAT, None),
    "focal": (Role.FOCAL_POINT, "MOHA"),
}


def _open_first_update_form(page) -> None:
    page.goto("/my")
    page.locator("li.work-item a[href*='/updates/new']").first.click()
    expect(page.locator("textarea#narrative")).to_be_visible()


def _submit_empty_sign_in_form(page) -> None:
    page.goto("/login")
    page.locator("main form [type=submit]").click()
    email = page.locator("#email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", re.compile(r"\bemail-error\b"))
    expect(page.locator("#email-error")).not_to_be_empty()


# page id -> (who signs in, where to go: a path, or a callable that gets there from the page)
PAGES = {
    "login": (None, "/login"),
    "login-errors": (None, _submit_empty_sign_in_form),
    "register": ("secretariat", "/"),
    "recommendation": ("secretariat", "/recommendations/GOV23-R-03"),
    "new-update": ("focal", _open_first_update_form),
    "my-assignments": ("focal", "/my"),
    "validation-queue": ("secretariat", "/validation"),
    "dashboard": ("secretariat", "/dashboard"),
    "reports": ("secretariat", "/reports"),
    "report-preview": ("secretariat", "/reports/midterm/UPR-3"),
    "admin-users": ("admin", "/admin/users"),
    "admin-bodies": ("secretariat", "/admin/bodies"),
    "admin-clusters": ("secretariat", "/admin/clusters"),
    "outbox": ("admin", "/admin/outbox"),
    "preferences": ("focal", "/account/preferences"),
    "import": ("secretariat", "/import"),
    "not-found": ("secretariat", "/no-such-page"),
    "public": (None, "/public/"),
    "public-list": (None, "/public/recommendations?q=UXO"),
    "public-recommendation": (None, "/public/recommendations/UXO23-P-02"),
}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: tags, resultTypes: ["violations"]});
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.slice(0, 8).map((n) => n.target.join(" ")),
                  count: v.nodes.length}));
}"""

# What marks the focused element out: an outline, or a box shadow it has only while focused
# (compared after a blur; the next Tab still goes on from that element).
FOCUS_STYLE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  const focused = {outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2
    && s.outlineColor !== "rgba(0, 0, 0, 0)", shadow: s.boxShadow};
  e.blur();
  const shadow = focused.shadow !== "none" && focused.shadow !== getComputedStyle(e).boxShadow;
  return {
    tag: e.tagName.toLowerCase(), id: e.id,
    text: (e.innerText || e.value || e.name || "").trim().slice(0, 40),
    outline: focused.outline, shadow: shadow,
    visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.left < innerWidth,
  };
}"""


@pytest.fixture(scope="module")
def sessions(browser, live_server):
    """Signed-in browser state per (role, language), made once: each account signs in through
    the form and, for Lao, switches with the header's language button."""
    with live_server.app.app_context(), acting_as("cli: tests"):
        for role_key, (role, body) in ROLES.items():
            for language in LANGUAGES:
                user = create_user(
                    email=f"a11y.{role_key}.{language}@browser.example",
                    name=f"A11y {role_key} {language}",
                    role=role,
                    body_code=body,
                    password=PASSWORD,
                )
                if body:
                    for assignment in db.session.scalars(
                        select(Assignment).join(Body).where(Body.code == body)
                    ):
                        assignment.focal_points.append(user)
        db.session.commit()
        db.session.remove()

    states: dict = {}

    def state(role_key: str | None, language: str):
        if (role_key, language) not in states:
            context = browser.new_context(base_url=live_server.url, locale="en-GB")
            page = context.new_page()
            if role_key:
                sign_in(page, f"a11y.{role_key}.{language}@browser.example")
            else:
                page.goto("/login")
            if language != "en":
                page.locator("header").get_by_role("button", name=LANGUAGE_BUTTON[language]).click()
                expect(page.locator("html")).to_have_attribute("lang", language)
            states[role_key, language] = context.storage_state()
            context.close()
        return states[role_key, language]

    return state


def _violations_message(page_id: str, language: str, violations: list[dict]) -> str:
    lines = [f"{page_id} ({language}): {len(violations)} serious or critical axe violation(s)"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['count']} element(s))")
        lines.extend(f"    {target}" for target in v["targets"])
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_id", list(PAGES))
def test_page_has_no_serious_accessibility_violation(
    new_context, sessions, live_server, page_id, language
):
    role_key, target = PAGES[page_id]
    # The page's own CSP forbids the inline script axe is injected as; only this check bypasses it.
    context = new_context(storage_state=sessions(role_key, language), bypass_csp=True)
    page = context.new_page()
    if callable(target):
        target(page)
    else:
        page.goto(target)
    expect(page.locator("footer.footer")).to_be_visible()  # the whole page was rendered
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main#main")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    page.add_script_tag(path=AXE)
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    assert not violations, _violations_message(page_id, language, violations)


def test_register_is_usable_with_the_keyboard_alone(new_context, sessions):
    context = new_context(storage_state=sessions("secretariat", "en"))
    page = context.new_page()
    page.goto("/")
    total = page.locator("main p.muted").first.inner_text()

    # The first Tab stop is the skip link, shown when focused; it leads into the main content.
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "not in main"

    # From the top, every Tab stop is visible and shows a focus indicator; the stops include
    # every link of the main navigation and the search field.
    page.goto("/")
    nav_links = page.get_by_role("navigation", name="Main").get_by_role("link")
    nav_names = set(nav_links.all_inner_texts())
    reached: set[str] = set()
    problems = []
    for stop in range(1, 31):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        assert focus is not None, f"Tab {stop} left the page"
        if not focus["visible"] or not (focus["outline"] or focus["shadow"]):
            problems.append(f"Tab {stop}: {focus}")
        reached.add(focus["text"])
        if focus["id"] == "q":
            break
    else:
        pytest.fail(f"the search field was not reached in 30 Tab stops; reached {sorted(reached)}")
    assert not problems, "\n".join(problems)
    assert nav_names <= reached, f"not reached by Tab: {sorted(nav_names - reached)}"

    # Typed search, submitted with Enter, filters the list. (The check above blurred the
    # search field: Tab on and Shift+Tab back to it.)
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("torture")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=torture(&|$)"))
    expect(page.locator("main p.muted").first).not_to_have_text(total)
    rows = page.locator("table.register tbody tr")
    expect(rows.first).to_contain_text(re.compile("torture", re.IGNORECASE))

    # A link of the main navigation, followed with the keyboard alone.
    page.goto("/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Dashboard":
            break
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
