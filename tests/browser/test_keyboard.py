"""Keyboard users get a skip link first, can reach the search, and every field has a label."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import UNLABELLED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
    const el = document.activeElement;
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        text: (el.textContent || "").trim(),
        classes: el.className,
    };
}"""


def test_it_tabs_to_the_skip_link_first_then_to_the_search(logged_in_page: Page) -> None:
    page = logged_in_page
    page.goto("/people/")

    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Skip to content"
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    # Hidden off-screen until focused, then visible on screen.
    expect(skip).to_be_in_viewport()

    # Following it moves the keyboard into the main content, past the navigation.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/people/#main$"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Add a person")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Review possible duplicates")).to_be_focused()
    page.keyboard.press("Tab")
    search = page.locator("#id_q")
    expect(search).to_be_focused()
    # The keyboard focus is visible.
    assert search.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"

    # Without the skip link, the search is still reachable by tabbing through the nav.
    page.goto("/people/")
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        seen.append(focused["id"] or focused["text"])
        if focused["id"] == "id_q":
            break
    assert seen[0] == "Skip to content"
    assert seen[-1] == "id_q", f"never reached the search field, went through {seen}"
    assert "Log out" in seen  # the nav (with its POST button) is in the tab order

    # Typing there filters the list; no mouse needed.
    page.keyboard.type("zzz-no-such-person")
    expect(page.locator("#people-rows")).to_contain_text("Nobody matches")


def test_it_labels_every_form_field(logged_in_page: Page, user: Any) -> None:
    from tests.factories import EmploymentFactory, MembershipFactory

    page = logged_in_page
    job = EmploymentFactory(person__owner=user)
    membership = MembershipFactory(person=job.person)
    person_id = job.person_id

    page.goto("/people/new/")
    for field_id in [
        "id_first_name",
        "id_last_name",
        "id_emails",
        "id_phones",
        "id_linkedin_url",
        "id_location",
        "id_time_zone",
        "id_level",
        "id_preferred_channel",
        "id_source",
        "id_tag_names",
        "id_do_not_contact",
        "id_notes",
    ]:
        expect(page.locator(f"#{field_id}")).to_be_visible()
    assert page.evaluate(UNLABELLED) == []
    expect(page.get_by_label("First name")).to_have_id("id_first_name")
    expect(page.get_by_label("E-mail addresses")).to_have_id("id_emails")
    expect(page.get_by_label("Do not contact")).to_have_id("id_do_not_contact")
    # Help texts are tied to their fields for screen readers.
    expect(page.locator("#id_emails")).to_have_attribute("aria-describedby", "id_emails_helptext")
    expect(page.locator("#id_emails_helptext")).to_have_text(re.compile("One per line"))

    for url in [
        "/people/",
        f"/people/{person_id}/edit/",
        f"/people/{person_id}/jobs/new/",
        f"/jobs/{job.pk}/edit/",
        f"/people/{person_id}/affiliations/new/",
        f"/memberships/{membership.pk}/edit/",
        f"/people/{person_id}/ties/new/",
        "/organizations/new/",
        "/affiliations/new/",
        "/profile/",
    ]:
        page.goto(url)
        assert page.locator("main").locator("input, select, textarea").count() > 0, url
        assert page.evaluate(UNLABELLED) == [], url
