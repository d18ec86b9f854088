"""Connection tests run by the worker, never in the web request (issue 19, item 3), with
a live status the page polls: the SMTP test here, the mailbox's in tests/mailbox."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coffeechat.core import throttle
from coffeechat.outreach.models import ConnectionCheck, SmtpSecurity
from coffeechat.outreach.services import connection_checks, save_smtp_settings, start_smtp_test
from coffeechat.outreach.tasks import run_smtp_check
from coffeechat.server.worker import make_worker
from tests.ports import free_port

pytestmark = pytest.mark.django_db

Status = ConnectionCheck.Status


def typed(port: int) -> dict[str, Any]:
    return {
        "host": "127.0.0.1",
        "port": port,
        "security": SmtpSecurity.NONE,
        "username": "",
        "password": "",
        "from_email": "",
    }


def test_a_second_click_while_one_waits_is_the_same_test(alice: Any) -> None:
    first = start_smtp_test(alice, typed(free_port()))
    again = start_smtp_test(alice, typed(free_port()))
    assert again.pk == first.pk
    assert ConnectionCheck.objects.filter(owner=alice).count() == 1


def test_two_workers_run_a_test_once(alice: Any, smtp_server: tuple[Any, int]) -> None:
    collector, port = smtp_server
    check = start_smtp_test(alice, typed(port))
    assert connection_checks.run(check.pk, lambda user, settings: (True, "first")) == "passed"
    # A second worker holding the same task finds it claimed and does nothing.
    assert run_smtp_check.call(check.pk) == "skipped"
    check.refresh_from_db()
    assert (check.status, check.message) == (Status.PASSED, "first")
    assert collector.envelopes == []


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_a_closed_port_fails_in_the_worker_with_plain_words(alice: Any, alice_client: Client):
    port = free_port()  # nothing listens there
    check = start_smtp_test(alice, typed(port))
    make_worker(batch=True, interval=0).run()
    check.refresh_from_db()
    assert check.status == Status.FAILED
    assert "refused" in check.message.lower()
    assert check.started_at is not None and check.finished_at is not None
    status = alice_client.get(reverse("outreach:smtp-check", kwargs={"check_id": check.pk}))
    assert "Test failed." in status.content.decode()


def test_an_unexpected_error_is_a_failed_test_not_a_stuck_one(alice: Any) -> None:
    check = start_smtp_test(alice, typed(free_port()))

    def broken(user: Any, settings: Any) -> tuple[bool, str]:
        raise RuntimeError("boom")

    assert connection_checks.run(check.pk, broken) == "failed"
    check.refresh_from_db()
    assert check.status == Status.FAILED
    assert "unexpected error" in check.message
    assert check.typed_encrypted == ""


def test_typed_settings_under_another_secret_key_are_asked_again(alice: Any, settings: Any) -> None:
    check = start_smtp_test(alice, typed(free_port()))
    settings.SECRET_KEY = "another secret key for this instance, long enough to be one"
    connection_checks.run(check.pk, lambda user, typed_settings: (True, "never"))
    check.refresh_from_db()
    assert check.status == Status.FAILED
    assert "type them again" in check.message


def test_the_page_says_when_no_worker_takes_the_test(alice: Any, alice_client: Client) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        check = start_smtp_test(alice, typed(free_port()))
    url = reverse("outreach:smtp-check", kwargs={"check_id": check.pk})
    with time_machine.travel(start + datetime.timedelta(seconds=5), tick=False):
        soon = alice_client.get(url).content.decode()
    assert "Waiting for the worker" in soon and "hx-trigger" in soon
    with time_machine.travel(start + datetime.timedelta(seconds=90), tick=False):
        later = alice_client.get(url).content.decode()
    assert "no worker has picked the test up" in later and "hx-trigger" in later
    with time_machine.travel(start + datetime.timedelta(minutes=11), tick=False):
        stopped = alice_client.get(url).content.decode()
    assert "No worker ran the test" in stopped and "hx-trigger" not in stopped


def test_a_test_whose_worker_died_stops_being_polled(alice: Any, alice_client: Client) -> None:
    start = timezone.now()
    check = start_smtp_test(alice, typed(free_port()))
    ConnectionCheck.objects.filter(pk=check.pk).update(status=Status.RUNNING, started_at=start)
    url = reverse("outreach:smtp-check", kwargs={"check_id": check.pk})
    with time_machine.travel(start + datetime.timedelta(seconds=2), tick=False):
        assert "Connecting" in alice_client.get(url).content.decode()
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        page = alice_client.get(url).content.decode()
    assert "the worker stopped during it" in page and "hx-trigger" not in page


def test_only_the_last_few_tests_are_kept(alice: Any, monkeypatch: Any) -> None:
    monkeypatch.setitem(throttle.LIMITS, "smtp-test", (100, 60))
    for _ in range(connection_checks.KEEP + 2):
        check = start_smtp_test(alice, typed(free_port()))
        connection_checks.run(check.pk, lambda user, settings: (False, "no"))
    assert ConnectionCheck.objects.filter(owner=alice).count() == connection_checks.KEEP


def test_someone_elses_test_is_not_found(alice: Any, bob_client: Client) -> None:
    check = start_smtp_test(alice, typed(free_port()))
    status = bob_client.get(reverse("outreach:smtp-check", kwargs={"check_id": check.pk}))
    assert status.status_code == 404
    page = bob_client.get(f"{reverse('outreach:smtp-settings')}?check={check.pk}")
    assert page.status_code == 200 and "Waiting for the worker" not in page.content.decode()


@pytest.mark.parametrize("raw", ["abc", "0", "-3", str(2**64), ""])
def test_a_bad_check_parameter_is_ignored(alice_client: Client, raw: str) -> None:
    page = alice_client.get(f"{reverse('outreach:smtp-settings')}?check={raw}")
    assert page.status_code == 200
    assert 'id="connection-check"' not in page.content.decode()


@pytest.mark.parametrize("size", [1, 4])
def test_the_status_uses_a_constant_number_of_queries(
    alice: Any, alice_client: Client, django_assert_num_queries: Any, size: int
) -> None:
    save_smtp_settings(
        alice,
        host="127.0.0.1",
        port=2525,
        security=SmtpSecurity.NONE,
        username="",
        password="",
        from_email="zoe@mydomain.example",
    )
    for _ in range(size):
        check = start_smtp_test(alice)
        connection_checks.run(check.pk, lambda user, settings: (True, "fine"))
    url = reverse("outreach:smtp-check", kwargs={"check_id": check.pk})
    alice_client.get(url)  # warm the session
    # session, user, profile (time zone), the check: no menu counts for a fragment
    with django_assert_num_queries(4):
        assert alice_client.get(url).status_code == 200
