"""Reading and checking the seed files before anything is written: every problem is reported with
its file, line and field, and a single problem means nothing is loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tracker.models import (
    AssignmentRole,
    BodyKind,
    IndicatorDirection,
    Position,
    SourceKind,
    Status,
)

LINE = "__line__"


class SeedError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the seed data")
        self.problems = problems


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that remembers the line where each mapping starts."""


def _mapping_with_line(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


def _timestamp_or_text(loader, node):
    """An impossible date (2020-02-30) stays text, so the checker can say where it is."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def read_yaml(path: Path, problems: list[str]):
    if not path.exists():
        problems.append(f"{path}: missing file")
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"{path}: not UTF-8 (byte {exc.start}): save the file as UTF-8")
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.append(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}")
        return None


@dataclass
class Checker:
    """Collects problems about one entry: `file, line N (code): field 'x': what is wrong`."""

    path: Path
    entry: dict
    problems: list[str]
    label: str = ""
    allowed: set[str] = field(default_factory=set)

    def problem(self, field_name: str | None, message: str) -> None:
        where = f"{self.path}, line {self.entry.get(LINE, '?')}"
        if self.label:
            where += f" ({self.label})"
        if field_name:
            where += f", field '{field_name}'"
        self.problems.append(f"{where}: {message}")

    def unknown_fields(self) -> None:
        for key in self.entry:
            if key != LINE and key not in self.allowed:
                self.problem(key, "unknown field")

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.entry.get(name)
        if value is None or value == "":
            if required:
                self.problem(name, "is required")
            return None
        if not isinstance(value, str | int | float):
            self.problem(name, "must be text")
            return None
        return str(value).strip()

    def integer(self, name: str) -> int | None:
        value = self.entry.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(name, f"must be a whole number, not {value!r}")
            return None
        return value

    def number(self, name: str, entry: dict | None = None):
        value = (entry or self.entry).get(name)
        if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
            return value
        self.problem(name, f"must be a number, not {value!r}")
        return None

    def date(self, name: str) -> dt.date | None:
        value = self.entry.get(name)
        if value is None:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problem(name, f"{value!r} is not a real date (YYYY-MM-DD)")
            return None

    def choice(self, name: str, enum_cls, default=None):
        value = self.entry.get(name)
        if value is None:
            if default is None:
                self.problem(name, "is required")
            return default
        try:
            return enum_cls.from_value(str(value))
        except ValueError:
            allowed = ", ".join(m.value for m in enum_cls)
            self.problem(name, f"{value!r} is not one of: {allowed}")
            return default

    def string_list(self, name: str) -> list[str]:
        value = self.entry.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
            self.problem(name, "must be a list of texts")
            return []
        return [str(v).strip() for v in value]

    def mapping(self, name: str) -> dict:
        value = self.entry.get(name) or {}
        if not isinstance(value, dict):
            self.problem(name, "must be a mapping")
            return {}
        return value


ENUMS = {
    "kind_source": SourceKind,
    "kind_body": BodyKind,
    "position": Position,
    "status": Status,
    "role": AssignmentRole,
    "direction": IndicatorDirection,
}


def entries(document, key: str, path: Path, problems: list[str]) -> list[dict]:
    """The list under `key` (or the document itself when key is empty), mappings only."""
    value = document if not key else (document or {}).get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f"{path}: '{key or 'the file'}' must be a list")
        return []
    good = []
    for i, item in enumerate(value, 1):
        if isinstance(item, dict):
            good.append(item)
        else:
            problems.append(f"{path}: entry {i} of '{key or 'the file'}' must be a mapping")
    return good
