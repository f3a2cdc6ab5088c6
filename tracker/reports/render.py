"""A report in each format: HTML (a standalone page), PDF (Typst, see pdf.py), DOCX
(python-docx) and XLSX (openpyxl)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template

from tracker.reports.data import Report, has_lao

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def static_path(*parts: str) -> Path:
    return Path(current_app.static_folder, *parts)


def standalone_html(report: Report) -> str:
    """The HTML file: one page with its stylesheet inlined, nothing fetched from anywhere."""
    css = static_path("css", "reports-print.css").read_text(encoding="utf-8")
    return render_template("reports/standalone.html", report=report, has_lao=has_lao, css=css)


def render(report: Report, fmt: str) -> bytes:
    if fmt == "html":
        return standalone_html(report).encode("utf-8")
    if fmt == "pdf":
        from tracker.reports.pdf import render_pdf

        return render_pdf(report)
    if fmt == "docx":
        from tracker.reports.docx import render_docx

        return render_docx(report)
    if fmt == "xlsx":
        from tracker.reports.xlsx import render_xlsx

        return render_xlsx(report)
    raise ValueError(fmt)
