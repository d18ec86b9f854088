from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def charlie(db: Any) -> Any:
    """A staff member."""
    return UserFactory(email="charlie@example.com", is_staff=True)


@pytest.fixture
def staff_client(charlie: Any) -> Client:
    client = Client()
    client.force_login(charlie)
    return client


@pytest.fixture
def smtp(settings: Any) -> Iterator[Any]:
    """A real SMTP server (aiosmtpd) as the instance's mail server; yields what it got."""
    from aiosmtpd.controller import Controller

    from tests.outreach.conftest import Collector
    from tests.ports import free_port

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
    settings.EMAIL_CONFIGURED = True
    yield collector
    controller.stop()
