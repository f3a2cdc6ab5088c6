"""The Lao catalogue: every string the code marks for translation has a careful Lao translation
that keeps its placeholders and the glossary's terms, and the app serves it."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "translations" / "lo" / "LC_MESSAGES" / "messages.po"
GLOSSARY = ROOT / "translations" / "glossary.csv"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "_n": (1, 2)}
LAO = re.compile("[\u0e80-\u0eff]")


def scanned(directory: str) -> bool:
    """As `pybabel extract --ignore-dirs ".* __pycache__"`: templates/_macros is scanned."""
    name = os.path.basename(directory)
    return not name.startswith(".") and name != "__pycache__"


def marked_strings() -> dict[str, str]:
    """Every msgid the code and templates mark, as `make translations` extracts them, with the
    first place it comes from."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=scanned
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalogue():
    with open(CATALOGUE, "rb") as po:
        return read_po(po, locale="lo")


def translation(message) -> str:
    return message.string[0] if isinstance(message.string, tuple) else message.string


def english(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_every_marked_string_has_a_lao_translation(catalogue):
    missing = []
    for msgid, where in sorted(marked_strings().items(), key=lambda kv: kv[1]):
        message = catalogue.get(msgid)
        if message is None or not translation(message).strip() or message.fuzzy:
            missing.append(f"{where}: {msgid!r}")
    assert not missing, (
        f"{len(missing)} strings have no Lao translation (run `make translations`, then "
        "translate them in translations/lo/LC_MESSAGES/messages.po):\n" + "\n".join(missing)
    )


def test_translations_keep_every_placeholder(catalogue):
    problems = [
        f"{message.id!r}: {error}"
        for message, errors in catalogue.check()
        for error in errors
        if message.id
    ]
    placeholder = re.compile(r"%\(\w+\)[sdrf]|%[sdr]")
    for message in catalogue:
        if message.id and message.string:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            wanted = {p for msgid in ids for p in placeholder.findall(msgid)}
            if set(placeholder.findall(translation(message))) != wanted:
                problems.append(f"{ids[0]!r}: placeholders differ from the English")
    assert not problems, "\n".join(problems)


def test_translations_are_in_lao_script_with_the_stored_spelling(catalogue):
    """Each translation is Lao (not English left in place), spelt as the tracker stores Lao:
    ຳ as one letter, ໜ and ໝ as the ligatures (tracker/models/base.py)."""
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        text = translation(message)
        if text and not LAO.search(text) and re.search(r"[a-z]{3}", english(message)):
            problems.append(f"{message.id!r}: {text!r} has no Lao")
        if "\u0ecd\u0eb2" in text or "ຫນ" in text or "ຫມ" in text:
            problems.append(f"{message.id!r}: write ຳ, ໜ, ໝ as single letters")
    assert not problems, "\n".join(problems)


def glossary() -> list[dict]:
    with open(GLOSSARY, newline="") as f:
        return list(csv.DictReader(f))


def test_glossary_gives_each_term_in_lao_with_its_source():
    rows = glossary()
    assert len(rows) >= 50
    for row in rows:
        assert row["english"].strip() and row["source"].strip(), row
        assert LAO.search(row["lao"]), f"{row['english']}: no Lao term"
    terms = {row["english"] for row in rows}
    assert {"recommendation", "focal point", "deadline", "evidence"} <= terms


def test_catalogue_uses_the_glossary_for_the_checked_terms(catalogue):
    """Where the English says a checked glossary term, the Lao says the glossary's term, so the
    product calls one thing by one name."""
    checked = [row for row in glossary() if row.get("checked") == "yes"]
    assert checked, "the glossary marks the terms the catalogue must use (column 'checked')"
    problems = []
    for row in checked:
        term = re.compile(rf"\b{re.escape(row['english'])}s?\b", re.IGNORECASE)
        for message in catalogue:
            msgid = english(message)
            if msgid and term.search(msgid) and row["lao"] not in translation(message):
                problems.append(f"{msgid!r}: '{row['english']}' is '{row['lao']}' in Lao")
    assert not problems, "\n".join(problems)


def test_a_page_in_lao_comes_from_the_compiled_catalogue(app, client, catalogue):
    """`make test` compiles the catalogue; the login page then speaks Lao to a Lao browser."""
    page = client.get("/login", headers={"Accept-Language": "lo"}).get_data(as_text=True)
    assert '<html lang="lo">' in page
    for msgid in ("Sign in", "Password"):
        lao = translation(catalogue.get(msgid))
        assert LAO.search(lao) and lao in page
