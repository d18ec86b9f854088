"""Warmth learns from real exchanges: the mail stored from the mailbox suggests a tie
strength (network/exchanges.py), the warm paths use it for people without a tie of yours,
a tie set by hand is never changed, and the person page shows the suggestion (issue 17)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coffeechat.mailbox import services
from coffeechat.mailbox.models import Direction, Mailbox, MailRecord
from coffeechat.mailbox.sync import refresh_exchanges
from coffeechat.network.exchanges import suggested_strength, suggestion
from coffeechat.network.models import MailExchange, Person, Tie
from coffeechat.targets.paths import explain, paths_to_organization
from tests.factories import (
    EmailAddressFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)
from tests.mailbox import messages
from tests.mailbox.conftest import NOW
from tests.mailbox.dovecot import Dovecot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_clock")]
TODAY = datetime.date(2026, 12, 3)


def test_the_formula_rewards_volume_reciprocity_and_recency() -> None:
    recent = TODAY - datetime.timedelta(days=3)
    assert suggestion(7, 7, recent, TODAY).text == (  # type: ignore[union-attr]
        "strong (14 messages both ways, last 3 days ago)"
    )
    assert suggested_strength(7, 7, TODAY - datetime.timedelta(days=400), TODAY) == 4
    assert suggested_strength(9, 1, recent, TODAY) == 5  # many, both ways, unbalanced
    assert suggested_strength(8, 1, recent, TODAY) == 4
    assert suggested_strength(2, 1, recent, TODAY) == 4  # "strong" takes ten messages
    assert suggested_strength(1, 1, TODAY - datetime.timedelta(days=90), TODAY) == 3
    # Mail that never went both ways suggests at most "weak", however much of it.
    assert suggestion(20, 0, recent, TODAY).text == (  # type: ignore[union-attr]
        "weak (20 messages, all from you, last 3 days ago)"
    )
    assert suggested_strength(1, 0, TODAY - datetime.timedelta(days=800), TODAY) == 1
    assert suggestion(0, 0, TODAY, TODAY) is None


@pytest.fixture
def acme(alice: Any) -> Any:
    return OrganizationFactory(owner=alice, name="Acme")


@pytest.fixture
def dana(alice: Any, acme: Any) -> Person:
    person = PersonFactory(owner=alice, first_name="Dana", last_name="Reyes", source="manual")
    EmailAddressFactory(person=person, email="dana@acme.example")
    EmploymentFactory(person=person, organization=acme, is_current=True)
    return person


def exchange(alice: Any, mailbox: Mailbox, person: Person, sent: int, received: int) -> None:
    """Stored records, as the sync leaves them (the sync itself is tested below)."""
    for n in range(sent + received):
        MailRecord.objects.create(
            owner=alice,
            mailbox=mailbox,
            person=person,
            folder="Sent" if n < sent else "INBOX",
            uidvalidity=1,
            uid=1000 * person.pk + n,
            message_id=f"<{person.pk}.{n}@example.net>",
            direction=Direction.SENT if n < sent else Direction.RECEIVED,
            address="dana@acme.example",
            subject=f"Message {n}",
            sent_at=NOW - datetime.timedelta(days=3 + n),
        )
    refresh_exchanges(alice)


@pytest.fixture
def saved_mailbox(alice: Any) -> Mailbox:
    return services.save_mailbox(
        alice, host="imap.example.com", port=993, security="tls", username="a", password="b"
    )


def test_mail_exchanged_warms_the_path_to_someone_without_a_tie(
    alice: Any, acme: Any, dana: Person, saved_mailbox: Mailbox
) -> None:
    before = paths_to_organization(alice, acme, today=TODAY).best()
    assert before is not None and before.links[0].reason.kind == "contact"

    exchange(alice, saved_mailbox, dana, 7, 7)

    after = paths_to_organization(alice, acme, today=TODAY).best()
    assert after is not None
    reason = after.links[0].reason
    assert (reason.kind, reason.strength, reason.mails) == ("mail", 5, 14)
    assert after.score > before.score
    assert "someone you exchanged 14 e-mails with" in explain(after)


def test_a_tie_set_by_hand_is_never_overwritten_and_the_page_shows_both(
    alice: Any, alice_client: Client, acme: Any, dana: Person, saved_mailbox: Mailbox
) -> None:
    tie = TieFactory(owner=alice, from_person=None, to_person=dana, kind="acquaintance", strength=1)

    exchange(alice, saved_mailbox, dana, 7, 7)

    tie.refresh_from_db()
    assert tie.strength == 1
    best = paths_to_organization(alice, acme, today=TODAY).best()
    assert best is not None
    assert (best.links[0].reason.kind, best.links[0].reason.strength) == ("tie", 1)
    page = alice_client.get(dana.get_absolute_url()).content.decode()
    assert "your mailbox suggests: strong (14 messages both ways, last 3 days ago)" in page
    assert Tie.objects.get(pk=tie.pk).strength == 1


def test_the_person_page_and_the_paths_keep_their_query_counts(
    alice: Any, alice_client: Client, acme: Any, dana: Person, saved_mailbox: Mailbox
) -> None:
    def counted(action: Any) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured)

    def page() -> None:
        assert alice_client.get(dana.get_absolute_url()).status_code == 200

    def paths() -> None:
        paths_to_organization(alice, acme, today=TODAY)

    def colleague_with_mail(n: int) -> None:
        colleague = PersonFactory(owner=alice)
        EmploymentFactory(person=colleague, organization=acme, is_current=True)
        MailExchange.objects.create(owner=alice, person=colleague, sent=n, received=1, last_at=NOW)

    colleague_with_mail(1)  # a colleague of Dana's: the second round of ties is read
    exchange(alice, saved_mailbox, dana, 1, 1)
    small = (counted(page), counted(paths))
    for n in range(40):
        colleague = PersonFactory(owner=alice)
        EmploymentFactory(person=colleague, organization=acme, is_current=True)
        if n % 2:
            MailExchange.objects.create(
                owner=alice, person=colleague, sent=n, received=1, last_at=NOW
            )
    MailRecord.objects.filter(owner=alice).delete()
    exchange(alice, saved_mailbox, dana, 20, 20)
    assert (counted(page), counted(paths)) == small


def test_the_sync_counts_exchanges_and_leaves_bounces_out(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot
) -> None:
    lena = PersonFactory(owner=alice, first_name="Lena", last_name="Hoffmann")
    EmailAddressFactory(person=lena, email="lena.hoffmann@gmail.example")
    dovecot.append(
        "Sent",
        messages.apple_mail(
            from_name="Alice",
            from_address="alice@example.com",
            to_name="Lena Hoffmann",
            to_address="lena.hoffmann@gmail.example",
            subject="Hello",
            message_id="<s1@x>",
            date="Tue, 1 Dec 2026 18:00:00 +0100",
            text="Hello Lena",
        ),
    )
    dovecot.append(
        "INBOX",
        messages.gmail_reply(
            from_name="Lena Hoffmann",
            from_address="lena.hoffmann@gmail.example",
            to_address="alice@example.com",
            subject="Re: Hello",
            message_id="<r1@x>",
            in_reply_to="<s1@x>",
            date="Wed, 2 Dec 2026 08:30:00 +0100",
        ),
    )

    services.sync_now(alice)

    row = MailExchange.objects.get(owner=alice, person=lena)
    assert (row.sent, row.received) == (1, 1)
    assert row.last_at == datetime.datetime(2026, 12, 2, 7, 30, tzinfo=datetime.UTC)
    services.delete_records(alice)
    assert not MailExchange.objects.filter(owner=alice).exists()
