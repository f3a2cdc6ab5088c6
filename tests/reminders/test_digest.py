"""The digest: one message per recipient and day, plain text and HTML, in the reader's language,
every line linking to its item, everything escaped in the HTML."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date
from sqlalchemy import select

from tests.reminders.test_sweep import BASE, digests, item, person, run, world  # noqa: F401
from tests.test_lao_pages import EnglishFinder
from tracker.extensions import db
from tracker.models import OutboxMessage, Role
from tracker.reminders.digest import SECTION_LIMIT, Details, render_digest
from tracker.reminders.rules import Event, Recipient
from tracker.reminders.sweep import sweep

READER = Recipient("reader@example.org", 1, "en", "Reader")


def event(rule: str, code: str, **kw) -> Event:
    return Event(f"{READER.email}|{rule}|{code}|p", READER, rule, code, 1, **kw)


def test_a_lao_reader_gets_the_digest_in_lao_and_an_english_reader_in_english(world):  # noqa: F811
    item(world, "R-EN", "2024-05-15")
    item(world, "R-LO", "2024-05-15", body="MOHA", text="Adopt the law.", text_lo="ຮັບຮອງເອົາກົດໝາຍ.")
    run("2024-05-08")
    rows = digests()
    lao, english = rows["fp@moha.example"], rows["fp@moj.example"]
    assert lao.language == "lo" and english.language == "en"
    due_lo = format_date(date(2024, 5, 15), "medium", locale="lo")
    due_en = format_date(date(2024, 5, 15), "medium", locale="en")
    assert due_lo != due_en  # Babel writes the date differently for each
    for body in (lao.body_text, lao.body_html):
        assert due_lo in body and due_en not in body
        assert format_date(date(2024, 5, 8), "long", locale="lo") in body  # the day's date
        assert "ຮັບຮອງເອົາກົດໝາຍ." in body and "Adopt the law." not in body
        assert "ກະຊວງພາຍໃນ" in body  # the body's Lao name
    assert '<html lang="lo">' in lao.body_html
    # The words around the data are the Lao catalogue's: none of the e-mail is left in English
    # but codes, addresses and the kept abbreviations (the same check as every Lao page).
    assert re.search("[\u0e80-\u0eff]", lao.subject) and "Tracker" not in lao.subject
    finder = EnglishFinder(["R-EN", "R-LO", "MOHA", "MOJ", BASE, "fp@moha.example"])
    finder.feed(lao.body_html)
    assert not finder.found, finder.found
    for body in (english.body_text, english.body_html):
        assert due_en in body and due_lo not in body
        assert "May 8, 2024" in body
    assert '<html lang="en">' in english.body_html


def test_a_body_head_without_an_account_is_written_to_in_english(world):  # noqa: F811
    item(world, "R-LATE", "2024-03-04", body="MOJ")
    run("2024-04-04")
    head = digests()["head@moj.gov.la"]
    assert head.language == "en" and head.recipient_id is None
    assert head.body_text.startswith("Hello,\n")
    assert "Mar 4, 2024, 31 days overdue" in head.body_text


def test_every_line_links_to_its_item_and_the_html_escapes_everything(world):  # noqa: F811
    world.fp.name = "Ms <b>Bold</b>"
    item(world, "R-1", "2024-05-15", text='Repeal <script>alert("x")</script> & decree 23')
    sweep(date(2024, 5, 8), base_url=BASE + "/")  # a trailing slash makes no double slash
    db.session.commit()
    mine = digests()["fp@moj.example"]
    assert f"{BASE}/recommendations/R-1" in mine.body_text
    assert f'<a href="{BASE}/recommendations/R-1"' in mine.body_html
    assert "//recommendations" not in mine.body_text + mine.body_html
    assert "<script>" not in mine.body_html and "<b>" not in mine.body_html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; decree 23" in mine.body_html
    assert "Ms &lt;b&gt;Bold&lt;/b&gt;" in mine.body_html
    assert 'Repeal <script>alert("x")</script> & decree 23' in mine.body_text  # plain text
    assert "Hello Ms <b>Bold</b>," in mine.body_text


def test_the_subject_counts_items_per_section_in_reading_order(app):
    events = [
        event("needs_date", "R-A"),
        event("overdue", "R-B", due=date(2024, 4, 1)),
        event("escalate_head", "R-B", due=date(2024, 4, 1)),  # the same item: one line
        event("overdue", "R-C", due=date(2024, 4, 10)),
        event("before", "R-D", due=date(2024, 5, 8)),
        event("waiting_review", "R-E", since=date(2024, 5, 1)),
        event("returned", "R-F", since=date(2024, 4, 24)),
    ]
    digest = render_digest(READER, events, as_of=date(2024, 5, 8), base_url=BASE, details=Details())
    assert digest.subject == (
        "Tracker: 2 overdue, 1 due soon, 2 waiting, 1 needs a date — 2024-05-08"
    )
    assert digest.sections == {
        "overdue": ["R-B", "R-C"],
        "due_soon": ["R-D"],
        "waiting": ["R-E", "R-F"],
        "needs_date": ["R-A"],
    }
    assert digest.items == ["R-A", "R-B", "R-C", "R-D", "R-E", "R-F"]
    text = digest.body_text
    assert text.count("- R-B") == 1
    assert "R-B: due Apr 1, 2024, 37 days overdue" in text
    assert "R-D: due today (May 8, 2024)" in text
    assert "R-E: update submitted on May 1, 2024 awaits review" in text
    assert "R-F: update returned on Apr 24, 2024 awaits your correction" in text
    positions = [text.index(title) for title in ("Overdue (2)", "Due soon (1)", "Waiting (2)")]
    assert positions == sorted(positions)


def test_a_long_section_lists_the_first_items_and_links_to_the_register(app):
    events = [
        event("overdue", f"R-{n:04d}", due=date(2024, 1, 1)) for n in range(SECTION_LIMIT + 7)
    ]
    digest = render_digest(READER, events, as_of=date(2024, 5, 8), base_url=BASE, details=Details())
    assert digest.subject.startswith(f"Tracker: {SECTION_LIMIT + 7} overdue")
    assert len(digest.items) == SECTION_LIMIT + 7  # every item is recorded ...
    assert f"R-{SECTION_LIMIT - 1:04d}" in digest.body_text  # ... the first ones listed
    assert f"R-{SECTION_LIMIT:04d}" not in digest.body_text
    assert f"… and 7 more: {BASE}/?overdue=1" in digest.body_text
    assert f'<a href="{BASE}/?overdue=1"' in digest.body_html


def test_the_queued_message_is_a_digest_for_the_day(world):  # noqa: F811
    item(world, "R-1", "2024-05-15")
    run("2024-05-08")
    message = db.session.scalar(select(OutboxMessage))
    assert (message.kind, message.run_date, message.recipient_id) == (
        "digest",
        date(2024, 5, 8),
        world.fp.id,
    )
    assert message.state.name == "QUEUED" and message.attempts == 0


def test_a_secretariat_member_who_reads_lao_gets_the_monthly_list_in_lao(world):  # noqa: F811
    person("sec.lo@nsc.example", Role.SECRETARIAT, language="lo")
    item(world, "R-NODATE", "quarter 4/year?", body="MOHA")
    run("2024-06-03")
    lao = digests()["sec.lo@nsc.example"]
    assert lao.language == "lo" and "quarter 4/year?" in lao.body_text
    assert format_date(date(2024, 6, 3), "long", locale="lo") in lao.body_text
