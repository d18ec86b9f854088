"""What a parser hands to the importer: one plain record per person, message or problem.

Parsers know file formats and nothing about the database; the importer
(:mod:`coffeechat.imports.engine`) knows the database and nothing about formats.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Format(StrEnum):
    LINKEDIN = "linkedin"  # Connections.csv
    LINKEDIN_MESSAGES = "linkedin_messages"  # messages.csv
    LINKEDIN_INVITATIONS = "linkedin_invitations"  # Invitations.csv
    LINKEDIN_ARCHIVE = "linkedin_archive"  # the "download your data" .zip
    GOOGLE = "google"
    OUTLOOK = "outlook"  # Outlook desktop, Outlook on the web, Thunderbird
    VCARD = "vcard"
    CSV = "csv"  # any other CSV, through a column mapping
    COFFEECHAT = "coffeechat"  # our own CSV export


class ImportFileError(Exception):
    """The file as a whole cannot be imported: not what it claims, empty, too large…

    The message is shown to the user as is and names the file and the problem.
    """


@dataclass(slots=True)
class Problem:
    """Something wrong with one line or card; ``skipped`` when the record was dropped."""

    line: int  # line number in the file (1-based) or card number for vCards
    field: str  # the column or property, "" when it is the whole line
    message: str
    skipped: bool = True


@dataclass(slots=True)
class GroupRecord:
    """A membership an export carries: the group (name, kind) and the person's place in it."""

    name: str
    kind: str = ""  # an AffiliationKind value; "" when the file does not say
    detail: str = ""
    class_year: int | None = None
    start_year: int | None = None
    end_year: int | None = None


@dataclass(slots=True)
class Connection:
    """How a person is connected to you, as Coffeechat's own export says it.

    ``kind`` "" means the export says there is no tie between you (a friend of a
    friend, someone from a directory): the import makes none.
    """

    kind: str  # a TieKind value, or ""
    strength: int | None = None
    note: str = ""


@dataclass(slots=True)
class PersonRecord:
    line: int  # first line of the record in the file (1-based; card number for vCards)
    first_name: str = ""
    last_name: str = ""
    emails: list[str] = field(default_factory=list)  # primary first
    phones: list[str] = field(default_factory=list)  # primary first, as written
    linkedin_url: str = ""
    organization: str = ""
    department: str = ""
    title: str = ""
    location: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    connected_on: date | None = None  # LinkedIn "Connected On"
    # Coffeechat's own export: the person's signed id (see imports.export.person_uid).
    uid: str = ""
    # For directory files: the per-row detail (degree, chapter) and class year.
    affiliation_detail: str = ""
    class_year: int | None = None
    # The kinds of e-mail addresses and phone numbers ("work", "cell"), keyed by the
    # value as it is in ``emails`` / ``phones`` (vCard TYPE parameters).
    email_kinds: dict[str, str] = field(default_factory=dict)
    phone_kinds: dict[str, str] = field(default_factory=dict)
    # Coffeechat's own export: every group the person belongs to, and the tie to you
    # (None when the file does not say, as any other file).
    groups: list[GroupRecord] = field(default_factory=list)
    connection: Connection | None = None
    # Problems with single fields that did not stop the record (a bad date, say).
    problems: list[Problem] = field(default_factory=list)
    # The row's print (imports/prints.py), when the importer asked for prints.
    fingerprint: str = ""


@dataclass(slots=True)
class MessageRecord:
    """One LinkedIn message or invitation with someone in my network."""

    line: int
    kind: str  # "linkedin_message" | "linkedin_invitation"
    direction: str  # "sent" | "received"
    occurred_at: datetime  # aware, UTC
    other_name: str  # the other person's full name
    other_linkedin_url: str = ""
    subject: str = ""
    body: str = ""


@dataclass(slots=True)
class KnownRow:
    """A row whose print an import already keeps: that person, unchanged (not built)."""

    line: int
    person_id: int
    problems: str = ""  # the warnings it had, as kept with its print (imports/prints.py)


Record = PersonRecord | MessageRecord | Problem | KnownRow


@dataclass
class RowPrints:
    """The prints (:mod:`coffeechat.imports.prints`) a parser computes for the rows it
    reads, set up by the importer.

    ``known`` maps the prints already kept to their person. With no ``salt`` (a
    preview, a format whose rows are not single table rows) nothing is computed.
    """

    salt: bytes = b""
    known: dict[str, tuple[int, str]] = field(default_factory=dict)  # → (person, problems)

    def of(self, cells: Sequence[str]) -> str:
        """The print of a row (its cells as read)."""
        digest = hashlib.blake2b(self.salt, digest_size=16)
        digest.update("\x1f".join(cells).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


@dataclass
class ColumnMapping:
    """Which column feeds which field, for a CSV read through a mapping.

    Keys are field names of :class:`PersonRecord` plus ``"full_name"``, ``"email"``
    (may repeat through ``extra_emails``), ``"phone"``; values are 0-based column
    indexes. Columns not mapped are ignored.
    """

    columns: dict[str, int]
    extra_emails: list[int] = field(default_factory=list)
    extra_phones: list[int] = field(default_factory=list)


@dataclass
class ParsedFile:
    """A recognised file, ready to stream its records."""

    format: Format
    header: list[str]  # the header row as read ([] for vCards)
    header_line: int  # 1-based line of the header (0 for vCards)
    encoding: str
    delimiter: str
    mapping: ColumnMapping | None  # the mapping in use for CSV-like formats
    suggested_mapping: ColumnMapping | None  # what we guessed from the header
    records: Iterator[Record]  # streams the file; may be consumed once
    # Set up before reading to have the rows' prints computed (single-row formats only).
    prints: RowPrints | None = None
