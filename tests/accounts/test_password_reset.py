"""Password reset by e-mail, delivered to a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port},
            }
        }
        yield inbox
    finally:
        controller.stop()


def body_of(message: Message) -> str:
    part = message.get_payload(0) if message.is_multipart() else message
    assert isinstance(part, Message)
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_it_resets_a_password_through_a_real_mail_server(
    client: Client, smtp_server: Inbox
) -> None:
    user = UserFactory(email="dana@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "dana@example.com"})
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "dana@example.com"
    assert "[Coffeechat]" in message["Subject"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", body_of(message))
    assert link, body_of(message)
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "brand-new-passphrase-2026"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_it_answers_the_same_whether_or_not_an_address_has_an_account(
    client: Client, smtp_server: Inbox
) -> None:
    UserFactory(email="dana@example.com")
    known = client.post(reverse("account_reset_password"), {"email": "dana@example.com"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    reset_links = [m for m in smtp_server.messages if "/password/reset/key/" in body_of(m)]
    assert [m["To"] for m in reset_links] == ["dana@example.com"]
