"""The mailbox in a real browser: connect a real IMAP server (dovecot) in the settings,
write to someone through real SMTP, their reply arrives in the mailbox, "Sync now"
marks the message replied and Today offers to schedule the conversation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import run_worker_after_poll
from tests.mailbox import messages
from tests.mailbox.dovecot import Dovecot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lena(user: Any) -> Any:
    from tests.factories import EmailAddressFactory, PersonFactory

    person = PersonFactory(owner=user, first_name="Lena", last_name="Hoffmann")
    EmailAddressFactory(person=person, email="lena.hoffmann@gmail.example")
    return person


def test_a_reply_in_the_mailbox_marks_the_message_and_today_offers_to_schedule(
    logged_in_page: Page, imap_server: Dovecot, smtp: Any, lena: Any, browser_log: Any
) -> None:
    from coffeechat.outreach.models import Message

    page = logged_in_page
    # Connect the mailbox from the profile's settings.
    page.goto("/profile/")
    page.get_by_role("link", name="Mailbox").click()
    expect(page.get_by_role("heading", name="Connect a mailbox")).to_be_visible()
    page.locator("#id_host").fill(imap_server.host)
    page.locator("#id_port").fill(str(imap_server.tls_port))
    page.locator("#id_security").select_option("tls")
    page.locator("#id_username").fill(imap_server.username)
    page.locator("#id_password").fill(imap_server.password)
    page.get_by_role("button", name="Connect and test").click()
    # The test runs in the worker, not in the request: the page shows it waiting and
    # asks again every second; once the worker has run it, the page shows the folders.
    check = page.locator("#connection-check")
    expect(check).to_contain_text("Waiting for the worker")
    expect(page.locator("#id_password")).to_have_value("")
    run_worker_after_poll(page, "/mailbox/tests/")
    expect(check).to_contain_text("Test passed. Connected to 127.0.0.1")
    expect(check).to_contain_text("sent mail in “Sent”")
    expect(page.get_by_role("heading", name="Folders")).to_be_visible()
    page.get_by_role("button", name="Test connection").click()
    expect(check).to_contain_text("Waiting for the worker")
    run_worker_after_poll(page, "/mailbox/tests/")
    expect(check).to_contain_text("Test passed.")

    # Write to Lena; the message goes out through the real SMTP server.
    page.goto(f"/outreach/compose/?person={lena.pk}")
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#status")).to_have_text("Sent")
    message = Message.objects.get(person=lena)
    sent = smtp.parsed()[0]
    assert sent["Message-ID"] == message.email_message_id

    # Her reply (Gmail's shape) arrives in the mailbox, answering our Message-ID.
    imap_server.append(
        "INBOX",
        messages.gmail_reply(
            from_name="Lena Hoffmann",
            from_address="lena.hoffmann@gmail.example",
            to_address="walter@example.com",
            subject=message.subject,
            message_id="<CAF=lena.reply@mail.gmail.example>",
            in_reply_to=message.email_message_id,
            date=sent["Date"],
        ),
    )
    page.goto("/profile/mailbox/")
    page.get_by_role("button", name="Sync now").click()
    expect(page.get_by_role("status")).to_contain_text("1 stored (1 replies recognised")

    page.goto(message.get_absolute_url())
    expect(page.locator("#status")).to_have_text("Replied")

    page.goto("/today/")
    offer = page.locator(f"#replied-{message.pk}")
    expect(offer).to_contain_text("Lena replied — schedule the conversation?")
    offer.get_by_role("link", name="Schedule").click()
    expect(page).to_have_url(re.compile(rf"/conversations/new/\?person={lena.pk}$"))
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
