"""Write recommendations as CSV (UTF-8 with a BOM, so Excel shows Lao intact) or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import Select

from tracker.exchange.columns import COLUMNS, row_for
from tracker.extensions import db
from tracker.register.queries import RegisterFilter, register_query, with_details

FORMATS = ("csv", "xlsx")


def export_rows(query: Select | None = None) -> Iterable[dict[str, str]]:
    query = query if query is not None else register_query(RegisterFilter())
    for rec in db.session.scalars(with_details(query)).yield_per(500):
        yield row_for(rec)


def to_csv(rows: Iterable[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Iterable[dict[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "recommendations"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_recommendations(fmt: str, query: Select | None = None) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use csv or xlsx")
    rows = export_rows(query)
    return to_csv(rows) if fmt == "csv" else to_xlsx(rows)
