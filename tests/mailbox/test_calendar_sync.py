"""The sync against a real dovecot meets calendar messages: answers to my invitations
(Outlook and Google shapes, base64 parts) update the participant's answer, once; a
decline proposes rescheduling; invitations from people in my network become
conversations, and their cancellations cancel them."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from coffeechat.conversations.models import Answer, Conversation, Participant, Status
from coffeechat.followups.models import FollowUp
from coffeechat.mailbox import services
from coffeechat.mailbox.models import Mailbox
from coffeechat.network.models import Person
from tests.conversations.conftest import schedule
from tests.factories import EmailAddressFactory, PersonFactory
from tests.mailbox import calendar_messages
from tests.mailbox.conftest import LENA
from tests.mailbox.dovecot import Dovecot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_clock")]
NOW = datetime.datetime(2026, 12, 7, 18, 0, tzinfo=datetime.UTC)
DATA = Path(__file__).parent.parent / "conversations" / "data"


@pytest.fixture
def frozen_at() -> datetime.datetime:
    return NOW


def answer(conversation: Conversation) -> Participant:
    return Participant.objects.get(conversation=conversation)


def test_an_outlook_acceptance_then_a_google_decline_update_the_answer_once(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    conversation = schedule(alice, [lena])
    dovecot.append(
        "INBOX",
        calendar_messages.outlook_answer(
            from_name="Lena Hoffmann",
            from_address=LENA,
            to_address="alice@example.com",
            verb="Accepted",
            message_id="<DB9PR10MB5123.accept@eurprd10.prod.outlook.example>",
            date="Mon, 7 Dec 2026 10:15:00 +0000",
            calendar=calendar_messages.reply_calendar(
                uid=conversation.uid,
                attendee=LENA,
                name="Lena Hoffmann",
                partstat="ACCEPTED",
                stamp="20261207T101500Z",
            ),
        ),
    )
    result = services.sync_now(alice)
    assert result.ok, result.error
    assert result.calendar == 1
    assert answer(conversation).answer == Answer.ACCEPTED

    decline = calendar_messages.reply_calendar(
        uid=conversation.uid,
        attendee=LENA,
        name="Lena Hoffmann",
        partstat="DECLINED",
        stamp="20261207T120000Z",
    )
    dovecot.append(
        "INBOX",
        calendar_messages.google_message(
            from_name="Lena Hoffmann",
            from_address=LENA,
            to_address="alice@example.com",
            calendar=decline,
            method="REPLY",
            subject="Declined: Invitation: coffee chat on 10 Dec 2026",
            message_id="<calendar-1a2b3c@google.example>",
            date="Mon, 7 Dec 2026 12:00:00 +0000",
        ),
    )
    result = services.sync_now(alice)
    assert result.calendar == 1  # the calendar part and invite.ics are one answer
    row = answer(conversation)
    assert row.answer == Answer.DECLINED
    assert row.answered_at == datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.UTC)
    [item] = FollowUp.objects.filter(owner=alice, rule="declined")
    assert item.title == "Lena Hoffmann declined — propose another time?"
    # The same answer again (forwarded, or the mailbox read from the start): one effect.
    dovecot.append(
        "INBOX",
        calendar_messages.google_message(
            from_name="Lena Hoffmann",
            from_address=LENA,
            to_address="alice@example.com",
            calendar=decline,
            method="REPLY",
            subject="Declined: Invitation: coffee chat on 10 Dec 2026",
            message_id="<calendar-1a2b3c-copy@google.example>",
            date="Mon, 7 Dec 2026 12:00:00 +0000",
        ),
    )
    assert services.sync_now(alice).calendar == 0
    assert FollowUp.objects.filter(owner=alice, rule="declined").count() == 1


def test_a_google_invitation_becomes_a_conversation_and_its_cancellation_cancels_it(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    calendar = (DATA / "google_request.ics").read_text()
    dovecot.append(
        "INBOX",
        calendar_messages.google_message(
            from_name="Lena Hoffmann",
            from_address=LENA,
            to_address="alice@example.com",
            calendar=calendar,
            method="REQUEST",
            subject="Invitation: Lena / Alice – career chat @ Wed 20 Jan 2027 9am - 9:45am",
            message_id="<calendar-invite-1@google.example>",
            date="Sun, 10 Jan 2027 17:04:01 +0000",
        ),
    )
    result = services.sync_now(alice)
    assert result.calendar == 1
    conversation = Conversation.objects.get(owner=alice)
    assert conversation.external_uid == "5k2v9f0q3m1n8b7c6x4z2a0s9d@google.com"
    assert conversation.title == "Lena / Alice – career chat"
    assert list(conversation.participants.all()) == [lena]
    assert conversation.status == Status.SCHEDULED

    cancel = (
        calendar.replace("METHOD:REQUEST", "METHOD:CANCEL")
        .replace("SEQUENCE:0", "SEQUENCE:1")
        .replace("STATUS:CONFIRMED", "STATUS:CANCELLED")
    )
    dovecot.append(
        "INBOX",
        calendar_messages.google_message(
            from_name="Lena Hoffmann",
            from_address=LENA,
            to_address="alice@example.com",
            calendar=cancel,
            method="CANCEL",
            subject="Canceled event: Lena / Alice – career chat",
            message_id="<calendar-cancel-1@google.example>",
            date="Mon, 11 Jan 2027 08:00:00 +0000",
        ),
    )
    assert services.sync_now(alice).calendar == 1
    conversation.refresh_from_db()
    assert conversation.status == Status.CANCELLED


def test_an_outlook_invitation_with_a_long_body_is_read_whole(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot
) -> None:
    marco = PersonFactory(owner=alice, first_name="Marco", last_name="Rossi")
    EmailAddressFactory(person=marco, email="marco.rossi@contoso.example")
    dovecot.append(
        "INBOX",
        calendar_messages.google_message(  # the calendar part comes after 100 KB of HTML
            from_name="Marco Rossi",
            from_address="marco.rossi@contoso.example",
            to_address="alice@example.com",
            calendar=(DATA / "outlook_request.ics").read_text(),
            method="REQUEST",
            subject="Coffee chat: logistics at Contoso",
            message_id="<DB9PR10MB5123.invite@eurprd10.prod.outlook.example>",
            date="Tue, 1 Jun 2027 08:00:00 +0000",
            html_padding=100_000,
        ),
    )
    assert services.sync_now(alice).calendar == 1
    conversation = Conversation.objects.get(owner=alice)
    assert conversation.organizer_email == "marco.rossi@contoso.example"
    names = [r.person.full_name for r in conversation.participant_rows.all()]
    assert names == ["Marco Rossi", "Priya Nair"]


def test_an_invitation_from_outside_my_network_is_not_looked_at(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot
) -> None:
    dovecot.append(
        "INBOX",
        calendar_messages.google_message(
            from_name="Lena Hoffmann",
            from_address=LENA,
            to_address="alice@example.com",
            calendar=(DATA / "google_request.ics").read_text(),
            method="REQUEST",
            subject="Invitation: Lena / Alice – career chat",
            message_id="<calendar-invite-2@google.example>",
            date="Sun, 10 Jan 2027 17:04:01 +0000",
        ),
    )
    result = services.sync_now(alice)
    assert result.ok and result.calendar == 0
    assert not Conversation.objects.filter(owner=alice).exists()
    assert not Person.objects.filter(owner=alice).exists()
