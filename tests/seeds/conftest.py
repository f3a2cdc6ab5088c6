"""Seed-fidelity helpers: the seed documents and the YAML transcription, read as plain data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
DOCUMENTS = ROOT.parent / "shared" / "seed-documents"


def normalize(text: str) -> str:
    """Compare text as a reader sees it: no markdown emphasis or escapes, single spaces."""
    text = text.replace("\\$", "$").replace("\\_", "_")
    text = re.sub(r"</?sup>", "", text)
    text = text.replace("**", "").replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


def load_source_files() -> dict[str, dict]:
    return {
        p.name: yaml.safe_load(p.read_text("utf-8"))
        for p in sorted((SEEDS / "sources").glob("*.yaml"))
    }


@pytest.fixture(scope="session")
def source_files() -> dict[str, dict]:
    return load_source_files()


@pytest.fixture(scope="session")
def documents() -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in DOCUMENTS.glob("*.txt")}
