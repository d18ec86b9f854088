"""MFA end to end: an authenticator app (codes computed by pyotp) and recovery codes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.browser.mfa import STEP, activate_totp, code_now, enter_code, frozen, password_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED = "Incorrect code."


def test_it_enrols_an_app_then_asks_for_its_code_or_a_recovery_code(page: Page, user: Any) -> None:
    from tests.factories import PASSWORD

    with frozen() as traveller:
        log_in(page, user.email, PASSWORD)
        page.get_by_role("link", name="Profile").first.click()
        page.get_by_role("link", name="Two-factor authentication").click()
        secret, codes = activate_totp(page, traveller, PASSWORD)
        page.get_by_role("button", name="Log out").click()

        # The password alone no longer signs in: a wrong code is refused.
        password_step(page, user.email, PASSWORD)
        enter_code(page, "000000" if code_now(secret) != "000000" else "111111")
        expect(page.locator("main")).to_contain_text(REFUSED)
        expect(page.get_by_role("button", name="Log out")).to_have_count(0)
        page.goto("/people/")  # still not signed in: the code is still asked for
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
        expect(page.get_by_role("button", name="Log out")).to_have_count(0)

        # The app's current code does.
        page.goto("/accounts/login/")
        enter_code(page, code_now(secret))
        expect(page).to_have_url(re.compile(r"/$"))
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        page.get_by_role("button", name="Log out").click()

        # A recovery code works once.
        traveller.shift(2 * STEP)
        password_step(page, user.email, PASSWORD)
        enter_code(page, codes[0])
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
        expect(page).to_have_url(re.compile(r"/people/$"))
        page.get_by_role("button", name="Log out").click()

        password_step(page, user.email, PASSWORD)
        enter_code(page, codes[0])
        expect(page.locator("main")).to_contain_text(REFUSED)
        enter_code(page, codes[1])
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
