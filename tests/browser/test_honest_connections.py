"""From a warm path through a directory row to an honest draft, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def target(user: Any) -> Any:
    from coffeechat.network.models import Source, TieKind
    from tests.factories import (
        EmailAddressFactory,
        EmploymentFactory,
        PersonFactory,
        TargetFactory,
        TieFactory,
    )

    target = TargetFactory(organization__owner=user, organization__name="Acme")
    # Rosa came from the alumni directory: the user never met her.
    rosa = PersonFactory(
        owner=user, first_name="Rosa", last_name="Diaz", source=Source.ALUMNI_DIRECTORY
    )
    lee = PersonFactory(owner=user, first_name="Lee", last_name="Park")
    EmailAddressFactory(person=lee, email="lee@acme.example")
    TieFactory(from_person=rosa, to_person=lee, kind=TieKind.COLLEAGUE, strength=5)
    EmploymentFactory(person=lee, organization=target.organization, title="Analytics lead")
    return target


def test_a_path_through_a_directory_row_gives_an_honest_draft(
    logged_in_page: Page, target: Any, browser_log: Any
) -> None:
    page = logged_in_page
    page.goto(target.get_absolute_url())
    via_rosa = page.locator("ol.paths li").filter(has_text="Rosa Diaz").first
    expect(via_rosa).to_contain_text("Rosa is someone from your alumni directory")
    via_rosa.get_by_role("link", name="Write to Lee").click()

    expect(page.get_by_role("heading", name="Write to Lee Park")).to_be_visible()
    body = page.locator("#id_body")
    expect(body).not_to_contain_text("in common")
    expect(body).not_to_contain_text("Rosa")
    expect(page.locator(".check[data-check='unfounded_mutual']")).to_have_count(0)

    # Claiming her as a mutual connection is flagged as the user types.
    body.press("Home")
    body.type("Rosa Diaz suggested I get in touch with you. ")
    check = page.locator(".check[data-check='unfounded_mutual']")
    expect(check).to_be_visible()
    expect(check).to_contain_text("names Rosa Diaz as a connection you share with Lee")

    # "Write a message" from Lee's page is just as honest.
    page.get_by_role("link", name="Lee Park").first.click()
    page.get_by_role("link", name="Write a message").click()
    expect(page.get_by_role("heading", name="Write to Lee Park")).to_be_visible()
    expect(page.locator("#id_body")).not_to_contain_text("Rosa")
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
