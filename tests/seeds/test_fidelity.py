"""The seed data is a faithful transcription of the source documents: checked mechanically."""

from __future__ import annotations

import re

import pytest

from tests.seeds.conftest import load_source_files, normalize

UPR_FILE = "upr-3.yaml"
GENDER_FILE = "ws-2023-gender.yaml"


def items(data: dict) -> list[dict]:
    return data.get("recommendations") or []


def cluster_titles(clusters, trail=()) -> dict[str, tuple[str, ...]]:
    found = {}
    for c in clusters or []:
        path = (*trail, c["title"])
        found[c["key"]] = path
        found.update(cluster_titles(c.get("children"), path))
    return found


def test_every_source_document_is_transcribed(source_files, documents):
    transcribed = {data["source"]["seed_file"] for data in source_files.values()}
    assert transcribed == set(documents)


@pytest.mark.parametrize("filename", sorted(load_source_files()))
def test_every_text_and_cell_appears_verbatim_in_its_document(filename, source_files, documents):
    data = source_files[filename]
    text = documents[data["source"]["seed_file"]]
    if filename == GENDER_FILE:  # a wrapped table row is read joined back together
        text += "\n" + "\n".join(" ".join(row) for row in annex1_rows(text))
    document = normalize(text)
    missing = []
    for item in items(data):
        for field in (
            "text",
            "text_lo",
            "indicator",
            "means_of_verification",
            "time_frame",
            "required_resources",
            "responsible_party",
            "missing_capacities",
        ):
            if item.get(field) and normalize(str(item[field])) not in document:
                missing.append(f"{item['code']}.{field}")
        for i, update in enumerate(item.get("updates") or [], 1):
            if normalize(update["narrative"]) not in document:
                missing.append(f"{item['code']}.updates[{i}]")
    assert missing == []


@pytest.mark.parametrize("filename", sorted(load_source_files()))
def test_each_item_location_points_at_its_line(filename, source_files, documents):
    data = source_files[filename]
    lines = documents[data["source"]["seed_file"]].splitlines()
    wrong = []
    for item in items(data):
        line = item["location"]["line"]
        words = normalize(item["text"])[:25]
        window = normalize(" ".join(lines[line - 1 : line + 1]))
        if words not in window:
            wrong.append((item["code"], line))
    assert wrong == []


def test_codes_are_unique_across_all_files(source_files):
    codes = [i["code"] for data in source_files.values() for i in items(data)]
    assert len(codes) == len(set(codes))


def annex_bullets(text: str) -> list[str]:
    annex = text[text.index("## Annex") :]
    return [normalize(line[2:]) for line in annex.splitlines() if line.startswith("- ")]


def test_every_upr_annex_bullet_is_an_item_verbatim(source_files, documents):
    data = source_files[UPR_FILE]
    bullets = annex_bullets(documents[data["source"]["seed_file"]])
    texts = [normalize(i["text"]) for i in items(data)]
    assert len(bullets) == 57
    assert [b for b in bullets if b not in texts] == []
    # In document order, each exactly once.
    annex_items = [t for t in texts if t in bullets]
    assert annex_items == bullets


def test_upr_cluster_tree_is_rebuilt_from_the_meaning_of_headings(source_files):
    data = source_files[UPR_FILE]
    paths = cluster_titles(data["clusters"])
    by_code = {i["code"]: paths[i["cluster"]] for i in items(data)}
    tops = [c["title"] for c in data["clusters"]]
    implementation = next(c for c in data["clusters"] if c["title"].startswith("Implementation"))
    assert [c["title"][:2] for c in implementation["children"]] == ["A.", "B.", "C.", "D."]
    assert any(t.startswith("Scope of international obligations") for t in tops)
    assert "National human rights framework" in tops

    def path_of(start: str) -> tuple[str, ...]:
        return next(by_code[i["code"]] for i in items(data) if i["text"].startswith(start))[1:]

    # Headings marked at an inconsistent level in the text still sit under their section.
    assert path_of("Guaranteeing freedom of expression") == (
        "B. Civil and political rights",
        "Fundamental freedoms",
    )
    assert path_of("Intensifying efforts to combat human trafficking") == (
        "B. Civil and political rights",
        "Prohibition of all forms of slavery",
    )
    assert path_of("Ensuring that refugees and asylum seekers") == (
        "D. Rights of specific persons or groups",
        "Refugees and asylum seekers",
    )
    assert path_of("Continuing ongoing efforts to develop the health") == (
        "C. Economic, social and cultural rights",
        "Right to health",
    )


def test_upr_letter_asks_are_items(source_files):
    texts = " | ".join(i["text"] for i in items(source_files[UPR_FILE]))
    for phrase in (
        "National Human Rights Institution",
        "national human rights action plan",
        "strengthen the capacity of the Steering Committee",
        "mid-term report",
        "training on the NMRF",
    ):
        assert phrase in texts
    midterm = next(
        i
        for i in items(source_files[UPR_FILE])
        if "mid-term report" in i["text"] and "2022" in i["text"]
    )
    assert midterm["assignments"][0]["deadline"] == "by the end of 2022"


def annex1_rows(text: str) -> list[list[str]]:
    """The data rows of the gender workshop's Annex 1 table, a wrapped row joined back."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Activities\tIndicators"))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("Annex 2"))
    rows: list[list[str]] = []
    for line in lines[start + 1 : end]:
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("\t")]
        cells += [""] * (7 - len(cells))
        if not any(cells[1:]):
            continue  # a dimension heading
        if not cells[3]:  # no time frame: the continuation of the row above
            rows[-1] = [
                f"{a} {b}".strip() if b else a for a, b in zip(rows[-1], cells, strict=True)
            ]
            continue
        rows.append(cells)
    return rows


def test_every_annex1_row_is_present_with_its_time_frame(source_files, documents):
    data = source_files[GENDER_FILE]
    rows = annex1_rows(documents[data["source"]["seed_file"]])
    assert len(rows) == 14
    table_items = sorted(
        (i for i in items(data) if i["location"].get("row")), key=lambda i: i["location"]["row"]
    )
    assert [i["location"]["row"] for i in table_items] == list(range(1, 15))
    for row, item in zip(rows, table_items, strict=True):
        assert normalize(item["text"]) == normalize(row[0])
        assert normalize(item["time_frame"]) == normalize(row[3])
        assert normalize(item["responsible_party"]) == normalize(row[5])
        assert item["assignments"][0]["deadline"] == item["time_frame"]
    wrapped = table_items[4]
    assert wrapped["text"].endswith("organize training on gender roles in PA")


def test_dated_follow_ups_of_the_gender_workshop_are_items(source_files):
    deadlines = {
        a.get("deadline")
        for i in items(source_files[GENDER_FILE])
        for a in i.get("assignments") or []
    }
    assert "by March 2024" in deadlines
    assert any(d and "December 2023-January 2024" in d for d in deadlines)


def test_rtim_reports_carry_their_recommendations_responses_priorities_and_indicators(
    source_files,
):
    for filename in ("rtim-2023-gov.yaml", "rtim-2023-uxo.yaml"):
        data = source_files[filename]
        clusters = cluster_titles(data["clusters"])
        tops = {clusters[i["cluster"]][0] for i in items(data)}
        assert {"RTIM 2023 recommendations", "Priorities for 2024"} <= tops
        responses = [i for i in items(data) if i.get("updates")]
        assert responses, filename
        assert data.get("indicators"), filename
    uxo = {i["code"]: i for i in source_files["rtim-2023-uxo.yaml"]["indicators"]}
    clearance = [i for i in uxo.values() if "clear" in i["name"].lower()]
    assert {i["target"]["value"] for i in clearance} == {10000}
    assert all(i["actuals"][0]["value"] == 5815 for i in clearance)


def test_lao_text_from_the_uxo_report_is_kept(source_files):
    title_lo = source_files["rtim-2023-uxo.yaml"]["source"].get("title_lo") or ""
    assert re.search("[\u0e80-\u0eff]", title_lo)
