"""Calendar answers and invitations in a real browser, across apps: schedule a
conversation and e-mail the invitation (real SMTP); the person's answers (accepted, then
declined) arrive in the mailbox (real dovecot); "Sync now" reads them; the conversation
page shows the answer and Today proposes another time. Then an invitation someone else
sent, uploaded on the import page, becomes a scheduled conversation with the person."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.mailbox import calendar_messages
from tests.mailbox.dovecot import Dovecot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATA = Path(__file__).parent.parent / "conversations" / "data"
LENA = "lena.hoffmann@gmail.example"


@pytest.fixture
def people(user: Any) -> dict[str, Any]:
    from tests.factories import EmailAddressFactory, PersonFactory

    lena = PersonFactory(owner=user, first_name="Lena", last_name="Hoffmann")
    EmailAddressFactory(person=lena, email=LENA)
    marco = PersonFactory(owner=user, first_name="Marco", last_name="Rossi")
    EmailAddressFactory(person=marco, email="marco.rossi@contoso.example")
    return {"lena": lena, "marco": marco}


def _stamp(minutes_ago: int) -> str:
    moment = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=minutes_ago)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def test_answers_arrive_by_mail_and_an_invitation_file_becomes_a_conversation(
    logged_in_page: Page,
    user: Any,
    imap_server: Dovecot,
    smtp: Any,
    people: dict[str, Any],
    browser_log: Any,
) -> None:
    from coffeechat.conversations.models import Conversation
    from coffeechat.mailbox import services
    from tests.mailbox.conftest import connect_mailbox

    connect_mailbox(user, imap_server)
    assert services.test_connection(user).ok
    lena = people["lena"]
    page = logged_in_page

    # Schedule with Lena and e-mail her the invitation (the existing flow).
    page.goto(f"/people/{lena.pk}/")
    page.get_by_role("link", name="Schedule a conversation").click()
    page.get_by_label("Date").fill("2030-05-06")
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("E-mail them a calendar invitation").check()
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/prep/$"))
    conversation = Conversation.objects.get(owner=user)
    invitation = smtp.parsed()[0]
    calendar = next(p for p in invitation.walk() if p.get_content_type() == "text/calendar")
    uid = re.search(r"^UID:(.+?)\r?$", calendar.get_content(), re.M)
    assert uid is not None and uid.group(1) == conversation.uid

    # Her Outlook accepts; a sync reads it; the conversation page shows it.
    imap_server.append(
        "INBOX",
        calendar_messages.outlook_answer(
            from_name="Lena Hoffmann",
            from_address=LENA,
            to_address="walter@example.com",
            verb="Accepted",
            message_id="<DB9PR10MB5123.accept@eurprd10.prod.outlook.example>",
            date=invitation["Date"],
            calendar=calendar_messages.reply_calendar(
                uid=uid.group(1),
                attendee=LENA,
                name="Lena Hoffmann",
                partstat="ACCEPTED",
                stamp=_stamp(30),
            ),
        ),
    )
    page.goto("/profile/mailbox/")
    page.get_by_role("button", name="Sync now").click()
    expect(page.get_by_role("status")).to_contain_text("Calendar: 1 answers and invitations")
    page.goto(conversation.get_absolute_url())
    expect(page.locator("#answers")).to_contain_text("Lena Hoffmann: Accepted")

    # Then she declines from Google Calendar.
    imap_server.append(
        "INBOX",
        calendar_messages.google_message(
            from_name="Lena Hoffmann",
            from_address=LENA,
            to_address="walter@example.com",
            calendar=calendar_messages.reply_calendar(
                uid=uid.group(1),
                attendee=LENA,
                name="Lena Hoffmann",
                partstat="DECLINED",
                stamp=_stamp(5),
            ),
            method="REPLY",
            subject="Declined: Invitation: coffee chat on 6 May 2030",
            message_id="<calendar-decline@google.example>",
            date=invitation["Date"],
        ),
    )
    page.goto("/profile/mailbox/")
    page.get_by_role("button", name="Sync now").click()
    expect(page.get_by_role("status")).to_contain_text("Calendar: 1 answers and invitations")
    page.goto(conversation.get_absolute_url())
    expect(page.locator("#answers")).to_contain_text("Lena Hoffmann: Declined")

    # Today proposes another time, and the link goes to rescheduling.
    page.goto("/today/")
    item = page.locator("li", has_text="Lena Hoffmann declined — propose another time?")
    item.get_by_role("link", name="Open").click()
    expect(page).to_have_url(re.compile(rf"/conversations/{conversation.pk}/reschedule/$"))

    # An invitation Marco sent, saved from Outlook and uploaded on the import page.
    page.goto("/imports/")
    page.locator("#id_file").set_input_files(str(DATA / "outlook_request.ics"))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".messages")).to_contain_text(
        "“Coffee chat: logistics at Contoso” is scheduled."
    )
    expect(page.locator(".messages")).to_contain_text("Priya Nair")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Marco Rossi")
    expect(page.locator("#answers")).to_contain_text("Marco Rossi: Not answered yet")
    imported = Conversation.objects.exclude(pk=conversation.pk).get(owner=user)
    assert people["marco"] in imported.participants.all()
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
