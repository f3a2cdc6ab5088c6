"""Export and import of the register in the exchange format (CLI)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tracker.exchange.columns import COLUMNS
from tracker.extensions import db
from tracker.models import AuditEvent, Recommendation, StatusUpdate
from tracker.models.base import Base

HEADER = ",".join(COLUMNS)


@pytest.fixture
def seeded(runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output


def export(runner, tmp_path, fmt="csv", name=None):
    out = tmp_path / (name or f"export.{fmt}")
    result = runner.invoke(
        args=["export", "recommendations", "--format", fmt, "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def import_file(runner, path, *extra):
    return runner.invoke(args=["import", "recommendations", str(path), *extra])


def read_csv(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def write_csv(path, rows, columns=COLUMNS):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def recs() -> int:
    return db.session.scalar(select(func.count()).select_from(Recommendation))


def empty_register():
    """Drop the recommendations (and what hangs from them), keep the reference data."""
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in {
            "audit_event",
            "status_update",
            "evidence",
            "assignment_focal_point",
            "assignment",
            "recommendation_state",
            "recommendation_sdg_target",
            "recommendation_group",
            "indicator_value",
            "indicator",
            "recommendation",
            "cluster",
            "country",
        }:
            db.session.execute(table.delete())
    db.session.commit()


def test_csv_export_has_exactly_the_agreed_columns_in_order(runner, seeded, tmp_path):
    path = export(runner, tmp_path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens Lao intact
    assert raw[3:].split(b"\r\n")[0].decode() == HEADER
    rows = read_csv(path)
    assert len(rows) == recs()
    midterm = next(r for r in rows if r["lead_body"] == "MOFA" and "mid-term" in r["text"])
    assert midterm["source_kind"] == "UPR" and midterm["source"] == "UPR-3"
    assert midterm["deadline"] == "2022-12-31" and midterm["deadline_precision"] == "year"
    assert midterm["deadline_text"] == "by the end of 2022"
    workshop = next(r for r in rows if r["deadline_text"] == "quarter 1/2024")
    assert " > " in workshop["cluster"]
    multi = next(r for r in rows if "; " in r["sdg_targets"])
    assert all(t.strip() for t in multi["sdg_targets"].split("; "))


def test_xlsx_export_has_the_same_rows_as_csv(runner, seeded, tmp_path):
    csv_rows = read_csv(export(runner, tmp_path))
    sheet = load_workbook(export(runner, tmp_path, "xlsx")).active
    values = [
        [c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert tuple(values[0]) == COLUMNS
    assert [dict(zip(COLUMNS, v, strict=True)) for v in values[1:]] == csv_rows


def test_round_trip_export_import_into_empty_register_export_gives_same_file(
    runner, seeded, tmp_path, make_user
):
    sec = make_user(email="sec@example.org")
    item = db.session.scalars(select(Recommendation).order_by(Recommendation.code)).first()
    item.text_lo = "ຂໍ້ແນະນຳ ທົດລອງ"
    from datetime import date

    from tracker.models import Status
    from tracker.updates.services import add_update

    add_update(item, status=Status.IMPLEMENTED, reported_on=date(2024, 5, 1), validated_by=sec)
    db.session.commit()
    first = export(runner, tmp_path, name="first.csv")
    first_xlsx = export(runner, tmp_path, "xlsx", name="first.xlsx")
    empty_register()
    assert recs() == 0
    result = import_file(runner, first)
    assert result.exit_code == 0, result.output
    assert f"{len(read_csv(first))} were created" in result.output
    second = export(runner, tmp_path, name="second.csv")
    assert second.read_bytes() == first.read_bytes()
    # The same through XLSX.
    empty_register()
    assert import_file(runner, first_xlsx).exit_code == 0
    assert export(runner, tmp_path, name="third.csv").read_bytes() == first.read_bytes()


def test_reimporting_an_unchanged_export_changes_nothing(runner, seeded, tmp_path):
    path = export(runner, tmp_path)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    result = import_file(runner, path)
    assert result.exit_code == 0
    assert "0 were created, 0 were updated" in result.output
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_import_updates_by_code_and_a_status_change_is_a_new_validated_update(
    runner, seeded, tmp_path
):
    rows = read_csv(export(runner, tmp_path))
    target = rows[0]
    target["text_lo"] = "ສະບັບພາສາລາວ"
    target["status"] = "partially_implemented"
    target["lead_body"], target["supporting_bodies"] = "MOJ", "MOHA"
    target["deadline"], target["deadline_precision"], target["deadline_text"] = (
        "",
        "",
        "quarter 2/2025",
    )
    new = dict(rows[1], code="NEW-001", text="A brand new recommendation.")
    result = import_file(runner, write_csv(tmp_path / "edit.csv", [target, new]))
    assert result.exit_code == 0, result.output
    assert "1 were created, 1 were updated" in result.output
    rec = db.session.scalars(select(Recommendation).filter_by(code=target["code"])).one()
    assert rec.text_lo == "ສະບັບພາສາລາວ"
    assert rec.status.value == "partially_implemented"
    assert rec.updates[-1].review_state.value == "validated"
    assert rec.lead.body.code == "MOJ" and [a.body.code for a in rec.supporting] == ["MOHA"]
    assert str(rec.lead.deadline) == "2025-06-30" and rec.lead.deadline_precision.value == "quarter"


def test_dry_run_reports_but_writes_nothing(runner, seeded, tmp_path):
    rows = read_csv(export(runner, tmp_path))
    rows[0]["text"] = "Changed text"
    before = recs()
    result = import_file(
        runner, write_csv(tmp_path / "dry.csv", [rows[0], dict(rows[1], code="X-1")]), "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert "1 would be created, 1 would be updated" in result.output
    db.session.expire_all()
    assert recs() == before
    assert (
        db.session.scalars(select(Recommendation).filter_by(code=rows[0]["code"])).one().text
        != "Changed text"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"lead_body": "NOPE"}, "row 3, column lead_body: unknown body 'NOPE'"),
        ({"sdg_targets": "16.3; 99.9"}, "row 3, column sdg_targets: unknown SDG target '99.9'"),
        ({"deadline": "2024-02-30"}, "row 3, column deadline: '2024-02-30' is not a real date"),
        ({"status": "done"}, "row 3, column status: 'done' is not one of"),
        ({"source": "UPR-9"}, "row 3, column source: unknown source 'UPR-9'"),
        (
            {"source_kind": "RTIM", "source": "UPR-3"},
            "row 3, column source_kind: 'RTIM' does not match",
        ),
        ({"text": ""}, "row 3, column text: is required"),
        ({"code": "SAME"}, "row 3, column code: duplicate code 'SAME' (also on row 2)"),
    ],
)
def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(
    runner, seeded, tmp_path, change, expected
):
    rows = read_csv(export(runner, tmp_path))[:2]
    rows[0].update(code="SAME", text="First row is fine")
    rows[1] = dict(rows[1], **change)
    before = (recs(), db.session.scalar(select(func.count()).select_from(StatusUpdate)))
    result = import_file(runner, write_csv(tmp_path / "bad.csv", rows))
    assert result.exit_code != 0
    assert expected in result.output
    assert "nothing was imported" in result.output
    db.session.expire_all()
    assert (recs(), db.session.scalar(select(func.count()).select_from(StatusUpdate))) == before
    assert db.session.scalars(select(Recommendation).filter_by(code="SAME")).first() is None


def test_every_problem_of_the_file_is_listed_not_just_the_first(runner, seeded, tmp_path):
    rows = read_csv(export(runner, tmp_path))[:3]
    rows[0]["lead_body"] = "BAD1"
    rows[2]["position"] = "maybe"
    result = import_file(runner, write_csv(tmp_path / "bad.csv", rows))
    assert "row 2, column lead_body: unknown body 'BAD1'" in result.output
    assert "row 4, column position: 'maybe' is not one of" in result.output


def test_missing_and_unknown_columns_are_refused(runner, seeded, tmp_path):
    columns = [c for c in COLUMNS if c != "status"] + ["colour"]
    path = write_csv(tmp_path / "cols.csv", [dict.fromkeys(columns, "")], columns)
    result = import_file(runner, path)
    assert result.exit_code != 0
    assert "row 1, column status: missing column" in result.output
    assert "row 1, column colour: unknown column" in result.output


def test_a_file_that_is_not_utf8_is_refused_with_the_row(runner, seeded, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "\r\nX-1,UPR,UPR-3,,Minist\xe8re\r\n").encode("latin-1"))
    result = import_file(runner, path)
    assert result.exit_code != 0
    assert "row 2: the file is not UTF-8" in result.output


def test_xlsx_import_reports_rows_as_excel_numbers_them(runner, seeded, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    row = dict.fromkeys(COLUMNS)
    row.update(
        code="X-1",
        source_kind="UPR",
        source="UPR-3",
        text="From Excel",
        lead_body="MOJ",
        deadline="not a date",
    )
    sheet.append([row[c] for c in COLUMNS])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    result = import_file(runner, path)
    assert "row 2, column deadline: 'not a date' is not a real date" in result.output
