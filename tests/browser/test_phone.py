"""On a phone-size screen the pages fit: no sideways scrolling, the navigation stays usable."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def assert_fits(page: Page) -> None:
    """No horizontal scrolling, and the main navigation is visible and on screen."""
    widths = page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            inner: window.innerWidth,
            wide: [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 5)
                .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")),
        })"""
    )
    assert widths["inner"] == PHONE["width"]
    assert widths["scroll"] <= widths["inner"], f"{page.url} scrolls sideways: {widths}"
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()
    for name in ["People", "Organizations", "Affiliations", "Profile"]:
        link = nav.get_by_role("link", name=name)
        expect(link).to_be_in_viewport()
    expect(nav.get_by_role("button", name="Log out")).to_be_in_viewport()


def test_it_fits_a_phone_screen(page: Page, user: Any) -> None:
    from tests.factories import (
        PASSWORD,
        EmailAddressFactory,
        EmploymentFactory,
        MembershipFactory,
        PersonFactory,
        TagFactory,
    )

    ada = PersonFactory(
        owner=user,
        first_name="Augusta Ada",
        last_name="King-Noel, Countess of Lovelace",
        location="Marylebone, London, United Kingdom",
        linkedin_url="https://www.linkedin.com/in/augusta-ada-king-countess-of-lovelace-1815/",
        level="executive",
        notes=(
            "Long notes with a long link: "
            "https://example.org/a/very/long/path/that/does/not/break/by/itself/at/all/ever\n\n"
            "| Year | Event |\n|---|---|\n| 1843 | Notes on the Analytical Engine |\n"
        ),
    )
    EmailAddressFactory(
        person=ada, email="augusta.ada.king-noel.lovelace@analytical-engines.example"
    )
    EmploymentFactory(
        person=ada,
        organization__name="Analytical Engines and Difference Machines Ltd",
        title="Principal Programmer of Bernoulli Numbers",
        department="Mathematics",
        has_hiring_authority=True,
    )
    MembershipFactory(person=ada, affiliation__name="Royal Society of Mathematical Pioneers")
    for name in ["mathematics", "poetry", "mentor", "engines", "london"]:
        ada.tags.add(TagFactory(owner=user, name=name))
    for number in range(8):
        person = PersonFactory(owner=user, do_not_contact=number == 0)
        EmploymentFactory(person=person, title="Senior Engineering Manager")

    log_in(page, user.email, PASSWORD)
    assert_fits(page)

    page.goto("/people/")
    expect(page.locator("#people-rows tbody tr")).to_have_count(9)
    assert_fits(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone-people-list.png", full_page=True)

    page.goto(f"/people/{ada.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Augusta Ada")
    assert_fits(page)
    page.screenshot(path=ARTIFACTS / "phone-person-detail.png", full_page=True)

    for url in ["/people/new/", f"/people/{ada.pk}/jobs/new/", "/organizations/", "/affiliations/"]:
        page.goto(url)
        assert_fits(page)
