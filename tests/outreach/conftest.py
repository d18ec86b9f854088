"""A real SMTP server (aiosmtpd, in a thread) that the tests send to and read back."""

from __future__ import annotations

import email
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from coffeechat.network.models import Organization, Person
from tests.factories import EmailAddressFactory, EmploymentFactory, PersonFactory
from tests.ports import free_port


class Collector:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def parsed(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=default)  # type: ignore[misc]
            for e in self.envelopes
        ]


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[tuple[Collector, int]]:
    """An SMTP server on 127.0.0.1 that the instance's EMAIL_URL points at."""
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    try:
        yield collector, port
    finally:
        controller.stop()


@pytest.fixture
def dana(alice: Any) -> Person:
    """Someone at Acme, with an e-mail address, in Alice's network."""
    person = PersonFactory(owner=alice, first_name="Dana", last_name="Reyes")
    EmailAddressFactory(person=person, email="dana@acme.example")
    EmploymentFactory(
        person=person,
        organization__name="Acme",
        title="Data Scientist",
    )
    return person


@pytest.fixture
def acme(dana: Person) -> Organization:
    return dana.employments.get().organization
