"""My own SMTP server in a real browser: the test runs in the worker while the page
shows its progress, then a message to a person from a target's warm path goes out
through that server and lands on the person's timeline (issue 19, item 3)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import run_worker_after_poll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def own_server() -> Any:
    """The user's own SMTP server: a real aiosmtpd (no TLS, on loopback, which the test
    settings allow as an operator can with COFFEECHAT_ALLOW_PRIVATE_SMTP)."""
    from aiosmtpd.controller import Controller

    from tests.outreach.conftest import Collector
    from tests.ports import free_port

    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    yield collector, port
    controller.stop()


def test_test_the_server_in_the_worker_then_write_through_it(
    logged_in_page: Page, user: Any, own_server: Any, browser_log: Any
) -> None:
    from coffeechat.outreach.models import ConnectionCheck, Message, SmtpSettings
    from tests.factories import EmailAddressFactory, EmploymentFactory, PersonFactory

    collector, port = own_server
    lee = PersonFactory(owner=user, first_name="Lee", last_name="Park")
    EmailAddressFactory(person=lee, email="lee@acme.example")
    EmploymentFactory(person=lee, organization__owner=user, organization__name="Acme")
    page = logged_in_page

    page.goto("/outreach/settings/")
    page.locator("#id_host").fill("127.0.0.1")
    page.locator("#id_port").fill(str(port))
    page.locator("#id_security").select_option("none")
    page.locator("#id_from_email").fill("walter@mydomain.example")
    page.get_by_role("button", name="Test these settings without saving").click()
    check = page.locator("#connection-check")
    expect(check).to_contain_text("Waiting for the worker")
    assert collector.envelopes == []  # nothing connects from the web request
    assert not SmtpSettings.objects.filter(owner=user).exists()
    run_worker_after_poll(page, "/settings/tests/")
    expect(check).to_contain_text("Test passed. Sent a test e-mail to walter@mydomain.example")
    assert len(collector.envelopes) == 1
    assert ConnectionCheck.objects.get(owner=user).typed_encrypted == ""

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved.")
    page.get_by_role("button", name="Send a test e-mail").click()
    expect(check).to_contain_text("Waiting for the worker")
    run_worker_after_poll(page, "/settings/tests/")
    expect(check).to_contain_text("Test passed.")
    assert len(collector.envelopes) == 2

    # From the person's page to the composer; the message goes out through my server.
    page.goto(lee.get_absolute_url())
    page.get_by_role("link", name="Write").first.click()
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#status")).to_have_text("Sent")
    assert len(collector.envelopes) == 3
    assert collector.envelopes[-1].rcpt_tos == ["lee@acme.example"]
    subject = Message.objects.get(person=lee).subject
    assert collector.envelopes[-1].content.decode().count(subject.split()[0]) >= 1
    page.goto(lee.get_absolute_url())
    expect(page.locator("main")).to_contain_text(subject)
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
