"""Reading CSV files: delimiter, header, rows with real line numbers, rows into people.

Every CSV person format (LinkedIn connections, Google, Outlook, Thunderbird, our own
export, a directory through a mapping) ends up as a :class:`Plan` — which columns feed
which field — and goes through the one row builder, :func:`build_person`.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from coffeechat.imports.parsers.dates import parse_class_year, parse_date
from coffeechat.imports.parsers.fields import (
    MAX_VALUE,
    clean_phone,
    name_from_address,
    split_emails,
)
from coffeechat.imports.parsers.ours import parse_connection, parse_group
from coffeechat.imports.records import ColumnMapping, PersonRecord, Problem
from coffeechat.imports.writers import split_group_text, split_values, unescape_cell
from coffeechat.network.addresses import clean_email, clean_linkedin_url
from coffeechat.network.names import split_name

DELIMITERS = (",", ";", "\t", "|")
HEADER_SEARCH_ROWS = 30


def allow_huge_fields() -> None:
    """Let the csv module read one cell of any size (a 10 MB note) instead of failing."""
    limit = sys.maxsize
    while True:
        try:
            if csv.field_size_limit() < limit:
                csv.field_size_limit(limit)
            return
        except OverflowError:  # C long is 32 bits on some platforms
            limit //= 2


def sniff_delimiter(text: str) -> str:
    """The delimiter used in ``text`` (the start of a file): ``,``, ``;``, tab or ``|``.

    Counts each candidate outside quotes on each record of the first lines, and picks the
    one that appears the same (non-zero) number of times on the most records, preferring
    the larger count. csv.Sniffer is fooled by quoted paragraphs and dates; this is not.
    """
    counts: list[dict[str, int]] = []
    current = dict.fromkeys(DELIMITERS, 0)
    in_quotes = False
    previous = ""
    for char in text[:32768]:
        if char == '"':
            in_quotes = not in_quotes
        elif in_quotes:
            pass
        elif char in "\r\n":
            if not (char == "\n" and previous == "\r") and any(current.values()):
                counts.append(current)
                if len(counts) >= 50:
                    break
            if not (char == "\n" and previous == "\r"):
                current = dict.fromkeys(DELIMITERS, 0)
        elif char in current:
            current[char] += 1
        previous = char
    else:
        if any(current.values()):
            counts.append(current)
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        tally: dict[int, int] = {}
        for record in counts:
            if n := record[delimiter]:
                tally[n] = tally.get(n, 0) + 1
        if not tally:
            continue
        count, records = max(tally.items(), key=lambda item: (item[1], item[0]))
        score = (records, count)
        if score > best_score:
            best, best_score = delimiter, score
    return best


@dataclass(slots=True)
class Row:
    line: int  # first line of the row in the file (1-based)
    cells: list[str]
    error: str = ""  # what the csv module said, when it could not read the row


def read_rows(lines: Iterable[str], delimiter: str) -> Iterator[Row]:
    """Rows with the file line each starts on; blank lines come out as empty rows."""
    reader = csv.reader(lines, delimiter=delimiter)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Row(previous + 1, [], f"this line could not be read as CSV ({exc})")
            previous = reader.line_num
            continue
        yield Row(previous + 1, cells)
        previous = reader.line_num


def sample_rows(text: str, delimiter: str, complete: bool) -> list[Row]:
    """The first rows of the sample; a last row the sample may have cut is left out."""
    lines = io.StringIO(text, newline="")  # split lines as the file stream will
    rows = list(islice(read_rows(lines, delimiter), HEADER_SEARCH_ROWS + 1))
    if not complete and len(rows) > HEADER_SEARCH_ROWS:
        rows = rows[:HEADER_SEARCH_ROWS]
    elif not complete and len(rows) > 1:
        rows = rows[:-1]
    return rows


def is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


# How one cell holding several values is split.
PLAIN, GOOGLE, COFFEECHAT = "plain", "google", "coffeechat"
_GOOGLE_SEPARATOR = re.compile(r"\s*:::\s*")
_PLAIN_LIST = re.compile(r"\s*[;\n]\s*")
_PLAIN_TAGS = re.compile(r"\s*[;,\n]\s*")
_NEWLINES = re.compile(r"\r\n?")


@dataclass(slots=True)
class Plan:
    """Which columns (0-based) feed which field; several columns mean "first non-empty"."""

    first: tuple[int, ...] = ()
    middle: tuple[int, ...] = ()  # read and left out: middle names hurt matching
    last_prefix: tuple[int, ...] = ()  # Dutch "tussenvoegsel": van, de…
    last: tuple[int, ...] = ()
    full: tuple[int, ...] = ()  # split into first and last when those are empty
    emails: tuple[int, ...] = ()  # all of them, in this order
    phones: tuple[int, ...] = ()
    primary_marks: dict[int, int] = field(default_factory=dict)  # value column → type column
    linkedin: tuple[int, ...] = ()  # a value that is not LinkedIn is a Problem
    websites: tuple[int, ...] = ()  # searched quietly for a LinkedIn URL
    organization: tuple[int, ...] = ()
    department: tuple[int, ...] = ()
    title: tuple[int, ...] = ()
    location: tuple[int, ...] = ()
    location_parts: tuple[tuple[int, ...], ...] = ()  # (city, region, country) groups
    notes: tuple[int, ...] = ()
    tags: tuple[int, ...] = ()
    connected_on: tuple[int, ...] = ()
    class_year: tuple[int, ...] = ()
    affiliation_detail: tuple[int, ...] = ()
    uid: tuple[int, ...] = ()  # Coffeechat's own export only, as the four below
    connection: tuple[int, ...] = ()
    connection_strength: tuple[int, ...] = ()
    connection_note: tuple[int, ...] = ()
    groups: tuple[int, ...] = ()
    values: str = PLAIN
    drop_tags: frozenset[str] = frozenset()
    day_first: bool = False  # 1/8/18 is 1 August, not 8 January

    @classmethod
    def from_mapping(
        cls, mapping: ColumnMapping, values: str = PLAIN, day_first: bool = False
    ) -> Plan:
        columns = mapping.columns

        def one(key: str) -> tuple[int, ...]:
            index = columns.get(key)
            return (index,) if isinstance(index, int) and index >= 0 else ()

        return cls(
            first=one("first_name"),
            last=one("last_name"),
            full=one("full_name"),
            emails=one("email") + tuple(i for i in mapping.extra_emails if i >= 0),
            phones=one("phone") + tuple(i for i in mapping.extra_phones if i >= 0),
            linkedin=one("linkedin_url"),
            organization=one("organization"),
            department=one("department"),
            title=one("title"),
            location=one("location"),
            notes=one("notes"),
            tags=one("tags"),
            connected_on=one("connected_on"),
            class_year=one("class_year"),
            affiliation_detail=one("affiliation_detail"),
            values=values,
            day_first=day_first,
        )

    def to_mapping(self) -> ColumnMapping:
        """The plan as a (simpler) ColumnMapping, to show which column feeds which field."""
        columns: dict[str, int] = {}
        for key, indexes in (
            ("full_name", self.full),
            ("first_name", self.first),
            ("last_name", self.last),
            ("email", self.emails),
            ("phone", self.phones),
            ("linkedin_url", self.linkedin or self.websites),
            ("organization", self.organization),
            ("department", self.department),
            ("title", self.title),
            ("location", self.location or tuple(g[0] for g in self.location_parts if g)),
            ("notes", self.notes),
            ("tags", self.tags),
            ("connected_on", self.connected_on),
            ("class_year", self.class_year),
            ("affiliation_detail", self.affiliation_detail),
        ):
            if indexes:
                columns[key] = indexes[0]
        return ColumnMapping(
            columns=columns,
            extra_emails=list(self.emails[1:]),
            extra_phones=list(self.phones[1:]),
        )

    def has_name(self) -> bool:
        """A name column, or an e-mail one (people are then named from their address)."""
        return bool(self.first or self.last or self.full or self.emails)


def _first(cells: list[str], n: int, indexes: tuple[int, ...]) -> tuple[str, int]:
    """The first non-empty (stripped) cell among ``indexes``, and its column (-1 if none)."""
    for index in indexes:
        if index < n and cells[index]:
            return cells[index], index
    return "", -1


def _split(value: str, mode: str, plain: re.Pattern[str]) -> list[tuple[str, bool]]:
    """The values in one cell, each with whether it is marked primary (Google's ``* ``)."""
    if mode == GOOGLE:
        pieces = []
        for piece in _GOOGLE_SEPARATOR.split(value):
            if piece.startswith("* "):
                pieces.append((piece[2:].strip(), True))
            elif piece:
                pieces.append((piece, False))
        return pieces
    if mode == COFFEECHAT:
        return [(piece, False) for piece in split_values(value)]
    if plain.search(value) is None:
        return [(value, False)]
    return [(piece, False) for piece in plain.split(value) if piece]


class RowBuilder:
    """Turns rows into :class:`PersonRecord` (or a skipped :class:`Problem`) through a plan."""

    def __init__(self, plan: Plan, header: list[str]) -> None:
        self.plan = plan
        self.labels = [cell.strip() for cell in header]

    def label(self, index: int, fallback: str) -> str:
        if 0 <= index < len(self.labels) and self.labels[index]:
            return self.labels[index]
        return fallback

    def build(self, line: int, row: list[str]) -> PersonRecord | Problem | None:
        """A record for one row; None for a blank row (those are not worth a Problem)."""
        plan = self.plan
        problems: list[Problem] = []
        if plan.values == COFFEECHAT:
            cells = [unescape_cell(cell).strip() for cell in row]
        else:
            cells = [cell.strip() for cell in row]
        n = len(cells)
        if n and max(map(len, cells)) > MAX_VALUE:
            cells = self._truncate(line, cells, problems)

        first = _first(cells, n, plan.first)[0]
        last = _first(cells, n, plan.last)[0]
        if plan.last_prefix and last:
            prefix = _first(cells, n, plan.last_prefix)[0]
            last = f"{prefix} {last}" if prefix else last
        if not first and not last:
            full = _first(cells, n, plan.full)[0]
            if full:
                parts = split_name(full)
                first, last = parts.first, parts.last
        emails = self._emails(line, cells, n, problems) if plan.emails else []
        phones = self._phones(line, cells, n, problems) if plan.phones else []
        if not first and not last:
            if not any(cells):
                return None
            # As address books do: a contact without a name is shown by its address.
            first = name_from_address(emails, phones)
            if not first:
                return Problem(line, "", "no name, e-mail address or phone in this row; skipped")

        record = PersonRecord(
            line=line,
            first_name=first,
            last_name=last,
            organization=_first(cells, n, plan.organization)[0],
            department=_first(cells, n, plan.department)[0],
            title=_first(cells, n, plan.title)[0],
            location=_first(cells, n, plan.location)[0],
            affiliation_detail=_first(cells, n, plan.affiliation_detail)[0],
            problems=problems,
        )
        record.emails = emails
        record.phones = phones
        if plan.linkedin or plan.websites:
            record.linkedin_url = self._linkedin(line, cells, n, problems)
        if plan.location_parts and not record.location:
            record.location = self._location(cells, n)
        if plan.uid:
            record.uid = _first(cells, n, plan.uid)[0][:200]
        if plan.connection:
            kind, index = _first(cells, n, plan.connection)
            record.connection = parse_connection(
                kind,
                _first(cells, n, plan.connection_strength)[0],
                _first(cells, n, plan.connection_note)[0],
                line,
                self.label(index, "Connection"),
                problems,
            )
        if plan.groups:
            text, index = _first(cells, n, plan.groups)
            label = self.label(index, "Groups")
            for piece in split_values(text):
                group = parse_group(split_group_text(piece), line, label, problems)
                if group is not None:
                    record.groups.append(group)
        if plan.notes:
            notes = "\n\n".join(cells[i] for i in plan.notes if i < n and cells[i])
            record.notes = _NEWLINES.sub("\n", notes) if "\r" in notes else notes
        if plan.tags:
            record.tags = self._tags(cells, n)
        if plan.connected_on:
            text, index = _first(cells, n, plan.connected_on)
            if text:
                record.connected_on = parse_date(text, plan.day_first)
                if record.connected_on is None:
                    problems.append(
                        Problem(
                            line,
                            self.label(index, "Connected On"),
                            f"“{text[:80]}” is not a date; left out",
                            skipped=False,
                        )
                    )
        if plan.class_year:
            text, index = _first(cells, n, plan.class_year)
            if text:
                record.class_year = parse_class_year(text)
                if record.class_year is None:
                    problems.append(
                        Problem(
                            line,
                            self.label(index, "Class Year"),
                            f"“{text[:80]}” is not a class year; left out",
                            skipped=False,
                        )
                    )
        return record

    def _truncate(self, line: int, cells: list[str], problems: list[Problem]) -> list[str]:
        kept = []
        for index, cell in enumerate(cells):
            if len(cell) > MAX_VALUE:
                problems.append(
                    Problem(
                        line,
                        self.label(index, f"column {index + 1}"),
                        f"{len(cell):,} characters is too long; kept the first {MAX_VALUE:,}",
                        skipped=False,
                    )
                )
                cell = cell[:MAX_VALUE].strip()
            kept.append(cell)
        return kept

    def _marked(self, cells: list[str], n: int, index: int) -> bool:
        """Google marks the primary e-mail or phone with ``* `` in its Type column."""
        type_index = self.plan.primary_marks.get(index)
        return type_index is not None and type_index < n and cells[type_index].startswith("*")

    def _emails(self, line: int, cells: list[str], n: int, problems: list[Problem]) -> list[str]:
        primary: list[str] = []
        others: list[str] = []
        seen: set[str] = set()
        mode = self.plan.values
        for index in self.plan.emails:
            raw = cells[index] if index < n else ""
            if not raw:
                continue
            marked = self.plan.primary_marks and self._marked(cells, n, index)
            for value, star in _split(raw, mode, _PLAIN_LIST):
                for piece in split_emails(value) if mode == PLAIN else (value,):
                    email = clean_email(piece)
                    if email is None:
                        problems.append(
                            Problem(
                                line,
                                self.label(index, "E-mail"),
                                f"“{piece[:80]}” is not an e-mail address; left out",
                                skipped=False,
                            )
                        )
                    elif email.lower() not in seen:
                        seen.add(email.lower())
                        (primary if star or marked else others).append(email)
        return primary + others if primary else others

    def _phones(self, line: int, cells: list[str], n: int, problems: list[Problem]) -> list[str]:
        primary: list[str] = []
        others: list[str] = []
        for index in self.plan.phones:
            raw = cells[index] if index < n else ""
            if not raw:
                continue
            marked = self.plan.primary_marks and self._marked(cells, n, index)
            for value, star in _split(raw, self.plan.values, _PLAIN_LIST):
                phone = clean_phone(value)
                if phone is None:
                    problems.append(
                        Problem(
                            line,
                            self.label(index, "Phone"),
                            f"“{value[:80]}” is not a phone number; left out",
                            skipped=False,
                        )
                    )
                elif phone not in primary and phone not in others:
                    (primary if star or marked else others).append(phone)
        return primary + others if primary else others

    def _linkedin(self, line: int, cells: list[str], n: int, problems: list[Problem]) -> str:
        for index in self.plan.linkedin:
            raw = cells[index] if index < n else ""
            if raw:
                url = clean_linkedin_url(raw)
                if url:
                    return url
                problems.append(
                    Problem(
                        line,
                        self.label(index, "LinkedIn URL"),
                        f"“{raw[:80]}” is not a LinkedIn profile address; left out",
                        skipped=False,
                    )
                )
        for index in self.plan.websites:
            raw = cells[index] if index < n else ""
            if raw and "linkedin" in raw.lower():
                for value, _star in _split(raw, self.plan.values, _PLAIN_LIST):
                    if url := clean_linkedin_url(value):
                        return url
        return ""

    def _location(self, cells: list[str], n: int) -> str:
        for group in self.plan.location_parts:
            parts = [cells[index] for index in group if index < n and cells[index]]
            if parts:
                return ", ".join(parts)
        return ""

    def _tags(self, cells: list[str], n: int) -> list[str]:
        tags: list[str] = []
        for index in self.plan.tags:
            raw = cells[index] if index < n else ""
            if not raw:
                continue
            for value, _star in _split(raw, self.plan.values, _PLAIN_TAGS):
                tag = value.strip()
                if tag and tag not in self.plan.drop_tags and tag not in tags:
                    tags.append(tag)
        return tags
