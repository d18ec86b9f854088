"""A stranger asks through the front door; the manager accepts, schedules and sees the
conversation: bench → network → conversations, with the invitation really e-mailed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_stranger_asks_and_the_manager_schedules_the_conversation(
    logged_in_page: Page,
    user: Any,
    browser: Browser,
    live_server: Any,
    smtp: Any,
    browser_log: Any,
) -> None:
    from coffeechat.bench.models import BenchEntry, ConversationRequest
    from coffeechat.network.models import Person
    from tests.factories import PersonFactory

    ben = PersonFactory(owner=user, first_name="Ben", last_name="Lund")
    page = logged_in_page

    # The manager opens their front door.
    page.get_by_role("link", name="Bench", exact=True).click()
    page.get_by_role("link", name="Front door").click()
    page.get_by_label("The page is open").check()
    page.get_by_label("Name shown on the page").fill("Walter White-Lab")
    page.get_by_label("Short intro").fill("I lead a small optics group and like to meet students.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("your front door is open")
    link = page.locator("#front-door-link").inner_text()
    assert re.search(r"/ask/[\w-]{32,}/$", link)

    # A stranger, not signed in, asks for a conversation.
    stranger_context = browser.new_context(base_url=live_server.url)
    stranger = stranger_context.new_page()
    stranger.goto("/" + link.split("/", 3)[3])  # the path: SITE_URL is not the test server
    expect(stranger.get_by_role("heading", level=1)).to_have_text(
        "Ask Walter White-Lab for a short conversation"
    )
    expect(stranger.get_by_text("small optics group")).to_be_visible()
    expect(stranger.get_by_role("link", name="Log out")).to_have_count(0)
    stranger.get_by_label("Your name").fill("Sam Seeker")
    stranger.get_by_label("Your e-mail address").fill("sam@seeker.example")
    stranger.get_by_label("Someone referred me to you").check()
    stranger.get_by_label("Who referred you?").fill("Ben Lund")
    stranger.get_by_label("What would you like to learn?").fill("How the group picks projects.")
    stranger.get_by_label("A link to your CV or profile (optional)").fill("https://sam.example/cv")
    stranger.get_by_role("button", name="Send my request").click()
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Thank you, your request is sent")
    stranger_context.close()

    # The manager sees it in the queue, the referrer linked to their own person.
    page.get_by_role("link", name="Bench", exact=True).click()
    page.get_by_role("link", name="Requests").click()
    row = page.locator("table.requests tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".connection")).to_contain_text("Someone referred me to you")
    expect(row.get_by_role("link", name="Ben Lund")).to_have_attribute(
        "href", ben.get_absolute_url()
    )
    row.get_by_role("link", name="Sam Seeker").click()
    page.get_by_label("Also put them on my bench").check()
    page.get_by_role("button", name="Accept and propose a time").click()

    # Scheduling, prefilled with the new person; the invitation goes out.
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a conversation")
    expect(page.get_by_label("Sam Seeker")).to_be_checked()
    page.get_by_label("Mode").select_option("video")
    page.get_by_label("Number, link, place or address").fill("https://meet.example/sam")
    page.get_by_label("Date").fill("2030-05-06")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/prep/$"))

    page.get_by_role("link", name="Conversations", exact=True).click()
    expect(page.locator("main")).to_contain_text("Sam Seeker")

    sam = Person.objects.get(owner=user, first_name="Sam")
    assert ConversationRequest.objects.get().person == sam
    assert BenchEntry.objects.get(owner=user, person=sam).referred_by == ben
    assert [e.rcpt_tos for e in smtp.envelopes] == [["sam@seeker.example"]]
    assert b"BEGIN:VCALENDAR" in smtp.envelopes[0].content
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
