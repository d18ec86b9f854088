"""An organization added twice: the form links to the one you have, and from there on to a
conversation with someone who works there, whose .ics names you as the organizer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_second_acme_leads_to_the_first_and_a_conversation_there(
    logged_in_page: Page, user: Any, browser_log: Any
) -> None:
    from coffeechat.conversations.models import Conversation
    from tests.factories import EmailAddressFactory, EmploymentFactory, PersonFactory

    dana = PersonFactory(owner=user, first_name="Dana", last_name="Reyes")
    EmailAddressFactory(person=dana, email="dana@acme.example")
    job = EmploymentFactory(person=dana, organization__name="Acme Logistics, Inc.")
    acme = job.organization

    page = logged_in_page
    page.goto("/organizations/")
    page.get_by_role("link", name="Add an organization").click()
    page.get_by_label("Name").fill("  ACME logistics inc ")
    page.get_by_role("button", name="Save").click()

    # Refused, with the reason under the name and a link to the one I have.
    error = page.locator(".field.has-error .error")
    expect(error).to_contain_text("You already have this organization")
    error.get_by_role("link", name="Acme Logistics, Inc.").click()
    expect(page).to_have_url(re.compile(rf"/organizations/{acme.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acme Logistics, Inc.")

    # Someone who works there: schedule a conversation with her.
    page.get_by_role("link", name="Dana Reyes").first.click()
    page.get_by_role("link", name="Schedule a conversation").click()
    page.get_by_label("Mode").select_option("coffee")
    page.get_by_label("Date").fill("2030-05-06")
    page.get_by_label("Start time").fill("09:30")
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/prep/$"))
    conversation = Conversation.objects.get(owner=user)

    # Its calendar file: the invitation's UID, and me as the organizer.
    page.goto(conversation.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Download .ics").click()
    content = Path(download.value.path()).read_bytes()
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    vevent = vobject.readOne(content.decode()).vevent
    assert str(event["ORGANIZER"]) == vevent.organizer.value == f"mailto:{user.email}"
    assert str(event["UID"]) == vevent.uid.value == conversation.uid
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
