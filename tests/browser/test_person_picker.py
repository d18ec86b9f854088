"""Person pickers in a real browser: type a few letters, choose from the list, save."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(page: Page, label: str, letters: str, name: str) -> None:
    """Type ``letters`` into the picker labelled ``label`` and choose ``name`` from the list."""
    box = page.get_by_role("searchbox", name=re.compile(rf"^{label}:?$"))
    with page.expect_response(
        lambda r: "/people/search/" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        box.press_sequentially(letters)
    results = page.locator(f"#{box.get_attribute('id')}_results")
    expect(results.get_by_role("radio", name=name)).to_be_visible()
    results.get_by_role("radio", name=name).check()
    # The choice moves next to the box, ticked, and the search is cleared.
    expect(box).to_have_value("")
    expect(results.get_by_role("radio")).to_have_count(0)
    picker = box.locator("xpath=..")
    expect(picker.locator(".picker-chosen").get_by_role("radio", name=name)).to_be_checked()


@pytest.fixture
def network(user: Any) -> dict[str, Any]:
    from tests.factories import EmploymentFactory, PersonFactory

    kim = PersonFactory(owner=user, first_name="Kim", last_name="Quist")
    EmploymentFactory(person=kim, organization__name="Acme", title="Head of Data")
    rosa = PersonFactory(owner=user, first_name="Rosa", last_name="Marsh")
    PersonFactory(owner=user, first_name="Ross", last_name="Geller")
    PersonFactory.create_batch(30, owner=user, first_name="Filler")
    return {"kim": kim, "rosa": rosa}


def test_it_picks_people_by_typing_on_the_tie_and_posting_forms(
    logged_in_page: Page, network: dict[str, Any], browser_log: BrowserLog
) -> None:
    from coffeechat.network.models import Tie
    from coffeechat.targets.models import Posting

    page = logged_in_page
    kim, rosa = network["kim"], network["rosa"]
    page.goto(f"/people/{kim.pk}/")
    page.get_by_role("link", name="Add a tie").click()
    expect(page.get_by_role("heading", name="Add a tie")).to_be_visible()
    # Nobody is listed before a search: the page does not carry the whole network.
    expect(page.get_by_role("radio", name="Ross Geller")).to_have_count(0)
    expect(page.get_by_role("radio", name=re.compile("Filler"))).to_have_count(0)

    pick(page, "From", "ros", "Rosa Marsh")
    page.get_by_label("Kind").select_option("colleague")

    # With the keyboard: arrow keys walk the list, which stays open; the ticked person
    # stays chosen when the search is cleared.
    box = page.get_by_role("searchbox", name=re.compile("^Introduced by"))
    with page.expect_response(lambda r: "introduced_by_q=fil" in r.url):
        box.press_sequentially("fil")
    results = page.locator("#id_introduced_by_results")
    expect(results.get_by_role("radio")).to_have_count(20)
    box.press("Tab")
    expect(page.get_by_role("radio", name="Nobody")).to_be_focused()
    page.keyboard.press("ArrowDown")
    first = results.get_by_role("radio").first
    expect(first).to_be_checked()
    filler = first.locator("xpath=..").inner_text().split("·")[0].strip()
    expect(results.get_by_role("radio")).to_have_count(20)
    with page.expect_response(lambda r: "introduced_by_q=&" in r.url or r.url.endswith("_q=")):
        box.fill("")
    expect(results.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_role("radio", name=filler)).to_be_checked()
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"/people/{kim.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("Saved the tie.")
    expect(page.locator("#ties-h").locator("xpath=../..")).to_contain_text("Rosa Marsh")
    tie = Tie.objects.get(to_person=kim)
    assert tie.from_person == rosa
    assert tie.introduced_by is not None and tie.introduced_by.full_name == filler

    # From the person's page to their employer, and a posting there with them as contact.
    page.get_by_role("link", name="Acme").first.click()
    page.get_by_role("link", name="Add a posting").click()
    expect(page.get_by_label("Organization")).to_have_value("Acme")
    page.get_by_label("Title").fill("Data Analyst")
    pick(page, "Listed contact", "quis", "Kim Quist")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name=re.compile("Data Analyst"))).to_be_visible()
    posting = Posting.objects.get(title="Data Analyst")
    assert posting.contact == kim
    expect(page.get_by_role("link", name="Kim Quist").first).to_be_visible()

    assert browser_log.csp_violations() == [], browser_log.lines()
    assert browser_log.errors() == [], browser_log.lines()
