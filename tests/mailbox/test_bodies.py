"""Storing the whole text of logged mail: off by default, chosen in the mailbox settings;
shown on the stored-records page and on the timeline; deleted with the records; in the
export only where stored (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.mailbox import services
from coffeechat.mailbox.models import Mailbox, MailRecord
from coffeechat.mydata.services import PARTS, part_rows
from coffeechat.network.models import Interaction, Person
from tests.mailbox import messages
from tests.mailbox.dovecot import Dovecot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_clock")]
TEXT = (
    "Dear Lena,\n\nthank you for the time yesterday.\n\n"
    "The three things I took away: talk to the data team, read the platform RFC, and "
    "write to Marco about the spring opening.\n\nAlice"
)


def sent_mail(server: Dovecot, message_id: str) -> None:
    server.append(
        "Sent",
        messages.apple_mail(
            from_name="Alice",
            from_address="alice@example.com",
            to_name="Lena Hoffmann",
            to_address="lena.hoffmann@gmail.example",
            subject="Thank you",
            message_id=message_id,
            date="Tue, 1 Dec 2026 18:00:00 +0100",
            text=TEXT,
        ),
    )


def exported(owner: Any) -> list[dict[str, Any]]:
    part = next(p for p in PARTS if p.filename == "mail_records.json")
    return list(part_rows(part, owner))


def test_by_default_only_the_subject_date_and_first_words_are_stored(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    assert mailbox.store_bodies is False
    sent_mail(dovecot, "<one@x>")

    services.sync_now(alice)

    record = MailRecord.objects.get(owner=alice)
    assert record.body == ""
    assert record.snippet.startswith("Dear Lena, thank you for the time yesterday.")
    assert "body" not in exported(alice)[0]


def test_the_whole_text_is_stored_shown_exported_and_deleted_when_chosen(
    alice: Any, alice_client: Client, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    settings_url = reverse("mailbox:mailbox-settings")
    alice_client.post(settings_url, {"action": "bodies_on"})
    sent_mail(dovecot, "<two@x>")

    services.sync_now(alice)

    record = MailRecord.objects.get(owner=alice)
    assert record.body == TEXT
    assert Interaction.objects.get(owner=alice, person=lena).body == TEXT
    records_page = alice_client.get(reverse("mailbox:record-list")).content.decode()
    assert "write to Marco about the spring opening." in records_page
    person_page = alice_client.get(lena.get_absolute_url()).content.decode()
    assert "write to Marco about the spring opening." in person_page
    assert exported(alice)[0]["body"] == TEXT

    alice_client.post(settings_url, {"action": "forget"})

    assert not MailRecord.objects.filter(owner=alice).exists()
    assert not Interaction.objects.filter(owner=alice).exists()


def test_turning_it_off_deletes_the_stored_texts_and_keeps_the_first_words(
    alice: Any, alice_client: Client, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    services.set_store_bodies(alice, True)
    sent_mail(dovecot, "<three@x>")
    services.sync_now(alice)

    page = alice_client.post(
        reverse("mailbox:mailbox-settings"), {"action": "bodies_off"}, follow=True
    )

    assert "1 stored bodies deleted" in page.content.decode()
    record = MailRecord.objects.get(owner=alice)
    assert record.body == ""
    assert Interaction.objects.get(owner=alice).body == record.snippet
    assert "body" not in exported(alice)[0]
    assert services.mailbox_of(alice).store_bodies is False  # type: ignore[union-attr]
