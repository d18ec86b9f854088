"""The people list's active filters, and the browser history around them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def swap_after(page: Page, action: Callable[[], None], expected_query: str) -> None:
    """Run ``action`` and wait for the htmx request it causes (without a page reload)."""
    page.evaluate("() => { window.__samePage = true; }")
    with page.expect_response(
        lambda r: expected_query in r.url and r.request.headers.get("hx-request") == "true"
    ) as answer:
        action()
    assert answer.value.ok
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.__samePage") is True


@pytest.fixture
def people(user: Any) -> dict[str, Any]:
    from tests.factories import PersonFactory, TagFactory

    ada = PersonFactory(owner=user, first_name="Ada", last_name="Lovelace", level="executive")
    grace = PersonFactory(
        owner=user, first_name="Grace", last_name="Hopper", do_not_contact=True, source="friend"
    )
    grace.tags.add(TagFactory(owner=user, name="navy"))
    alan = PersonFactory(owner=user, first_name="Alan", last_name="Turing")
    return {"ada": ada, "grace": grace, "alan": alan}


def test_it_filters_people_live_with_every_filter(
    logged_in_page: Page, people: dict[str, Any]
) -> None:
    page = logged_in_page
    page.goto("/people/")
    rows = page.locator("#people-rows tbody tr")
    expect(rows).to_have_count(3)

    swap_after(
        page, lambda: page.locator("#id_level").select_option("executive"), "level=executive"
    )
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ada Lovelace")
    swap_after(page, lambda: page.locator("#id_level").select_option(""), "level=&")
    expect(rows).to_have_count(3)

    swap_after(page, lambda: page.locator("#id_tag").select_option("navy"), "tag=navy")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Grace Hopper")
    swap_after(page, lambda: page.locator("#id_tag").select_option(""), "tag=")
    expect(rows).to_have_count(3)

    # The "Do not contact only" checkbox filters on its own too (no submit button with JS on).
    swap_after(page, lambda: page.get_by_label("Do not contact only").check(), "dnc=1")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Grace Hopper")
    expect(rows.first.locator(".badge.warn")).to_have_text("do not contact")
    expect(page).to_have_url(re.compile(r"dnc=1"))

    # The pushed URL is a real page: reloading it shows the same filtered list.
    page.reload()
    expect(page.get_by_label("Do not contact only")).to_be_checked()
    expect(rows).to_have_count(1)


def test_it_shows_the_whole_page_when_going_back_to_a_search(
    logged_in_page: Page, people: dict[str, Any]
) -> None:
    page = logged_in_page
    page.goto("/people/")
    swap_after(page, lambda: page.locator("#id_q").fill("lovelace"), "q=lovelace")
    expect(page).to_have_url(re.compile(r"q=lovelace"))
    page.locator("#people-rows").get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/people/\?q=lovelace"))
    expect(page.locator("#people-rows tbody tr")).to_have_count(1)
    # The full page, with its navigation and search box, not the htmx fragment alone.
    expect(page.get_by_role("navigation", name="Main")).to_be_visible(timeout=3000)
    expect(page.locator("#id_q")).to_have_value("lovelace")


def test_it_steps_through_earlier_searches_with_back_and_forward(
    logged_in_page: Page, people: dict[str, Any]
) -> None:
    page = logged_in_page
    page.goto("/people/")
    rows = page.locator("#people-rows tbody tr")
    swap_after(page, lambda: page.locator("#id_q").fill("hopper"), "q=hopper")
    expect(rows).to_have_count(1)
    swap_after(page, lambda: page.locator("#id_q").fill("turing"), "q=turing")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Alan Turing")

    page.go_back()
    expect(page).to_have_url(re.compile(r"q=hopper"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Grace Hopper")
    expect(page.locator("#id_q")).to_have_value("hopper")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(rows).to_have_count(3)
    page.go_forward()
    expect(page).to_have_url(re.compile(r"q=hopper"))
    expect(rows).to_have_count(1)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
