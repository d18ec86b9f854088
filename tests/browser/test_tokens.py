"""A user creates an API token, changes the password, and the token stops working."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "quartz-meadow-lantern-7"


def works(raw: str) -> bool:
    response = Client().get("/api/v1/people", headers={"Authorization": f"Bearer {raw}"})
    return response.status_code == 200


def test_changing_the_password_revokes_the_tokens(logged_in_page: Page, user: Any) -> None:
    page = logged_in_page
    page.goto("/profile/")
    page.get_by_label("New token name").fill("My script")
    page.get_by_role("button", name="Create a token").click()
    raw = page.locator("#new-token").inner_text().strip()
    assert works(raw)

    page.goto("/accounts/password/change/")
    page.locator("#id_oldpassword").fill(PASSWORD)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    expect(page.get_by_label("Also revoke all my API tokens")).to_be_checked()
    page.get_by_role("button", name="Change Password").click()
    expect(page.locator("main")).to_contain_text("Password successfully changed")
    assert not works(raw)

    page.goto("/profile/")
    expect(page.locator("main")).to_contain_text("revoked")
