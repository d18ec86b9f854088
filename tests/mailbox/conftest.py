"""The mailbox tests talk to a real IMAP server: dovecot, started for each test."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coffeechat.mailbox import services
from coffeechat.mailbox.models import Mailbox, Security
from tests.mailbox.dovecot import Dovecot


@pytest.fixture
def dovecot(settings: Any) -> Iterator[Dovecot]:
    """A dovecot process on 127.0.0.1 with one user; its certificate is trusted."""
    root = Path(tempfile.mkdtemp(prefix="coffeechat-dovecot-"))
    server = Dovecot(root)
    try:
        server.start()
        settings.SMTP_CA_FILE = str(server.ca_file)
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


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
