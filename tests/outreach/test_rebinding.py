"""DNS rebinding: the SMTP host name is resolved once, every answer is checked, and the
connection goes to the checked address, with the typed name kept for TLS (issue 19,
item 3).

The resolver that changes its answer is a test hook at the one resolver function,
``coffeechat.outreach.destinations.resolve``: no DNS server can be pointed at from this
machine's resolver without changing system files, and /etc/hosts cannot change its
answer between two lookups. Everything after the resolver is real: the check, the
connection, TLS with a self-signed certificate, and an aiosmtpd server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from coffeechat.outreach import destinations
from coffeechat.outreach.services.smtp_settings import send_test_email, typed_server
from coffeechat.outreach.smtp import SmtpSecurity
from tests.outreach.test_smtp import (  # noqa: F401 (fixtures)
    PASSWORD,
    USER,
    certificate,
    mail_server,
    trusted,
)

pytestmark = pytest.mark.django_db


class Rebinding:
    """Answers ``first`` the first time, then ``later`` every time; counts the lookups."""

    def __init__(self, first: list[str], later: list[str]) -> None:
        self.first, self.later, self.lookups = first, later, 0

    def __call__(self, host: str, port: int) -> list[str]:
        self.lookups += 1
        return self.first if self.lookups == 1 else self.later


@pytest.fixture
def servers(request: pytest.FixtureRequest) -> Any:
    """test_smtp's aiosmtpd servers (with its certificate, trusted)."""
    request.getfixturevalue("trusted")
    return request.getfixturevalue("mail_server")


@pytest.fixture
def rebinding(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def install(first: list[str], later: list[str]) -> Rebinding:
        resolver = Rebinding(first, later)
        monkeypatch.setattr(destinations, "resolve", resolver)
        return resolver

    yield install


def server(alice: Any, host: str, port: int, security: str = SmtpSecurity.NONE) -> Any:
    return typed_server(
        alice, host=host, port=port, security=security, username=USER, password=PASSWORD
    )


def test_it_connects_to_the_address_it_checked_not_to_a_second_answer(
    alice: Any,
    servers: Any,
    rebinding: Any,
) -> None:
    recorder, port = servers("starttls")
    # A name only the first answer makes reachable; a second lookup would get 127.0.0.2,
    # where nothing listens (and the system resolver does not know the name at all).
    resolver = rebinding(["127.0.0.1"], ["127.0.0.2"])
    result = send_test_email(alice, server(alice, "localhost", port, SmtpSecurity.STARTTLS))
    assert result.ok, result.message
    assert resolver.lookups == 1
    assert recorder.tls == [True]  # certificate verified against "localhost"


def test_tls_checks_the_certificate_against_the_typed_name_not_the_address(
    alice: Any,
    servers: Any,
    rebinding: Any,
) -> None:
    _recorder, port = servers("ssl")
    rebinding(["127.0.0.1"], ["127.0.0.1"])
    # The certificate names localhost and 127.0.0.1, not mail.rebind.test: checked
    # against the address it would pass, against the typed name it must fail.
    result = send_test_email(alice, server(alice, "mail.rebind.test", port, SmtpSecurity.SSL))
    assert not result.ok
    assert "certificate" in result.message.lower(), result.message


def test_every_answer_is_checked(alice: Any, settings: Any, rebinding: Any) -> None:
    settings.ALLOW_PRIVATE_SMTP = False
    resolver = rebinding(["93.184.215.14", "10.0.0.7"], ["93.184.215.14"])
    result = send_test_email(alice, server(alice, "mail.rebind.test", 587))
    assert not result.ok
    assert "10.0.0.7" in result.message
    assert resolver.lookups == 1


def test_a_name_that_rebinds_to_loopback_after_the_check_is_not_followed(
    alice: Any,
    settings: Any,
    servers: Any,
    rebinding: Any,
) -> None:
    settings.ALLOW_PRIVATE_SMTP = False
    recorder, _port = servers("plain")
    # Public at the check, loopback afterwards: the connection goes to the checked
    # (public, TEST-NET-free) address or nowhere, never to the loopback server.
    resolver = rebinding(["93.184.215.14"], ["127.0.0.1"])
    send_test_email(alice, server(alice, "mail.rebind.test", 587))
    assert resolver.lookups == 1
    assert recorder.envelopes == []
