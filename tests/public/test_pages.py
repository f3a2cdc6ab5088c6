"""The public pages as a reader sees them: counts that match the data and their lists, search in
English and Lao, filters and pages, the recommendation page, both languages."""

from __future__ import annotations

import html
import re

from tests.public.conftest import PER_PAGE, switch_language, total_listed
from tracker.models import Status

LIST_LINK = re.compile(r'<a href="(/public/recommendations(?:\?[^"]*)?)"[^>]*>(.*?)</a>', re.S)
CODE = re.compile(r'<a href="/public/recommendations/([^"]+)">')


def text_of(browser, url: str) -> str:
    response = browser.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def codes(browser, query: str = "") -> list[str]:
    return CODE.findall(text_of(browser, f"/public/recommendations{query}"))


def test_headline_counts_equal_the_published_items_by_validated_status(public, world):
    page = text_of(public, "/public/")
    for status in Status:
        tile = re.search(
            rf'status-tile status-{status.value}"><a [^>]+><strong>(\d+)</strong>', page
        )
        assert int(tile.group(1)) == world.expected.get(status, 0), status
    total = re.search(r'tile-total"><a [^>]+><strong>(\d+)</strong>', page)
    assert int(total.group(1)) == len(world.published) == sum(world.expected.values())
    moving = sum(
        world.expected.get(s, 0)
        for s in (Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED, Status.IMPLEMENTED)
    )
    share = re.search(r"tile-share.*?<strong>(\d+)%</strong>", page, re.S)
    assert int(share.group(1)) == round(100 * moving / len(world.published))


def test_breakdowns_by_cluster_sdg_goal_and_lead_body(public, world):
    page = text_of(public, "/public/")

    def row_total(table: str, label: str) -> int:
        section = page.split(f'id="table-{table}"', 1)[1].split("</table>", 1)[0]
        row = re.search(
            rf"<tr>\s*<th scope=\"row\">[^<]*(?:<span[^>]*>)?{label}.*?</tr>", section, re.S
        )
        assert row, f"no row {label} in {table}"
        return int(re.findall(r'class="num total"><a [^>]+>(\d+)</a>', row.group(0))[0])

    # PUB-01 is filed under Justice, a sub-cluster of Civil rights: counted there.
    assert row_total("cluster", "Civil rights") == 1 + 4
    assert row_total("cluster", "Health") == 1
    assert row_total("sdg", "Goal 16") == 1
    assert row_total("sdg", "Goal 5") == 1
    assert row_total("body", "MoJ") == 1 + 4
    assert row_total("body", "MoHA") == 1 + 4


def test_every_number_on_the_overview_opens_a_list_of_that_many(public, world):
    page = text_of(public, "/public/")
    checked = 0
    for href, inner in LIST_LINK.findall(page):
        number = re.match(r"\s*(?:<strong>)?(\d+)", inner)
        if number is None or "%" in inner:
            continue
        listed = total_listed(text_of(public, html.unescape(href)))
        assert listed == int(number.group(1)), href
        checked += 1
    assert checked > 40
    share = re.search(r'tile-share"><a href="([^"]+)">.*?(\d+) of (\d+)', page, re.S)
    assert total_listed(text_of(public, html.unescape(share.group(1)))) == int(share.group(2))


def test_search_in_english_and_lao_and_by_code(public, world):
    assert codes(public, "?q=lumenword") == ["PUB-01"]
    assert codes(public, "?q=LUMENWORD") == ["PUB-01"]
    assert codes(public, "?q=ແສງດາວ") == ["PUB-01"]
    assert codes(public, "?q=PUB-02") == ["PUB-02"]
    assert codes(public, "?q=no+such+words") == []


def test_filters_by_cluster_sdg_body_and_status(public, world):
    rights = world.ids["rights"]
    assert codes(public, f"?cluster={world.ids['justice']}") == ["PUB-01"]
    assert sorted(codes(public, f"?cluster={rights}")) == [
        "PUB-01",
        "PUB-10",
        "PUB-12",
        "PUB-14",
    ]  # the first page
    assert total_listed(text_of(public, f"/public/recommendations?cluster={rights}")) == 5
    assert codes(public, "?sdg=5") == ["PUB-02"]
    assert codes(public, "?sdg=16.3") == ["PUB-01"]
    assert codes(public, "?status=implemented") == ["PUB-02", "PUB-12", "PUB-16"]
    assert codes(public, "?body=MOHA&role=supporting") == ["PUB-01"]
    partly = "?body=MOHA&role=lead&status=partially_implemented"
    assert codes(public, partly) == ["PUB-11", "PUB-15"]
    moving = "?progress=1&body=MOJ&status=in_progress"
    assert codes(public, moving) == ["PUB-01", "PUB-10", "PUB-14"]


def test_the_list_is_paginated_and_every_item_is_on_one_page(public, world):
    seen = []
    for page in (1, 2, 3):
        found = codes(public, f"?page={page}")
        assert len(found) == (PER_PAGE if page < 3 else len(world.published) - 2 * PER_PAGE)
        seen += found
    assert sorted(seen) == sorted(world.published)
    assert 'rel="next"' in text_of(public, "/public/recommendations?page=1")
    assert codes(public, "?page=4") == []


def test_recommendation_page_shows_what_the_public_may_know(public, world):
    page = text_of(public, "/public/recommendations/PUB-01")
    for expected in (
        '<blockquote class="rec-quote" lang="en">Strengthen the independence of the courts',
        "UPR third cycle",
        "(UPR-3)",
        "Civil rights",
        "Justice",
        "Supported",
        "France",
        "16.3",
        "MoJ",
        "Ministry of Justice",
        "MoHA",
        "Lead",
        "Supporting",
        "“quarter 1/2024”",
        "In progress",
        "30%",
        "Judges trained in Vientiane, validated narrative one.",
        '<time datetime="2024-02-01">',
        "public-court-report.pdf",
        "https://example.gov.la/public-link",
    ):
        assert expected in page, expected
    (public_id,) = world.public_files
    assert f'href="/public/evidence/{public_id}"' in page
    assert "ເສີມສ້າງ" not in page  # the English page shows the English text only
    assert "fallback-note" not in page


def test_lao_pages_show_lao_text_and_mark_english_fallback(public, world):
    switch_language(public, "lo")
    page = text_of(public, "/public/recommendations/PUB-01")
    assert '<html lang="lo">' in page
    assert '<blockquote class="rec-quote" lang="lo">ເສີມສ້າງຄວາມເປັນເອກະລາດຂອງສານ' in page
    assert "lumenword" not in page
    assert '<span lang="lo">ສິດພົນລະເມືອງ</span>' in page  # the cluster, in Lao
    assert '<span lang="lo">ກະຊວງຍຸຕິທຳ</span>' in page  # the body, in Lao
    assert '<span lang="en">Justice</span>' in page  # no Lao title: the English one, marked

    fallback = text_of(public, "/public/recommendations/PUB-02")
    assert '<blockquote class="rec-quote" lang="en">Achieve universal health coverage' in fallback
    assert 'class="fallback-note"' in fallback

    listed = text_of(public, "/public/recommendations?q=englishonly")
    assert re.search(
        r'<span lang="en">Achieve universal[^<]*</span> <span class="fallback-mark"', listed
    )
    overview = text_of(public, "/public/")
    assert '<span lang="lo">ສິດພົນລະເມືອງ</span>' in overview


def test_language_switch_needs_no_sign_in_and_comes_back(public, world):
    switch_language(public, "lo", "/public/recommendations?q=lumenword")
    assert '<html lang="lo">' in text_of(public, "/public/recommendations?q=lumenword")
    switch_language(public, "en", "/public/recommendations/PUB-01")
    assert '<html lang="en">' in text_of(public, "/public/recommendations/PUB-01")


def test_public_pages_have_no_staff_navigation(public, world):
    page = text_of(public, "/public/")
    for staff in ('href="/dashboard"', 'href="/reports"', "/validation", "/admin/", "Sign out"):
        assert staff not in page
    assert 'href="/login"' in page
