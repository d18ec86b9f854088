"""Across apps: the listed contact of an open posting, with a conversation scheduled.
The conversation page says "apply now, then tell them"; its one click drafts the note
about the posting; once the application is recorded, "Write a message" on the
person's page proposes the note after applying."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coffeechat.core.calendar import local_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def conversation(user: Any) -> Any:
    from tests.factories import (
        ConversationFactory,
        EmailAddressFactory,
        EmploymentFactory,
        OrganizationFactory,
        PersonFactory,
        PostingFactory,
    )

    acme = OrganizationFactory(owner=user, name="Acme")
    lee = PersonFactory(owner=user, first_name="Lee", last_name="Park")
    EmailAddressFactory(person=lee, email="lee@acme.example")
    EmploymentFactory(person=lee, organization=acme, title="Analytics lead")
    PostingFactory(organization=acme, title="Data Analyst", contact=lee)
    return ConversationFactory(
        owner=user, people=[lee], starts_at=timezone.now() + datetime.timedelta(days=3)
    )


def test_apply_now_from_the_conversation_page_to_the_note_after_applying(
    logged_in_page: Page, conversation: Any, browser_log: Any
) -> None:
    page = logged_in_page
    page.goto(conversation.get_absolute_url())
    situation = page.locator(".situation.apply_now")
    expect(situation).to_contain_text("Apply now, then tell Lee")

    situation.get_by_role("link", name="Draft the note telling Lee").click()
    expect(page.get_by_role("heading", name="Write to Lee Park")).to_be_visible()
    expect(page.locator("#id_purpose")).to_have_value("after_applying")
    expect(page.locator("#id_body")).to_contain_text(
        "I am applying for the Data Analyst role at Acme (you are its listed contact)."
    )
    expect(page.locator(".situation.apply_now")).to_contain_text("This draft follows it.")

    # Apply, then record it: the posting is already chosen.
    page.locator(".situation.apply_now").get_by_role("link", name="Record the application").click()
    expect(page.locator("#id_role_title")).to_have_value("Data Analyst")
    page.locator("#id_applied_on").fill(local_today(conversation.owner).isoformat())
    page.locator("#id_status").select_option("applied")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved the application.")

    # The person's page now says to tell Lee, and "Write a message" proposes that note.
    page.goto(conversation.participants.get().get_absolute_url())
    expect(page.locator(".situation.apply_now")).to_contain_text("Tell Lee you applied")
    page.get_by_role("link", name="Write a message").click()
    expect(page.get_by_role("heading", name="Write to Lee Park")).to_be_visible()
    expect(page.locator("#id_purpose")).to_have_value("after_applying")
    expect(page.locator("#id_body")).to_contain_text(
        "I should say up front that I applied for the Data Analyst role at Acme on"
    )
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
