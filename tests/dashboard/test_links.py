"""Every number on the dashboard links to the register filtered to exactly the items it counts:
follow each link and read the register's total. Charts open the same links as their tables."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.dashboard.conftest import register_total
from tracker.extensions import db
from tracker.models import Cluster

ANCHOR = re.compile(r'<a href="(/(?:\?[^"]*)?)"[^>]*>(.*?)</a>', re.S)
NUMBER = re.compile(r"(?:<strong>)?\s*([\d,]+)")


def linked_numbers(page: str) -> list[tuple[str, int]]:
    """(register link, number shown) for every register link on the page that shows a number."""
    found = []
    for href, inner in ANCHOR.findall(page):
        if "implemented or in progress" in inner:
            continue  # the share tile: checked on its own
        match = NUMBER.match(inner)
        if match:
            found.append((html.unescape(href), int(match.group(1).replace(",", ""))))
    return found


def dashboard(client, query: str = "") -> str:
    response = client.get(f"/dashboard{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def check_links(client, query: str) -> int:
    page = dashboard(client, query)
    links = linked_numbers(page)
    assert links, "no linked number on the page"
    seen: dict[str, int] = {}
    for href, number in links:
        total = seen.setdefault(href, register_total(client, href))
        assert total == number, f"{href} lists {total}, the dashboard shows {number}"
    return len(links)


@pytest.mark.parametrize(
    "query", ["", "?source=UPR-3", "?body=MOJ", "?cycle=3&due_from=2000-01-01&due_to=2100-01-01"]
)
def test_every_linked_number_matches_its_register_list(client, synthetic, query):
    assert check_links(client, query) > 30


def test_links_under_a_cluster_filter(client, synthetic):
    top = db.session.scalar(select(Cluster.id).where(Cluster.title == "Civil rights"))
    assert check_links(client, f"?cluster={top}") > 10


def test_links_on_seed_data(client, seeded):
    assert check_links(client, "") > 50


def test_filters_are_carried_into_every_link(client, synthetic):
    page = dashboard(client, "?source=UPR-3&body=MOJ")
    links = linked_numbers(page)
    assert links and all("source=UPR-3" in h and "body=MOJ" in h for h, _ in links)


def test_share_tile_links_to_the_items_it_counts(client, synthetic):
    page = dashboard(client)
    tile = re.search(
        r'class="tile tile-share"><a href="([^"]+)"><strong>(\d+)%</strong>.*?'
        r"([\d,]+) of ([\d,]+)",
        page,
        re.S,
    )
    assert tile, "no share tile"
    href, percent, moved, total = tile.groups()
    assert register_total(client, html.unescape(href)) == int(moved)
    assert register_total(client, "/") == int(total)
    assert int(percent) == round(100 * int(moved) / int(total))


def test_each_bar_opens_the_link_of_its_table_cell(client, synthetic):
    page = dashboard(client)
    table_links = set(linked_numbers(page))
    blocks = re.findall(
        r'<script type="application/json" id="chart-data-(\w+)">(.*?)</script>', page, re.S
    )
    assert {name for name, _ in blocks} >= {"source", "cluster", "body", "sdg", "state", "trend"}
    for name, block in blocks:
        data = json.loads(block)
        for dataset in data["datasets"]:
            if name in ("trend", "indicators"):
                continue
            assert len(dataset["links"]) == len(dataset["data"]) == len(data["labels"])
            for link, value in zip(dataset["links"], dataset["data"], strict=True):
                assert (link, value) in table_links, (name, link, value)


def test_page_is_in_lao_for_a_lao_reader(app, synthetic):
    reader = app.test_client()
    login(reader, "viewer@example.org")
    page = dashboard(reader)
    assert "ສິດພົນລະເມືອງ" in page  # the Lao title of a cluster
    assert 'lang="lo"' in page


def test_charts_are_drawn_from_files_not_inline_script(client, synthetic):
    page = dashboard(client)
    assert "/static/vendor/chartjs/chart.umd.min.js" in page
    assert "/static/js/dashboard.js" in page
    assert "style=" not in page
    assert re.findall(r"<script(?![^>]*(?:src=|application/json))", page) == []
