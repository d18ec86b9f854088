"""Tests for imports. Sample files (invented people, written by hand) live in ``samples/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coffeechat.imports.parsers import open_file
from coffeechat.imports.records import ParsedFile, PersonRecord, Problem, Record

SAMPLES = Path(__file__).parent / "samples"


def parse(path: Path, **options: Any) -> tuple[ParsedFile, list[Record]]:
    """(ParsedFile, all its records) for ``path``."""
    parsed = open_file(path, **options)
    return parsed, list(parsed.records)


def people(records: list[Record]) -> list[PersonRecord]:
    return [record for record in records if isinstance(record, PersonRecord)]


def problems(records: list[Record]) -> list[Problem]:
    return [record for record in records if isinstance(record, Problem)]
