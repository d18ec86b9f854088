"""Moving a network from one account to another through an export, the way a user does it.

Walter exports his people from the Import page (CSV, and vCard 3.0 for an older address
book), signs out; Fiona signs in, imports the file with its preview, and finds the people
with their groups and class years on their pages, and the same warm paths on her map:
nobody Walter only knew of (a classmate from a directory) became a contact of hers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_DIR = tmp_path / "uploads"


@pytest.fixture
def walters_network(user: Any) -> None:
    from datetime import date

    from coffeechat.network.models import AffiliationKind, TieKind
    from tests.factories import (
        AffiliationFactory,
        EmploymentFactory,
        MembershipFactory,
        PersonFactory,
        TargetFactory,
        TieFactory,
    )

    acme = TargetFactory(organization__owner=user, organization__name="Acme")
    globex = TargetFactory(organization__owner=user, organization__name="Globex")
    school = AffiliationFactory(
        owner=user, name="Northfield University", kind=AffiliationKind.SCHOOL
    )
    guild = AffiliationFactory(
        owner=user, name="Chicago Product Guild", kind=AffiliationKind.ASSOCIATION
    )
    dana = PersonFactory(owner=user, first_name="Dana", last_name="Reyes")
    TieFactory(owner=user, to_person=dana, kind=TieKind.FRIEND, strength=5, since=None)
    EmploymentFactory(owner=user, person=dana, organization=globex.organization)
    lee = PersonFactory(owner=user, first_name="Lee", last_name="Park")
    TieFactory(
        owner=user, to_person=lee, kind=TieKind.COLLEAGUE, strength=3, since=date(2019, 5, 1)
    )
    EmploymentFactory(owner=user, person=lee, organization=acme.organization)
    # Sam is only in Walter's alumni directory: no tie, so no warm path through Sam.
    sam = PersonFactory(owner=user, first_name="Sam", last_name="Ortiz")
    EmploymentFactory(owner=user, person=sam, organization=acme.organization)
    MembershipFactory(
        owner=user, person=sam, affiliation=school, detail="BSc Physics", class_year=2015
    )
    MembershipFactory(
        owner=user, person=sam, affiliation=guild, detail="Loop chapter", class_year=None
    )


def warm_paths(page: Page) -> list[str]:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Map").click()
    expect(page.locator("#map-caption")).to_be_visible()
    return sorted(page.locator("ol.paths a.route").all_inner_texts())


@pytest.mark.parametrize(
    ("link", "suffix"), [("Export people as CSV", ".csv"), ("vCard 3.0", ".vcf")]
)
def test_a_network_moves_to_a_fresh_account_through_an_export(
    logged_in_page: Page, walters_network: None, tmp_path: Path, link: str, suffix: str
) -> None:
    from tests.factories import PASSWORD, TargetFactory, UserFactory

    page = logged_in_page
    before = warm_paths(page)
    assert {"you → Dana Reyes → Globex", "you → Lee Park → Acme"} <= set(before)

    # Walter downloads his export from the Import page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=link, exact=True).click()
    exported = tmp_path / f"walter{suffix}"
    download.value.save_as(exported)
    assert download.value.suggested_filename.endswith(suffix)

    # Fiona, a fresh account with the same targets, imports it.
    fiona = UserFactory(email="fiona@example.com")
    TargetFactory(organization__owner=fiona, organization__name="Acme")
    TargetFactory(organization__owner=fiona, organization__name="Globex")
    page.get_by_role("button", name="Log out").click()
    log_in(page, fiona.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    page.locator("#id_file").set_input_files(exported)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(exported.name)
    expect(page.locator("ul.stats")).to_contain_text(re.compile(r"3\s+new people"))
    expect(page.locator("ul.stats")).to_contain_text(re.compile(r"2\s+new groups"))
    expect(page.locator("section[aria-labelledby=problems-title]")).to_have_count(0)
    page.get_by_role("button", name=re.compile(r"^Import 3 new")).click()
    expect(page.get_by_role("heading", name="What this import did")).to_be_visible()

    # Sam keeps his groups, degree and class year.
    page.get_by_role("link", name="See your people").click()
    page.get_by_role("link", name="Sam Ortiz").first.click()
    affiliations = page.locator("section[aria-labelledby=aff-h]")
    expect(affiliations).to_contain_text("Northfield University")
    expect(affiliations).to_contain_text("BSc Physics")
    expect(affiliations).to_contain_text("class of 2015")
    expect(affiliations).to_contain_text("Chicago Product Guild")

    # The warm paths are Walter's: Sam did not become a contact.
    assert warm_paths(page) == before
