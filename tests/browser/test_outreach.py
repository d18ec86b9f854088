"""From a warm path to a sent message in a real browser: a check fires, is fixed; send; reply."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def target(user: Any) -> Any:
    from coffeechat.network.models import TieKind
    from tests.factories import (
        EmailAddressFactory,
        EmploymentFactory,
        PersonFactory,
        TargetFactory,
        TieFactory,
    )

    target = TargetFactory(organization__owner=user, organization__name="Acme")
    sam = PersonFactory(owner=user, first_name="Sam", last_name="Ortiz")
    lee = PersonFactory(owner=user, first_name="Lee", last_name="Park")
    EmailAddressFactory(person=lee, email="lee@acme.example")
    TieFactory(to_person=sam, kind=TieKind.FRIEND, strength=5)
    TieFactory(from_person=sam, to_person=lee, kind=TieKind.COLLEAGUE, strength=4)
    EmploymentFactory(person=lee, organization=target.organization, title="Analytics lead")
    profile = user.profile
    profile.full_name = "Walter Ñandú"
    profile.intro = "I analyse health data."
    profile.save()
    return target


def test_from_a_warm_path_to_a_sent_and_answered_message(
    logged_in_page: Page, target: Any, smtp: Any, browser_log: Any
) -> None:
    page = logged_in_page
    page.goto(target.get_absolute_url())
    page.get_by_role("link", name="Write to Lee").first.click()

    expect(page.get_by_role("heading", name="Write to Lee Park")).to_be_visible()
    body = page.locator("#id_body")
    expect(body).to_contain_text(
        "We have a connection in common: Sam Ortiz, who has worked with you."
    )
    expect(page.locator("#checks")).to_contain_text("No etiquette problems found.")

    # A job request hidden in an information request: the check fires as we type.
    body.press("End")
    body.type("\nCould you also refer me for the analyst opening?")
    check = page.locator(".check[data-check='job_ask']")
    expect(check).to_be_visible()
    expect(check).to_contain_text("it asks “refer me”")

    # Fix it: the check goes away.
    text = body.input_value().replace("\nCould you also refer me for the analyst opening?", "")
    body.fill(text)
    expect(check).to_have_count(0)

    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_role("status")).to_contain_text("Sent to Lee Park <lee@acme.example>")
    expect(page.locator("#status")).to_have_text("Sent")
    assert smtp.envelopes and smtp.envelopes[0].rcpt_tos == ["lee@acme.example"]
    assert "refer me" not in smtp.parsed()[0].get_content()

    page.get_by_role("button", name=re.compile(r"^Mark .* as replied$")).click()
    expect(page.locator("#status")).to_have_text("Replied")
    assert browser_log.errors() == [] and browser_log.csp_violations() == []


def test_a_check_can_be_dismissed_for_this_message(logged_in_page: Page, target: Any) -> None:
    from tests.factories import PersonFactory

    cold = PersonFactory(owner=target.owner, first_name="Kim", last_name="Cold")
    page = logged_in_page
    page.goto(f"/outreach/compose/?person={cold.pk}&channel=linkedin")
    check = page.locator(".check[data-check='no_connection']")
    expect(check).to_be_visible()
    check.get_by_role("button").click()
    expect(check).to_have_count(0)
    expect(page.locator("#checks")).to_contain_text("No stated connection (show again)")
    page.get_by_role("button", name="Save draft").click()
    from coffeechat.outreach.models import Message

    assert Message.objects.get().dismissed_checks == ["no_connection"]
