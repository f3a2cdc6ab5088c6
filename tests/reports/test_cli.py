"""`flask report ...`: writes the file, records the run in the reports history, refuses a
source of the wrong kind or an unknown one with a message and a non-zero exit."""

from __future__ import annotations

import io

from babel.messages.pofile import read_po
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import GeneratedReport


def test_cli_writes_the_report_and_records_it_in_the_history(runner, seeded, tmp_path):
    out = tmp_path / "uxo.docx"
    result = runner.invoke(
        args=[
            "report",
            "swg",
            "--source",
            "RTIM-2023-UXO",
            "--as-of",
            "2023-12-31",
            "--format",
            "docx",
            "--output",
            str(out),
        ]  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    document = Document(io.BytesIO(out.read_bytes()))
    assert any("ໜ່ວຍງານຂະແໜງການ" in p.text for p in document.paragraphs)
    row = db.session.scalar(select(GeneratedReport))
    assert (row.kind, row.as_of.isoformat(), row.author_label) == (
        "swg",
        "2023-12-31",
        "cli: report swg",
    )


def test_the_same_past_day_gives_the_same_numbers_run_after_run(runner, seeded, tmp_path):
    def summary(name: str) -> list[tuple]:
        out = tmp_path / name
        args = ["report", "midterm", "--source", "UPR-3", "--as-of", "2022-12-31",
                "--format", "xlsx", "--output", str(out)]  # fmt: skip
        assert runner.invoke(args=args).exit_code == 0
        return list(load_workbook(out).worksheets[1].iter_rows(values_only=True))

    first = summary("first.xlsx")
    assert first == summary("second.xlsx")
    assert first[-1][0] == "All recommendations" and first[-1][-1] == 62


def test_cli_refuses_a_source_of_the_wrong_kind(runner, seeded, tmp_path):
    out = tmp_path / "x.pdf"
    result = runner.invoke(
        args=[
            "report",
            "actionplan",
            "--source",
            "UPR-3",
            "--format",
            "pdf",
            "--output",
            str(out),
        ]  # fmt: skip
    )
    assert result.exit_code != 0
    assert "--source: Source UPR-3 is a UPR source" in result.output
    assert not out.exists()
    assert db.session.scalar(select(GeneratedReport)) is None


def test_cli_refuses_an_unknown_source_and_a_bad_date(runner, seeded, tmp_path):
    out = str(tmp_path / "x.html")
    unknown = runner.invoke(
        args=["report", "midterm", "--source", "UPR-9", "--format", "html", "--output", out]
    )
    assert unknown.exit_code != 0 and "no source has the code 'UPR-9'" in unknown.output
    bad_date = runner.invoke(
        args=[
            "report",
            "midterm",
            "--source",
            "UPR-3",
            "--as-of",
            "31.12.2022",
            "--format",
            "html",
            "--output",
            out,
        ]  # fmt: skip
    )
    assert bad_date.exit_code != 0 and "--as-of" in bad_date.output


def test_the_nsc_gets_the_midterm_report_in_lao(runner, seeded, tmp_path):
    """`--language lo`: headings, labels and statuses from the Lao catalogue, Lao script in a
    Lao font in the DOCX and the PDF, and the file named as Lao in the history."""
    from tests.reports.test_formats import pdf_text, squash
    from tests.test_translations import CATALOGUE

    with open(CATALOGUE, "rb") as po:
        lao = {m.id: m.string for m in read_po(po) if m.id and isinstance(m.id, str)}
    outputs = {}
    for fmt in ("docx", "pdf"):
        out = tmp_path / f"midterm-lo.{fmt}"
        args = ["report", "midterm", "--source", "UPR-3", "--as-of", "2024-12-31"]
        result = runner.invoke(args=[*args, "--format", fmt, "--language", "lo", "--output", out])
        assert result.exit_code == 0, result.output
        outputs[fmt] = out.read_bytes()
    names = db.session.scalars(select(GeneratedReport.filename).order_by(GeneratedReport.id))
    assert list(names) == ["midterm-UPR-3-2024-12-31-lo.docx", "midterm-UPR-3-2024-12-31-lo.pdf"]

    document = Document(io.BytesIO(outputs["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert lao["Introduction"] in headings
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert lao["Recommendation"] in cells and lao["Status"] in cells
    assert "Recommendation" not in cells and "Status" not in cells

    text = pdf_text(outputs["pdf"])
    for msgid in ("Introduction", "Recommendation", "Status"):
        assert squash(lao[msgid]) in text, msgid
