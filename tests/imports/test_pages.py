"""The import pages, end to end: upload, preview, columns, import, re-import, undo, export."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coffeechat.imports.models import ImportBatch, SavedMapping, Status
from coffeechat.network.models import Affiliation, Membership, Person, Tie
from coffeechat.network.services import save_person
from coffeechat.server.worker import make_worker

pytestmark = pytest.mark.django_db

CONNECTIONS = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    'Dana,Reyes,https://www.linkedin.com/in/dana-reyes,,"Acme, Inc.",Engineering Manager,'
    "05 Jan 2026\n"
    "Lee,Park,https://www.linkedin.com/in/lee-park,lee@park.example,Globex,Data Scientist,"
    "16 Sep 2021\n"
)
DIRECTORY = (
    "Full Name,Employer,Job,Class,Program\n"
    "Sam Ortiz,Initech,Analyst,2019,MSc Physics\n"
    "Kim Wu,Umbrella,Director,2015,BA History\n"
)


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_DIR = tmp_path / "uploads"


def upload(client: Client, name: str, content: bytes | str, **data: Any) -> Any:
    raw = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("imports:batch-list"),
        {"file": SimpleUploadedFile(name, raw), **data},
    )


def test_upload_previews_without_writing(alice: Any, alice_client: Client) -> None:
    response = upload(alice_client, "Connections.csv", CONNECTIONS)
    batch = ImportBatch.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == batch.get_absolute_url()
    assert batch.status == Status.PREVIEWED
    assert batch.format == "linkedin"
    assert batch.summary["new"] == 2
    assert not Person.objects.filter(owner=alice).exists()

    page = alice_client.get(batch.get_absolute_url()).content.decode()
    assert "2</strong> new people" in page
    assert "Dana Reyes" in page
    assert "Import 2 new and update 0" in page


def test_import_then_reimport_then_undo(alice: Any, alice_client: Client, settings: Any) -> None:
    upload(alice_client, "Connections.csv", CONNECTIONS)
    batch = ImportBatch.objects.get(owner=alice)
    response = alice_client.post(reverse("imports:batch-commit", kwargs={"batch_id": batch.pk}))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == Status.IMPORTED
    assert Person.objects.filter(owner=alice).count() == 2
    assert Tie.objects.filter(owner=alice, from_person__isnull=True).count() == 2
    # The uploaded file is gone once the batch has ended.
    assert not batch.stored_name
    assert list(Path(settings.IMPORT_DIR).iterdir()) == []

    upload(alice_client, "Connections.csv", CONNECTIONS)
    again = ImportBatch.objects.filter(owner=alice).latest("pk")
    assert again.summary["new"] == 0
    assert again.summary["unchanged"] == 2
    alice_client.post(reverse("imports:batch-commit", kwargs={"batch_id": again.pk}))
    assert Person.objects.filter(owner=alice).count() == 2

    page = alice_client.get(reverse("imports:batch-undo", kwargs={"batch_id": batch.pk}))
    assert b"Undo this import" in page.content
    alice_client.post(reverse("imports:batch-undo", kwargs={"batch_id": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == Status.UNDONE
    assert not Person.objects.filter(owner=alice).exists()


def test_undo_page_warns_about_people_worked_on_since(alice: Any, alice_client: Client) -> None:
    upload(alice_client, "Connections.csv", CONNECTIONS)
    batch = ImportBatch.objects.get(owner=alice)
    alice_client.post(reverse("imports:batch-commit", kwargs={"batch_id": batch.pk}))
    dana = Person.objects.get(owner=alice, first_name="Dana")
    lee = Person.objects.get(owner=alice, first_name="Lee")
    Tie.objects.create(owner=alice, from_person=dana, to_person=lee, kind="colleague")

    page = alice_client.get(reverse("imports:batch-undo", kwargs={"batch_id": batch.pk}))
    text = page.content.decode()
    assert "have been worked on since" in text
    assert "Dana Reyes" in text

    alice_client.post(
        reverse("imports:batch-undo", kwargs={"batch_id": batch.pk}), {"touched": "keep"}
    )
    assert set(Person.objects.filter(owner=alice).values_list("first_name", flat=True)) == {
        "Dana",
        "Lee",
    }
    assert Tie.objects.filter(owner=alice, from_person=dana).exists()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        # Images and PDFs are refused before they are stored: test_upload_types.py.
        ("people.csv", "Name\n" + "\x00" * 40 + "\n", "people.csv"),
        ("people.csv", "Colour,Size\nred,9\n", "people.csv"),
    ],
)
def test_bad_files_fail_with_a_message_and_write_nothing(
    alice: Any, alice_client: Client, name: str, content: Any, expected: str
) -> None:
    upload(alice_client, name, content)
    batch = ImportBatch.objects.get(owner=alice)
    assert batch.status == Status.FAILED
    assert batch.error.startswith(expected)
    assert not Person.objects.filter(owner=alice).exists()
    page = alice_client.get(batch.get_absolute_url()).content.decode()
    assert "Nothing was written" in page
    assert not batch.stored_name


def test_empty_and_oversized_uploads_are_refused(
    alice: Any, alice_client: Client, settings: Any
) -> None:
    response = upload(alice_client, "empty.csv", b"")
    assert response.status_code == 200
    assert "empty" in response.content.decode()
    settings.IMPORT_MAX_BYTES = 100
    response = upload(alice_client, "big.csv", "x" * 500)
    assert "larger than the limit" in response.content.decode()
    assert not ImportBatch.objects.filter(owner=alice).exists()
    assert not any(Path(settings.IMPORT_DIR).iterdir())


def test_directory_with_columns_and_group(alice: Any, alice_client: Client) -> None:
    upload(
        alice_client,
        "alumni.csv",
        DIRECTORY,
        new_affiliation_name="Northfield University",
        new_affiliation_kind="school",
    )
    batch = ImportBatch.objects.get(owner=alice)
    assert batch.status == Status.PREVIEWED
    assert batch.format == "csv"
    page = alice_client.get(batch.get_absolute_url()).content.decode()
    assert "Preview again with these columns" in page
    columns = batch.mapping["columns"]
    assert columns["full_name"] == 0
    assert columns["organization"] == 1
    assert columns["class_year"] == 3

    # The user says "Program" is the detail, and imports.
    mapping = {
        "column_0": "full_name",
        "column_1": "organization",
        "column_2": "title",
        "column_3": "class_year",
        "column_4": "affiliation_detail",
        "remember": "on",
    }
    response = alice_client.post(
        reverse("imports:batch-mapping", kwargs={"batch_id": batch.pk}), mapping
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.mapping["columns"]["affiliation_detail"] == 4
    assert SavedMapping.objects.filter(owner=alice).count() == 1
    alice_client.post(reverse("imports:batch-commit", kwargs={"batch_id": batch.pk}))

    group = Affiliation.objects.get(owner=alice, name="Northfield University")
    sam = Membership.objects.get(affiliation=group, person__first_name="Sam")
    assert (sam.class_year, sam.detail) == (2019, "MSc Physics")
    assert not Tie.objects.filter(owner=alice).exists()

    # The next file with the same columns uses the saved mapping.
    upload(alice_client, "alumni-2.csv", DIRECTORY.replace("Sam Ortiz", "Ana Lima"))
    second = ImportBatch.objects.filter(owner=alice).latest("pk")
    assert second.mapping["columns"]["affiliation_detail"] == 4


def test_mapping_without_a_name_column_is_refused(alice: Any, alice_client: Client) -> None:
    upload(alice_client, "alumni.csv", DIRECTORY)
    batch = ImportBatch.objects.get(owner=alice)
    response = alice_client.post(
        reverse("imports:batch-mapping", kwargs={"batch_id": batch.pk}),
        {"column_1": "organization"},
    )
    assert response.status_code == 400
    assert "holds the name" in response.content.decode()


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_large_files_run_in_the_worker_with_progress(
    alice: Any, alice_client: Client, settings: Any
) -> None:
    settings.IMPORT_INLINE_BYTES = 0
    upload(alice_client, "Connections.csv", CONNECTIONS)
    batch = ImportBatch.objects.get(owner=alice)
    assert batch.status == Status.PREVIEWING
    progress = alice_client.get(reverse("imports:batch-progress", kwargs={"batch_id": batch.pk}))
    assert b"<progress" in progress.content
    assert "HX-Refresh" not in progress

    make_worker(batch=True, interval=0).run()
    batch.refresh_from_db()
    assert batch.status == Status.PREVIEWED
    progress = alice_client.get(reverse("imports:batch-progress", kwargs={"batch_id": batch.pk}))
    assert progress["HX-Refresh"] == "true"

    alice_client.post(reverse("imports:batch-commit", kwargs={"batch_id": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == Status.IMPORTING
    make_worker(batch=True, interval=0).run()
    batch.refresh_from_db()
    assert batch.status == Status.IMPORTED
    assert Person.objects.filter(owner=alice).count() == 2

    # Undoing it is the worker's too: the request only marks it, the page follows.
    response = alice_client.post(reverse("imports:batch-undo", kwargs={"batch_id": batch.pk}))
    assert response["Location"] == batch.get_absolute_url()
    batch.refresh_from_db()
    assert (batch.status, batch.phase) == (Status.UNDOING, "Waiting for the worker")
    assert Person.objects.filter(owner=alice).count() == 2  # nothing removed yet
    progress = alice_client.get(reverse("imports:batch-progress", kwargs={"batch_id": batch.pk}))
    assert b"<progress" in progress.content and "HX-Refresh" not in progress
    again = alice_client.post(reverse("imports:batch-undo", kwargs={"batch_id": batch.pk}))
    assert again.status_code == 302  # a second click queues nothing more
    make_worker(batch=True, interval=0).run()
    batch.refresh_from_db()
    assert batch.status == Status.UNDONE
    assert not Person.objects.filter(owner=alice).exists()
    progress = alice_client.get(reverse("imports:batch-progress", kwargs={"batch_id": batch.pk}))
    assert progress["HX-Refresh"] == "true"


def test_export_csv_is_formula_safe_and_reimports_without_duplicates(
    alice: Any, bob: Any, alice_client: Client
) -> None:
    save_person(
        alice,
        Person(first_name='=HYPERLINK("http://evil")', last_name="+Sum", notes="-1 and @me"),
        emails=["x@y.example"],
    )
    save_person(bob, Person(first_name="Bobsfriend"))
    response = alice_client.get(reverse("imports:export-csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode()
    assert "Bobsfriend" not in text
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert all(not cell or cell[0] not in "=+-@\t\r" for cell in cells), cells
    assert '\'=HYPERLINK("http://evil")' in cells

    upload(alice_client, "export.csv", text)
    batch = ImportBatch.objects.filter(owner=alice).latest("pk")
    assert batch.summary["new"] == 0, batch.summary
    assert batch.summary["unchanged"] == 1


def test_export_vcard_parses_with_a_second_library(alice: Any, alice_client: Client) -> None:
    save_person(
        alice,
        Person(first_name="Chloé", last_name="Müller", notes="Line one\nLine two; with, commas"),
        emails=["chloe@example.org"],
        phones=["+49 30 1234567"],
    )
    response = alice_client.get(reverse("imports:export-vcard"))
    text = b"".join(response.streaming_content).decode()
    cards = list(vobject.readComponents(text))
    assert len(cards) == 1
    card = cards[0]
    assert card.fn.value == "Chloé Müller"
    assert card.email.value == "chloe@example.org"
    assert card.note.value == "Line one\nLine two; with, commas"


def test_another_users_batch_is_a_404(alice: Any, bob_client: Client, alice_client: Client) -> None:
    upload(alice_client, "alices-connections.csv", CONNECTIONS)
    batch = ImportBatch.objects.get(owner=alice)
    for name in ("batch-detail", "batch-progress", "batch-undo"):
        url = reverse(f"imports:{name}", kwargs={"batch_id": batch.pk})
        assert bob_client.get(url).status_code == 404
    for name in ("batch-commit", "batch-cancel", "batch-mapping", "batch-undo"):
        url = reverse(f"imports:{name}", kwargs={"batch_id": batch.pk})
        assert bob_client.post(url).status_code == 404
    batch.refresh_from_db()
    assert batch.status == Status.PREVIEWED
    assert (
        "alices-connections" not in bob_client.get(reverse("imports:batch-list")).content.decode()
    )
