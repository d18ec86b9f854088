"""An invitation file (.ics) on the import page and ``coffeechat import FILE.ics``: it
becomes a scheduled conversation with its people matched to the network; a bad file is
refused with the file, line and field, and nothing is written or stored."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from coffeechat.conversations.models import Conversation
from coffeechat.imports.models import ImportBatch
from coffeechat.network.models import Person
from tests.factories import EmailAddressFactory, PersonFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "conversations" / "data"


@pytest.fixture(autouse=True)
def uploads(settings: Any, tmp_path: Path) -> Path:
    settings.IMPORT_DIR = tmp_path / "uploads"
    return Path(settings.IMPORT_DIR)


def upload(client: Client, name: str, content: bytes) -> Any:
    return client.post(reverse("imports:batch-list"), {"file": SimpleUploadedFile(name, content)})


def test_the_import_page_turns_an_invitation_into_a_conversation(
    alice: Any, alice_client: Client, uploads: Path
) -> None:
    lena = PersonFactory(owner=alice, first_name="Lena", last_name="Hoffmann")
    EmailAddressFactory(person=lena, email="lena.hoffmann@gmail.example")
    response = upload(alice_client, "invite.ics", (DATA / "google_request.ics").read_bytes())
    conversation = Conversation.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == conversation.get_absolute_url()
    page = alice_client.get(response["Location"]).content.decode()
    assert "“Lena / Alice – career chat” is scheduled." in page
    assert "Lena Hoffmann: Not answered yet" in page
    assert "From lena.hoffmann@gmail.example" in page
    assert not ImportBatch.objects.filter(owner=alice).exists()
    assert not uploads.exists() or list(uploads.iterdir()) == []
    # The same file again: the same conversation.
    upload(alice_client, "invite.ics", (DATA / "google_request.ics").read_bytes())
    assert Conversation.objects.filter(owner=alice).count() == 1


def test_the_import_page_names_the_new_people(alice: Any, alice_client: Client) -> None:
    response = upload(alice_client, "outlook.ics", (DATA / "outlook_request.ics").read_bytes())
    page = alice_client.get(response["Location"]).content.decode()
    assert "New in your network (tagged “from an invitation”): Marco Rossi, Priya Nair." in page


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("bad_start.ics", "bad_start.ics, line 7, DTSTART: this is not a date or time"),
        ("no_start.ics", "no_start.ics, line 5, DTSTART: the event has no start"),
    ],
)
def test_the_import_page_refuses_a_bad_invitation_and_writes_nothing(
    alice: Any, alice_client: Client, uploads: Path, name: str, says: str
) -> None:
    response = upload(alice_client, name, (DATA / name).read_bytes())
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not Conversation.objects.filter(owner=alice).exists()
    assert not Person.objects.filter(owner=alice).exists()
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_the_import_page_refuses_what_is_not_a_calendar(alice_client: Client) -> None:
    page = upload(alice_client, "people.ics", b"Name,Email\nLena,l@example.org\n")
    assert "people.ics, line 1: this is not a calendar file" in page.content.decode()


def test_the_command_imports_an_invitation(alice: Any, tmp_path: Path) -> None:
    path = tmp_path / "outlook_request.ics"
    shutil.copy(DATA / "outlook_request.ics", path)
    out = io.StringIO()
    call_command("import", str(path), user=alice.email, stdout=out)
    assert "“Coffee chat: logistics at Contoso” is scheduled." in out.getvalue()
    assert "Marco Rossi" in out.getvalue()
    conversation = Conversation.objects.get(owner=alice)
    out = io.StringIO()
    call_command("import", str(path), user=alice.email, json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert data["format"] == "ics"
    assert data["conversations"] == [conversation.pk]
    assert "already in your calendar" in data["message"]


def test_the_command_dry_run_writes_nothing(alice: Any, tmp_path: Path) -> None:
    path = tmp_path / "invite.ics"
    shutil.copy(DATA / "outlook_request.ics", path)
    out = io.StringIO()
    call_command("import", str(path), user=alice.email, dry_run=True, stdout=out)
    assert "is scheduled" in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    assert not Conversation.objects.filter(owner=alice).exists()
    assert not Person.objects.filter(owner=alice).exists()


def test_the_command_refuses_a_bad_invitation(alice: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad_start.ics"
    shutil.copy(DATA / "bad_start.ics", path)
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), user=alice.email, stdout=io.StringIO())
    assert str(caught.value).startswith("bad_start.ics, line 7, DTSTART: this is not a date")
    assert not Conversation.objects.filter(owner=alice).exists()
