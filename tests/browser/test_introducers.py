"""Across apps in a real browser: a referral chain, a conversation held at its end, a
debrief, and every introducer on the way thanked from Today with an honest draft."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lena(user: Any) -> Any:
    """You → Rosa (a friend) → Marco (Rosa introduced him) → Lena (Marco referred her)."""
    from django.utils import timezone

    from coffeechat.conversations import services
    from coffeechat.conversations.models import Conversation
    from tests.factories import EmailAddressFactory, PersonFactory, TieFactory

    rosa = PersonFactory(owner=user, first_name="Rosa", last_name="Ortiz")
    marco = PersonFactory(owner=user, first_name="Marco", last_name="Rossi")
    EmailAddressFactory(person=rosa, email="rosa@example.com")
    TieFactory(owner=user, from_person=None, to_person=rosa, kind="friend")
    TieFactory(owner=user, from_person=None, to_person=marco, kind="introduced", introduced_by=rosa)
    with_marco = services.schedule_conversation(
        user, Conversation(starts_at=timezone.now() - datetime.timedelta(days=7)), [marco]
    )
    services.mark_held(user, with_marco)
    return services.add_referral(
        user, with_marco, referred_by=marco, name="Lena Berg", organization_name="Acme Logistics"
    ).person


def test_introducers_are_thanked_with_a_draft_that_says_how_it_went(
    logged_in_page: Page, lena: Any, browser_log: Any
) -> None:
    from django.utils import timezone

    page = logged_in_page
    # Schedule with Lena (yesterday, so it has taken place), from her page.
    page.goto(f"/people/{lena.pk}/")
    page.get_by_role("link", name="Schedule a conversation").click()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/prep/$"))

    # Hold it and write the debrief.
    page.get_by_role("link", name="Start the conversation").click()
    page.get_by_role("button", name="Done: debrief").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/debrief/$"))
    page.get_by_label("Learned: Skills that matter").fill("Route planning is learned on the job")
    page.get_by_label("Fit:").select_option("strong")
    page.get_by_role("button", name="Save the debrief").click()
    expect(page.locator(".messages")).to_contain_text("Debrief saved")

    # Today: a thank-you to each introducer on the way.
    page.goto("/today/")
    went = "and say how the conversation with Lena Berg went"
    marco = page.locator("li.follow-up", has_text=f"Thank Marco Rossi {went}")
    rosa = page.locator("li.follow-up", has_text=f"Thank Rosa Ortiz {went}")
    expect(marco).to_be_visible()
    expect(rosa).to_be_visible()
    rosa.get_by_role("link", name="Open").click()

    # The composer, with a draft that names whom she introduced and how it went.
    expect(page).to_have_url(re.compile(r"/outreach/compose/"))
    draft = page.locator("#id_body")
    expect(draft).to_have_value(re.compile("Thank you for introducing me to Marco Rossi"))
    expect(draft).to_have_value(re.compile("led me on to Lena Berg"))
    expect(draft).to_have_value(re.compile("Route planning is learned on the job"))
    expect(draft).to_have_value(re.compile("Acme Logistics is a strong fit for me"))
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.locator(".messages")).to_contain_text("Marked as sent to Rosa Ortiz")

    page.goto("/today/")
    expect(page.locator("li.follow-up", has_text=f"Thank Rosa Ortiz {went}")).to_have_count(0)
    expect(page.locator("li.follow-up", has_text=f"Thank Marco Rossi {went}")).to_be_visible()
    expect(page.locator(".today-closed")).to_contain_text("You sent the thank-you")
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
