"""Which files the import page takes: by the name's extension and by the content.

Only what an import can read is stored: CSV and tab-separated text (``.csv``,
``.tsv``, ``.txt``), vCards (``.vcf``, ``.vcard``) and LinkedIn's archive (``.zip``).
A calendar invitation (``.ics``) is not stored: it is handed to conversations at once
(:mod:`coffeechat.imports.calendar_files`).
The first bytes must agree: a ``.zip`` must be a ZIP archive, and a text file must not
begin like an image, a PDF, an archive or a program. What the content is beyond that
(a calendar, JSON, a web page in a ``.csv``) the readers recognise and refuse with
their own reasons (docs/importing.md#what-is-not-a-contact-list).
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError

TEXT_EXTENSIONS = (".csv", ".tsv", ".txt", ".vcf", ".vcard")
CALENDAR_EXTENSIONS = (".ics",)
ZIP_EXTENSIONS = (".zip",)
ACCEPTED = TEXT_EXTENSIONS + CALENDAR_EXTENSIONS + ZIP_EXTENSIONS
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 16

# How a file begins → what it is.
SIGNATURES = (
    (ZIP_MAGIC, "a ZIP archive (or an Excel or Word file)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Excel or Word file"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3", "a database"),
)


def _accepted_list() -> str:
    return ", ".join(ACCEPTED[:-1]) + " or " + ACCEPTED[-1]


def is_calendar(name: str) -> bool:
    return PurePath(name).suffix.lower() in CALENDAR_EXTENSIONS


def check_upload(name: str, head: bytes) -> None:
    """Refuse ``name`` (its first bytes ``head``) unless an import takes such a file."""
    extension = PurePath(name).suffix.lower()
    if extension not in ACCEPTED:
        shown = f"a {extension} file" if extension else "a file without an extension"
        raise ValidationError(
            f"{name}: this is {shown}; the import takes {_accepted_list()} files "
            "(save a spreadsheet as CSV first)."
        )
    found = next((what for magic, what in SIGNATURES if head.startswith(magic)), None)
    if extension in ZIP_EXTENSIONS:
        if not head.startswith(ZIP_MAGIC):
            raise ValidationError(
                f"{name}: the name says ZIP but the content is not a ZIP archive"
                f"{f' (it is {found})' if found else ''}."
            )
        return
    if found is not None:
        raise ValidationError(
            f"{name}: the name says {extension} but the content is {found}, not text. "
            "Export the contacts as CSV or vCard and upload that file."
        )
