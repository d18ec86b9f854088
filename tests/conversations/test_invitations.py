"""E-mailed invitations, sent to a real SMTP server started by the test."""

from __future__ import annotations

import datetime
import email
import email.policy
import socket
import time
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest
from aiosmtpd.controller import Controller

from coffeechat.conversations import services
from tests.conversations.conftest import schedule

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 10
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) == count


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    settings.EMAIL_CONFIGURED = True
    try:
        yield handler
    finally:
        controller.stop()


def calendar_part(raw: bytes) -> tuple[Any, Any]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    text, calendar = alternative.get_payload()
    assert text.get_content_type() == "text/plain"
    assert calendar.get_content_type() == "text/calendar"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    return message, calendar


def test_it_sends_request_then_update_then_cancel(inbox: Inbox, alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana], invite=True)
    inbox.wait_for(1)

    recipients, raw = inbox.messages[0]
    assert sorted(recipients) == ["alice@example.com", "dana@acme.example"]
    message, part = calendar_part(raw)
    assert part.get_param("method") == "REQUEST"
    assert str(message["Subject"]).strip().startswith("Invitation: coffee chat")
    assert message["Reply-To"] == "alice@example.com"
    cal = icalendar.Calendar.from_ical(part.get_content())
    event = cal.walk("VEVENT")[0]
    assert str(cal["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == 0
    assert str(event["UID"]) == conversation.uid
    conversation.refresh_from_db()
    assert conversation.invitation_sent_at is not None

    services.reschedule_conversation(
        alice, conversation, conversation.starts_at + datetime.timedelta(days=1)
    )
    inbox.wait_for(2)
    message, part = calendar_part(inbox.messages[1][1])
    event = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    assert part.get_param("method") == "REQUEST" and str(message["Subject"]).strip().startswith(
        "Updated:"
    )
    assert int(event["SEQUENCE"]) == 1 and str(event["UID"]) == conversation.uid
    assert event.decoded("DTSTART") == conversation.starts_at

    services.cancel_conversation(alice, conversation)
    inbox.wait_for(3)
    message, part = calendar_part(inbox.messages[2][1])
    cal = icalendar.Calendar.from_ical(part.get_content())
    event = cal.walk("VEVENT")[0]
    assert part.get_param("method") == "CANCEL" and str(cal["METHOD"]) == "CANCEL"
    assert int(event["SEQUENCE"]) == 2 and str(event["UID"]) == conversation.uid
    assert str(message["Subject"]).strip().startswith("Cancelled:")


def test_nothing_is_sent_without_e_mail_configured(settings: Any, alice: Any, dana: Any) -> None:
    settings.EMAIL_CONFIGURED = False
    conversation = schedule(alice, [dana], invite=True)
    assert "not configured" in conversation.invitation_report  # type: ignore[attr-defined]
    conversation.refresh_from_db()
    assert conversation.invitation_sent_at is None


def test_a_refusing_server_is_reported_and_the_conversation_kept(
    settings: Any, alice: Any, dana: Any
) -> None:
    settings.EMAIL_CONFIGURED = True
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    conversation = schedule(alice, [dana], invite=True)
    assert "could not be sent" in conversation.invitation_report  # type: ignore[attr-defined]
    assert conversation.pk is not None
