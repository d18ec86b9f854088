"""No file crashes the importer, down to the database: it imports, or explains and writes nothing.

Unlike test_fuzz.py (the parsers alone), these run the whole batch as the pages and the
CLI do: ``create_batch`` → ``preview`` → ``commit``, with the writes, the JSON columns
of the batch and the uploaded file's removal. Each example gets a user of its own, so
"nothing was written" is simply "this user owns no rows".
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from coffeechat.imports import services
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.records import ColumnMapping, Format
from coffeechat.network.models import Affiliation, Organization, Person
from tests.factories import UserFactory

# Autocommit, as in the pages, the CLI and the worker: inside one test-wide transaction a
# database error in one example would break all the following ones on PostgreSQL, and
# "nothing written" would not be tested against real commits.
pytestmark = pytest.mark.django_db(transaction=True)

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

HUGE = "x" * 120_000

# -- fragments of real files --------------------------------------------------------------------

LINKEDIN_PREAMBLE = [
    "",
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address."\n\n',
    'Notes:,,,,,,\n"When exporting, some e-mails are missing.",,,,,,\n,,,,,,\n',
    'Notes:\n"unterminated quote\n\n',
    "\ufeff",
    "sep=;\n",
]
HEADERS = [
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    "First Name,Last Name,Email Address,Company,Position,Connected On",
    "Vorname,Nachname,URL,E-Mail-Adresse,Unternehmen,Position,Verbunden am",
    "Prénom,Nom,URL,Adresse e-mail,Entreprise,Poste,Connecté le",
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER",
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl",
    "Name,Given Name,Additional Name,Family Name,Nickname,Group Membership,E-mail 1 - Type,"
    "E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,"
    "Organization 1 - Title,Website 1 - Value",
    "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,"
    "Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value",
    "First Name,Middle Name,Last Name,Title,Suffix,Company,Department,Job Title,"
    "E-mail Address,E-mail 2 Address,Mobile Phone,Business Phone,Notes,Web Page",
    "First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Work Phone,"
    "Mobile Number,Job Title,Department,Organization,Web Page 1,Notes",
    "Full Name,Employer,Class Year,Degree",
    "Full Name,Class,Degree,Employer,Job Title,E-mail,City,LinkedIn,Tags,Notes",
    "Nom,Société,Promotion",
    "Name",
    "Email",
    "a,b,c",
    "",
]
CELLS = [
    "",
    " ",
    "Jane",
    "Doe",
    "Jane Doe",
    "Doe, Jane, PhD",
    "Zoë Ångström-Ñúñez",
    "李 小龙",
    "jane@example.org",
    "not-an-email@",
    "a@b.c ::: * d@e.f",
    "+1 (415) 555-0100",
    "+999 0",
    "https://www.linkedin.com/in/jane-doe",
    "https://www.linkedin.com/in/%E2%82%AC%zz",
    "http://[::1",
    '"Acme, Inc."',
    "Acme Inc.",
    "ACME INC",
    "Engineering Manager",
    "Chief Talent Officer / Recruiter",
    "05 Jan 2026",
    "5-Jan-26",
    "1/8/18, 6:14 PM",
    "16.09.2021",
    "2026-01-05 14:03:11 UTC",
    "31 Feb 2020",
    "0000",
    "2019",
    "'19",
    "INCOMING",
    "OUTGOING",
    "'=1+1",
    '=HYPERLINK("http://x")',
    '"',
    '""',
    '"a,b"',
    '"unterminated',
    "a\nb",
    "a\r\nb",
    "\r",
    "\x00",
    "a\x00b",
    "\ufeff",
    "\ufffd",
    ";",
    "\t",
    ",",
    "\\",
    "\u2028",
    "\U0001f600",
    "\ud800",  # a lone surrogate: no encoding can write it as is
    HUGE,
]
DELIMITERS = [",", ",", ";", "\t", "|"]
NEWLINES = ["\n", "\r\n", "\r"]
ENCODINGS = ["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]
NAMES = ["Connections.csv", "contacts.csv", "alumni.csv", "contacts.vcf", "upload", "x.txt"]
REQUESTED = ["", "", "", "", *(f.value for f in Format)]


def _cell() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(CELLS), st.text(max_size=12))


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "replace")


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, bytes]:
    delimiter = draw(st.sampled_from(DELIMITERS))
    header = draw(st.sampled_from(HEADERS)).replace(",", delimiter)
    rows = draw(st.lists(st.lists(_cell(), min_size=1, max_size=14), min_size=1, max_size=8))
    quote_all = draw(st.booleans())
    lines = [header]
    for row in rows:
        cells = []
        for cell in row:
            if quote_all or draw(st.booleans()):
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(delimiter.join(cells))
    newline = draw(st.sampled_from(NEWLINES))
    text = draw(st.sampled_from(LINKEDIN_PREAMBLE)) + newline.join(lines)
    if draw(st.booleans()):
        text += newline
    data = _encode(text, draw(st.sampled_from(ENCODINGS)))
    if draw(st.integers(0, 4)) == 0:  # cut short, maybe with junk at the end
        data = data[: draw(st.integers(len(data) // 2, len(data)))] + draw(st.binary(max_size=8))
    return draw(st.sampled_from(NAMES)), data


VCARD_PROPERTIES = [
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
    "BDAY",
    "AGENT",
    "VERSION",
    "KIND",
    "item1.EMAIL",
    "item1.X-ABLabel",
    "item2.URL",
    "item2.X-ABLabel",
    "X-COFFEECHAT-CONNECTED-ON",
    "X-COFFEECHAT-CLASS-YEAR",
    "X-COFFEECHAT-AFFILIATION",
    "BAD NAME",
    "",
]
VCARD_PARAMS = [
    "TYPE=CELL",
    "type=pref",
    "TYPE=INTERNET,WORK",
    "PREF=1",
    "PREF=x",
    "CELL",
    "QUOTED-PRINTABLE",
    "ENCODING=QUOTED-PRINTABLE",
    "ENCODING=BASE64",
    "ENCODING=b",
    "CHARSET=UTF-8",
    "CHARSET=ISO-8859-1",
    "CHARSET=Windows-1252",
    "CHARSET=no-such-charset",
    "VALUE=uri",
    'X-USER="a:b"',
    '"unterminated',
    "=",
    ";",
    "type=linkedin",
    "X-SERVICE-TYPE=LinkedIn",
]
VCARD_VALUES = [
    "",
    ";;;;",
    "Doe;Jane;;;",
    "Doe;Jane;Q.;Dr.;PhD;extra;parts",
    "J=C3=B6rg M=FCller",
    "broken=ZZ=",
    "soft break=\r\n continued",
    "soft=\r\nbreak",
    "=",
    "a\\nb\\,c\\;d\\",
    "Acme, Inc.;Engineering;Platform",
    "jane@example.org",
    "tel:+1-555-0100",
    "+1 (415) 555-0100",
    "mailto:a@b.c",
    "x-apple:someone",
    "https://www.linkedin.com/in/jane-doe",
    "2026-01-05",
    "--0415",
    "1899-13-45",
    "/9j/4AAQSkZJRgABAQAAAQABAAD/" * 40,
    "BEGIN:VCARD",
    "END:VCARD",
    "2.1",
    "3.0",
    "4.0",
    "\x00",
    "\ufeff",
    HUGE,
]


@st.composite
def vcard_files(draw: st.DrawFn) -> tuple[str, bytes]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        lines.append(draw(st.sampled_from(["BEGIN:VCARD", "begin:vcard", " BEGIN:VCARD"])))
        if draw(st.booleans()):
            lines.append("VERSION:" + draw(st.sampled_from(["2.1", "3.0", "4.0", "9", ""])))
        for _ in range(draw(st.integers(0, 8))):
            name = draw(st.sampled_from(VCARD_PROPERTIES))
            params = "".join(
                ";" + p for p in draw(st.lists(st.sampled_from(VCARD_PARAMS), max_size=3))
            )
            value = draw(st.one_of(st.sampled_from(VCARD_VALUES), st.text(max_size=20)))
            line = f"{name}{params}:{value}"
            if line and draw(st.booleans()):  # folded, maybe without the space a fold needs
                at = draw(st.integers(0, len(line)))
                fold = draw(st.sampled_from(["\r\n ", "\r\n\t", "\n ", "\r\n"]))
                line = line[:at] + fold + line[at:]
            lines.append(line)
        if draw(st.integers(0, 3)):
            lines.append(draw(st.sampled_from(["END:VCARD", "end:vcard", "END:VCARD "])))
    text = draw(st.sampled_from(["", "\ufeff", "\r\n"])) + draw(st.sampled_from(NEWLINES)).join(
        lines
    )
    data = _encode(text, draw(st.sampled_from(ENCODINGS)))
    if draw(st.integers(0, 4)) == 0:
        data = data[: draw(st.integers(len(data) // 2, len(data)))]
    return draw(st.sampled_from(["contacts.vcf", "Contacts.VCF", "contacts.csv", "card"])), data


MAGIC = [
    b"",
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    codecs.BOM_UTF32_LE,
    b"PK\x03\x04",
    b"%PDF-1.7\n",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
    b"GIF89a",
    b"\x1f\x8b\x08",
    b"BEGIN:VCARD\r\n",
    b"First Name,Last Name\n",
    b"\x00" * 64,
]


@st.composite
def random_files(draw: st.DrawFn) -> tuple[str, bytes]:
    data = draw(st.sampled_from(MAGIC)) + draw(st.binary(max_size=400))
    return draw(st.sampled_from(NAMES)), data


@st.composite
def zip_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """LinkedIn's archive, with fuzzed members (and sometimes damaged or padded)."""
    buffer = io.BytesIO()
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    with zipfile.ZipFile(buffer, "w", method) as archive:
        members = draw(
            st.lists(
                st.sampled_from(
                    [
                        "Connections.csv",
                        "Connections.csv",
                        "messages.csv",
                        "Invitations.csv",
                        "Basic_LinkedIn_Data/Connections.csv",
                        "Basic_LinkedIn_Data/messages.csv",
                        "Profile.csv",
                        "dir/",
                        "xl/workbook.xml",
                    ]
                ),
                max_size=4,
                unique=True,
            )
        )
        for member in members:
            _, data = draw(st.one_of(csv_files(), random_files()))
            archive.writestr(member, data)
    data = buffer.getvalue()
    if draw(st.integers(0, 3)) == 0:
        data = data[: draw(st.integers(1, len(data)))]
    return draw(st.sampled_from(["Basic_LinkedIn_Data.zip", "export.zip", "Connections.csv"])), data


def zipped(member: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, data)
    return buffer.getvalue()


LINKEDIN_WITH_NUL = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"\x00Jane,Doe,,,Acme,CEO,05 Jan 2026\n"
)


# -- the check ----------------------------------------------------------------------------------


def owned_rows(owner: Any) -> dict[str, int]:
    return {
        "people": Person.objects.filter(owner=owner).count(),
        "organizations": Organization.objects.filter(owner=owner).count(),
        "affiliations": Affiliation.objects.filter(owner=owner).count(),
    }


def import_or_explain(
    upload_dir: Path, name: str, data: bytes, requested_format: str = "", group: str = ""
) -> ImportBatch | None:
    """Run one batch to its end and check it either imported or failed cleanly."""
    owner = UserFactory()
    before = set(upload_dir.iterdir())  # files a failed example left behind
    if not data:
        with pytest.raises(services.ImportRefused, match="the file is empty"):
            services.create_batch(owner, io.BytesIO(data), name)
        assert set(upload_dir.iterdir()) == before
        assert not ImportBatch.objects.filter(owner=owner).exists()
        return None
    batch = services.create_batch(
        owner, io.BytesIO(data), name, requested_format=requested_format, new_affiliation_name=group
    )
    stored = upload_dir / batch.stored_name
    assert batch.stored_name and stored.exists()

    plan = services.preview(batch)
    batch.refresh_from_db()
    if batch.status == Status.PREVIEWED:
        assert plan is not None
        assert batch.error == ""
        assert owned_rows(owner)["people"] == 0, "the preview wrote people"
        previewed = batch.summary
        landed = services.commit(batch)
        batch.refresh_from_db()
        assert landed, batch.error
        assert batch.status == Status.IMPORTED, (batch.status, batch.error)
        assert batch.error == ""
        assert batch.summary["new"] == previewed["new"], (previewed, batch.summary)
        assert owned_rows(owner)["people"] == batch.summary["new"]
    else:
        assert plan is None
        assert batch.status == Status.FAILED, (batch.status, batch.error)
        assert batch.error.startswith(f"{batch.original_name}: "), batch.error
        assert "unexpected error" not in batch.error, batch.error
        assert owned_rows(owner) == {"people": 0, "organizations": 0, "affiliations": 0}
    event(f"{batch.format or 'unrecognised'}: {batch.status}")
    # The upload is deleted once the batch has ended, whichever way it ended.
    assert batch.stored_name == ""
    assert not stored.exists()
    assert set(upload_dir.iterdir()) == before
    return batch


@pytest.fixture
def upload_dir(settings: Any, tmp_path: Path) -> Path:
    settings.IMPORT_DIR = tmp_path
    return tmp_path


@given(
    st.one_of(csv_files(), random_files()),
    st.sampled_from(REQUESTED),
    st.sampled_from(["", "", "Northfield Alumni"]),
)
@FUZZ
@example(("Connections.csv", b'First Name,Last Name\n"Jane,Doe\n'), "", "")
@example(("Connections.csv", b"Name\n" + b'"' + b"x" * 300_000), "", "")
@example(("alumni.csv", b'Full Name;Notes\nJane Doe;"a\x00b"\n'), "", "Northfield Alumni")
@example(("alumni.csv", b"Full Name,Employer\n\x00Jane\x00,Ac\x00me\n"), "csv", "")
@example(("contacts.csv", b"First Name,Last Name,E-mail 1 - Value\nJane,Doe,\x00\n"), "", "")
@example(("contacts.csv", "Name,E-mail 1 - Value\nJane,a@b.c\n".encode("utf-16")), "", "")
@example(("upload", b"\x00" * 64 + b"\xff" * 10), "", "")
@example(("x.txt", b"\x89PNG\r\n\x1a\n"), "", "")
def test_csv_and_random_files_import_or_explain(
    upload_dir: Path, file: tuple[str, bytes], requested_format: str, group: str
) -> None:
    import_or_explain(upload_dir, *file, requested_format=requested_format, group=group)


@given(vcard_files(), st.sampled_from(["", "", "", "vcard", "csv", "linkedin"]))
@FUZZ
@example(("contacts.vcf", b"BEGIN:VCARD\r\nN;ENCODING=QUOTED-PRINTABLE:Doe;J=\r\nEND:VCARD"), "")
@example(
    ("contacts.vcf", b"BEGIN:VCARD\r\nAGENT:\r\nBEGIN:VCARD\r\nFN:Inner\r\nEND:VCARD\r\nFN:O\r\n"),
    "",
)
@example(("contacts.vcf", b"BEGIN:VCARD\r\nFN:Jane\x00Doe\r\nNOTE:a\x00b\r\nEND:VCARD\r\n"), "")
@example(("contacts.vcf", b"BEGIN:VCARD\r\nFN:Jane\r\n"), "")
def test_vcards_import_or_explain(
    upload_dir: Path, file: tuple[str, bytes], requested_format: str
) -> None:
    import_or_explain(upload_dir, *file, requested_format=requested_format)


@given(zip_files(), st.sampled_from(["", "", "linkedin_archive", "linkedin", "vcard"]))
@settings(FUZZ, max_examples=30)
@example(("Basic_LinkedIn_Data.zip", zipped("Connections.csv", LINKEDIN_WITH_NUL)), "")
@example(("export.zip", zipped("xl/workbook.xml", b"<workbook/>")), "")
def test_archives_import_or_explain(
    upload_dir: Path, file: tuple[str, bytes], requested_format: str
) -> None:
    import_or_explain(upload_dir, *file, requested_format=requested_format)


@given(
    csv_files(),
    st.dictionaries(
        st.sampled_from(
            ["full_name", "first_name", "last_name", "email", "phone", "linkedin_url",
             "organization", "department", "title", "location", "notes", "tags",
             "connected_on", "class_year", "affiliation_detail"]
        ),
        st.integers(min_value=0, max_value=14),
        min_size=1,
    ),
    st.lists(st.integers(min_value=0, max_value=14), max_size=2),
)  # fmt: skip
@settings(FUZZ, max_examples=30)
@example(("x.csv", b"Name,Org\nJane Doe,Ac\x00me\n"), {"full_name": 0, "notes": 1}, [])
def test_a_changed_mapping_previews_again_or_explains(
    upload_dir: Path, file: tuple[str, bytes], columns: dict[str, int], extra: list[int]
) -> None:
    """The columns form's path: save a mapping, preview again, import."""
    name, data = file
    if not data:
        return
    owner = UserFactory()
    batch = services.create_batch(owner, io.BytesIO(data), name, requested_format="csv")
    stored = upload_dir / batch.stored_name
    services.preview(batch)
    batch.refresh_from_db()
    if batch.status != Status.PREVIEWED:
        assert batch.status == Status.FAILED, (batch.status, batch.error)
        assert batch.error.startswith(f"{name}: "), batch.error
        assert not stored.exists()
        return
    services.save_mapping(batch, ColumnMapping(columns=columns, extra_emails=extra))
    services.preview(batch)
    batch.refresh_from_db()
    if batch.status == Status.PREVIEWED:
        assert services.commit(batch), batch.error
        batch.refresh_from_db()
        assert batch.status == Status.IMPORTED, (batch.status, batch.error)
        assert Person.objects.filter(owner=owner).count() == batch.summary["new"]
    else:
        assert batch.status == Status.FAILED, (batch.status, batch.error)
        assert batch.error.startswith(f"{name}: "), batch.error
        assert not Person.objects.filter(owner=owner).exists()
    assert batch.stored_name == ""
    assert not stored.exists()
