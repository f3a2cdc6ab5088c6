"""XLSX with openpyxl: a cover sheet, then one sheet per section of the report (the summary,
the matrix, ...), each with a frozen header row, set column widths and wrapped text."""

from __future__ import annotations

import io
import re

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from tracker.reports.data import Report, Section

WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E6F0FA")
GROUP_FILL = PatternFill("solid", fgColor="F4F6F9")
# Characters Excel forbids in sheet names.
_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(heading: str, taken: set[str]) -> str:
    base = _BAD.sub(" ", heading)[:28].strip() or _("Sheet")
    title, n = base, 2
    while title.lower() in taken:
        title, n = f"{base[:25]} {n}", n + 1
    taken.add(title.lower())
    return title


def _section_sheet(workbook: Workbook, section: Section, taken: set[str]) -> None:
    sheet = workbook.create_sheet(_sheet_title(section.heading, taken))
    sheet.append([c.label for c in section.columns])
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
    sheet.freeze_panes = "A2"
    for index, column in enumerate(section.columns):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = 60 if column.wide else 18
    for group in section.groups:
        if group.title:
            title = group.title + (f" · {group.title_lo}" if group.title_lo else "")
            sheet.append([title])
            for cell in sheet[sheet.max_row]:
                cell.font, cell.fill = BOLD, GROUP_FILL
        for row in group.rows:
            values = []
            for column in section.columns:
                text = row.text(column.key)
                # Counts stay numbers, so the summary can be summed and charted in Excel.
                values.append(int(text) if section.summary and text.isdigit() else text)
            if row.level:
                values[0] = "    " * row.level + str(values[0])
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                cell.alignment = WRAP
                if row.total:
                    cell.font = BOLD


def render_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    cover = workbook.active
    cover.title = _("Cover")[:31]
    lines = [
        (_("Title"), report.cover.title),
        (_("Title (Lao)"), report.cover.title_lo),
        (_("Subtitle"), report.cover.subtitle),
        (_("Subtitle (Lao)"), report.cover.subtitle_lo),
        (_("Source"), f"{report.source_code} · {report.source_title}"),
        (_("As of"), report.as_of.isoformat()),
        (_("Generated"), report.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        (_("Updates awaiting validation listed"), _("yes") if report.include_pending else _("no")),
        (report.introduction_heading, report.cover.introduction),
        (report.introduction_heading_lo or _("Introduction (Lao)"), report.cover.introduction_lo),
    ]
    for label, value in lines:
        cover.append([label, value or ""])
    for row in cover.iter_rows():
        row[0].font = BOLD
        for cell in row:
            cell.alignment = WRAP
    cover.column_dimensions["A"].width = 30
    cover.column_dimensions["B"].width = 100
    taken = {cover.title.lower()}
    for section in report.sections:
        _section_sheet(workbook, section, taken)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
