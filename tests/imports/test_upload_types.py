"""Uploads: only the file types an import takes, by name and by content, refused with a
message naming the file; nothing stored is ever served back inline (issue 19)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.services import create_api_token
from coffeechat.imports.models import ImportBatch
from tests.factories import ConversationFactory, MessageFactory, PersonFactory

pytestmark = pytest.mark.django_db

CSV = b"First Name,Last Name,Email Address\nAda,Lovelace,ada@example.org\n"
VCARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nEND:VCARD\r\n"


@pytest.fixture(autouse=True)
def uploads(settings: Any, tmp_path: Path) -> Path:
    settings.IMPORT_DIR = tmp_path / "uploads"
    return Path(settings.IMPORT_DIR)


def upload(client: Client, name: str, content: bytes) -> Any:
    return client.post(reverse("imports:batch-list"), {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "this is a .png file"),
        ("people.xlsx", b"PK\x03\x04" + b"\x00" * 64, "save a spreadsheet as CSV first"),
        ("contacts", CSV, "a file without an extension"),
        ("report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "the content is a PDF document"),
        ("Connections.csv", b"\x89PNG\r\n\x1a\n", "the content is a PNG image"),
        ("contacts.vcf", b"\x1f\x8b\x08\x00", "the content is a gzip archive"),
        ("export.zip", CSV, "the content is not a ZIP archive"),
        ("export.zip", b"%PDF-1.7\n", "not a ZIP archive (it is a PDF document)"),
    ],
)
def test_it_refuses_a_file_an_import_does_not_take_and_names_it(
    alice: Any, alice_client: Client, uploads: Path, name: str, content: bytes, says: str
) -> None:
    response = upload(alice_client, name, content)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{name}: " in text
    assert says in text
    assert not ImportBatch.objects.filter(owner=alice).exists()
    assert not uploads.exists() or list(uploads.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [("Connections.csv", CSV), ("people.TSV", CSV.replace(b",", b"\t")), ("all.vcf", VCARD)],
)
def test_it_takes_the_files_an_import_reads(
    alice: Any, alice_client: Client, name: str, content: bytes
) -> None:
    response = upload(alice_client, name, content)
    assert response.status_code == 302
    assert ImportBatch.objects.filter(owner=alice, original_name=name).exists()


def test_the_form_tells_the_browser_which_files_to_offer(alice_client: Client) -> None:
    page = alice_client.get(reverse("imports:batch-list")).content.decode()
    assert 'accept=".csv,.tsv,.txt,.vcf,.vcard,.ics,.zip"' in page


def attachment(response: Any) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_download_is_an_attachment_and_never_sniffed(
    alice: Any, alice_client: Client
) -> None:
    person = PersonFactory(owner=alice)
    message = MessageFactory(person=person)
    conversation = ConversationFactory(owner=alice, people=[person])
    attachment(alice_client.get(reverse("imports:export-csv")))
    attachment(alice_client.get(reverse("imports:export-vcard")))
    attachment(alice_client.get(reverse("mydata:export-all")))
    attachment(alice_client.get(reverse("outreach:message-eml", args=[message.pk])))
    attachment(
        alice_client.get(
            reverse("conversations:conversation-ics", kwargs={"conversation_id": conversation.pk})
        )
    )
    _token, raw = create_api_token(alice, "tests")
    attachment(
        Client().get(f"/api/v1/messages/{message.pk}/eml", HTTP_AUTHORIZATION=f"Bearer {raw}")
    )


def test_an_uploaded_file_is_never_served(alice: Any, alice_client: Client) -> None:
    upload(alice_client, "Connections.csv", CSV)
    batch = ImportBatch.objects.get(owner=alice)
    assert batch.stored_name
    for path in (
        f"/uploads/{batch.stored_name}",
        f"/media/{batch.stored_name}",
        f"/static/{batch.stored_name}",
        f"/media/uploads/{batch.stored_name}",
    ):
        assert alice_client.get(path).status_code == 404, path
