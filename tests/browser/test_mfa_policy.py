"""COFFEECHAT_MFA_REQUIRED: covered people set up MFA before anything else."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in
from tests.browser.mfa import activate_totp, enter_code, frozen
from tests.browser.oidc import oidc_provider, sign_in_with_sso, sso  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SETUP_URL = re.compile(r"/accounts/2fa/$")


def expect_sent_to_setup(page: Page, path: str) -> None:
    page.goto(path)
    expect(page).to_have_url(SETUP_URL)
    expect(page.get_by_role("status")).to_contain_text("Set up two-factor authentication")


def test_it_holds_staff_at_mfa_setup_under_the_staff_policy_and_lets_others_through(
    page: Page, browser: Browser, live_server: Any, settings: Any
) -> None:
    from coffeechat.network.models import Person
    from tests.factories import PASSWORD, UserFactory

    settings.MFA_REQUIRED = "staff"
    boss = UserFactory(email="boss@example.com", is_staff=True)
    worker = UserFactory(email="worker@example.com")

    with frozen() as traveller:
        # A person who is not staff signs in and works as usual.
        other = browser.new_context(base_url=live_server.url)
        try:
            worker_page = other.new_page()
            log_in(worker_page, worker.email, PASSWORD)
            worker_page.goto("/people/")
            expect(worker_page).to_have_url(re.compile(r"/people/$"))
        finally:
            other.close()

        # Staff without MFA: after sign-in, every page leads to the MFA setup.
        page.goto("/accounts/login/")
        page.locator("#id_login").fill(boss.email)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        expect(page).to_have_url(SETUP_URL)
        for path in ("/", "/people/", "/profile/"):
            expect_sent_to_setup(page, path)
        # The API with the browser's session: refused, and nothing is written.
        answer = page.request.post(
            "/api/v1/people",
            data={"first_name": "Sneaky"},
            headers={"X-CSRFToken": csrf_token(page)},
        )
        assert answer.status == 403
        assert "two-factor" in answer.json()["detail"]
        assert not Person.objects.filter(owner=boss).exists()

        activate_totp(page, traveller, PASSWORD)
        page.goto("/people/")
        expect(page).to_have_url(re.compile(r"/people/$"))
        assert page.request.get("/api/v1/people").status == 200


def csrf_token(page: Page) -> str:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies.get("csrftoken", "")


@pytest.mark.usefixtures("sso")
def test_it_holds_everyone_under_the_all_policy_except_single_sign_on_sessions(
    page: Page, browser: Browser, live_server: Any, settings: Any, user: Any
) -> None:
    from tests.factories import PASSWORD

    settings.MFA_REQUIRED = "all"
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(SETUP_URL)
    expect_sent_to_setup(page, "/people/")

    # Signed in through the identity provider: its own MFA rules, not Coffeechat's.
    # (No frozen clock here: the provider process signs its tokens by the real one.)
    other = browser.new_context(base_url=live_server.url)
    try:
        ada = other.new_page()
        sign_in_with_sso(ada, "ada")
        expect(ada).to_have_url(re.compile(r"/$"))
        expect(ada.get_by_role("button", name="Log out")).to_be_visible()
        ada.goto("/people/")
        expect(ada).to_have_url(re.compile(r"/people/$"))
    finally:
        other.close()


@pytest.mark.usefixtures("sso")
def test_it_asks_for_a_code_after_single_sign_on_when_the_person_set_mfa_up(
    page: Page, settings: Any, user: Any
) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    settings.MFA_REQUIRED = "none"
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DP")
    codes = RecoveryCodes.activate(user).get_unused_codes()

    sign_in_with_sso(page, "walter")  # walter@example.com, verified: links to `user`

    # Recovery codes do not depend on the clock (the provider's tokens do).
    enter_code(page, "not-a-code")
    expect(page.locator("main")).to_contain_text("Incorrect code.")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    enter_code(page, codes[0])
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
