"""The sync against a real dovecot: only the network's mail is stored, once; replies mark
outreach messages replied; mail sent from elsewhere lands on the timeline."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from coffeechat.followups.models import FollowUp
from coffeechat.followups.models import Status as FollowUpStatus
from coffeechat.mailbox import services
from coffeechat.mailbox.models import Direction, FolderState, Mailbox, MailRecord, State
from coffeechat.mailbox.sync import sync_due
from coffeechat.network.models import Interaction, Person
from coffeechat.outreach.models import Message, Status
from tests.mailbox import messages
from tests.mailbox.conftest import NOW, OUR_ID, SENT_AT, send_request
from tests.mailbox.dovecot import Dovecot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_clock")]


@pytest.fixture
def asked(alice: Any, lena: Person) -> Message:
    return send_request(alice, lena)


def lena_replies(server: Dovecot, *, message_id: str = "<CAF=reply1@mail.gmail.example>") -> None:
    server.append(
        "INBOX",
        messages.gmail_reply(
            from_name="Lena Hoffmann",
            from_address="lena.hoffmann@gmail.example",
            to_address="alice@example.com",
            subject="Your path",
            message_id=message_id,
            in_reply_to=OUR_ID,
            date="Wed, 2 Dec 2026 08:30:00 +0100",
        ),
    )


def test_it_marks_the_message_replied_and_closes_its_follow_ups(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, asked: Message
) -> None:
    open_before = FollowUp.objects.filter(owner=alice, message=asked).exclude(
        status__in=[FollowUpStatus.DONE, FollowUpStatus.RETIRED]
    )
    assert open_before.exists(), "sending should have opened a nudge or try-another item"
    lena_replies(dovecot)
    dovecot.append(
        "INBOX",
        messages.newsletter(
            to_address="alice@example.com", message_id="<n1@shop.example>", date="Tue, 1 Dec 2026"
        ),
    )

    result = services.sync_now(alice)

    assert result.ok, result.error
    assert result.looked_at == 2
    assert result.replies == 1
    asked.refresh_from_db()
    assert asked.status == Status.REPLIED
    assert asked.replied_at == datetime.datetime(2026, 12, 2, 7, 30, tzinfo=datetime.UTC)
    assert not open_before.exists()
    record = MailRecord.objects.get(owner=alice)
    assert record.reply_to == asked
    assert record.direction == Direction.RECEIVED
    assert record.snippet == "Happy to talk! Does Thursday at 10 work for you?"
    assert not MailRecord.objects.filter(message_id="<n1@shop.example>").exists()
    mailbox.refresh_from_db()
    assert (mailbox.state, mailbox.last_found, mailbox.last_replies) == (State.OK, 1, 1)


def test_it_reads_each_message_once_and_stores_it_once(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, asked: Message
) -> None:
    lena_replies(dovecot)
    first = services.sync_now(alice)
    second = services.sync_now(alice)

    assert (first.looked_at, second.looked_at) == (1, 0)
    assert MailRecord.objects.filter(owner=alice).count() == 1
    assert Interaction.objects.filter(owner=alice, subject__startswith="Reply:").count() == 1


def test_it_matches_again_by_message_id_when_uidvalidity_changes(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    sent = messages.apple_mail(
        from_name="Alice",
        from_address="alice@example.com",
        to_name="Lena Hoffmann",
        to_address="lena.hoffmann@gmail.example",
        subject="Grüße aus Köln",
        message_id="<A1B2@alice.example>",
        date="Tue, 1 Dec 2026 18:00:00 +0100",
        text="Schön, dich letzte Woche zu sehen — hier der Artikel.",
    )
    dovecot.append(mailbox.sent_folder, sent)
    services.sync_now(alice)
    before = FolderState.objects.get(mailbox=mailbox, folder=mailbox.sent_folder)

    dovecot.delete_folder_and_recreate(mailbox.sent_folder)
    dovecot.append(mailbox.sent_folder, sent)
    result = services.sync_now(alice)

    after = FolderState.objects.get(mailbox=mailbox, folder=mailbox.sent_folder)
    assert after.uidvalidity != before.uidvalidity
    assert result.moved == 1
    record = MailRecord.objects.get(owner=alice)
    assert record.uidvalidity == after.uidvalidity
    assert record.subject == "Grüße aus Köln"
    assert Interaction.objects.filter(owner=alice, person=lena).count() == 1


def test_it_logs_mail_sent_from_elsewhere_as_contact(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    assert mailbox.sent_folder == "Sent", "detected from SPECIAL-USE"
    dovecot.append(
        "Sent",
        messages.apple_mail(
            from_name="Alice",
            from_address="alice@example.com",
            to_name="Lena Hoffmann",
            to_address="lena.hoffmann@gmail.example",
            subject="Grüße aus Köln",
            message_id="<A1B2@alice.example>",
            date="Tue, 1 Dec 2026 18:00:00 +0100",
            text="Schön, dich letzte Woche zu sehen — hier der Artikel.",
        ),
    )

    result = services.sync_now(alice)

    assert result.sent_logged == 1
    interaction = Interaction.objects.get(owner=alice, person=lena)
    assert interaction.subject == "Grüße aus Köln"
    assert interaction.direction == "sent"
    assert interaction.body.startswith("Schön, dich letzte Woche zu sehen")
    lena.refresh_from_db()
    assert lena.last_contacted_on == datetime.date(2026, 12, 1)


def test_it_recognises_an_outlook_reply_by_subject_thread_without_ids(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, asked: Message
) -> None:
    dovecot.append(
        "INBOX",
        messages.outlook_reply(
            from_name="Lena Hoffmann",
            from_address="Lena.Hoffmann@gmail.example",
            to_address="alice@example.com",
            subject="Your path",
            message_id="<AM0PR01MB1234@eurprd01.prod.outlook.example>",
            references="<unrelated@elsewhere.example>",
            date="Wed, 2 Dec 2026 10:00:00 +0100",
        ),
    )

    services.sync_now(alice)

    asked.refresh_from_db()
    assert asked.status == Status.REPLIED
    record = MailRecord.objects.get(owner=alice)
    assert record.snippet == "Gerne – nächste Woche passt mir."


def test_it_stops_retrying_a_refused_login_until_the_settings_change(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot
) -> None:
    services.save_mailbox(
        alice,
        host=mailbox.host,
        port=mailbox.port,
        security=mailbox.security,
        username=mailbox.username,
        password="wrong",
    )
    result = services.sync_now(alice)
    mailbox.refresh_from_db()
    assert mailbox.state == State.REFUSED
    assert "refused the password" in result.error

    assert sync_due(NOW + datetime.timedelta(hours=1)) == 0

    services.save_mailbox(
        alice,
        host=mailbox.host,
        port=mailbox.port,
        security=mailbox.security,
        username=mailbox.username,
        password=dovecot.password,
    )
    assert sync_due(NOW + datetime.timedelta(hours=1)) == 1
    mailbox.refresh_from_db()
    assert mailbox.state == State.OK


def test_it_connects_with_starttls_and_says_when_the_server_is_unreachable(
    alice: Any, dovecot: Dovecot
) -> None:
    from tests.mailbox.conftest import connect_mailbox

    connect_mailbox(alice, dovecot, starttls=True)
    assert services.test_connection(alice).ok

    services.save_mailbox(
        alice, host="127.0.0.1", port=1, security="tls", username="a", password="b"
    )
    result = services.test_connection(alice)
    assert not result.ok
    assert result.message.startswith("Could not reach 127.0.0.1:1")


def test_it_refuses_a_private_address_unless_the_operator_allows_it(
    alice: Any, settings: Any, dovecot: Dovecot
) -> None:
    settings.ALLOW_PRIVATE_SMTP = False
    from tests.mailbox.conftest import connect_mailbox

    connect_mailbox(alice, dovecot)
    result = services.test_connection(alice)
    assert not result.ok
    assert "does not connect there" in result.message


def test_it_runs_one_sync_per_mailbox_at_a_time(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, asked: Message
) -> None:
    lena_replies(dovecot)
    Mailbox.objects.filter(pk=mailbox.pk).update(syncing_since=NOW - datetime.timedelta(minutes=1))

    busy = services.sync_now(alice)
    assert busy.error.startswith("A sync of this mailbox is already running")
    assert not MailRecord.objects.exists()

    # A claim older than CLAIM_FOR belongs to a sync that died: it is taken over.
    Mailbox.objects.filter(pk=mailbox.pk).update(syncing_since=NOW - datetime.timedelta(hours=1))
    assert services.sync_now(alice).ok
    assert MailRecord.objects.count() == 1
    mailbox.refresh_from_db()
    assert mailbox.syncing_since is None


def test_it_never_dates_a_reply_before_the_message_or_in_the_future(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, asked: Message
) -> None:
    dovecot.append(
        "INBOX",
        messages.gmail_reply(
            from_name="Lena Hoffmann",
            from_address="lena.hoffmann@gmail.example",
            to_address="alice@example.com",
            subject="Your path",
            message_id="<skewed@mail.gmail.example>",
            in_reply_to=OUR_ID,
            date="Mon, 30 Nov 2026 08:00:00 +0000",  # her clock is behind
        ),
    )
    services.sync_now(alice)
    asked.refresh_from_db()
    assert asked.replied_at == SENT_AT


def test_a_bounce_marks_the_message_bounced_once_and_retires_its_nudges(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, asked: Message
) -> None:
    bounce = messages.postfix_bounce(
        to_address="alice@example.com",
        failed="lena.hoffmann@gmail.example",
        original_id=OUR_ID,
        subject="Your path",
        message_id="<20261130091205.4B1C2D3E4F@mx.example.net>",
        date="Mon, 30 Nov 2026 09:12:05 +0000 (UTC)",
    )
    dovecot.append("INBOX", bounce)

    first = services.sync_now(alice)
    services.save_mailbox(  # new settings: the folder is read again from the start
        alice,
        host=mailbox.host,
        port=mailbox.port,
        security=mailbox.security,
        username=mailbox.username,
        password=None,
    )
    FolderState.objects.filter(mailbox=mailbox).update(last_uid=0)
    services.sync_now(alice)

    assert first.bounces == 1
    asked.refresh_from_db()
    assert asked.status == Status.BOUNCED
    still_open = FollowUp.objects.filter(
        owner=alice, message=asked, status__in=[FollowUpStatus.OPEN, FollowUpStatus.SNOOZED]
    )
    # No nudge can reach her; finding another way ("try another person") stays.
    assert [f.rule_key.rsplit(":", 1)[-1] for f in still_open] == ["try_another"]
    record = MailRecord.objects.get(owner=alice)
    assert record.snippet == "Delivery failed to lena.hoffmann@gmail.example."
