"""The app in a real browser, used as people use it: a focal point reports progress with a PDF,
the secretariat returns it with a comment, the focal point resubmits, the secretariat validates,
and the register shows the new status. Also: a refused file is explained beside its field, and
the main pages render on a laptop and on a phone without overflow, console errors or CSP
violations (screenshots go to $SCREENSHOT_DIR)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, follow_nav, sign_in, sign_out

pytestmark = pytest.mark.browser

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
JOURNEY_REC = "GOV23-P-04"  # led by MOJ in the seed data
COMMENT = "Attach the attendance list of the second session, please."


def work_item(page, code: str):
    """The card of a recommendation on My assignments."""
    return page.locator("li.work-item").filter(has=page.get_by_role("link", name=code, exact=True))


def queue_item(page, code: str):
    """The card of an update about a recommendation in the validation queue."""
    heading = page.get_by_role("heading").filter(
        has=page.get_by_role("link", name=code, exact=True)
    )
    return page.locator("article.queue-item").filter(has=heading)


def flash(page):
    return page.locator(".flash")


def test_update_returned_resubmitted_and_validated(context, live_server, tmp_path, screenshot_dir):
    accounts = live_server.accounts
    minutes = tmp_path / "minutes-training.pdf"
    minutes.write_bytes(PDF)
    page = context.new_page()

    # The focal point reports progress from their assignments, with the minutes as evidence.
    sign_in(page, accounts["focal_moj"])
    follow_nav(page, "My assignments")
    expect(page.get_by_role("heading", name="My assignments", level=1)).to_be_visible()
    work_item(page, JOURNEY_REC).get_by_role("link", name="Report progress").click()
    expect(page.get_by_role("heading", name="Report progress", level=1)).to_be_visible()
    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_label("Progress (%)").fill("40")
    page.get_by_label("Date of the action").fill("2024-05-02")
    page.get_by_label("What was done").fill("Two training sessions for judges held in Vientiane.")
    page.get_by_label("Evidence files").set_input_files(minutes)
    page.get_by_role("button", name="Submit the update").click()
    expect(flash(page)).to_have_text("Your update is submitted; the secretariat will review it.")
    sign_out(page)

    # The secretariat finds it in the validation queue, with its PDF, and returns it.
    sign_in(page, accounts["secretariat"])
    follow_nav(page, "Validation queue")
    item = queue_item(page, JOURNEY_REC)
    expect(item).to_have_count(1)
    expect(item.get_by_text("Two training sessions for judges held in Vientiane.")).to_be_visible()
    expect(item.get_by_role("link", name=minutes.name)).to_be_visible()
    item.get_by_label("Comment").fill(COMMENT)
    item.get_by_role("button", name="Return with comment").click()
    expect(flash(page)).to_have_text(f"The update on {JOURNEY_REC} is returned with your comment.")
    expect(queue_item(page, JOURNEY_REC)).to_have_count(0)
    sign_out(page)

    # The focal point sees it returned, with the comment, on the recommendation's page.
    sign_in(page, accounts["focal_moj"])
    follow_nav(page, "My assignments")
    work_item(page, JOURNEY_REC).get_by_role("link", name=JOURNEY_REC, exact=True).click()
    expect(page.get_by_role("heading", name=JOURNEY_REC, level=1)).to_be_visible()
    returned = page.locator(".timeline li.review-returned")
    expect(returned).to_have_count(1)
    expect(returned.locator(".badge.review")).to_have_text("Returned")
    expect(returned.locator(".review-comment")).to_contain_text(COMMENT)
    expect(returned.locator(".review-comment")).to_contain_text("Vanh (NSC secretariat)")
    page.screenshot(path=screenshot_dir / "journey-returned-laptop.png", full_page=True)

    # Its evidence is a download of the PDF, through its link.
    link = returned.get_by_role("link", name=minutes.name)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert minutes.name in response.headers["content-disposition"]
    assert response.body() == PDF
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == minutes.name
    assert Path(download.value.path()).read_bytes() == PDF

    # It is corrected and resubmitted, keeping the PDF.
    returned.get_by_role("link", name="Correct and resubmit").click()
    expect(page.get_by_role("heading", name="Resubmit an update", level=1)).to_be_visible()
    expect(page.locator(".review-comment")).to_contain_text(COMMENT)
    narrative = page.get_by_label("What was done")
    expect(narrative).to_have_value("Two training sessions for judges held in Vientiane.")
    expect(page.get_by_label(minutes.name)).to_be_checked()
    page.screenshot(path=screenshot_dir / "journey-resubmit-form-laptop.png", full_page=True)
    page.get_by_label("Status", exact=True).select_option(label="Partially implemented")
    page.get_by_label("Progress (%)").fill("60")
    narrative.fill(
        "Two training sessions for judges held in Vientiane; 48 judges attended "
        "(attendance list in the minutes, page 3)."
    )
    page.get_by_role("button", name="Submit the update").click()
    expect(flash(page)).to_have_text("Your update is submitted; the secretariat will review it.")
    sign_out(page)

    # The secretariat sees it is a resubmission, with the earlier comment, and validates it.
    sign_in(page, accounts["secretariat"])
    follow_nav(page, "Validation queue")
    item = queue_item(page, JOURNEY_REC)
    expect(item).to_have_count(1)
    expect(item.get_by_text("Resubmission of an update returned earlier:")).to_be_visible()
    expect(item.locator(".review-comment")).to_contain_text(COMMENT)
    expect(item.get_by_role("link", name=minutes.name)).to_be_visible()
    item.get_by_role("button", name="Validate").click()
    expect(flash(page)).to_have_text(f"The update on {JOURNEY_REC} is validated.")

    # The register, filtered by the new status, lists the item with it.
    follow_nav(page, "Register")
    page.get_by_label("Status", exact=True).select_option(label="Partially implemented")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]status=partially_implemented(&|$)"))
    row = page.locator("table.register tbody tr").filter(
        has=page.get_by_role("link", name=JOURNEY_REC, exact=True)
    )
    expect(row).to_have_count(1)
    expect(row.locator(".badge.status-partially_implemented")).to_have_text("Partially implemented")
    badges = page.locator("table.register tbody .badge[class*='status-']")
    assert set(badges.all_inner_texts()) == {"Partially implemented"}

    # The recommendation's page shows the status and both entries of its history.
    row.get_by_role("link", name=JOURNEY_REC, exact=True).click()
    heading = page.get_by_role("heading", name=JOURNEY_REC, level=1)
    expect(heading.locator(".badge")).to_have_text("Partially implemented")
    validated = page.locator(".timeline li.review-validated")
    expect(validated).to_have_count(1)
    expect(validated.locator(".badge.review")).to_have_text("Validated")
    expect(validated).to_contain_text("48 judges attended")
    expect(validated).to_contain_text("Resubmission of a returned update.")
    expect(validated.get_by_role("link", name=minutes.name)).to_be_visible()
    expect(page.locator(".timeline li.review-returned .review-comment")).to_contain_text(COMMENT)
    page.screenshot(path=screenshot_dir / "journey-validated-laptop.png", full_page=True)
    assert context.console.errors == []


def test_a_refused_file_is_explained_beside_its_field_and_the_typed_text_is_kept(
    context, live_server, tmp_path, screenshot_dir
):
    fake = tmp_path / "clearance-report.pdf"
    fake.write_bytes(b"Hectares cleared in 2024: 5,815. (notes, not a PDF)\n")
    real = tmp_path / "clearance-report-signed.pdf"
    real.write_bytes(PDF)
    typed = "Survey of 12 villages in Xieng Khouang completed; 5,815 ha released."
    page = context.new_page()
    sign_in(page, live_server.accounts["focal_nra"])
    page.goto("/my")  # the journey test checks the nav link
    work_item(page, "UXO23-P-01").get_by_role("link", name="Report progress").click()
    page.get_by_label("Status", exact=True).select_option(label="In progress")
    page.get_by_label("Progress (%)").fill("25")
    page.get_by_label("Date of the action").fill("2024-06-14")
    page.get_by_label("What was done").fill(typed)
    page.get_by_label("Evidence files").set_input_files(fake)
    page.get_by_role("button", name="Submit the update").click()

    # Refused: the error sits in the file field's own block and is announced with it.
    files = page.get_by_label("Evidence files")
    expect(files).to_have_attribute("aria-invalid", "true")
    field = page.locator(".field.has-error").filter(has=page.locator("#files"))
    expect(field).to_have_count(1)
    error = field.locator(".field-error")
    expect(error).to_contain_text(f"“{fake.name}” is named like a PDF file but its content")
    expect(files).to_have_attribute("aria-describedby", re.compile(r"\bfiles-error\b"))
    assert page.locator(".field.has-error").count() == 1  # nothing else is blamed
    expect(page.locator(".flash-success")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "update-form-refused-file-laptop.png", full_page=True)

    # What was typed is still there; only the file has to be chosen again.
    expect(page.get_by_label("What was done")).to_have_value(typed)
    expect(page.get_by_label("Progress (%)")).to_have_value("25")
    expect(page.get_by_label("Date of the action")).to_have_value("2024-06-14")
    expect(page.get_by_label("Status", exact=True)).to_have_value("in_progress")
    files.set_input_files(real)
    page.get_by_role("button", name="Submit the update").click()
    expect(flash(page)).to_have_text("Your update is submitted; the secretariat will review it.")
    # The refused form came back as 422 Unprocessable Entity, which Chrome logs; nothing else.
    assert len(context.console.errors) == 1
    assert "status of 422" in context.console.errors[0]


# -- how the main pages look ----------------------------------------------------------------


# Suspects for a sideways overflow: elements sticking out of the screen while their parent
# does not, and absolutely positioned ones (they escape an overflow: auto parent that is not
# their containing block).
OVERFLOWING = """(width) => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > width + 1 && (
    getComputedStyle(e).position === "absolute"
    || e.parentElement.getBoundingClientRect().right <= width + 1))
  .slice(0, 6)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${getComputedStyle(e).position}, `
    + `right ${Math.round(e.getBoundingClientRect().right)}px) in `
    + `${e.parentElement.tagName.toLowerCase()}.${e.parentElement.className}`)"""


def check_and_shoot(page, directory: Path, name: str, key) -> str | None:
    """The page loaded and its key element is visible; a full-page screenshot. Returns what
    overflows sideways, if anything (so that every page is still shot and checked)."""
    expect(key).to_be_visible()
    expect(page.locator("footer.footer")).to_be_visible()  # the whole page was rendered
    page.screenshot(path=directory / f"{name}.png", full_page=True)
    # Compared with the device's width, not innerWidth: a mobile browser widens innerWidth
    # to fit content that overflows, which would hide the very overflow looked for.
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    if scroll_width <= width + 1:
        return None
    suspects = "; ".join(page.evaluate(OVERFLOWING, width))
    return f"{name}: {scroll_width}px wide on a {width}px screen; sticking out: {suspects}"


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_main_pages_render_cleanly(new_context, live_server, screenshot_dir, viewport):
    phone = viewport is PHONE
    size = "phone" if phone else "laptop"
    context = new_context(viewport, is_mobile=phone, has_touch=phone)
    page = context.new_page()

    overflows = []

    def shoot(name: str, key) -> None:
        if problem := check_and_shoot(page, screenshot_dir, f"{name}-{size}", key):
            overflows.append(problem)

    page.goto("/login")
    shoot("login", page.get_by_role("button", name="Sign in"))

    # A focal point's pages.
    sign_in(page, live_server.accounts["focal_moha"])
    page.goto("/my")  # the journey test checks the nav link
    shoot("my-assignments", page.get_by_role("heading", name="My assignments", level=1))
    page.locator("li.work-item").first.get_by_role("link", name="Report progress").click()
    shoot("update-form", page.get_by_role("button", name="Submit the update"))
    sign_out(page)

    # The secretariat's and the administrator's pages.
    sign_in(page, live_server.accounts["admin"])
    follow_nav(page, "Register")
    shoot("register", page.locator("table.register"))
    page.get_by_role("link", name="GOV23-R-03", exact=True).click()
    shoot("recommendation", page.locator(".timeline"))
    follow_nav(page, "Validation queue")
    shoot("validation-queue", page.locator("article.queue-item").first)
    follow_nav(page, "Users")
    shoot("admin-users", page.get_by_role("heading", name="Users", level=1))
    follow_nav(page, "Bodies")
    shoot("admin-bodies", page.get_by_role("heading", name="Responsible bodies", level=1))

    # The register in Lao, through the language button of the header; then back to English.
    follow_nav(page, "Register")
    page.locator("header").get_by_role("button", name="ລາວ").click()
    expect(page.locator("html")).to_have_attribute("lang", "lo")
    shoot("register-lo", page.locator("table.register"))
    page.locator("header").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    problems = overflows + [f"console: {error}" for error in context.console.errors]
    assert not problems, "\n".join(problems)
