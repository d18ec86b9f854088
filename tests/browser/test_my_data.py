"""Export everything, then delete the account, as a person would in the browser."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import UNLABELLED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_exports_then_deletes_the_account(
    logged_in_page: Page, user: Any, browser_log: Any, tmp_path: Path
) -> None:
    from coffeechat.accounts.models import User
    from coffeechat.network.models import Person
    from tests.factories import PASSWORD, PersonFactory, UserFactory

    PersonFactory(owner=user, first_name="Exportia", last_name="Keeper")
    other = UserFactory(email="other@example.com")
    PersonFactory(owner=other, first_name="Untouched")
    page = logged_in_page

    page.goto("/profile/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export all my data").click()
    download = download_info.value
    assert re.fullmatch(r"coffeechat-my-data-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    people = json.loads(zipfile.ZipFile(saved).read("people.json"))
    assert [p["first_name"] for p in people] == ["Exportia"]

    page.get_by_role("link", name="Delete my account…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    expect(page.locator("#data-summary")).to_contain_text("1 people")
    assert page.evaluate(UNLABELLED) == []

    # A wrong address deletes nothing.
    page.get_by_label("Type your e-mail address to confirm").fill("someone@else.example")
    page.get_by_role("button", name="Delete my account and all its data").click()
    expect(page.locator("main")).to_contain_text("Nothing was deleted")
    assert User.objects.filter(pk=user.pk).exists()

    page.get_by_label("Type your e-mail address to confirm").fill(user.email)
    page.get_by_role("button", name="Delete my account and all its data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Person.objects.filter(first_name="Exportia").exists()
    assert Person.objects.filter(owner=other, first_name="Untouched").exists()

    # The old password no longer signs in.
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    assert browser_log.errors() == []
