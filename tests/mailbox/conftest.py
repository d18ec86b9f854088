"""The mailbox tests talk to a real IMAP server: dovecot, started for each test."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from coffeechat.mailbox import services
from coffeechat.mailbox.models import Mailbox, Security
from coffeechat.network.models import Person
from coffeechat.outreach.models import Message
from coffeechat.outreach.services import mark_sent
from tests.factories import EmailAddressFactory, MessageFactory, PersonFactory
from tests.mailbox.dovecot import Dovecot, running_dovecot

# The moment most mailbox tests run at (modules that need another override ``frozen_at``),
# and the request to Lena that went out through Coffeechat before it.
NOW = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)
SENT_AT = datetime.datetime(2026, 11, 30, 9, 12, tzinfo=datetime.UTC)
OUR_ID = "<coffeechat.1.abc@example.com>"
LENA = "lena.hoffmann@gmail.example"


@pytest.fixture
def frozen_at() -> datetime.datetime:
    return NOW


@pytest.fixture
def mail_clock(frozen_at: datetime.datetime) -> Iterator[None]:
    """The clock at ``frozen_at``, ticking (IMAP and SMTP time out on a frozen clock)."""
    with time_machine.travel(frozen_at, tick=True):
        yield


@pytest.fixture
def lena(alice: Any) -> Person:
    person = PersonFactory(owner=alice, first_name="Lena", last_name="Hoffmann")
    EmailAddressFactory(person=person, email=LENA)
    return person


def send_request(alice: Any, lena: Person) -> Message:
    """An informational request to Lena that went out through Coffeechat at SENT_AT."""
    message = MessageFactory(owner=alice, person=lena, to_email=LENA, subject="Your path")
    message.email_message_id = OUR_ID
    message.save()
    return mark_sent(message, SENT_AT)


@pytest.fixture
def dovecot(settings: Any) -> Iterator[Dovecot]:
    """A dovecot process on 127.0.0.1 with one user; its certificate is trusted."""
    with running_dovecot(settings) as server:
        yield server


def connect_mailbox(user: Any, server: Dovecot, *, starttls: bool = False) -> Mailbox:
    return services.save_mailbox(
        user,
        host=server.host,
        port=server.starttls_port if starttls else server.tls_port,
        security=Security.STARTTLS if starttls else Security.TLS,
        username=server.username,
        password=server.password,
    )


@pytest.fixture
def mailbox(alice: Any, dovecot: Dovecot) -> Mailbox:
    """Alice's mailbox connected to the test server, its folders detected."""
    box = connect_mailbox(alice, dovecot)
    result = services.test_connection(alice)
    assert result.ok, result.message
    box.refresh_from_db()
    return box
