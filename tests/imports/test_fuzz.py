"""No input crashes the parsers: they import, report problems, or refuse with ImportFileError."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coffeechat.imports.parsers import open_file
from coffeechat.imports.records import (
    ColumnMapping,
    Format,
    ImportFileError,
    MessageRecord,
    PersonRecord,
    Problem,
)
from coffeechat.imports.writers import EXPORT_HEADER

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HEADERS = [
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    "First Name,Last Name,Email Address,Company,Position,Connected On",
    "Vorname;Nachname;URL;E-Mail-Adresse;Unternehmen;Position;Verbunden am",
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER",
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl",
    "Name,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value,"
    "Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,Website 1 - Value",
    "First Name,Middle Name,Last Name,Title,Suffix,Company,Department,Job Title,"
    "E-mail Address,E-mail 2 Address,Mobile Phone,Business Phone,Home Phone,Notes,Web Page",
    "First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Work Phone,"
    "Mobile Number,Job Title,Organization,Web Page 1,Notes",
    ",".join(EXPORT_HEADER),
    "Full Name,Class,Degree,Employer,Job Title,E-mail,City,LinkedIn",
    "Notes:",
    "",
]

_cell = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            '"',
            '""',
            '"a,b"',
            "a\nb",
            "\r",
            "\x00",
            ";",
            "\t",
            ",",
            "* x ::: y",
            "'=1+1",
            "5-Jan-26",
            "1/8/18, 6:14 PM",
            "2026-01-05 14:03:11 UTC",
            "INCOMING",
            "OUTGOING",
            "https://www.linkedin.com/in/%E2%82%AC%zz",
            "http://[::1",
            "a@b.c",
            "'19",
            "Doe, Jane, PhD",
        ]
    ),
    st.just("x" * 150_000),
)
_row = st.lists(_cell, max_size=12)


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.sampled_from(HEADERS))
    if delimiter != ",":
        header = header.replace(",", delimiter)
    rows = draw(st.lists(_row, max_size=8))
    lines = [header] + [
        delimiter.join(cell if draw(st.booleans()) else f'"{cell}"' for cell in row) for row in rows
    ]
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        cut = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:cut] + draw(st.binary(max_size=20))
    return data


_vcard_value = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            ";;;;",
            "Doe;Jane;;;",
            "J=C3=B6rg",
            "broken=ZZ",
            "soft break=",
            "=",
            "a\\nb\\,c\\;d\\",
            "x-apple:someone",
            "https://www.linkedin.com/in/someone",
            "tel:+1-555",
            "mailto:a@b.c",
            "BEGIN:VCARD",
            "VCARD",
            "2.1",
            "4.0",
            "COMPANY",
        ]
    ),
)
_vcard_params = st.lists(
    st.sampled_from(
        [
            "",
            "TYPE=CELL",
            "type=pref",
            "PREF=1",
            "PREF=x",
            "CELL",
            "QUOTED-PRINTABLE",
            "ENCODING=QUOTED-PRINTABLE",
            "ENCODING=BASE64",
            "ENCODING=b",
            "CHARSET=UTF-8",
            "CHARSET=ISO-8859-1",
            "CHARSET=no-such-charset",
            'X-USER="a:b"',
            '"unterminated',
            "=",
            "type=linkedin",
            "X-SERVICE-TYPE=LinkedIn",
        ]
    ),
    max_size=4,
)
_vcard_names = st.sampled_from(
    [
        "N",
        "FN",
        "EMAIL",
        "TEL",
        "ORG",
        "TITLE",
        "ROLE",
        "NOTE",
        "ADR",
        "URL",
        "IMPP",
        "X-SOCIALPROFILE",
        "CATEGORIES",
        "PHOTO",
        "AGENT",
        "VERSION",
        "KIND",
        "X-ABShowAs",
        "item1.EMAIL",
        "item1.X-ABLabel",
        "item1.URL",
        "X-COFFEECHAT-CONNECTED-ON",
        "X-COFFEECHAT-CLASS-YEAR",
        "BAD NAME",
        "",
    ]
)


@st.composite
def vcard_text(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        lines.append(draw(st.sampled_from(["BEGIN:VCARD", "begin:vcard", " BEGIN:VCARD"])))
        for _ in range(draw(st.integers(min_value=0, max_value=8))):
            name = draw(_vcard_names)
            params = "".join(";" + p for p in draw(_vcard_params))
            line = f"{name}{params}:{draw(_vcard_value)}"
            # Fold anywhere, sometimes without the leading space a fold needs.
            if line and draw(st.booleans()):
                at = draw(st.integers(min_value=0, max_value=len(line)))
                line = line[:at] + "\r\n" + draw(st.sampled_from([" ", "\t", ""])) + line[at:]
            lines.append(line)
        if draw(st.booleans()) or draw(st.booleans()):
            lines.append("END:VCARD")
    text = "\r\n".join(lines)
    if draw(st.booleans()):
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return text


def _check(data: bytes, suffix: str, **options: object) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            parsed = open_file(path, **options)  # type: ignore[arg-type]
            records = list(parsed.records)
        except ImportFileError as error:
            assert str(error).startswith(f"fuzz{suffix}: ")
            return
    for record in records:
        assert isinstance(record, PersonRecord | MessageRecord | Problem)
        if isinstance(record, PersonRecord):
            assert record.first_name or record.last_name
            assert record.line >= 1
            assert all(isinstance(problem, Problem) for problem in record.problems)


@given(csv_bytes())
@FUZZ
@example(b'First Name,Last Name\n"Jane,Doe\n')
@example(b"Name\n" + b'"' + b"x" * 300_000)
@example(b'Name;Notes\nJane;"a\x00b"\n')
def test_it_never_crashes_on_malformed_csv(data: bytes) -> None:
    _check(data, ".csv")


@given(csv_bytes(), st.sampled_from(list(Format)))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_it_never_crashes_when_told_a_format(data: bytes, format: Format) -> None:
    _check(data, ".csv", format=format)


@given(
    csv_bytes(),
    st.dictionaries(
        st.sampled_from(["full_name", "first_name", "last_name", "email", "phone", "class_year",
                         "connected_on", "linkedin_url", "tags", "notes", "unknown"]),
        st.integers(min_value=-2, max_value=15),
    ),
)  # fmt: skip
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_it_never_crashes_with_any_mapping(data: bytes, columns: dict[str, int]) -> None:
    _check(data, ".csv", mapping=ColumnMapping(columns=columns, extra_emails=[3, 99]))


@given(vcard_text(), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
@FUZZ
@example("BEGIN:VCARD\r\nN;ENCODING=QUOTED-PRINTABLE:Doe;J=\r\nEND:VCARD", "utf-8")
@example("BEGIN:VCARD\r\nAGENT:\r\nBEGIN:VCARD\r\nFN:Inner\r\nEND:VCARD\r\nFN:Outer\r\n", "utf-8")
def test_it_never_crashes_on_malformed_vcards(text: str, encoding: str) -> None:
    _check(text.encode(encoding, errors="replace"), ".vcf")


@given(st.binary(max_size=400))
@FUZZ
def test_it_never_crashes_on_random_bytes(data: bytes) -> None:
    _check(data, ".bin")
