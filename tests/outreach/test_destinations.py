"""User SMTP settings cannot make the server connect anywhere (issue 19, item 3)."""

from __future__ import annotations

from typing import Any

import pytest

from coffeechat.core import throttle
from coffeechat.outreach.destinations import RefusedDestination, check_destination
from coffeechat.outreach.models import ConnectionCheck
from coffeechat.outreach.services.connection_checks import TooManyTests
from coffeechat.outreach.services.smtp_settings import (
    send_test_email,
    start_smtp_test,
    typed_server,
)
from coffeechat.outreach.smtp import SmtpSecurity
from coffeechat.server.worker import make_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict(settings: Any) -> None:
    settings.ALLOW_PRIVATE_SMTP = False


REFUSED = [
    ("127.0.0.1", 25),
    ("localhost", 587),
    ("10.1.2.3", 587),
    ("192.168.0.10", 465),
    ("172.16.5.5", 25),
    ("169.254.169.254", 25),
    ("::1", 25),
    ("fe80::1", 25),
    ("::ffff:127.0.0.1", 25),
    ("224.0.0.1", 25),
    ("0.0.0.0", 25),
    ("240.0.0.1", 25),
    ("100.64.0.1", 25),
    ("93.184.215.14", 22),
    ("93.184.215.14", 6379),
]


@pytest.mark.usefixtures("strict")
@pytest.mark.parametrize(("host", "port"), REFUSED)
def test_it_refuses_private_addresses_and_other_ports(host: str, port: int) -> None:
    with pytest.raises(RefusedDestination):
        check_destination(host, port)


@pytest.mark.usefixtures("strict")
def test_it_allows_a_public_address_on_a_mail_port() -> None:
    check_destination("93.184.215.14", 587)  # no connection is made: only the check


@pytest.mark.usefixtures("strict")
def test_the_test_button_says_why_without_connecting(
    alice: Any, smtp_server: tuple[Any, int]
) -> None:
    collector, port = smtp_server
    for host, wanted in [("127.0.0.1", "not a mail port"), ("127.0.0.1", "private")]:
        server = typed_server(
            alice,
            host=host,
            port=port if wanted == "not a mail port" else 25,
            security=SmtpSecurity.NONE,
            username="",
            password="",
        )
        result = send_test_email(alice, server)
        assert not result.ok
        assert wanted in result.message, result.message
    assert collector.envelopes == []


def test_the_operator_can_allow_a_local_server(alice: Any, smtp_server: tuple[Any, int]) -> None:
    collector, port = smtp_server
    server = typed_server(
        alice, host="127.0.0.1", port=port, security=SmtpSecurity.NONE, username="", password=""
    )
    assert send_test_email(alice, server).ok
    assert len(collector.envelopes) == 1


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_the_test_button_is_rate_limited_per_user(
    alice: Any, bob: Any, smtp_server: tuple[Any, int]
) -> None:
    collector, port = smtp_server
    typed = {
        "host": "127.0.0.1",
        "port": port,
        "security": SmtpSecurity.NONE,
        "username": "",
        "password": "",
        "from_email": "",
    }
    limit = throttle.LIMITS["smtp-test"][0]
    for _ in range(limit):
        start_smtp_test(alice, dict(typed))
        make_worker(batch=True, interval=0).run()  # each finishes before the next
    with pytest.raises(TooManyTests, match="wait a minute"):
        start_smtp_test(alice, dict(typed))
    assert len(collector.envelopes) == limit
    assert ConnectionCheck.objects.filter(owner=alice, status="passed").count() == limit
    start_smtp_test(bob, dict(typed))  # Bob has his own count
    make_worker(batch=True, interval=0).run()
    assert len(collector.envelopes) == limit + 1
