"""A manager benches three people, records an opening, sees them ranked, drafts to the first."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MET = [
    # first name, last name, preferred channel, skills, fit
    ("Ada", "Okafor", "email", "optics:4, python:3, teaching:2", "strong"),
    ("Ben", "Lund", "linkedin", "optics:2, python:2", "good"),
    ("Cleo", "Ruiz", "phone", "teaching:4", "possible"),
]


def test_a_manager_benches_three_people_and_drafts_to_the_best(
    logged_in_page: Page, user: Any, browser_log: Any
) -> None:
    from tests.factories import PersonFactory

    people = [
        PersonFactory(owner=user, first_name=first, last_name=last, preferred_channel=channel)
        for first, last, channel, _skills, _fit in MET
    ]
    page = logged_in_page
    for person, (_first, _last, _channel, skills, fit) in zip(people, MET, strict=True):
        page.goto(person.get_absolute_url())
        page.get_by_role("link", name="Put on my bench").click()
        page.get_by_label("Skills and areas").fill(skills)
        page.locator("#id_fit").select_option(fit)
        page.locator("#id_fit_reason").fill("Met at the optics meeting")
        page.get_by_role("button", name="Save").click()
        heading = page.get_by_role("heading", name=re.compile(f"{person.full_name} on my bench"))
        expect(heading).to_be_visible()
        expect(page.locator(".facts")).to_contain_text("every 90 days")

    page.get_by_role("link", name="Bench", exact=True).click()
    page.get_by_role("link", name="Openings").click()
    page.get_by_role("link", name="Record an opening").click()
    page.get_by_label("Title").fill("Optics postdoc")
    page.get_by_label("Required skills").fill("optics, python")
    page.get_by_label("Nice-to-have skills").fill("teaching")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Optics postdoc")).to_be_visible()
    rows = page.locator("table.ranking tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Ada Okafor")
    expect(rows.nth(0).locator(".channel")).to_have_text("E-mail")
    expect(rows.nth(1)).to_contain_text("Ben Lund")
    expect(rows.nth(1).locator(".channel")).to_have_text("LinkedIn message")
    expect(rows.nth(2)).to_contain_text("Cleo Ruiz")
    expect(rows.nth(2).locator(".channel")).to_have_text("Phone")

    rows.nth(0).get_by_role("link", name="Draft the message").click()
    expect(page).to_have_url(
        re.compile(r"/outreach/compose/\?person=\d+&purpose=opening&opening_title=Optics\+postdoc")
    )
    expect(page.get_by_role("heading", name=re.compile("Ada Okafor"))).to_be_visible()
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
