"""Two users: a manager invites a team member, who refers someone from their own network.

The manager sees who referred them and why, accepts, finds them on the bench and on
their person page, and drafts a message to them from an opening's ranking: bench →
network → outreach, with only the fields the member chose on the way.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import UNLABELLED, BrowserLog, log_in
from tests.browser.test_person_picker import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_a_team_member_refers_a_person_the_manager_benches_and_writes_to(
    logged_in_page: Page, user: Any, browser_log: BrowserLog
) -> None:
    from coffeechat.accounts.models import Profile
    from coffeechat.network.services import NewJob, create_person
    from tests.factories import PASSWORD, PersonFactory, UserFactory

    manager = user
    member = UserFactory(email="mia@example.com")
    Profile.objects.filter(user=member).update(full_name="Mia Member")
    create_person(
        member,
        first_name="Ada",
        last_name="Okafor",
        emails=["ada@okafor.example"],
        phones=["+49 30 1234567"],
        job=NewJob("Optics Lab", title="Postdoc"),
        notes="Mia's private note about Ada",
        preferred_channel="email",
    )
    PersonFactory(owner=member, first_name="Adam", last_name="Other")
    page = logged_in_page

    # The manager invites Mia from the team page.
    page.get_by_role("link", name="Bench", exact=True).click()
    page.get_by_role("link", name="My team").click()
    assert page.evaluate(UNLABELLED) == []
    page.get_by_label("Their e-mail address").fill("mia@example.com")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".team-members")).to_contain_text("mia@example.com")
    expect(page.locator(".team-members")).to_contain_text("Invited")
    log_out(page)

    # Mia accepts and refers Ada, sharing her e-mail and job but not her phone.
    log_in(page, member.email, PASSWORD)
    page.goto("/bench/team/")
    managers = page.locator(".team-managers")
    expect(managers).to_contain_text(manager.email)
    managers.get_by_role("button", name="Accept").click()
    expect(page.locator(".team-managers")).to_contain_text("Active")
    page.get_by_role("link", name="Refer someone to them").click()
    assert page.evaluate(UNLABELLED) == []
    pick(page, "Person", "Ada O", "Ada Okafor")
    page.get_by_label("Why").fill("Built our interferometer in a month")
    page.get_by_label("E-mail address").check()
    page.get_by_label("Current job title and organization").check()
    page.get_by_label("Skills").fill("optics:4, python:3")
    page.get_by_role("button", name="Refer").click()
    sent = page.locator("table.sent")
    expect(sent).to_contain_text("Ada Okafor")
    expect(sent).to_contain_text("Waiting")
    log_out(page)

    # The manager sees the proposal with who referred Ada and why, and accepts it.
    log_in(page, manager.email, PASSWORD)
    page.get_by_role("link", name="Bench", exact=True).click()
    page.get_by_role("link", name="Proposals").click()
    proposals = page.locator(".proposals")
    expect(proposals).to_contain_text("Ada Okafor, referred by Mia Member (mia@example.com)")
    expect(proposals).to_contain_text("Built our interferometer in a month")
    proposals.get_by_role("link", name="Ada Okafor").click()
    facts = page.locator(".facts")
    expect(facts).to_contain_text("ada@okafor.example")
    expect(facts).to_contain_text("Postdoc at Optics Lab")
    body = page.locator("main")
    expect(body).not_to_contain_text("1234567")
    expect(body).not_to_contain_text("private note")
    page.get_by_role("button", name="Accept and put on my bench").click()

    expect(page.get_by_role("heading", name=re.compile("Ada Okafor on my bench"))).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Referred by Mia Member")
    expect(page.locator(".facts")).to_contain_text("optics 4/4")
    page.locator("h1").get_by_role("link", name="Ada Okafor").click()
    expect(page.get_by_role("heading", name=re.compile("Ada Okafor"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("ada@okafor.example")
    expect(page.locator("main")).to_contain_text("On my bench")
    expect(page.locator("main")).not_to_contain_text("private note")

    # An opening: Ada ranks with the team's vouch, and the draft opens in the composer.
    page.get_by_role("link", name="Bench", exact=True).click()
    page.get_by_role("link", name="Openings").click()
    page.get_by_role("link", name="Record an opening").click()
    page.get_by_label("Title").fill("Optics engineer")
    page.get_by_label("Required skills").fill("optics")
    page.get_by_role("button", name="Save").click()
    rows = page.locator("table.ranking tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("Ada Okafor")
    expect(rows.nth(0)).to_contain_text("Mia Member")
    rows.nth(0).get_by_role("link", name="Draft the message").click()
    expect(page).to_have_url(re.compile(r"/outreach/compose/\?person=\d+&purpose=opening"))
    expect(page.get_by_role("heading", name=re.compile("Ada Okafor"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("ada@okafor.example")
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
