"""The mailbox's effects across apps, in a real browser (issue 17): a conversation is held
and debriefed, Today asks for the thank-you, I send it from another program (it lands in
dovecot's Sent folder), "Sync now" closes the thank-you on Today and puts the mail on the
person's timeline; then a bounce arrives for their address and the composer warns."""

from __future__ import annotations

import datetime
import re
from email.utils import formatdate
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.mailbox import messages
from tests.mailbox.dovecot import Dovecot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dana(user: Any, imap_server: Dovecot) -> Any:
    from coffeechat.mailbox import services
    from tests.factories import EmailAddressFactory, PersonFactory
    from tests.mailbox.conftest import connect_mailbox

    person = PersonFactory(owner=user, first_name="Dana", last_name="Reyes")
    EmailAddressFactory(person=person, email="dana@acme.example", position=0)
    EmailAddressFactory(person=person, email="dana.reyes@home.example", position=1)
    connect_mailbox(user, imap_server)  # connecting through the page: test_mailbox.py
    assert services.test_connection(user).ok
    return person


def sync_now(page: Page) -> None:
    page.goto("/profile/mailbox/")
    page.get_by_role("button", name="Sync now").click()
    expect(page.get_by_role("status")).to_contain_text("Synced:")


def test_mail_sent_elsewhere_closes_the_thank_you_and_a_bounce_warns_the_composer(
    logged_in_page: Page, imap_server: Dovecot, smtp: Any, dana: Any, browser_log: Any
) -> None:
    from coffeechat.core.calendar import local_today
    from coffeechat.outreach.models import Message

    page = logged_in_page
    # A conversation with Dana yesterday, held and debriefed.
    page.goto(f"/people/{dana.pk}/")
    page.get_by_role("link", name="Schedule a conversation").click()
    yesterday = local_today(dana.owner) - datetime.timedelta(days=1)
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/prep/$"))
    page.get_by_role("link", name="Start the conversation").click()
    page.get_by_role("button", name="Done: debrief").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/debrief/$"))
    page.get_by_label("Learned: Skills that matter").fill("SQL, and patience with legacy data")
    page.get_by_role("button", name="Save the debrief").click()
    expect(page.locator(".messages")).to_contain_text("Debrief saved")

    page.goto("/today/")
    thank_dana = page.locator("li.follow-up", has_text="Thank Dana Reyes")
    expect(thank_dana).to_be_visible()

    # The thank-you goes out from my phone: my mail program files it in Sent.
    imap_server.append(
        "Sent",
        messages.apple_mail(
            from_name="Me",
            from_address=dana.owner.email,
            to_name="Dana Reyes",
            to_address="dana@acme.example",
            subject="Thank you, Dana",
            message_id="<phone.thanks.1@example.com>",
            date=formatdate(localtime=False),
            text="Thank you for yesterday: the point about legacy data stuck with me.",
        ),
    )
    sync_now(page)
    expect(page.get_by_role("status")).to_contain_text("1 sent messages logged")

    page.goto("/today/")
    expect(page.locator("li.follow-up", has_text="Thank Dana Reyes")).to_have_count(0)
    expect(page.locator(".today-closed")).to_contain_text("Sent from your mailbox on")
    page.goto(f"/people/{dana.pk}/")
    expect(page.get_by_text("Thank you, Dana")).to_be_visible()

    # Later I write to her through Coffeechat, and the message bounces.
    page.goto(f"/outreach/compose/?person={dana.pk}&purpose=keep_in_touch")
    expect(page.locator("#bounce-warning")).to_have_count(0)
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#status")).to_have_text("Sent")
    sent = Message.objects.get(person=dana, purpose="keep_in_touch")
    imap_server.append(
        "INBOX",
        messages.postfix_bounce(
            to_address=dana.owner.email,
            failed="dana@acme.example",
            original_id=sent.email_message_id,
            subject=sent.subject,
            message_id="<bounce.1@mx.example.net>",
            date=formatdate(localtime=False),
        ),
    )
    sync_now(page)
    expect(page.get_by_role("status")).to_contain_text("1 bounces")

    # Writing to her again: the composer warns next to the address and offers the other.
    page.goto(f"/people/{dana.pk}/")
    expect(page.locator(".bounce-warning")).to_contain_text("Mail to dana@acme.example bounced on")
    page.get_by_role("link", name="Write a message").click()
    warning = page.locator("#bounce-warning")
    expect(warning).to_contain_text(
        re.compile(r"Mail to dana@acme\.example bounced on \d+ \w+ \d{4}: check the address\.")
    )
    expect(warning.get_by_role("link", name="dana.reyes@home.example")).to_be_visible()
    expect(page.get_by_role("button", name="Send now")).to_be_enabled()
    page.locator("#id_to_email").fill("dana.reyes@home.example")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Draft saved")
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
