"""Search the way a user moves: find someone without their accents or by a nickname on the
people list, then write to them from the composer's picker, then record a job at an
organization suggested as you type (the page never lists every organization)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_write_and_record_a_job(
    logged_in_page: Page, user: Any, browser_log: BrowserLog
) -> None:
    from coffeechat.network.models import Employment
    from tests.factories import (
        EmailAddressFactory,
        EmploymentFactory,
        OrganizationFactory,
        PersonFactory,
    )

    jose = PersonFactory(owner=user, first_name="José", last_name="Núñez")
    EmailAddressFactory(person=jose, email="jose@heliotrope.example")
    EmploymentFactory(person=jose, organization__name="Heliotrope Labs", title="Data Lead")
    william = PersonFactory(owner=user, first_name="William", last_name="Hart")
    EmailAddressFactory(person=william, email="will@globex.example")
    PersonFactory.create_batch(25, owner=user, first_name="Filler")
    for i in range(40):
        OrganizationFactory(owner=user, name=f"Filler Org {i:02d}")
    OrganizationFactory(owner=user, name="Globex Corporation")

    page = logged_in_page
    # 1. The people list: no accents typed, and a search by organization.
    page.goto("/people/")
    box = page.get_by_role("searchbox").first
    box.fill("jose nunez")
    box.press("Enter")
    expect(page.get_by_role("link", name="José Núñez")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Filler"))).to_have_count(0)
    box = page.get_by_role("searchbox").first
    box.fill("heliotrope")
    box.press("Enter")
    expect(page.get_by_role("link", name="José Núñez")).to_be_visible()

    # 2. The composer's picker finds William by his nickname.
    page.goto("/outreach/compose/")
    picker = page.get_by_label("To whom?")
    picker.fill("bill")
    picker.press("Enter")
    page.get_by_role("link", name="William Hart").click()
    expect(page).to_have_url(re.compile(rf"/outreach/compose/\?person={william.pk}"))
    expect(page.get_by_text("will@globex.example").first).to_be_visible()

    # 3. His job: the organization box suggests as you type, a few at a time.
    page.goto(f"/people/{william.pk}/jobs/new/")
    options = page.locator("#organization-names option")
    expect(options).to_have_count(0)  # nothing listed before typing
    name_box = page.get_by_label("Organization")
    with page.expect_response(lambda r: "/organizations/names/" in r.url):
        name_box.press_sequentially("glob")
    expect(options).to_have_count(1)
    assert options.first.get_attribute("value") == "Globex Corporation"
    with page.expect_response(lambda r: "/organizations/names/" in r.url):
        name_box.fill("")
        name_box.press_sequentially("filler")
    expect(options).to_have_count(20)  # at most 20, never all 40
    name_box.fill("Globex Corporation")
    page.get_by_label("Title").fill("Staff Engineer")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/people/{william.pk}/$"))
    job = Employment.objects.get(person=william)
    assert job.organization.name == "Globex Corporation"

    # 4. And search knows at once: his new title finds him.
    page.goto("/people/?q=staff+engineer")
    expect(page.get_by_role("link", name="William Hart")).to_be_visible()
    assert browser_log.errors() == [] and browser_log.csp_violations() == []


def test_page_through_a_common_name_narrow_it_then_schedule_from_the_search(
    logged_in_page: Page, user: Any, browser_log: BrowserLog
) -> None:
    """Many people answer to "ana": the list pages through all of them in name order, a
    tag narrows them, and the conversation form's search finds the one to meet."""
    from coffeechat.conversations.models import Conversation
    from coffeechat.network import search
    from tests.factories import PersonFactory, TagFactory

    mentor = TagFactory(owner=user, name="mentor")
    for i in range(60):
        person = PersonFactory(owner=user, first_name="Ana", last_name=f"Ortega {i:02d}")
        if i % 12 == 0:
            person.tags.add(mentor)
    PersonFactory(owner=user, first_name="Danae", last_name="Ábalos")  # "ana" inside a name
    search.refresh()

    page = logged_in_page
    page.goto("/people/")
    box = page.get_by_role("searchbox").first
    box.fill("ana")
    box.press("Enter")
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages).to_contain_text("Page 1 of 2 · 61 in all")
    rows = page.locator("#people-rows tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text("Ana Ortega 00")  # the name itself ranks first
    pages.get_by_role("link", name="Next →").click()
    expect(page.get_by_role("navigation", name="Pages")).to_contain_text("Page 2 of 2")
    expect(rows).to_have_count(11)
    expect(rows.last).to_contain_text("Danae Ábalos")  # found inside a name: last

    page.goto("/people/?q=ana&tag=mentor")
    expect(rows).to_have_count(5)
    expect(page.get_by_role("navigation", name="Pages")).to_have_count(0)

    # From the people to the conversations: the form's own search finds one of them.
    page.goto("/conversations/new/")
    finder = page.get_by_label("Find a person to add")
    finder.fill("ortega 36")
    finder.press("Enter")
    page.get_by_label("Ana Ortega 36").check()
    page.get_by_label("Date").fill("2030-05-06")
    page.get_by_label("Start time").fill("09:30")
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/prep/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare: Ana Ortega 36")
    conversation = Conversation.objects.get(owner=user)
    people = conversation.participant_rows.values_list("person__last_name", flat=True)
    assert list(people) == ["Ortega 36"]
    assert browser_log.errors() == [] and browser_log.csp_violations() == []


def test_a_follow_up_about_an_organization_typed_with_suggestions_shows_on_today(
    logged_in_page: Page, user: Any, browser_log: BrowserLog
) -> None:
    """The follow-up form never lists every organization: the name is typed, suggested
    a few at a time, and the follow-up lands on Today linking to that organization,
    whose page the user reaches from there."""
    from coffeechat.core.calendar import local_today
    from coffeechat.followups.models import FollowUp
    from tests.factories import OrganizationFactory

    for i in range(40):
        OrganizationFactory(owner=user, name=f"Filler Org {i:02d}")
    globex = OrganizationFactory(owner=user, name="Globex Corporation")

    page = logged_in_page
    page.goto("/today/")
    page.get_by_role("link", name="Add a follow-up").first.click()
    expect(page.locator("select#id_organization")).to_have_count(0)
    options = page.locator("#organization-names option")
    expect(options).to_have_count(0)
    name_box = page.get_by_label("Organization")
    with page.expect_response(lambda r: "/organizations/names/" in r.url):
        name_box.press_sequentially("filler")
    expect(options).to_have_count(20)  # at most 20, never all 40
    with page.expect_response(lambda r: "/organizations/names/" in r.url):
        name_box.fill("")
        name_box.press_sequentially("glob")
    expect(options).to_have_count(1)
    name_box.fill(options.first.get_attribute("value") or "")
    page.get_by_label("Title").fill("Ask Globex about the data team")
    page.get_by_label("Due on").fill(local_today(user).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/today/$"))
    item = FollowUp.objects.get(owner=user, title="Ask Globex about the data team")
    assert item.organization == globex
    row = page.locator("li", has_text="Ask Globex about the data team")
    row.get_by_role("link", name="Globex Corporation").click()
    expect(page).to_have_url(re.compile(rf"/organizations/{globex.pk}/$"))
    expect(page.get_by_role("heading", name="Globex Corporation")).to_be_visible()
