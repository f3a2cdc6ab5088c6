"""One reminder digest for one recipient and one day, as plain text and HTML, in the recipient's
language (Lao or English; an address without an account gets English). Every string goes
through gettext so that the Lao catalogue can be added without touching this code."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from babel import dates as babel_dates
from flask import current_app
from flask_babel import force_locale, get_locale, get_translations

if TYPE_CHECKING:
    from tracker.reminders.rules import Event, Recipient

# In the order a reader works through them.
SECTIONS = ("overdue", "due_soon", "waiting", "needs_date", "stale")
# What a rule says about an item, and the section it is listed in.
KIND_SECTION = {
    "overdue": "overdue",
    "due_soon": "due_soon",
    "waiting_review": "waiting",
    "returned": "waiting",
    "needs_date": "needs_date",
    "stale": "stale",
}
# A section with more lines than this lists the first ones and links to the register.
SECTION_LIMIT = 50
EXCERPT_CHARS = 120
# Where the register shows a whole section.
SECTION_FILTER = {
    "overdue": "/?overdue=1",
    "waiting": "/?pending=1",
    "needs_date": "/?needs_date=1",
}


@dataclass
class Details:
    """What the lines show beyond the events: loaded once per sweep, in bulk."""

    texts: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # rec id -> en, lo
    bodies: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # id -> label, lo
    deadline_texts: dict[int, str | None] = field(default_factory=dict)  # assignment id -> text


@dataclass(frozen=True)
class Line:
    section: str
    kind: str
    code: str
    url: str
    excerpt: str
    bodies: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    lines: list[Line]
    more: int  # lines left out beyond SECTION_LIMIT
    more_url: str


@dataclass(frozen=True)
class Digest:
    subject: str
    body_text: str
    body_html: str
    items: list[str]  # the recommendation codes, sorted
    sections: dict[str, list[str]]  # section -> codes, in the order listed


def _title(lang: _Language, name: str) -> str:
    return {
        "overdue": lang.gettext("Overdue"),
        "due_soon": lang.gettext("Due soon"),
        "waiting": lang.gettext("Waiting"),
        "needs_date": lang.gettext("Needs a date"),
        "stale": lang.gettext("No recent update"),
    }[name]


class _Language:
    """The reader's catalogue and locale and the digest's templates, looked up once per language:
    Flask-Babel's gettext and format_date look the catalogue up at every call, render_template
    the template, which shows over hundreds of digests of thousands of lines."""

    def __init__(self) -> None:
        self.translations = get_translations()
        self.locale = str(get_locale())
        templates = current_app.jinja_env
        self.text_template = templates.get_template("reminders/digest.txt")
        self.html_template = templates.get_template("reminders/digest.html")

    def gettext(self, string: str, /, **values) -> str:
        string = self.translations.ugettext(string)
        return string % values if values else string

    def ngettext(self, singular: str, plural: str, num: int, /, **values) -> str:
        values.setdefault("num", num)
        return self.translations.ungettext(singular, plural, num) % values

    def date(self, day: date, width: str = "medium") -> str:
        return _format_date(day, width, self.locale)


@functools.lru_cache(maxsize=4096)
def _format_date(day: date, width: str, locale: str) -> str:
    return babel_dates.format_date(day, width, locale=locale)


def _count(lang: _Language, name: str, n: int) -> str:
    if name == "overdue":
        return lang.ngettext("%(num)d overdue", "%(num)d overdue", n)
    if name == "due_soon":
        return lang.ngettext("%(num)d due soon", "%(num)d due soon", n)
    if name == "waiting":
        return lang.ngettext("%(num)d waiting", "%(num)d waiting", n)
    if name == "needs_date":
        return lang.ngettext("%(num)d needs a date", "%(num)d need a date", n)
    return lang.ngettext("%(num)d without recent update", "%(num)d without recent update", n)


def _note(lang: _Language, kind: str, events: list[Event], as_of: date, details: Details) -> str:
    """What the line says about the item."""
    first = min(events, key=lambda e: e.due or e.since or as_of)
    if kind == "due_soon":
        days = (first.due - as_of).days
        if days == 0:
            return lang.gettext("due today (%(date)s)", date=lang.date(first.due))
        return lang.ngettext(
            "due %(date)s, in %(num)d day",
            "due %(date)s, in %(num)d days",
            days,
            date=lang.date(first.due),
        )
    if kind == "overdue":
        return lang.ngettext(
            "due %(date)s, %(num)d day overdue",
            "due %(date)s, %(num)d days overdue",
            (as_of - first.due).days,
            date=lang.date(first.due),
        )
    if kind == "waiting_review":
        return lang.gettext(
            "update submitted on %(date)s awaits review", date=lang.date(first.since)
        )
    if kind == "returned":
        return lang.gettext(
            "update returned on %(date)s awaits your correction", date=lang.date(first.since)
        )
    if kind == "needs_date":
        written = sorted(
            {details.deadline_texts.get(a) or "" for e in events for a in e.assignments} - {""}
        )
        if written:
            return lang.gettext("time frame as written: %(text)s", text="; ".join(written))
        return lang.gettext("no time frame given")
    return lang.gettext("no update since %(date)s", date=lang.date(first.since))


def _excerpt(rec_id: int, language: str, details: Details) -> str:
    english, lao = details.texts.get(rec_id, ("", None))
    text = " ".join(((lao if language == "lo" and lao else english) or "").split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def _body_labels(events: list[Event], language: str, details: Details) -> tuple[str, ...]:
    labels = set()
    for body_id in {b for e in events for b in e.bodies}:
        label, lao = details.bodies.get(body_id, ("?", None))
        labels.add(lao if language == "lo" and lao else label)
    return tuple(sorted(labels))


def _sections(
    lang: _Language,
    recipient: Recipient,
    events: Sequence[Event],
    as_of: date,
    base_url: str,
    details: Details,
) -> list[Section]:
    grouped: dict[tuple[str, str], list[Event]] = {}
    for event in events:
        grouped.setdefault((event.kind, event.code), []).append(event)
    by_section: dict[str, list[tuple[str, str]]] = {name: [] for name in SECTIONS}
    for kind, code in sorted(grouped, key=lambda kc: (kc[1], kc[0])):
        by_section[KIND_SECTION[kind]].append((kind, code))
    sections = []
    for name, keys in by_section.items():
        if not keys:
            continue
        lines = []
        for kind, code in keys[:SECTION_LIMIT]:  # only what is shown is worth formatting
            group = grouped[kind, code]
            lines.append(
                Line(
                    section=name,
                    kind=kind,
                    code=code,
                    url=f"{base_url}/recommendations/{code}",
                    excerpt=_excerpt(group[0].recommendation_id, recipient.language, details),
                    bodies=_body_labels(group, recipient.language, details),
                    note=_note(lang, kind, group, as_of, details),
                )
            )
        more_url = base_url + SECTION_FILTER.get(name, "/")
        sections.append(
            Section(name, _title(lang, name), lines, max(0, len(keys) - SECTION_LIMIT), more_url)
        )
    return sections


def render_digest(
    recipient: Recipient,
    events: Sequence[Event],
    *,
    as_of: date,
    base_url: str,
    details: Details,
) -> Digest:
    with force_locale(recipient.language):
        return _render(_Language(), recipient, events, as_of, base_url, details)


def render_digests(
    pending: Mapping[str, Sequence[Event]], *, as_of: date, base_url: str, details: Details
) -> dict[str, Digest]:
    """The digests of several recipients (by address, each with their events, which name the
    recipient), as render_digest makes them, with one catalogue lookup per language."""
    by_language: dict[str, list[str]] = {}
    for email, events in pending.items():
        by_language.setdefault(events[0].recipient.language, []).append(email)
    digests = {}
    for language, emails in by_language.items():
        with force_locale(language):
            lang = _Language()
            for email in emails:
                events = pending[email]
                digests[email] = _render(
                    lang, events[0].recipient, events, as_of, base_url, details
                )
    return digests


def _render(
    lang: _Language,
    recipient: Recipient,
    events: Sequence[Event],
    as_of: date,
    base_url: str,
    details: Details,
) -> Digest:
    base_url = base_url.rstrip("/")
    sections = _sections(lang, recipient, events, as_of, base_url, details)
    codes = {
        s.name: sorted({e.code for e in events if KIND_SECTION[e.kind] == s.name}) for s in sections
    }
    counts = ", ".join(_count(lang, s.name, len(codes[s.name])) for s in sections)
    subject = lang.gettext("Tracker: %(counts)s — %(date)s", counts=counts, date=as_of.isoformat())
    context = {
        "recipient": recipient,
        "sections": sections,
        "as_of": as_of,
        "as_of_text": lang.date(as_of, "long"),
        "subject": subject,
        "base_url": base_url,
    }
    # The templates use no request or context processor: rendered directly, once per format.
    body_text = lang.text_template.render(context)
    body_html = lang.html_template.render(context)
    return Digest(
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        items=sorted({e.code for e in events}),
        sections=codes,
    )
