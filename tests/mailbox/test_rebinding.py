"""DNS rebinding, for the mailbox: the IMAP host name is resolved once, every answer is
checked, and the connection goes to the checked address, with the typed name kept for
TLS (issue 17; tests/outreach/test_rebinding.py is the SMTP side).

As there, the resolver that changes its answer is a test hook at the one resolver
function, ``coffeechat.outreach.destinations.resolve``; everything after it is real:
the check, the connection, TLS with a self-signed certificate, and dovecot.
"""

from __future__ import annotations

from typing import Any

import pytest

from coffeechat.mailbox import services
from coffeechat.mailbox.models import Security, State
from coffeechat.outreach import destinations
from tests.mailbox.dovecot import Dovecot
from tests.outreach.test_rebinding import Rebinding

pytestmark = pytest.mark.django_db


@pytest.fixture
def rebinding(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The SMTP test's changing resolver, installed at the one resolver function."""

    def install(first: list[str], later: list[str]) -> Rebinding:
        resolver = Rebinding(first, later)
        monkeypatch.setattr(destinations, "resolve", resolver)
        return resolver

    return install


def connect_as(alice: Any, server: Dovecot, host: str, *, starttls: bool = False) -> None:
    services.save_mailbox(
        alice,
        host=host,
        port=server.starttls_port if starttls else server.tls_port,
        security=Security.STARTTLS if starttls else Security.TLS,
        username=server.username,
        password=server.password,
    )


@pytest.mark.parametrize("starttls", [False, True], ids=["tls", "starttls"])
def test_it_connects_to_the_address_it_checked_not_to_a_second_answer(
    alice: Any, dovecot: Dovecot, rebinding: Any, starttls: bool
) -> None:
    # Only the first answer reaches dovecot (it listens on 127.0.0.1 alone); a second
    # lookup would get 127.0.0.2, where nothing listens.
    resolver: Rebinding = rebinding(["127.0.0.1"], ["127.0.0.2"])
    connect_as(alice, dovecot, "localhost", starttls=starttls)

    synced = services.sync_now(alice)

    assert synced.ok, synced.error
    assert resolver.lookups == 1, "resolved once, by the check; never by imaplib"


def test_tls_checks_the_certificate_against_the_typed_name_not_the_address(
    alice: Any, dovecot: Dovecot, rebinding: Any
) -> None:
    rebinding(["127.0.0.1"], ["127.0.0.1"])
    # The certificate names localhost and 127.0.0.1, not imap.rebind.test.
    connect_as(alice, dovecot, "imap.rebind.test")

    result = services.sync_now(alice)

    assert not result.ok
    assert "certificate" in result.error.lower(), result.error


def test_every_answer_is_checked_before_connecting(
    alice: Any, settings: Any, dovecot: Dovecot, rebinding: Any
) -> None:
    settings.ALLOW_PRIVATE_SMTP = False
    resolver: Rebinding = rebinding(["93.184.215.14", "127.0.0.1"], ["127.0.0.1"])
    services.save_mailbox(
        alice,
        host="imap.rebind.test",
        port=993,
        security=Security.TLS,
        username=dovecot.username,
        password=dovecot.password,
    )

    result = services.sync_now(alice)

    assert not result.ok
    assert "127.0.0.1" in result.error
    assert resolver.lookups == 1
    assert services.mailbox_of(alice).state == State.FAILED  # type: ignore[union-attr]
    assert destinations.resolve is resolver
