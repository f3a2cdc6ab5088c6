"""PDF with Typst: the report as JSON, compiled with the static template
templates/reports/report.typ (A4 landscape, cover, table headers repeated on every page,
"page / total" footer, Noto Sans and Noto Sans Lao from static/fonts embedded).

Typst lays out a 2,000-recommendation report in seconds where WeasyPrint took minutes. The
template reads the JSON from sys.inputs and places every text as a string value, so no user
text is ever parsed as Typst markup. Labels are translated here, so a Lao interface gets a
Lao PDF without touching the template."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from tracker.reports.data import Report, Section, has_lao
from tracker.reports.render import static_path

# Relative widths of the table columns, as in static/css/reports-print.css: the
# recommendation and the actions taken get the room; a column not named here shares what is
# left with the other unnamed ones.
WIDTHS = {
    "recommendation": 21,
    "activity": 21,
    "actions": 21,
    "last_update": 21,
    "indicators": 5,
    "evidence": 5,
    "reference": 8,
    "status": 8,
    "states": 9,
    "bodies": 9,
    "position": 7,
    "cluster": 30,
    "narrative": 30,
    "indicator": 30,
}
WIDE = 24  # a wide column not named above
NARROW_MIN = 5  # an unnamed column never gets less than this
# A run of Lao script, with the spaces between its words (Lao, U+0E80–U+0EFF).
LAO_RUN = re.compile(r"([\u0e80-\u0eff](?:[\u0e80-\u0eff\s]*[\u0e80-\u0eff])?)")


def template_path() -> Path:
    return Path(current_app.root_path, current_app.template_folder, "reports", "report.typ")


def _paragraphs(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]


def _line(text: str) -> str | list[str]:
    """A table line as the template takes it: the text, or where it holds Lao its runs,
    Latin and Lao in turn (odd items are Lao), for the template to set each in its font."""
    return LAO_RUN.split(text) if has_lao(text) else text


def _widths(section: Section) -> list[float]:
    named = [WIDTHS.get(c.key, WIDE if c.wide else None) for c in section.columns]
    unnamed = named.count(None)
    left = max(100 - sum(w for w in named if w is not None), 0)
    share = max(left / unnamed, NARROW_MIN) if unnamed else 0
    return [w if w is not None else share for w in named]


def _section(section: Section) -> dict:
    keys = [c.key for c in section.columns]
    return {
        "heading": section.heading,
        "heading_lo": section.heading_lo,
        "note": section.note,
        "summary": section.summary,
        "empty": _("Nothing to report as of this date."),
        "columns": [
            {"label": c.label, "width": w}
            for c, w in zip(section.columns, _widths(section), strict=True)
        ],
        "status_column": keys.index("status") if "status" in keys else None,
        "groups": [
            {
                "title": group.title,
                "title_lo": group.title_lo,
                "rows": [
                    {
                        "cells": [[_line(t) for t in row.cells.get(key, [])] for key in keys],
                        "status": row.status.value if row.status else None,
                        "level": row.level,
                        "total": row.total,
                    }
                    for row in group.rows
                ],
            }
            for group in section.groups
            if group.rows
        ],
    }


def document(report: Report) -> dict:
    """What the template prints, in the order it prints it."""
    cover = report.cover
    kicker = report.source_code
    if report.source_title and report.source_title != cover.title:
        kicker += f" · {report.source_title}"
    as_of = _(
        "Status as of %(date)s: only updates validated on or before that day are counted.",
        date=report.as_of.isoformat(),
    )
    if report.include_pending:
        as_of += " " + _("Updates awaiting validation are listed separately at the end.")
    return {
        "title": cover.title,
        "cover": {
            "kicker": kicker,
            "title": cover.title,
            "title_lo": cover.title_lo,
            "subtitle": cover.subtitle,
            "subtitle_lo": cover.subtitle_lo,
            "as_of": as_of,
            "generated": _(
                "Generated %(when)s", when=report.generated_at.strftime("%Y-%m-%d %H:%M UTC")
            ),
        },
        "intro": {
            "heading": report.introduction_heading,
            "heading_lo": report.introduction_heading_lo,
            "paragraphs": _paragraphs(cover.introduction),
            "paragraphs_lo": _paragraphs(cover.introduction_lo),
        },
        "sections": [_section(s) for s in report.sections],
    }


# Typst keeps its layout caches for the life of the process (over 1 GB more after each
# 1,000-page report) and the Python binding has no way to evict them: each PDF is compiled in
# a child process, so a web worker gives the memory back. -I: nothing from the working
# folder or the environment is imported there.
COMPILE = """
import sys, typst
template, fonts, timestamp = sys.argv[1:]
sys.stdout.buffer.write(typst.compile(
    template, font_paths=[fonts], ignore_system_fonts=True,
    sys_inputs={"data": sys.stdin.buffer.read().decode("utf-8")}, timestamp=int(timestamp),
))
"""


def render_pdf(report: Report) -> bytes:
    data = json.dumps(document(report), ensure_ascii=False).encode("utf-8")
    # The PDF's creation date is the report's: the same report gives the same file.
    timestamp = str(int(report.generated_at.timestamp()))
    args = [sys.executable, "-I", "-c", COMPILE, str(template_path()), str(static_path("fonts"))]
    done = subprocess.run([*args, timestamp], input=data, capture_output=True, check=False)
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"]
        raise RuntimeError(f"Typst could not compile {template_path()}: {lines[-1]}")
    return done.stdout
