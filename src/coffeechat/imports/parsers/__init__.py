"""File parsers: a file in, a stream of plain records out (no database here).

:func:`open_file` recognises the format from the content (unless told), reads the
header and a sample, and raises :class:`ImportFileError` for files that cannot be
imported at all. The records then stream from the file as they are iterated, so
memory stays bounded whatever the file's size. While iterating, the only exception
that can come out is :class:`ImportFileError` (a file that turns out damaged half
way); everything wrong with single rows or cards is a :class:`Problem` record.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from coffeechat.imports.formats import label_of
from coffeechat.imports.parsers.csvfiles import (
    Plan,
    Row,
    RowBuilder,
    allow_huge_fields,
    is_blank,
    read_rows,
    sample_rows,
    sniff_delimiter,
)
from coffeechat.imports.parsers.encoding import Sniffed, sniff, text_stream
from coffeechat.imports.parsers.formats import recognise
from coffeechat.imports.parsers.linkedin import invitation_records, message_records
from coffeechat.imports.parsers.mapping import (
    MAPPABLE_FIELDS,
    has_name_column,
    header_signature,
    suggest_mapping,
)
from coffeechat.imports.parsers.vcard import VCardReader
from coffeechat.imports.records import (
    ColumnMapping,
    Format,
    ImportFileError,
    KnownRow,
    ParsedFile,
    PersonRecord,
    Problem,
    Record,
    RowPrints,
)

__all__ = [
    "MAPPABLE_FIELDS",
    "header_signature",
    "open_file",
    "suggest_mapping",
]

Opener = Callable[[], AbstractContextManager[IO[bytes]]]

LINKEDIN_FORMATS = frozenset(
    {
        Format.LINKEDIN,
        Format.LINKEDIN_MESSAGES,
        Format.LINKEDIN_INVITATIONS,
        Format.LINKEDIN_ARCHIVE,
    }
)
_VCARD_START = re.compile(r"\s*BEGIN\s*:\s*VCARD\b", re.IGNORECASE)
_CALENDAR_START = re.compile(r"\s*BEGIN\s*:\s*VCALENDAR\b", re.IGNORECASE)
_JSON_START = re.compile(r"\s*(?:\{\s*(?:\"|\})|\[\s*(?:[\[{\"\]0-9-]|true|false|null))")
_MARKUP_START = re.compile(r"\s*<(?:\?xml|!doctype|html|[a-z][\w:-]*[\s>])", re.IGNORECASE)
_DAMAGE = (OSError, EOFError, zipfile.BadZipFile, zlib.error)


def open_file(
    path: Path,
    *,
    format: Format | None = None,
    mapping: ColumnMapping | None = None,
    name: str | None = None,
) -> ParsedFile:
    """Recognise ``path`` and get its records ready to stream.

    ``format`` forces a format (a LinkedIn format accepts any LinkedIn file or the
    archive); a file that is not of that format is an ImportFileError rather than a
    mess. ``mapping`` says which column feeds which field; it is used for any CSV
    of people (generic, Google, Outlook, LinkedIn connections, our export) and, for a
    generic CSV, replaces the suggested one. ``name`` is the file's name as the user
    knows it, used in messages.
    """
    name = name or path.name
    allow_huge_fields()

    def opener() -> IO[bytes]:
        return path.open("rb")

    try:
        with opener() as raw:
            sniffed = sniff(raw.read, name)
    except FileNotFoundError as exc:
        raise ImportFileError(f"{name}: the file is not there (any more).") from exc
    except OSError as exc:
        raise ImportFileError(f"{name}: the file could not be read ({exc}).") from exc
    if sniffed.is_zip:
        return _open_archive(path, name, format)
    _refuse_what_is_not_a_contact_list(name, sniffed.text.lstrip("\ufeff"))
    if _is_vcard(sniffed.text):
        if format not in (None, Format.VCARD):
            raise ImportFileError(
                f"{name}: this is a vCard file, not a {_label(format)} CSV file; "
                "import it as vCard."
            )
        return _open_vcard(opener, name, sniffed)
    if format == Format.VCARD:
        raise ImportFileError(f"{name}: there is no vCard (BEGIN:VCARD) in this file.")
    return _open_csv(opener, name, sniffed, format, mapping)


def _refuse_what_is_not_a_contact_list(name: str, text: str) -> None:
    """Calendars, JSON and web pages are text, but no list of people: say what they are."""
    if _CALENDAR_START.match(text):
        raise ImportFileError(
            f"{name}: this is a calendar file (.ics), not a contact list. Coffeechat does "
            "not read invitations from a calendar file; import a CSV or vCard (.vcf) file "
            "of people."
        )
    if _JSON_START.match(text):
        raise ImportFileError(
            f"{name}: this is a JSON file, not a contact list. Import a CSV file (one "
            "person per row, with a header) or a vCard (.vcf) file."
        )
    if _MARKUP_START.match(text):
        raise ImportFileError(
            f"{name}: this is a web page or an XML document, not a contact list. Import a "
            "CSV file (one person per row, with a header) or a vCard (.vcf) file."
        )


def _label(format: Format | None) -> str:
    return label_of(format)


def _is_vcard(text: str) -> bool:
    return bool(_VCARD_START.match(text.lstrip("\ufeff")))


def _guard(records: Iterator[Record], name: str) -> Iterator[Record]:
    """Reading errors half-way through the file become an ImportFileError naming the file."""
    try:
        yield from records
    except _DAMAGE as exc:
        raise ImportFileError(f"{name}: the file could not be read to the end ({exc}).") from exc


# vCard


def _open_vcard(opener: Opener, name: str, sniffed: Sniffed) -> ParsedFile:
    if sniffed.complete and "END:VCARD" not in sniffed.text.upper():
        raise ImportFileError(
            f"{name}: the vCard file is truncated: no card in it is complete "
            "(none ends with END:VCARD)."
        )

    def records() -> Iterator[Record]:
        reader = VCardReader(name, sniffed.encoding)
        with opener() as raw, text_stream(raw, sniffed) as text:
            yield from reader.records(text)

    return ParsedFile(
        format=Format.VCARD,
        header=[],
        header_line=0,
        encoding=sniffed.encoding,
        delimiter="",
        mapping=None,
        suggested_mapping=None,
        records=_guard(records(), name),
    )


# CSV


@dataclass(slots=True)
class _CsvShape:
    """What the sample told us about a CSV file."""

    delimiter: str
    header: list[str]
    header_line: int
    header_end: int  # the last line the header row takes
    detected: Format
    plan: Plan | None


def _find_header(rows: list[Row]) -> tuple[Row | None, Format, Plan | None]:
    """The header row: the first row of a known format, else the first with 2+ cells."""
    filled = [row for row in rows if not row.error and not is_blank(row.cells)]
    for row in filled:
        if recognised := recognise(row.cells):
            return row, recognised.format, recognised.plan
    for row in filled:
        if sum(1 for cell in row.cells if cell.strip()) >= 2:
            return row, Format.CSV, None
    return (filled[0] if filled else None), Format.CSV, None


def _shape(name: str, sniffed: Sniffed) -> tuple[_CsvShape, list[Row]]:
    delimiter = sniff_delimiter(sniffed.text)
    rows = sample_rows(sniffed.text, delimiter, sniffed.complete)
    header_row, detected, plan = _find_header(rows)
    if header_row is None:
        raise ImportFileError(f"{name}: no header row could be found in this file.")
    after = [row for row in rows if row.line > header_row.line]
    header_end = after[0].line - 1 if after else header_row.line
    cells = [cell.strip() for cell in header_row.cells]
    while cells and not cells[-1]:
        cells.pop()
    shape = _CsvShape(delimiter, cells, header_row.line, header_end, detected, plan)
    return shape, after


def _resolve_format(name: str, shape: _CsvShape, format: Format | None) -> Format:
    detected = shape.detected
    if format is None or format == Format.CSV:
        if format == Format.CSV and detected in (
            Format.LINKEDIN_MESSAGES,
            Format.LINKEDIN_INVITATIONS,
        ):
            return detected  # messages are not people: a mapping cannot read them
        return format or detected
    if format in LINKEDIN_FORMATS:
        if detected in LINKEDIN_FORMATS:
            return detected
        wanted = "a LinkedIn export (Connections.csv, messages.csv or Invitations.csv)"
    elif format == detected:
        return detected
    else:
        wanted = f"a {_label(format)} export"
    raise ImportFileError(
        f"{name}: this does not look like {wanted}. Columns found: {_columns(shape.header)}. "
        "Choose another format, or “other CSV” to map the columns yourself."
    )


def _columns(header: list[str], limit: int = 12) -> str:
    shown = [cell for cell in header if cell][:limit]
    more = len([cell for cell in header if cell]) - len(shown)
    text = ", ".join(f"“{cell[:40]}”" for cell in shown) or "none"
    return text + (f" and {more} more" if more > 0 else "")


def _open_csv(
    opener: Opener,
    name: str,
    sniffed: Sniffed,
    format: Format | None,
    mapping: ColumnMapping | None,
    *,
    prefix: str = "",
    hint: tuple[Opener, Sniffed] | None = None,
) -> ParsedFile:
    shape, after = _shape(name, sniffed)
    fmt = _resolve_format(name, shape, format)
    if sniffed.complete and not any(not row.error and not is_blank(row.cells) for row in after):
        raise ImportFileError(f"{name}: the file has a header but no rows: nothing to import.")

    def data_rows() -> Iterator[Row]:
        with opener() as raw, text_stream(raw, sniffed) as text:
            for row in read_rows(text, shape.delimiter):
                if row.line > shape.header_end:
                    yield row

    records: Iterator[Record]
    prints: RowPrints | None = None
    if fmt == Format.LINKEDIN_MESSAGES:
        hint_rows: Callable[[], Iterator[Row]] | None = None
        hint_header: list[str] | None = None
        if hint is not None:
            hint_shape, _ = _shape(name, hint[1])
            hint_header = hint_shape.header

            def hint_rows() -> Iterator[Row]:
                with hint[0]() as raw, text_stream(raw, hint[1]) as text:
                    for row in read_rows(text, hint_shape.delimiter):
                        if row.line > hint_shape.header_end:
                            yield row

        records = message_records(data_rows, shape.header, hint_rows, hint_header)
        used, suggested = None, None
    elif fmt == Format.LINKEDIN_INVITATIONS:
        records = invitation_records(data_rows(), shape.header)
        used, suggested = None, None
    else:
        if fmt == Format.CSV or shape.plan is None:
            suggested = suggest_mapping(shape.header)
            used = mapping or suggested
            if not has_name_column(used):
                if mapping is not None:
                    raise ImportFileError(
                        f"{name}: the column mapping has no name column. "
                        "Map at least a full name, a first name, a last name or an e-mail."
                    )
                if len([cell for cell in shape.header if cell]) < 2:
                    raise ImportFileError(
                        f"{name}: this is not a table: its first line "
                        f"(“{' '.join(shape.header)[:60]}”) is one column that names neither "
                        "people nor e-mail addresses. Import a CSV file with a header "
                        "(Name, E-mail…) and one person per row, or a vCard (.vcf) file."
                    )
                raise ImportFileError(
                    f"{name}: no column holds names or e-mail addresses. "
                    f"Columns found: {_columns(shape.header)}. "
                    "Map the columns to fields (at least a name or an e-mail) and import again."
                )
            plan = Plan.from_mapping(used)
        else:
            suggested = shape.plan.to_mapping()
            used = mapping or suggested
            plan = (
                Plan.from_mapping(mapping, shape.plan.values, shape.plan.day_first)
                if mapping
                else shape.plan
            )
            if mapping is not None and not plan.has_name():
                raise ImportFileError(
                    f"{name}: the column mapping has no name column. "
                    "Map at least a full name, a first name, a last name or an e-mail."
                )
        builder = RowBuilder(plan, shape.header)
        prints = RowPrints()
        records = _people(data_rows(), builder, prints)
    if prefix:
        records = _prefixed(records, prefix)
    return ParsedFile(
        format=fmt,
        header=shape.header,
        header_line=shape.header_line,
        encoding=sniffed.encoding,
        delimiter=shape.delimiter,
        mapping=used,
        suggested_mapping=suggested,
        records=_guard(records, name),
        prints=prints,
    )


def _people(rows: Iterator[Row], builder: RowBuilder, prints: RowPrints) -> Iterator[Record]:
    """The rows' records; with ``prints`` salted (by the importer), each row's print, and
    a :class:`KnownRow` instead of a record for a row whose print is known."""
    build = builder.build
    for row in rows:
        if row.error:
            yield Problem(row.line, "", row.error)
            continue
        fingerprint = prints.of(row.cells) if prints.salt else ""
        if fingerprint in prints.known:
            yield KnownRow(row.line, *prints.known[fingerprint])
            continue
        record = build(row.line, row.cells)
        if isinstance(record, PersonRecord):
            record.fingerprint = fingerprint
        if record is not None:
            yield record


def _prefixed(records: Iterator[Record], prefix: str) -> Iterator[Record]:
    """Problems in a file of an archive say which file they are in."""
    for record in records:
        if isinstance(record, Problem):
            record.message = prefix + record.message
        elif isinstance(record, PersonRecord):
            for problem in record.problems:
                problem.message = prefix + problem.message
        yield record


# LinkedIn's "download your data" archive

_ARCHIVE_MEMBERS = ("connections.csv", "invitations.csv", "messages.csv")


def _open_archive(path: Path, name: str, format: Format | None) -> ParsedFile:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFileError(f"{name}: this zip archive is damaged ({exc}).") from exc
    names = {info.filename.lower() for info in infos}
    if "xl/workbook.xml" in names:
        raise ImportFileError(
            f"{name}: this is an Excel workbook. Save it as CSV (File › Save As › "
            "CSV UTF-8) and import the CSV file."
        )
    if "word/document.xml" in names or "content.xml" in names:
        raise ImportFileError(f"{name}: this is a document, not a contacts file.")
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        base = PurePosixPath(info.filename).name.lower()
        if base in _ARCHIVE_MEMBERS and base not in members:
            members[base] = info
    if not members:
        raise ImportFileError(
            f"{name}: this zip archive is not LinkedIn's data export: it holds no "
            "Connections.csv, messages.csv or Invitations.csv."
        )
    if format not in (None, *LINKEDIN_FORMATS):
        raise ImportFileError(
            f"{name}: this is LinkedIn's data export archive; import it as LinkedIn."
        )

    def member_opener(info: zipfile.ZipInfo) -> Opener:
        def opener() -> IO[bytes]:
            archive = zipfile.ZipFile(path)
            try:
                return archive.open(info)
            finally:
                archive.close()  # the member keeps the file open until it is closed

        return opener

    sniffs: dict[str, Sniffed] = {}
    failures: list[Problem] = []
    for base, info in members.items():
        member_name = f"{name} › {PurePosixPath(info.filename).name}"
        try:
            with member_opener(info)() as raw:
                sniffs[base] = sniff(raw.read, member_name)
        except ImportFileError as exc:
            failures.append(Problem(0, PurePosixPath(info.filename).name, str(exc)))
        except _DAMAGE as exc:
            raise ImportFileError(f"{member_name}: could not be read ({exc}).") from exc
    parsed: list[ParsedFile] = []
    invitations = members.get("invitations.csv")
    for base in _ARCHIVE_MEMBERS:
        if base not in sniffs:
            continue
        info = members[base]
        short = PurePosixPath(info.filename).name
        hint = None
        if base == "messages.csv" and invitations and "invitations.csv" in sniffs:
            hint = (member_opener(invitations), sniffs["invitations.csv"])
        try:
            parsed.append(
                _open_csv(
                    member_opener(info),
                    f"{name} › {short}",
                    sniffs[base],
                    Format.LINKEDIN,
                    None,
                    prefix=f"{short}: ",
                    hint=hint,
                )
            )
        except ImportFileError as exc:
            failures.append(Problem(0, short, str(exc)))
    if not parsed:
        raise ImportFileError(
            f"{name}: nothing in this LinkedIn archive can be imported: "
            + " ".join(problem.message for problem in failures)
        )
    first = parsed[0]

    def records() -> Iterator[Record]:
        yield from failures
        for part in parsed:
            yield from part.records

    return ParsedFile(
        format=Format.LINKEDIN_ARCHIVE,
        header=first.header,
        header_line=first.header_line,
        encoding=first.encoding,
        delimiter=first.delimiter,
        mapping=None,
        suggested_mapping=None,
        records=records(),
    )
