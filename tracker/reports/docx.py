"""DOCX with python-docx: Word heading styles, real tables whose header row repeats on every
page, A4 landscape, and a Lao font on every run that holds Lao script (Word treats Lao as a
complex script, so it is the complex-script font that must have Lao)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask_babel import gettext as _

from tracker.reports.data import Report, Section, has_lao

LATIN_FONT = "Noto Sans"
LAO_FONT = "Noto Sans Lao"
PAGE_WIDTH_TWIPS = int((297 - 24) / 25.4 * 1440)  # A4 landscape less the margins


def _fonts(rpr, lao: bool) -> None:
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), LAO_FONT)
    fonts.set(qn("w:cs"), LAO_FONT)
    if lao:
        fonts.set(qn("w:hint"), "cs")
    rpr.append(fonts)


def _run(text: str, *, bold: bool = False):
    """A w:r element, built directly: python-docx's object API is slow for tables of
    thousands of cells, and this is all a cell needs."""
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    lao = has_lao(text)
    _fonts(rpr, lao)
    if bold:
        rpr.append(OxmlElement("w:b"))
        rpr.append(OxmlElement("w:bCs"))
    if lao:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:bidi"), "lo-LA")
        rpr.append(lang)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)
    return run


def _paragraph(text: str, *, bold: bool = False):
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:after"), "40")
    ppr.append(spacing)
    p.append(ppr)
    if text:
        p.append(_run(text, bold=bold))
    return p


def _cell(lines: list[str], width: int, *, bold=False, span: int = 1, shade: str | None = None):
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tcw = OxmlElement("w:tcW")
    tcw.set(qn("w:w"), str(width))
    tcw.set(qn("w:type"), "dxa")
    tcpr.append(tcw)
    if span > 1:
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), str(span))
        tcpr.append(grid_span)
    if shade:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:fill"), shade)
        tcpr.append(shd)
    tc.append(tcpr)
    for line in lines or [""]:
        tc.append(_paragraph(line, bold=bold))
    return tc


def _row(cells, *, header: bool = False, cant_split: bool = True):
    tr = OxmlElement("w:tr")
    trpr = OxmlElement("w:trPr")
    if cant_split:
        trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
    tr.append(trpr)
    for tc in cells:
        tr.append(tc)
    return tr


def _widths(section: Section) -> list[int]:
    weights = [3 if c.wide else 1 for c in section.columns]
    unit = PAGE_WIDTH_TWIPS // sum(weights)
    return [w * unit for w in weights]


def _table(document, section: Section) -> None:
    widths = _widths(section)
    table = document.add_table(rows=0, cols=len(section.columns))
    table.style = "Table Grid"
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(width))
    tbl = table._tbl
    tbl.append(
        _row(
            [
                _cell([c.label], w, bold=True, shade="E6F0FA")
                for c, w in zip(section.columns, widths, strict=True)
            ],
            header=True,
        )
    )
    total = sum(widths)
    for group in section.groups:
        if group.title:
            title = group.title + (f" · {group.title_lo}" if group.title_lo else "")
            tbl.append(_row([_cell([title], total, bold=True, span=len(widths), shade="F4F6F9")]))
        for row in group.rows:
            cells = [
                _cell(row.cells.get(c.key, []), w, bold=row.total)
                for c, w in zip(section.columns, widths, strict=True)
            ]
            tbl.append(_row(cells))


def _heading(document, text: str, level: int) -> None:
    heading = document.add_heading(level=level)
    heading._p.append(_run(text))


def _text(document, text: str | None, *, style: str | None = None) -> None:
    for part in (text or "").split("\n\n"):
        if part.strip():
            paragraph = document.add_paragraph(style=style)
            paragraph._p.append(_run(part.strip()))


def render_docx(report: Report) -> bytes:
    document = Document()
    page = document.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Mm(12))
    normal = document.styles["Normal"]
    normal.font.size = Pt(9)
    _fonts(normal.element.get_or_add_rPr(), lao=False)

    cover = report.cover
    _heading(document, cover.title, 0)
    for text in (cover.title_lo, cover.subtitle, cover.subtitle_lo):
        _text(document, text, style="Subtitle")
    _text(document, f"{report.source_code} · {report.source_title}")
    _text(
        document,
        _(
            "Status as of %(date)s: only updates validated on or before that day are counted.",
            date=report.as_of.isoformat(),
        ),
    )
    _text(
        document, _("Generated %(when)s", when=report.generated_at.strftime("%Y-%m-%d %H:%M UTC"))
    )
    document.add_page_break()

    _heading(document, report.introduction_heading, 1)
    if report.introduction_heading_lo:
        _heading(document, report.introduction_heading_lo, 2)
    _text(document, cover.introduction)
    _text(document, cover.introduction_lo)
    for section in report.sections:
        _heading(document, section.heading, 1)
        if section.heading_lo:
            _heading(document, section.heading_lo, 2)
        _text(document, section.note)
        if section.row_count:
            _table(document, section)
        else:
            _text(document, _("Nothing to report as of this date."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
