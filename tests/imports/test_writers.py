"""Exports: our CSV (formula-safe, round trip) and vCard 4.0 (round trip, read by vobject)."""

from __future__ import annotations

import csv
import dataclasses
import io
import tempfile
from datetime import date
from pathlib import Path

import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.imports.parsers import open_file
from coffeechat.imports.records import Format, PersonRecord
from coffeechat.imports.writers import (
    EXPORT_HEADER,
    escape_cell,
    fold_line,
    join_values,
    split_values,
    unescape_cell,
    write_csv,
    write_vcards,
)
from tests.imports import people, problems

AMARA = PersonRecord(
    line=1,
    first_name="Amara",
    last_name="Okonkwo",
    emails=["amara@example.com", "a.okonkwo@example.org"],
    phones=["+1 415 555 0100", "(415) 555-0101"],
    linkedin_url="https://www.linkedin.com/in/amara-okonkwo-3b1a2c",
    organization="Brightwater Analytics, Inc.",
    department="Research; Churn",
    title='=HYPERLINK("http://evil.example")',
    location="San Francisco, CA",
    notes="Met at PyData.\nFollow up about the\\ referral; maybe in March.",
    tags=["mentor", "data; ml", "a,b", "@home"],
    connected_on=date(2026, 1, 5),
    affiliation_detail="MSc Statistics",
    class_year=2014,
)
JURGEN = PersonRecord(
    line=2,
    first_name="Jürgen",
    last_name="Müller-Lüdenscheidt 🙂",
    organization="Nordlicht GmbH",
    notes="Ä" * 120,  # folded between multi-byte characters
)


def _export_csv(records: list[PersonRecord]) -> str:
    out = io.StringIO(newline="")
    write_csv(records, out)
    return out.getvalue()


def _export_vcards(records: list[PersonRecord]) -> str:
    out = io.StringIO(newline="")
    write_vcards(records, out)
    return out.getvalue()


def _reimport(text: str, suffix: str) -> list[PersonRecord]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"export{suffix}"
        path.write_text(text, encoding="utf-8", newline="")
        parsed = open_file(path)
        records = list(parsed.records)
    assert parsed.format == (Format.COFFEECHAT if suffix == ".csv" else Format.VCARD)
    assert problems(records) == []
    return people(records)


def _fields(record: PersonRecord) -> dict[str, object]:
    """Every field but the line and the problems, which a round trip does not keep."""
    return {
        field.name: getattr(record, field.name)
        for field in dataclasses.fields(record)
        if field.name not in ("line", "problems")
    }


def _same(a: PersonRecord, b: PersonRecord) -> bool:
    return _fields(a) == _fields(b)


def test_it_escapes_cells_a_spreadsheet_would_run() -> None:
    for value in ("=1+1", "+A1", "-2+SUM(A1)", "+cmd|' /C calc'!A0", "-", "@SUM(A1)", "\tx"):
        assert escape_cell(value) == "'" + value
    for value in ("\rx", "'quoted", "+1 (415) 555-0100 ext 2", "--"):
        assert escape_cell(value) == "'" + value


def test_it_leaves_phone_numbers_and_numbers_as_they_are() -> None:
    for value in ("+1 847-555-0139", "+44 (0)20 7946 0958", "-2", "-12.5", "+49/30/1234"):
        assert escape_cell(value) == value
    for value in ("", "plain", "a=b", "1-2", "x@y"):
        assert escape_cell(value) == value


@given(st.text(max_size=30))
@settings(max_examples=200, deadline=None)
def test_it_unescapes_exactly_what_it_escaped(value: str) -> None:
    assert unescape_cell(escape_cell(value)) == value


@given(st.lists(st.text(max_size=12).map(str.strip).filter(bool), max_size=6))
@settings(max_examples=200, deadline=None)
def test_it_splits_exactly_what_it_joined(values: list[str]) -> None:
    assert split_values(join_values(values)) == values


def test_it_writes_our_header_and_formula_safe_cells() -> None:
    text = _export_csv([AMARA])
    assert text.startswith("\ufeffFirst Name,")  # a BOM: Excel on Windows reads UTF-8
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))

    assert rows[0] == EXPORT_HEADER
    row = dict(zip(EXPORT_HEADER, rows[1], strict=True))
    assert row["Title"] == '\'=HYPERLINK("http://evil.example")'
    assert row["Phones"] == "+1 415 555 0100; (415) 555-0101"  # a number, not a formula
    assert row["Emails"] == "amara@example.com; a.okonkwo@example.org"
    assert row["Tags"] == "mentor; data\\; ml; a,b; @home"
    assert row["Connected On"] == "2026-01-05"
    assert row["Class Year"] == "2014"
    assert all(not cell.startswith(("=", "@")) for cell in rows[1])


def test_it_round_trips_our_csv() -> None:
    back = _reimport(_export_csv([AMARA, JURGEN]), ".csv")

    assert [_same(a, b) for a, b in zip([AMARA, JURGEN], back, strict=True)] == [True, True]


def test_it_round_trips_vcards() -> None:
    back = _reimport(_export_vcards([AMARA, JURGEN]), ".vcf")

    assert [_same(a, b) for a, b in zip([AMARA, JURGEN], back, strict=True)] == [True, True]


def test_it_writes_vcard_4_with_crlf_and_lines_of_at_most_75_octets() -> None:
    text = _export_vcards([AMARA, JURGEN])

    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    assert "ORG:Brightwater Analytics\\, Inc.;Research\\; Churn\r\n" in text
    assert "X-COFFEECHAT-CONNECTED-ON:2026-01-05\r\n" in text
    assert "X-COFFEECHAT-CLASS-YEAR:2014\r\n" in text
    assert "EMAIL;PREF=1:amara@example.com\r\n" in text


def test_it_folds_without_splitting_a_character() -> None:
    folded = fold_line("NOTE:" + "ä€😀" * 40)

    for line in folded.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75
        line.encode("utf-8").decode("utf-8")  # each physical line is whole characters
    assert folded.replace("\r\n ", "") == "NOTE:" + "ä€😀" * 40 + "\r\n"


def test_it_writes_vcards_a_second_library_reads() -> None:
    cards = list(vobject.readComponents(_export_vcards([AMARA, JURGEN])))

    amara, jurgen = cards
    assert amara.n.value.family == "Okonkwo"
    assert amara.n.value.given == "Amara"
    assert amara.fn.value == "Amara Okonkwo"
    assert [e.value for e in amara.contents["email"]] == AMARA.emails
    assert [t.value for t in amara.contents["tel"]] == AMARA.phones
    assert amara.org.value == ["Brightwater Analytics, Inc.", "Research; Churn"]
    assert amara.title.value == AMARA.title
    assert amara.note.value == AMARA.notes
    assert amara.categories.value == AMARA.tags
    assert amara.url.value == AMARA.linkedin_url
    assert amara.adr.value.city == "San Francisco, CA"
    assert amara.contents["x-coffeechat-class-year"][0].value == "2014"
    assert jurgen.n.value.family == "Müller-Lüdenscheidt 🙂"
    assert jurgen.note.value == "Ä" * 120


# Round trips of any record our importer could have produced.

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=25
).map(str.strip)
_notes = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), whitelist_characters="\n"
    ),
    max_size=60,
).map(str.strip)
_email = st.from_regex(r"[a-z0-9][a-z0-9_+-]{0,11}@[a-z0-9]{1,10}\.[a-z]{2,6}", fullmatch=True)
_phone = st.from_regex(r"\+?[0-9][0-9 ()./-]{3,15}[0-9]", fullmatch=True).map(str.strip)
_handle = st.from_regex(r"[a-z0-9][a-z0-9-]{2,30}", fullmatch=True)
_tag = _text.filter(lambda t: bool(t) and t not in ("myContacts", "My Contacts"))

records = st.builds(
    PersonRecord,
    line=st.just(1),
    first_name=_text.filter(bool),
    last_name=_text,
    emails=st.lists(_email, max_size=3, unique_by=str.lower),
    phones=st.lists(_phone, max_size=3, unique=True),
    linkedin_url=st.one_of(st.just(""), _handle.map(lambda h: f"https://www.linkedin.com/in/{h}")),
    organization=_text,
    department=_text,
    title=_text,
    location=_text,
    notes=_notes,
    tags=st.lists(_tag, max_size=4, unique=True),
    connected_on=st.one_of(st.none(), st.dates(min_value=date(2003, 1, 1))),
    affiliation_detail=_text,
    class_year=st.one_of(st.none(), st.integers(min_value=1900, max_value=2030)),
)


@given(st.lists(records, min_size=1, max_size=5))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_it_round_trips_any_record_through_csv(batch: list[PersonRecord]) -> None:
    back = _reimport(_export_csv(batch), ".csv")

    assert [_fields(r) for r in back] == [_fields(r) for r in batch]


@given(st.lists(records, min_size=1, max_size=5))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_it_round_trips_any_record_through_vcard(batch: list[PersonRecord]) -> None:
    back = _reimport(_export_vcards(batch), ".vcf")

    assert [_fields(r) for r in back] == [_fields(r) for r in batch]
