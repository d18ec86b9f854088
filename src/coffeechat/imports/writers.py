"""Exporting people: our CSV format and vCard 4.0 or 3.0.

The CSV format
--------------
A UTF-8 byte-order mark (so that Excel on Windows reads the accents right), then one
row per person under the header :data:`EXPORT_HEADER`. Several values in one cell
(Emails, Phones, Tags, Groups) are joined with ``"; "``; a ``;`` or ``\\`` inside a
value is escaped with a backslash (``\\;``, ``\\\\``), so splitting is never
ambiguous. Dates are ISO (``2026-01-05``).

How each person is connected to you: "Connection" is the kind of your tie
(``friend``, ``colleague``…) or ``none`` when there is no tie between you (a friend of
a friend, someone from a directory); "Connection Strength" (1–5), "Connection Note"
and "Connected On" (the tie's date) describe it. "Groups" lists every membership as
``name | kind | detail | class year | start year | end year`` (a ``|`` or ``\\``
inside a part is escaped with a backslash; empty parts at the end are left out).
"Class Year" and "Affiliation Detail" repeat the first membership's, for
spreadsheets and older importers.

The formula guard (:func:`escape_cell`): a spreadsheet evaluates a cell that starts
with ``=``, ``+``, ``-`` or ``@`` (and some also one that starts with a tab or a
carriage return). Such a cell gets a leading ``'`` — except a cell that starts with
``+`` or ``-`` and holds nothing but digits, spaces and ``( ) . , ; + - /`` (a phone
number such as ``+1 847-555-0139``, several of them, a negative number): without a
letter, a quote, ``!``, ``|``, ``=`` or ``@`` there is no function, reference or link a
spreadsheet could run. A cell that itself starts with ``'`` gets one more, so that
:func:`unescape_cell` restores every cell exactly. Our importer reverses it.

Write to a text file opened with ``newline=""`` (rows end with CRLF, as RFC 4180 says).

The vCard format
----------------
vCard 4.0 (RFC 6350) or 3.0 (RFC 2426): ``N``, ``FN``, ``EMAIL`` and ``TEL`` with their
types (``TYPE=work,cell``; the first is preferred: ``PREF=1`` in 4.0, ``TYPE=pref`` in
3.0), ``ORG:organization;department``, ``TITLE``, ``NOTE``, ``URL`` for the LinkedIn
profile, the location as the locality of a work ``ADR``, ``CATEGORIES`` for tags, and
Coffeechat's own properties for what vCard has no property for:
``X-COFFEECHAT-CONNECTION:kind;strength;note`` (``none`` for no tie),
``X-COFFEECHAT-CONNECTED-ON``, and one
``X-COFFEECHAT-GROUP:name;kind;detail;class year;start year;end year`` per membership.
Lines end with CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TextIO

from coffeechat.imports.records import GroupRecord, PersonRecord

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
    "Coffeechat ID",  # exports written before it existed are read as well
    # Newer still: an export without them is read as before.
    "Connection",
    "Connection Strength",
    "Connection Note",
    "Groups",
]
NO_CONNECTION = "none"
VCARD_VERSIONS = ("4.0", "3.0")
VALUE_SEPARATOR = "; "

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
# After a leading + or -: what a phone number or a number holds, and nothing a formula needs.
_NUMBER_LIKE = re.compile(r"[0-9 ().,;+\-/]*[0-9][0-9 ().,;+\-/]*")
_UNESCAPED_SEMICOLON = re.compile(r"(?<!\\)((?:\\\\)*);")
_BACKSLASH_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def needs_guard(value: str) -> bool:
    """Whether a spreadsheet would evaluate ``value`` (or it starts with our own ``'``)."""
    if not value.startswith(_FORMULA_STARTS):
        return False
    if value[0] in "+-":
        return _NUMBER_LIKE.fullmatch(value[1:]) is None
    return True


def escape_cell(value: str) -> str:
    """``"=1+1"`` → ``"'=1+1"``: what a spreadsheet would run gets a ``'``.

    ``"+1 847-555-0139"`` and ``"-12.5"`` stay as they are: numbers, never formulas.
    """
    return "'" + value if needs_guard(value) else value


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


def _escape_part(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def _year(value: int | None) -> str:
    return str(value) if value is not None else ""


def group_text(group: GroupRecord) -> str:
    """``Northfield University | school | BA Economics | 2015``."""
    parts = [
        group.name,
        group.kind,
        group.detail,
        _year(group.class_year),
        _year(group.start_year),
        _year(group.end_year),
    ]
    while parts and not parts[-1]:
        parts.pop()
    return " | ".join(_escape_part(" ".join(part.split())) for part in parts)


def split_group_text(text: str) -> list[str]:
    """The inverse of :func:`group_text`: its six parts (missing ones empty)."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return (parts + [""] * 6)[:6] if len(parts) <= 6 else parts


def _connection_cells(record: PersonRecord) -> list[str]:
    connection = record.connection
    if connection is None:
        return ["", "", ""]
    if not connection.kind:
        return [NO_CONNECTION, "", ""]
    return [connection.kind, _year(connection.strength), connection.note]


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
        *_connection_cells(record),
        join_values(group_text(group) for group in record.groups),
    ]


def write_csv(records: Iterable[PersonRecord], out: TextIO) -> None:
    """Our CSV export (see the module's docstring), streamed record by record."""
    out.write("\ufeff")
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


def _typed(name: str, kinds: str, preferred: bool, version: str) -> str:
    types = [kind for kind in kinds.split(",") if kind and kind != "pref"]
    if preferred and version == "3.0":
        types.append("pref")
    params = f";TYPE={','.join(types)}" if types else ""
    if preferred and version != "3.0":
        params += ";PREF=1"
    return name + params


def _vcard_lines(record: PersonRecord, version: str = "4.0") -> list[str]:
    full_name = " ".join(part for part in (record.first_name, record.last_name) if part)
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        *([f"UID:{record.uid}"] if record.uid else []),
        f"FN:{_text(full_name)}",
        f"N:{_text(record.last_name)};{_text(record.first_name)};;;",
    ]
    for position, email in enumerate(record.emails):
        kinds = record.email_kinds.get(email, "")
        if version == "3.0":
            kinds = ",".join(["internet", *(k for k in kinds.split(",") if k != "internet")])
        lines.append(f"{_typed('EMAIL', kinds, position == 0, version)}:{_text(email)}")
    for position, phone in enumerate(record.phones):
        kinds = record.phone_kinds.get(phone, "")
        lines.append(f"{_typed('TEL', kinds, position == 0, version)}:{_text(phone)}")
    if record.organization or record.department:
        org = _text(record.organization)
        lines.append(f"ORG:{org};{_text(record.department)}" if record.department else f"ORG:{org}")
    if record.title:
        lines.append(f"TITLE:{_text(record.title)}")
    if record.linkedin_url:
        url_type = "" if version == "3.0" else ";TYPE=work"
        lines.append(f"URL{url_type}:{record.linkedin_url}")
    if record.location:
        lines.append(f"ADR;TYPE=work:;;;{_text(record.location)};;;")
    if record.tags:
        lines.append("CATEGORIES:" + ",".join(_text(tag) for tag in record.tags if tag))
    if record.notes:
        lines.append(f"NOTE:{_text(record.notes)}")
    connection = record.connection
    if connection is not None:
        if connection.kind:
            parts = [connection.kind, _year(connection.strength), _text(connection.note)]
            while parts and not parts[-1]:
                parts.pop()
            lines.append("X-COFFEECHAT-CONNECTION:" + ";".join(parts))
        else:
            lines.append(f"X-COFFEECHAT-CONNECTION:{NO_CONNECTION}")
    if record.connected_on:
        lines.append(f"X-COFFEECHAT-CONNECTED-ON:{record.connected_on.isoformat()}")
    for group in record.groups:
        parts = [
            _text(group.name),
            group.kind,
            _text(group.detail),
            _year(group.class_year),
            _year(group.start_year),
            _year(group.end_year),
        ]
        while parts and not parts[-1]:
            parts.pop()
        lines.append("X-COFFEECHAT-GROUP:" + ";".join(parts))
    if not record.groups:
        if record.class_year is not None:
            lines.append(f"X-COFFEECHAT-CLASS-YEAR:{record.class_year}")
        if record.affiliation_detail:
            lines.append(f"X-COFFEECHAT-AFFILIATION-DETAIL:{_text(record.affiliation_detail)}")
    lines.append("END:VCARD")
    return lines


def write_vcards(records: Iterable[PersonRecord], out: TextIO, version: str = "4.0") -> None:
    """vCard 4.0 or 3.0 cards (see the module's docstring), one per record, streamed.

    Write to a text file opened with ``newline=""`` and UTF-8 so the CRLFs stay as they are.
    """
    if version not in VCARD_VERSIONS:
        raise ValueError(f"vCard version {version!r}: choose 4.0 or 3.0.")
    for record in records:
        out.write("".join(fold_line(line) for line in _vcard_lines(record, version)))
