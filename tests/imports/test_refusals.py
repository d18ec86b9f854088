"""What is not a contact list is refused, with a message naming the file and saying why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.parsers import open_file
from coffeechat.imports.records import ImportFileError
from coffeechat.network.models import Person
from tests.imports import parse, people, problems
from tests.imports.test_pages import upload

CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Calendar//EN\r\n"
    + "".join(
        "BEGIN:VEVENT\r\n"
        f"UID:event-{n}@example.org\r\n"
        f"DTSTART;TZID=Europe/Berlin:2026120{n}T100000\r\n"
        f"SUMMARY:Coffee, chat; number {n}\r\n"
        f"ATTENDEE;CN=Person {n};ROLE=REQ-PARTICIPANT:mailto:p{n}@example.org\r\n"
        "END:VEVENT\r\n"
        for n in range(1, 10)
    )
    + "END:VCALENDAR\r\n"
)


def _refused(tmp_path: Path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    with pytest.raises(ImportFileError) as error:
        list(open_file(path).records)
    message = str(error.value)
    assert message.startswith(f"{name}: ")
    return message


def test_it_refuses_a_calendar_file(tmp_path: Path) -> None:
    message = _refused(tmp_path, "invites.ics", CALENDAR)

    assert "calendar file (.ics), not a contact list" in message


def test_it_refuses_a_calendar_file_even_with_a_byte_order_mark(tmp_path: Path) -> None:
    message = _refused(tmp_path, "export.csv", b"\xef\xbb\xbf" + CALENDAR.encode())

    assert "calendar file" in message


def test_it_refuses_json(tmp_path: Path) -> None:
    message = _refused(tmp_path, "people.json", '[{"name": "Ada", "email": "ada@example.org"}]')

    assert "JSON file, not a contact list" in message


def test_it_refuses_a_web_page(tmp_path: Path) -> None:
    message = _refused(tmp_path, "saved.csv", "<!DOCTYPE html>\n<html><body>Hi</body></html>\n")

    assert "web page" in message


def test_it_refuses_a_binary_file(tmp_path: Path) -> None:
    message = _refused(tmp_path, "data.csv", bytes(range(256)) * 8)

    assert "binary" in message


def test_it_refuses_a_single_column_of_text(tmp_path: Path) -> None:
    text = "Notes from the fair\nTalked to three recruiters\nFollow up next week\n"
    message = _refused(tmp_path, "notes.txt", text)

    assert "not a table" in message
    assert "Notes from the fair" in message


def test_it_refuses_a_table_that_names_nobody(tmp_path: Path) -> None:
    message = _refused(tmp_path, "payments.csv", "Invoice,Amount\n17,25.00\n18,30.00\n")

    assert "no column holds names or e-mail addresses" in message
    assert "“Invoice”, “Amount”" in message


def test_it_reads_a_list_of_email_addresses_naming_people_by_them(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Email\nada@example.org\nben@example.org\n", encoding="utf-8")

    _, records = parse(path)

    assert [p.first_name for p in people(records)] == ["ada@example.org", "ben@example.org"]
    assert problems(records) == []


@pytest.mark.django_db
def test_the_import_page_refuses_a_calendar_file_by_name(
    alice: Any, alice_client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.IMPORT_DIR = tmp_path / "uploads"

    # An .ics is handed to conversations, never stored: a calendar of many events is
    # not an invitation. The same content under a .csv name is refused by the reader.
    page = upload(alice_client, "team-invites.ics", CALENDAR).content.decode()
    assert "team-invites.ics, VEVENT: this is a calendar of 9 events, not an invitation" in page
    assert not ImportBatch.objects.filter(owner=alice).exists()
    upload(alice_client, "team-invites.csv", CALENDAR)
    batch = ImportBatch.objects.get(owner=alice)
    assert batch.status == Status.FAILED
    page = alice_client.get(batch.get_absolute_url()).content.decode()
    assert "team-invites.csv: this is a calendar file (.ics), not a contact list" in page
    assert not Person.objects.filter(owner=alice).exists()
