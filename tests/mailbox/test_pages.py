"""The mailbox settings page, the stored-mail list, the commands and the API, against a
real dovecot."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.core import throttle
from coffeechat.mailbox import services
from coffeechat.mailbox.models import Mailbox, MailRecord, State
from coffeechat.network.models import Interaction
from coffeechat.outreach.models import ConnectionCheck, Status
from coffeechat.outreach.services import mark_replied, mark_sent
from coffeechat.server.worker import make_worker
from tests.factories import EmailAddressFactory, MessageFactory, PersonFactory
from tests.mailbox import messages
from tests.mailbox.dovecot import Dovecot

pytestmark = pytest.mark.django_db
SETTINGS = "mailbox:mailbox-settings"


def _sent_mail(server: Dovecot, person_address: str, n: int) -> None:
    server.append(
        "Sent",
        messages.apple_mail(
            from_name="Alice",
            from_address="alice@example.com",
            to_name="Someone",
            to_address=person_address,
            subject=f"Hello {n}",
            message_id=f"<sent.{n}@alice.example>",
            date="Tue, 1 Dec 2026 18:00:00 +0100",
            text=f"Note number {n}.",
        ),
    )


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_it_connects_tests_and_never_shows_the_password_again(
    alice: Any, alice_client: Client, dovecot: Dovecot
) -> None:
    response = alice_client.post(
        reverse(SETTINGS),
        {
            "action": "save",
            "host": dovecot.host,
            "port": dovecot.tls_port,
            "security": "tls",
            "username": dovecot.username,
            "password": dovecot.password,
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Saved. Testing the connection" in body
    assert "Waiting for the worker" in body  # the web request connected nowhere
    assert Mailbox.objects.get(owner=alice).known_folders == []
    check = ConnectionCheck.objects.get(owner=alice, kind="imap")
    make_worker(batch=True, interval=0).run()
    poll = reverse("mailbox:mailbox-check", kwargs={"check_id": check.pk})
    status = alice_client.get(poll, headers={"HX-Request": "true"})
    assert status["HX-Refresh"] == "true"  # the page reloads to show the folders
    body = alice_client.get(f"{reverse(SETTINGS)}?check={check.pk}").content.decode()
    assert "Test passed." in body and "Connected to 127.0.0.1" in body
    assert "sent mail in “Sent”" in body
    assert dovecot.password not in body
    mailbox = Mailbox.objects.get(owner=alice)
    assert dovecot.password not in mailbox.password_encrypted
    assert mailbox.sent_folder == "Sent"


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_it_says_plainly_when_the_server_refuses_the_password(
    alice: Any, alice_client: Client, dovecot: Dovecot
) -> None:
    alice_client.post(
        reverse(SETTINGS),
        {
            "action": "save",
            "host": dovecot.host,
            "port": dovecot.tls_port,
            "security": "tls",
            "username": dovecot.username,
            "password": "not-it",
        },
        follow=True,
    )
    make_worker(batch=True, interval=0).run()
    check = ConnectionCheck.objects.get(owner=alice, kind="imap")
    poll = reverse("mailbox:mailbox-check", kwargs={"check_id": check.pk})
    status = alice_client.get(poll, headers={"HX-Request": "true"})
    assert "HX-Refresh" not in status  # a failure is shown in place
    assert "Test failed." in status.content.decode()
    assert "The server refused the password" in status.content.decode()
    assert Mailbox.objects.get(owner=alice).state == State.REFUSED


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_the_test_button_is_rate_limited_and_runs_in_the_worker(
    alice: Any, alice_client: Client, mailbox: Mailbox
) -> None:
    limit = throttle.LIMITS["imap-test"][0]
    for _ in range(limit):
        response = alice_client.post(reverse(SETTINGS), {"action": "test"})
        assert "?check=" in response["Location"]
        make_worker(batch=True, interval=0).run()
    assert ConnectionCheck.objects.filter(owner=alice, status="passed").count() == limit
    body = alice_client.post(reverse(SETTINGS), {"action": "test"}, follow=True)
    assert "wait a minute" in body.content.decode()


def test_it_syncs_now_and_shows_what_it_found(
    alice: Any, alice_client: Client, mailbox: Mailbox, dovecot: Dovecot
) -> None:
    lena = PersonFactory(owner=alice, first_name="Lena")
    EmailAddressFactory(person=lena, email="lena@example.net")
    _sent_mail(dovecot, "lena@example.net", 1)
    _sent_mail(dovecot, "stranger@example.net", 2)

    body = alice_client.post(reverse(SETTINGS), {"action": "sync"}, follow=True).content.decode()

    assert "Synced: 2 new messages read, 1 stored" in body
    assert "2 new messages read, 1 stored, 0 replies recognised" in body
    records = alice_client.get(reverse("mailbox:record-list")).content.decode()
    assert "Hello 1" in records and "Hello 2" not in records


def test_it_deletes_a_stored_message_and_its_timeline_entry(
    alice: Any, alice_client: Client, mailbox: Mailbox, dovecot: Dovecot
) -> None:
    lena = PersonFactory(owner=alice, first_name="Lena")
    EmailAddressFactory(person=lena, email="lena@example.net")
    _sent_mail(dovecot, "lena@example.net", 1)
    services.sync_now(alice)
    record = MailRecord.objects.get(owner=alice)
    assert Interaction.objects.filter(owner=alice, person=lena).count() == 1

    alice_client.post(reverse("mailbox:record-delete", kwargs={"record_id": record.pk}))

    assert not MailRecord.objects.filter(owner=alice).exists()
    assert not Interaction.objects.filter(owner=alice, person=lena).exists()


def test_it_answers_404_for_another_users_stored_message(
    alice: Any, bob: Any, mailbox: Mailbox
) -> None:
    person = PersonFactory(owner=alice)
    record = MailRecord.objects.create(
        owner=alice,
        mailbox=mailbox,
        person=person,
        folder="INBOX",
        uidvalidity=1,
        uid=1,
        message_id="<x@y>",
        direction="received",
        sent_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
    )
    bob_client = Client()
    bob_client.force_login(bob)
    url = reverse("mailbox:record-delete", kwargs={"record_id": record.pk})
    assert bob_client.post(url).status_code == 404
    assert MailRecord.objects.filter(pk=record.pk).exists()
    api = reverse("api-1:mail-record-detail", kwargs={"record_id": record.pk})
    assert bob_client.delete(api).status_code == 404
    assert "Secret" not in bob_client.get(reverse("mailbox:record-list")).content.decode()


@pytest.mark.parametrize("url_name", [SETTINGS, "mailbox:record-list"])
def test_it_renders_in_the_same_number_of_queries_for_2_and_200(
    alice: Any, alice_client: Client, url_name: str
) -> None:
    mailbox = services.save_mailbox(
        alice, host="imap.example.com", port=993, security="tls", username="a", password="b"
    )

    def fill(start: int, count: int) -> None:
        for n in range(start, start + count):
            person = PersonFactory(owner=alice)
            MailRecord.objects.create(
                owner=alice,
                mailbox=mailbox,
                person=person,
                folder="INBOX",
                uidvalidity=1,
                uid=n,
                message_id=f"<{n}@example.net>",
                direction="received",
                subject=f"Subject {n}",
                body=f"The whole text of message {n}.",
                sent_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(reverse(url_name)).status_code == 200
        return len(captured)

    fill(0, 2)
    small = count()
    fill(2, 198)
    assert count() == small


def test_the_commands_test_and_sync(alice: Any, mailbox: Mailbox, dovecot: Dovecot) -> None:
    lena = PersonFactory(owner=alice, first_name="Lena")
    EmailAddressFactory(person=lena, email="lena@example.net")
    _sent_mail(dovecot, "lena@example.net", 1)
    out = StringIO()
    call_command("mail-test", "--user", alice.email, stdout=out)
    assert "inbox “INBOX”, sent mail in “Sent”" in out.getvalue()

    out = StringIO()
    call_command("mail-sync", "--user", alice.email, "--json", stdout=out)
    assert json.loads(out.getvalue())["stored"] == 1
    with pytest.raises(CommandError, match="--since wants a date"):
        call_command("mail-sync", "--user", alice.email, "--since", "yesterday")


def test_the_mail_test_command_says_why_it_fails(alice: Any) -> None:
    services.save_mailbox(
        alice, host="127.0.0.1", port=9, security="tls", username="a", password="b"
    )
    with pytest.raises(CommandError, match=r"Could not reach 127.0.0.1:9"):
        call_command("mail-test", "--user", alice.email, stdout=StringIO())


def test_the_api_shows_the_state_and_syncs(
    alice: Any, alice_client: Client, mailbox: Mailbox, dovecot: Dovecot
) -> None:
    state = alice_client.get(reverse("api-1:mailbox")).json()
    assert state["connected"] is True and state["sent_folder"] == "Sent"
    assert "password" not in json.dumps(state).lower()
    synced = alice_client.post(reverse("api-1:mailbox-sync")).json()
    assert synced["ok"] is True and synced["looked_at"] == 0
    assert alice_client.get(reverse("api-1:mailbox")).json()["state"] == "ok"


def test_the_api_says_when_no_mailbox_is_connected(bob: Any) -> None:
    client = Client()
    client.force_login(bob)
    state = client.get(reverse("api-1:mailbox")).json()
    assert state["connected"] is False and state["host"] == ""
    assert client.post(reverse("api-1:mailbox-sync")).status_code == 404


def test_today_offers_to_schedule_the_conversation_after_a_reply(
    alice: Any, alice_client: Client
) -> None:
    lena = PersonFactory(owner=alice, first_name="Lena")
    message = MessageFactory(owner=alice, person=lena)
    mark_sent(message)
    mark_replied(message)
    assert message.status == Status.REPLIED
    body = alice_client.get(reverse("followups:today")).content.decode()
    assert "Lena</strong></a> replied — schedule the conversation?" in body
    assert f"?person={lena.pk}" in body


def test_it_never_sends_the_saved_password_to_another_server(
    alice: Any, alice_client: Client, mailbox: Mailbox
) -> None:
    response = alice_client.post(
        reverse(SETTINGS),
        {
            "action": "save",
            "host": "imap.attacker.example",
            "port": mailbox.port,
            "security": "tls",
            "username": mailbox.username,
            "password": "",
        },
    )
    assert "the saved one is only ever sent to the saved server" in response.content.decode()
    mailbox.refresh_from_db()
    assert mailbox.host == "127.0.0.1"


def test_health_reports_stalled_and_failing_mailboxes_without_saying_whose(
    alice: Any, bob: Any, client: Client
) -> None:
    import time_machine

    created = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(created, tick=False):
        for user in (alice, bob):
            services.save_mailbox(
                user, host="imap.example.com", port=993, security="tls", username="u", password="p"
            )
        Mailbox.objects.filter(owner=bob).update(state=State.FAILED, last_sync_at=created)
        fresh = client.get("/health/").json()
    assert fresh["mailbox_syncs"] == {"connected": 2, "failing": 1, "stalled": 0}

    with time_machine.travel(created + datetime.timedelta(hours=1), tick=False):
        late = client.get("/health/").json()
    assert late["mailbox_syncs"] == {"connected": 2, "failing": 1, "stalled": 2}
    assert late["ok"] is False and late["status"] == "degraded"
    assert "imap.example.com" not in json.dumps(late) and "alice" not in json.dumps(late)
