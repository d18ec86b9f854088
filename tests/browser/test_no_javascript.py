"""With JavaScript off, the app still works: plain forms and links, no htmx needed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {"java_script_enabled": False}


def test_it_searches_and_navigates_without_javascript(page: Page, user: Any) -> None:
    from tests.factories import PASSWORD, EmploymentFactory, PersonFactory, TagFactory

    ada = PersonFactory(owner=user, first_name="Ada", last_name="Lovelace")
    EmploymentFactory(person=ada, organization__name="Analytical Engines Ltd", title="Analyst")
    grace = PersonFactory(owner=user, first_name="Grace", last_name="Hopper")
    EmploymentFactory(person=grace, organization__name="Navy Computing Lab")
    grace.tags.add(TagFactory(owner=user, name="navy"))

    log_in(page, user.email, PASSWORD)
    assert page.evaluate("() => 1") == 1  # evaluate still works: it is not page script
    assert page.evaluate("() => typeof window.htmx") == "undefined"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    rows = page.locator("#people-rows tbody tr")
    expect(rows).to_have_count(2)

    # The <noscript> Search button submits the form the old-fashioned way.
    search_button = page.get_by_role("search").get_by_role("button", name="Search")
    expect(search_button).to_be_visible()
    page.locator("#id_q").fill("engines")
    search_button.click()
    expect(page).to_have_url(re.compile(r"/people/\?q=engines"))
    expect(page.locator("#id_q")).to_have_value("engines")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ada Lovelace")
    expect(rows.first).to_contain_text("Analyst, Analytical Engines Ltd")

    # Pressing Enter in the field submits too; a select filter combines with the query.
    page.locator("#id_q").fill("")
    page.locator("#id_tag").select_option("navy")
    page.locator("#id_q").press("Enter")
    expect(page).to_have_url(re.compile(r"tag=navy"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Grace Hopper")

    # A search for nobody offers a plain link back to the whole list.
    page.goto("/people/?q=nobody-is-called-this")
    expect(page.locator("#people-rows")).to_contain_text("Nobody matches")
    page.get_by_role("link", name="clear the search").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(rows).to_have_count(2)

    # Links lead to the person and on to the organization.
    rows.filter(has_text="Ada Lovelace").get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    page.get_by_role("link", name="Analytical Engines Ltd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Analytical Engines Ltd")
    expect(page.locator("main")).to_contain_text("Ada Lovelace")

    # POST forms work as well: edit, then log out.
    page.goto(f"/people/{ada.pk}/edit/")
    page.locator("#id_location").fill("London")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved Ada Lovelace.")
    expect(page.locator(".page-head")).to_contain_text("London")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
