"""A Lao-speaking focal point does the whole task in Lao, in a real browser: the browser asks for
Lao, the sign-in page answers in Lao, and from the sign-in to the submitted update every label,
button and message is the Lao catalogue's. Lao script is drawn with the shipped Noto Sans Lao,
not boxes (the font loads from /static/fonts and the glyphs have width)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, PHONE

pytestmark = pytest.mark.browser

CATALOGUE = Translations.load(str(Path(__file__).resolve().parents[2] / "translations"), ["lo"])
JOURNEY_REC = "UXO23-P-02"  # led by NRA in the seed data


def lo(text: str, **values) -> str:
    """The Lao of an English message, from the compiled catalogue the app serves."""
    translated = CATALOGUE.gettext(text)
    assert translated != text, f"no Lao translation of {text!r}"
    return translated % values if values else translated


def test_a_lao_focal_point_reports_progress_in_lao(new_context, live_server, screenshot_dir):
    context = new_context(locale="lo-LA")
    page = context.new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "lo")
    expect(page.get_by_role("heading", name=lo("Sign in"))).to_be_visible()
    page.get_by_label(lo("Email")).fill(live_server.accounts["focal_lao"])
    page.get_by_label(lo("Password")).fill(PASSWORD)
    page.get_by_role("button", name=lo("Sign in")).click()
    expect(page.get_by_role("button", name=lo("Sign out"))).to_be_visible()

    nav = page.get_by_role("navigation", name=lo("Main"))
    nav.get_by_role("link", name=lo("My assignments"), exact=True).click()
    expect(page.get_by_role("heading", name=lo("My assignments"), level=1)).to_be_visible()
    item = page.locator("li.work-item").filter(
        has=page.get_by_role("link", name=JOURNEY_REC, exact=True)
    )
    item.get_by_role("link", name=lo("Report progress")).click()
    expect(page.get_by_role("heading", name=lo("Report progress"), level=1)).to_be_visible()
    page.get_by_label(lo("Status"), exact=True).select_option(label=lo("In progress"))
    page.get_by_label(lo("Progress (%)")).fill("25")
    page.get_by_label(lo("Date of the action")).fill("2024-06-14")
    page.get_by_label(lo("What was done")).fill("ໄດ້ຈັດກອງປະຊຸມປຶກສາຫາລື ກັບບັນດາແຂວງ.")
    page.screenshot(path=screenshot_dir / "lao-journey-form.png", full_page=True)
    page.get_by_role("button", name=lo("Submit the update")).click()
    expect(page.locator(".flash")).to_have_text(
        lo("Your update is submitted; the secretariat will review it.")
    )

    # Lao is drawn with the shipped font: it loaded, and a Lao word takes real width.
    faces = page.evaluate(
        """async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'Tracker Lao')
          .map(f => f.status); }"""
    )
    assert "loaded" in faces, f"the shipped Lao font did not load: {faces}"
    width = page.evaluate(
        """() => { const s = document.createElement('span'); s.lang = 'lo';
        s.textContent = 'ຄຳແນະນຳ'; document.body.append(s);
        const w = s.getBoundingClientRect().width; s.remove(); return w; }"""
    )
    assert width > 30, "Lao text has no width: no glyphs drawn"
    page.screenshot(path=screenshot_dir / "lao-journey-submitted.png", full_page=True)
    assert not context.console.errors, context.console.errors


def test_lao_pages_fit_a_phone(new_context, live_server, screenshot_dir):
    context = new_context(viewport=PHONE, locale="lo-LA")
    page = context.new_page()
    page.goto("/")
    page.get_by_label(lo("Email")).fill(live_server.accounts["focal_lao"])
    page.get_by_label(lo("Password")).fill(PASSWORD)
    page.get_by_role("button", name=lo("Sign in")).click()
    for path in ("/", "/my", "/dashboard"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "lo")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} overflows a phone by {overflow}px in Lao"
        page.screenshot(
            path=screenshot_dir / f"lao-phone{path.replace('/', '-') or '-root'}.png",
            full_page=True,
        )
