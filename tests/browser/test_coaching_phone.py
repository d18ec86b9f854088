"""The coaching pages fit a phone screen, both sides, with a chart and long tables."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.browser.test_phone import PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def test_the_coaching_pages_fit_a_phone_screen(page: Page, user: Any) -> None:
    from coffeechat.coaching import services
    from tests.coaching.conftest import networking
    from tests.factories import PASSWORD, UserFactory

    networking(user)
    carol = UserFactory(email="carol.with-a-rather-long-address@coaching.example")
    link = services.accept(carol, services.invite(user, carol.email, scope="notes"))
    services.comment(carol, link, "A long suggestion " * 20)

    log_in(page, user.email, PASSWORD)
    page.goto("/coaching/")
    expect(page.locator(".coach-comments")).to_contain_text("A long suggestion")
    assert_fits(page)

    page.get_by_role("button", name="Log out").click()
    log_in(page, carol.email, PASSWORD)
    page.goto("/coaching/people/")
    expect(page.locator("article.coachee")).to_have_count(1)
    assert_fits(page)
    page.goto(f"/coaching/people/{link.pk}/")
    expect(page.locator("#funnel svg.chart")).to_be_visible()
    assert_fits(page)
