"""What the public page must never show: unpublished or archived items, and anything personal or
internal (names, emails, comments, notes, returned and pending updates, non-public evidence),
whatever the URL, the query string or the language, and whoever is reading."""

from __future__ import annotations

import html
import re
from collections import deque

import pytest

from tests.conftest import csrf_token, login
from tests.public.conftest import switch_language, total_listed
from tracker.extensions import db
from tracker.models import AuditEvent, Evidence, Recommendation, ReviewState, StatusUpdate

LINK = re.compile(r'href="(/public/[^"#]*)"')
# What the reader typed, given back to them: the search box and the language switch's return
# address. Not a leak: it is taken out before looking for private strings.
ECHO = re.compile(r'(<input id="q" name="q" type="search" value="|name="next" value=")[^"]*')
UNKNOWN_ID = 2_147_483_647


def guessed_urls(world) -> list[str]:
    """Addresses a curious reader could try: every code and evidence id, every filter that
    names a hidden item's cluster, body or goal, its words, and register-only arguments."""
    urls = [f"/public/recommendations/{code}" for code in world.hidden + world.published]
    urls += [f"/public/recommendations/{code.lower()}" for code in world.hidden]
    urls += ["/public/recommendations/HID-01/", "/public/recommendations/HID-01?published=1"]
    urls += [f"/public/evidence/{i}" for i in world.public_files + world.other_evidence]
    urls += [f"/public/evidence/{UNKNOWN_ID}", "/public/evidence/0", "/public/nothing"]
    searches = ["zebraword", "ມ້າລາຍ", "HID", "ARC-01", "quokkaword", "hidenarrword"]
    searches += ["pendingword", "returnword", "Focalname", "%", "_", "'"]
    urls += [f"/public/recommendations?q={q}" for q in searches]
    urls += [
        f"/public/recommendations?cluster={world.ids['hidden_cluster']}",
        "/public/recommendations?body=HIDB",
        "/public/recommendations?body=HIDB&role=lead",
        "/public/recommendations?sdg=18",
        "/public/recommendations?sdg=18.1",
        "/public/recommendations?archived=1",
        "/public/recommendations?archived=1&q=quokkaword",
        "/public/recommendations?published=0",
        "/public/recommendations?pending=1",
        "/public/recommendations?needs_date=1&archived=1",
        "/public/recommendations?status=implemented&archived=1",
        "/public/recommendations?page=2&archived=1",
        "/public/recommendations?page=99",
        "/public/?archived=1&published=0",
    ]
    return urls


def crawl(browser, world) -> dict[str, int]:
    """Every public page reachable from the overview by its links, plus the guessed ones:
    {url: status}. Fails on the first page showing a private string."""
    seen: dict[str, int] = {}
    queue = deque(["/public/", *guessed_urls(world)])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        with browser.get(url) as response:
            seen[url] = response.status_code
            assert response.status_code in (200, 404), (url, response.status_code)
            body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        body = ECHO.sub(r"\1", body)
        for secret in world.secrets:
            assert secret not in body, f"{secret!r} shown on {url}"
        queue.extend(html.unescape(link) for link in LINK.findall(body))
    return seen


@pytest.mark.parametrize("language", ["en", "lo"])
@pytest.mark.parametrize("reader", ["anonymous", "staff"])
def test_no_hidden_item_or_personal_data_on_any_public_page(public, world, language, reader):
    if reader == "staff":  # signed in as the secretariat: still nothing more on these pages
        assert login(public, "khamla.secmail@example.org").status_code == 302
    switch_language(public, language)
    seen = crawl(public, world)
    details = [u for u in seen if u.startswith("/public/recommendations/")]
    listed = {u.rsplit("/", 1)[1] for u in details if seen[u] == 200}
    assert listed == set(world.published)  # every published item was reached, and only those
    assert len(seen) > 60


def test_hidden_items_are_not_found_whatever_the_address(public, world):
    for code in world.hidden:
        for url in (
            f"/public/recommendations/{code}",
            f"/public/recommendations/{code}?archived=1",
            f"/public/recommendations/{code}?published=1",
        ):
            response = public.get(url)
            assert response.status_code == 404, url
            assert "There is no published recommendation" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "q=zebraword",
        "q=ມ້າລາຍ",
        "q=HID-01",
        "q=quokkaword",
        "q=hidenarrword",
        "body=HIDB",
        "sdg=18",
        "archived=1",
        "archived=1&q=quokkaword",
        "pending=1&q=zebraword",
        "published=0&q=zebraword",
    ],
)
def test_searches_and_filters_never_reach_hidden_items(public, world, query):
    page = public.get(f"/public/recommendations?{query}").get_data(as_text=True)
    assert "HID-01" not in ECHO.sub("", page) and "ARC-01" not in ECHO.sub("", page)
    if "q=" in query or query.startswith(("body=", "sdg=")):
        assert total_listed(page) == 0


def test_register_only_filters_are_ignored(public, world):
    everything = total_listed(public.get("/public/recommendations").get_data(as_text=True))
    assert everything == len(world.published)
    for query in ("archived=1", "pending=1", "published=0", "needs_date=1", "overdue=1"):
        page = public.get(f"/public/recommendations?{query}").get_data(as_text=True)
        assert total_listed(page) == everything, query


def test_a_public_file_downloads_and_every_other_evidence_is_not_found(public, world):
    (public_id,) = world.public_files
    with public.get(f"/public/evidence/{public_id}") as response:
        assert response.status_code == 200
        assert response.data.startswith(b"%PDF-1.4")
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "public-court-report.pdf" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
    # Non-public files, links, files of returned or pending updates, of an unpublished item.
    assert len(world.other_evidence) >= 6
    for evidence_id in [*world.other_evidence, UNKNOWN_ID]:
        assert public.get(f"/public/evidence/{evidence_id}").status_code == 404, evidence_id


def test_unpublishing_or_unmarking_takes_a_file_off_at_once(public, world):
    (public_id,) = world.public_files
    url = f"/public/evidence/{public_id}"
    rec = db.session.get(Recommendation, world.ids["p1"])
    rec.published = False
    assert public.get(url).status_code == 404
    assert public.get("/public/recommendations/PUB-01").status_code == 404
    rec.published = True
    with public.get(url) as response:
        assert response.status_code == 200
    db.session.get(Evidence, public_id).public = False
    assert public.get(url).status_code == 404
    page = public.get("/public/recommendations/PUB-01").get_data(as_text=True)
    assert "public-court-report.pdf" not in page


def test_the_overview_follows_publication(public, world):
    before = public.get("/public/").get_data(as_text=True)
    assert "Health" in before
    db.session.get(Recommendation, world.ids["p1"]).published = False
    db.session.scalars(
        db.select(Recommendation).where(Recommendation.code == "PUB-02")
    ).one().published = False
    after = public.get("/public/").get_data(as_text=True)
    assert "Health" not in after  # its only item is no longer published
    page = public.get("/public/recommendations?q=lumenword").get_data(as_text=True)
    assert total_listed(page) == 0


def test_the_secretariat_puts_a_file_on_the_public_page_and_takes_it_off(public, world, client):
    hidden = db.session.scalars(
        db.select(Evidence)
        .join(StatusUpdate)
        .join(Recommendation)
        .where(
            Evidence.public.is_(False),
            Evidence.stored_name.is_not(None),
            StatusUpdate.review_state == ReviewState.VALIDATED,
            Recommendation.published.is_(True),
        )
    ).first()
    assert hidden is not None, "the world has a validated, non-public file of a published item"
    url = f"/public/evidence/{hidden.id}"
    assert public.get(url).status_code == 404
    login(client, "khamla.secmail@example.org")
    token = csrf_token(client, "/")
    mark = client.post(f"/evidence/{hidden.id}/public", data={"public": "1", "csrf_token": token})
    assert mark.status_code == 302
    with public.get(url) as response:
        assert response.status_code == 200
    client.post(f"/evidence/{hidden.id}/public", data={"public": "0", "csrf_token": token})
    assert public.get(url).status_code == 404
    # Each change is in the audit trail, with who made it.
    events = db.session.scalars(
        db.select(AuditEvent).where(
            AuditEvent.entity == "Evidence",
            AuditEvent.entity_id == hidden.id,
            AuditEvent.action == "update",
        )
    ).all()
    assert [e.changes["public"]["after"] for e in events] == [True, False]
    assert {e.actor.email for e in events} == {"khamla.secmail@example.org"}
