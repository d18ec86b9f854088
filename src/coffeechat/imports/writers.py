"""Exporting people: our CSV format and vCard 4.0.

The CSV format
--------------
One row per person under the header :data:`EXPORT_HEADER`. Several values in one cell
(Emails, Phones, Tags) are joined with ``"; "``; a ``;`` or ``\\`` inside a value is
escaped with a backslash (``\\;``, ``\\\\``), so splitting is never ambiguous. Dates are
ISO (``2026-01-05``). The file is safe to open in a spreadsheet: a cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return — which a spreadsheet would run as
a formula — gets a leading ``'``, and so does a cell that itself starts with ``'``, so
that :func:`unescape_cell` restores every cell exactly. Our importer recognises the
header and reverses the escaping.

Write to a text file opened with ``newline=""`` (rows end with CRLF, as RFC 4180
says). Spreadsheets on Windows read UTF-8 best with a byte-order mark: the caller may
write ``"\\ufeff"`` first; our importer accepts either.

The vCard format
----------------
vCard 4.0 (RFC 6350): ``N``, ``FN``, ``EMAIL`` and ``TEL`` (the first with ``PREF=1``),
``ORG:organization;department``, ``TITLE``, ``NOTE``, ``URL`` for the LinkedIn profile,
the location as the locality of a work ``ADR``, ``CATEGORIES`` for tags, and
``X-COFFEECHAT-CONNECTED-ON``, ``X-COFFEECHAT-CLASS-YEAR`` and
``X-COFFEECHAT-AFFILIATION-DETAIL`` for the fields vCard has no property for. Lines end
with CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TextIO

from coffeechat.imports.records import PersonRecord

EXPORT_HEADER = [
    "First Name",
    "Last Name",
    "Emails",
    "Phones",
    "LinkedIn URL",
    "Organization",
    "Department",
    "Title",
    "Location",
    "Tags",
    "Notes",
    "Connected On",
    "Class Year",
    "Affiliation Detail",
    "Coffeechat ID",  # last: exports written before it existed are read as well
]
VALUE_SEPARATOR = "; "

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_UNESCAPED_SEMICOLON = re.compile(r"(?<!\\)((?:\\\\)*);")
_BACKSLASH_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def escape_cell(value: str) -> str:
    """``"=1+1"`` → ``"'=1+1"``: what a spreadsheet would take for a formula gets a ``'``."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def unescape_cell(value: str) -> str:
    """The exact inverse of :func:`escape_cell` on anything it wrote."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r'":
        return value[1:]
    return value


def join_values(values: Iterable[str]) -> str:
    """``["a", "b;c"]`` → ``"a; b\\;c"``."""
    return VALUE_SEPARATOR.join(
        value.replace("\\", "\\\\").replace(";", "\\;") for value in values if value
    )


def split_values(cell: str) -> list[str]:
    """The inverse of :func:`join_values`; blank pieces are dropped, pieces are stripped."""
    if not cell:
        return []
    if "\\" not in cell:
        return [piece.strip() for piece in cell.split(";") if piece.strip()]
    pieces: list[str] = []
    current: list[str] = []
    escaped = False
    for char in cell:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ";":
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def _csv_row(record: PersonRecord) -> list[str]:
    return [
        record.first_name,
        record.last_name,
        join_values(record.emails),
        join_values(record.phones),
        record.linkedin_url,
        record.organization,
        record.department,
        record.title,
        record.location,
        join_values(record.tags),
        record.notes,
        record.connected_on.isoformat() if record.connected_on else "",
        str(record.class_year) if record.class_year is not None else "",
        record.affiliation_detail,
        record.uid,
    ]


def write_csv(records: Iterable[PersonRecord], out: TextIO) -> None:
    """Our CSV export (see the module's docstring), streamed record by record."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for record in records:
        writer.writerow([escape_cell(cell) for cell in _csv_row(record)])


# vCard 4.0


def _text(value: str) -> str:
    """A vCard TEXT value: backslash, comma, semicolon and newlines escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """``line`` folded into CRLF-ended physical lines of at most 75 octets of UTF-8."""
    if len(line) <= 75 and line.isascii():
        return line + "\r\n"
    out: list[str] = []
    current: list[str] = []
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8", "surrogatepass"))
        if size + width > limit:
            out.append("".join(current))
            current = [" "]
            size = 1
            limit = 75
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out) + "\r\n"


def _vcard_lines(record: PersonRecord) -> list[str]:
    full_name = " ".join(part for part in (record.first_name, record.last_name) if part)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        *([f"UID:{record.uid}"] if record.uid else []),
        f"FN:{_text(full_name)}",
        f"N:{_text(record.last_name)};{_text(record.first_name)};;;",
    ]
    for position, email in enumerate(record.emails):
        lines.append(f"EMAIL{';PREF=1' if position == 0 else ''}:{_text(email)}")
    for position, phone in enumerate(record.phones):
        lines.append(f"TEL{';PREF=1' if position == 0 else ''}:{_text(phone)}")
    if record.organization or record.department:
        org = _text(record.organization)
        lines.append(f"ORG:{org};{_text(record.department)}" if record.department else f"ORG:{org}")
    if record.title:
        lines.append(f"TITLE:{_text(record.title)}")
    if record.linkedin_url:
        lines.append(f"URL;TYPE=work:{record.linkedin_url}")
    if record.location:
        lines.append(f"ADR;TYPE=work:;;;{_text(record.location)};;;")
    if record.tags:
        lines.append("CATEGORIES:" + ",".join(_text(tag) for tag in record.tags if tag))
    if record.notes:
        lines.append(f"NOTE:{_text(record.notes)}")
    if record.connected_on:
        lines.append(f"X-COFFEECHAT-CONNECTED-ON:{record.connected_on.isoformat()}")
    if record.class_year is not None:
        lines.append(f"X-COFFEECHAT-CLASS-YEAR:{record.class_year}")
    if record.affiliation_detail:
        lines.append(f"X-COFFEECHAT-AFFILIATION-DETAIL:{_text(record.affiliation_detail)}")
    lines.append("END:VCARD")
    return lines


def write_vcards(records: Iterable[PersonRecord], out: TextIO) -> None:
    """vCard 4.0 cards (see the module's docstring), one per record, streamed.

    Write to a text file opened with ``newline=""`` and UTF-8 so the CRLFs stay as they are.
    """
    for record in records:
        out.write("".join(fold_line(line) for line in _vcard_lines(record)))
