"""A bounce marks the address as bouncing; writing to it warns (the composer, the API,
the person page) and offers the person's other addresses, and still lets me send
(issue 17)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.mailbox import services
from coffeechat.mailbox.models import Mailbox
from coffeechat.network.models import EmailAddress, Person
from coffeechat.outreach.models import Status
from coffeechat.outreach.services import set_status
from tests.api.conftest import JsonClient
from tests.factories import EmailAddressFactory, PersonFactory
from tests.mailbox import messages
from tests.mailbox.conftest import OUR_ID, SENT_AT, send_request
from tests.mailbox.dovecot import Dovecot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_clock")]
WARNING = "Mail to lena.hoffmann@gmail.example bounced on 30 November 2026: check the address."


@pytest.fixture
def lena(alice: Any) -> Person:
    person = PersonFactory(owner=alice, first_name="Lena", last_name="Hoffmann")
    EmailAddressFactory(person=person, email="lena.hoffmann@gmail.example", position=0)
    EmailAddressFactory(person=person, email="lena@work.example", position=1)
    return person


def bounce(server: Dovecot) -> None:
    server.append(
        "INBOX",
        messages.postfix_bounce(
            to_address="alice@example.com",
            failed="lena.hoffmann@gmail.example",
            original_id=OUR_ID,
            subject="Your path",
            message_id="<20261130091205.4B1C2D3E4F@mx.example.net>",
            date="Mon, 30 Nov 2026 09:12:05 +0000 (UTC)",
        ),
    )


def test_a_bounce_marks_the_address_and_the_composer_warns_next_to_it(
    alice: Any, alice_client: Client, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    send_request(alice, lena)
    bounce(dovecot)

    services.sync_now(alice)

    address = EmailAddress.objects.get(person=lena, email="lena.hoffmann@gmail.example")
    assert address.bounced_at == datetime.datetime(2026, 11, 30, 9, 12, 5, tzinfo=datetime.UTC)
    assert EmailAddress.objects.get(person=lena, position=1).bounced_at is None
    page = alice_client.get(reverse("outreach:compose"), {"person": lena.pk, "purpose": "nudge"})
    html = page.content.decode()
    assert page.status_code == 200
    assert WARNING in html
    assert "Lena's other address: " in html and 'data-email="lena@work.example"' in html
    assert 'value="send"' in html or "Mark as sent" in html, "sending stays possible"
    person_page = alice_client.get(lena.get_absolute_url()).content.decode()
    assert WARNING in person_page


def test_the_composer_does_not_warn_for_an_address_that_works(
    alice: Any, alice_client: Client, lena: Person
) -> None:
    page = alice_client.get(reverse("outreach:compose"), {"person": lena.pk})
    assert "bounced" not in page.content.decode()


def test_the_api_draft_carries_the_warning_and_sending_is_still_the_users_choice(
    alice: Any, alice_client: Client, lena: Person
) -> None:
    set_status(send_request(alice, lena), Status.BOUNCED, SENT_AT)  # marked bounced by hand
    api = JsonClient(alice_client)

    created = api.post(
        "/api/v1/messages",
        {"person_id": lena.pk, "purpose": "informational", "channel": "email"},
    )
    other = api.post(
        "/api/v1/messages",
        {"person_id": lena.pk, "purpose": "informational", "channel": "email"},
    )
    changed = api.patch(f"/api/v1/messages/{other.json()['id']}", {"to_email": "lena@work.example"})

    assert created.status_code == 201, created.content
    assert created.json()["to_email"] == "lena.hoffmann@gmail.example"
    assert created.json()["address_warning"] == (
        "Mail to lena.hoffmann@gmail.example bounced on 30 November 2026: check the address."
    )
    assert changed.json()["address_warning"] == ""
    draft_page = alice_client.get(f"/outreach/messages/{created.json()['id']}/").content.decode()
    assert WARNING in draft_page and "Other: lena@work.example." in draft_page
    listed = api.get("/api/v1/messages").json()
    rows = listed["items"] if isinstance(listed, dict) else listed
    assert {row["id"]: row["address_warning"] for row in rows}[created.json()["id"]]


def test_mail_from_the_address_clears_the_bounce(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    send_request(alice, lena)
    bounce(dovecot)
    services.sync_now(alice)
    dovecot.append(
        "INBOX",
        messages.gmail_reply(
            from_name="Lena Hoffmann",
            from_address="lena.hoffmann@gmail.example",
            to_address="alice@example.com",
            subject="Back from holidays",
            message_id="<CAF=back@mail.gmail.example>",
            in_reply_to="",
            date="Wed, 2 Dec 2026 08:30:00 +0100",
        ),
    )

    services.sync_now(alice)

    address = EmailAddress.objects.get(person=lena, email="lena.hoffmann@gmail.example")
    assert address.bounced_at is None


def test_editing_the_person_keeps_the_mark_on_an_address_that_stays(
    alice: Any, lena: Person
) -> None:
    from coffeechat.network.services import save_person

    set_status(send_request(alice, lena), Status.BOUNCED, SENT_AT)
    save_person(alice, lena, emails=["lena@new.example", "lena.hoffmann@gmail.example"])

    marks = dict(EmailAddress.objects.filter(person=lena).values_list("email", "bounced_at"))
    assert marks == {"lena@new.example": None, "lena.hoffmann@gmail.example": SENT_AT}
