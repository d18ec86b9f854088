"""Every import format in one table: what it is called, where its people come from, and
how you know them.

The import form and the batch history (``models.FORMAT_CHOICES``), the messages that
name a file's format, the ``import --format`` names, the source of the people an import
creates and the note on your tie to them all read this table; none keeps its own list.
Adding a format is a member of :class:`~coffeechat.imports.records.Format`, its row
here, and its reader (a recogniser in ``parsers/formats.py`` for a CSV, or a parser
module). Coffeechat refuses to start when a format has no row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from coffeechat.imports.records import Format
from coffeechat.network.models import Source


@dataclass(frozen=True, slots=True)
class FormatRow:
    # The choice on the import form and in the history.
    choice: str
    # The short name in messages ("… is not a LinkedIn file").
    label: str
    # Where the people of such a file come from (a directory imported into a group
    # is an alumni or association directory whatever its format).
    source: str
    # The note on your tie to each person; "" when the file says nothing about
    # knowing them (a directory, a member list): then no tie is made.
    tie_note: str
    # What ``coffeechat import --format`` accepts for it.
    command_names: tuple[str, ...]


_ADDRESS_BOOK = "In your address book"
_LINKEDIN = "LinkedIn connection"

FORMATS: dict[Format, FormatRow] = {
    Format.LINKEDIN: FormatRow(
        "LinkedIn connections (Connections.csv)",
        "LinkedIn",
        Source.LINKEDIN,
        _LINKEDIN,
        ("linkedin",),
    ),
    Format.LINKEDIN_ARCHIVE: FormatRow(
        "LinkedIn data archive (.zip)",
        "LinkedIn",
        Source.LINKEDIN,
        _LINKEDIN,
        ("linkedin-archive",),
    ),
    Format.LINKEDIN_MESSAGES: FormatRow(
        "LinkedIn messages (messages.csv)",
        "LinkedIn",
        Source.LINKEDIN,
        "",
        ("linkedin-messages",),
    ),
    Format.LINKEDIN_INVITATIONS: FormatRow(
        "LinkedIn invitations (Invitations.csv)",
        "LinkedIn",
        Source.LINKEDIN,
        "",
        ("linkedin-invitations",),
    ),
    Format.GOOGLE: FormatRow(
        "Google Contacts (CSV)",
        "Google Contacts",
        Source.ADDRESS_BOOK,
        _ADDRESS_BOOK,
        ("google",),
    ),
    Format.OUTLOOK: FormatRow(
        "Outlook or Thunderbird (CSV)",
        "Outlook or Thunderbird",
        Source.ADDRESS_BOOK,
        _ADDRESS_BOOK,
        ("outlook", "thunderbird"),
    ),
    Format.VCARD: FormatRow(
        "vCard (.vcf)", "vCard", Source.ADDRESS_BOOK, _ADDRESS_BOOK, ("vcard",)
    ),
    Format.CSV: FormatRow(
        "Another CSV: a directory, a member list, a spreadsheet",
        "CSV",
        Source.DIRECTORY,
        "",
        ("csv",),
    ),
    Format.COFFEECHAT: FormatRow(
        "Coffeechat export (CSV)",
        "Coffeechat export",
        Source.MANUAL,
        "Imported from a Coffeechat export",
        ("coffeechat",),
    ),
}

_missing = set(Format) - FORMATS.keys()
if _missing:  # a new format needs its row: fail at start-up, never silently
    raise ImproperlyConfigured(f"imports.formats.FORMATS has no row for {sorted(_missing)}")

FORMAT_CHOICES = [(fmt.value, row.choice) for fmt, row in FORMATS.items()]
COMMAND_NAMES = {name: fmt for fmt, row in FORMATS.items() for name in row.command_names}
TIE_NOTES = {fmt: row.tie_note for fmt, row in FORMATS.items() if row.tie_note}


def label_of(fmt: Format | None) -> str:
    """The short name of a format, "CSV" when it is not known."""
    return FORMATS[fmt].label if fmt is not None else "CSV"


def source_of(fmt: Format | None) -> str:
    return str(FORMATS[fmt].source) if fmt is not None else str(Source.MANUAL)
