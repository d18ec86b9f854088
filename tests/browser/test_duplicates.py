"""Duplicates and export through the real pages: import, review, merge, "not the same", export."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_imports import open_imports, stat, upload, write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONNECTIONS = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    'Bob,Okonjo,https://www.linkedin.com/in/bob-okonjo,,"ACME, Inc.",Engineer,05 Jan 2026\n'
    "Kate,Lindqvist,,,Globex,Analyst,16 Sep 2021\n"
)


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_DIR = tmp_path / "uploads"


@pytest.fixture
def network(user: Any) -> dict[str, Any]:
    from tests.factories import EmailAddressFactory, EmploymentFactory, PersonFactory

    robert = PersonFactory(owner=user, first_name="Robert", last_name="Okonjo")
    EmailAddressFactory(person=robert, email="robert@acme.example")
    EmploymentFactory(person=robert, organization__name="Acme", title="Engineer")
    katherine = PersonFactory(owner=user, first_name="Katherine", last_name="Lindqvist")
    EmploymentFactory(person=katherine, organization__name="Globex", title="Analyst")
    risky = PersonFactory(owner=user, first_name="Sam", last_name="Formula")
    EmploymentFactory(person=risky, organization__name="Initech", title="=HYPERLINK(1)")
    return {"robert": robert, "katherine": katherine}


def test_review_merge_not_same_and_export_round_trip(
    logged_in_page: Page, network: dict[str, Any], tmp_path: Path
) -> None:
    from coffeechat.network.models import NotDuplicate, Person

    page = logged_in_page
    robert, katherine = network["robert"], network["katherine"]

    # 1. The preview says two rows may be people already here; they are imported anyway.
    upload(page, write(tmp_path, "Connections.csv", CONNECTIONS))
    expect(page.locator("ul.stats")).to_contain_text("2 new people who may already be here")
    expect(stat(page, "new people")).to_have_text(re.compile(r"^\s*2\s+new people"))
    page.get_by_role("button", name="Import 2 new and update 0").click()
    expect(page.locator(".messages")).to_contain_text("2 new, 0 updated")

    # 2. The review shows both pairs, the older record first.
    page.get_by_role("link", name="Review possible duplicates").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible duplicates")
    pairs = page.locator("#proposals > li.proposal")
    expect(pairs).to_have_count(2)
    okonjo = pairs.filter(has_text="Robert Okonjo and Bob Okonjo")
    lindqvist = pairs.filter(has_text="Katherine Lindqvist and Kate Lindqvist")
    expect(okonjo).to_have_count(1)
    expect(lindqvist).to_have_count(1)

    # 3. "Not the same person" takes the pair away, for good.
    lindqvist.get_by_role("button", name="Not the same person").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Noted: Katherine Lindqvist and Kate Lindqvist are two people."
    )
    page.reload()
    expect(pairs).to_have_count(1)
    assert NotDuplicate.objects.filter(owner=katherine.owner).count() == 1

    # 4. Merge keeps the older record and everything of both.
    okonjo.get_by_role("link", name="Merge…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge two records of one person")
    page.get_by_role("button", name="Merge into Robert Okonjo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible duplicates")
    expect(page.locator(".empty")).to_contain_text("No possible duplicates")
    assert not Person.objects.filter(first_name="Bob").exists()
    robert.refresh_from_db()
    assert robert.linkedin_url == "https://www.linkedin.com/in/bob-okonjo"
    page.goto(page.url.split("/people/")[0] + robert.get_absolute_url())
    expect(page.locator("main")).to_contain_text("robert@acme.example")
    expect(page.locator("main")).to_contain_text("linkedin.com/in/bob-okonjo")

    # 5. Export as CSV: a formula is defused, and the merged person is one row.
    open_imports(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export people as CSV").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    names = sorted(f"{row['First Name']} {row['Last Name']}" for row in rows)
    assert names == ["Kate Lindqvist", "Katherine Lindqvist", "Robert Okonjo", "Sam Formula"]
    assert "'=HYPERLINK(1)" in exported and ",=HYPERLINK" not in exported

    # 6. Importing the export again creates nobody: the round trip is closed.
    upload(page, write(tmp_path, "people.csv", exported))
    expect(stat(page, "new people")).to_have_text(re.compile(r"^\s*0\s+new people"))
    expect(page.locator("ul.stats")).not_to_contain_text("may already be here")
