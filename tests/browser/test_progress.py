"""Progress in a real browser: a note sent and answered, a conversation held and
debriefed, and the funnel on the Progress page moves, drawn and tabled."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dana(user: Any) -> Any:
    from tests.factories import EmailAddressFactory, EmploymentFactory, PersonFactory

    person = PersonFactory(owner=user, first_name="Dana", last_name="Reyes", level="staff")
    EmailAddressFactory(person=person, email="dana@acme.example")
    EmploymentFactory(
        person=person,
        organization__owner=user,
        organization__name="Acme Logistics",
        title="Head of planning",
        has_hiring_authority=True,
    )
    return person


def step_count(page: Page, key: str) -> Any:
    return page.locator(f"#funnel-table tr[data-step='{key}'] td.step-count")


def test_the_funnel_moves_as_a_note_is_answered_and_a_conversation_held(
    logged_in_page: Page, dana: Any, user: Any, browser_log: Any
) -> None:
    from coffeechat.core.calendar import local_today

    page = logged_in_page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress")
    expect(step_count(page, "first_notes")).to_have_text("0")
    expect(step_count(page, "conversations")).to_have_text("0")

    # A first note, marked as sent, then as answered.
    page.goto(f"/outreach/compose/?person={dana.pk}")
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.locator("#status")).to_have_text("Sent")
    page.get_by_role("button", name=re.compile(r"^Mark .* as replied$")).click()
    expect(page.locator("#status")).to_have_text("Replied")

    # A conversation earlier today, held and debriefed.
    page.goto(f"/people/{dana.pk}/")
    page.get_by_role("link", name="Schedule a conversation").click()
    page.get_by_label("Date").fill(local_today(user).isoformat())
    page.get_by_label("Start time").fill("00:01")
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/prep/$"))
    page.goto(page.url.replace("/prep/", "/debrief/"))
    page.get_by_label("Learned: Projects").fill("A new planning tool arrives in spring.")
    page.get_by_role("button", name="Save the debrief").click()
    expect(page.locator(".messages")).to_contain_text("Debrief saved")

    page.goto("/progress/?period=30")
    for key, count in (
        ("first_notes", "1"),
        ("replies", "1"),
        ("conversations", "1"),
        ("hiring", "1"),
    ):
        expect(step_count(page, key)).to_have_text(count)
    # The chart is drawn, and says what the table says.
    chart = page.locator("#funnel svg.chart")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.bar")).to_have_count(9)
    box = chart.locator("rect.bar").nth(3).bounding_box()
    assert box is not None and box["width"] > 0
    expect(chart.locator("title", has_text="Conversations held: 1")).to_have_count(1)
    expect(page.locator("#targets, #rates, #weekly, #suggestions")).to_have_count(4)
    assert browser_log.errors() == [] and browser_log.csp_violations() == []


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 390, "height": 844}}])
def test_the_charts_fit_a_phone(logged_in_page: Page, context_options: Any) -> None:
    page = logged_in_page
    page.goto("/progress/")
    chart = page.locator("#funnel svg.chart")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and 0 < box["width"] <= 390
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
