"""Single sign-on through a real OpenID Connect provider process (tests/oidc/server.mjs)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserLog, log_in
from tests.browser.oidc import oidc_provider, sign_in_with_sso, sso  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sso"),
]


@pytest.fixture
def closed_instance(settings: Any, user: Any) -> Any:
    """Sign-up is closed, and the instance already has an account (walter@example.com)."""
    settings.SIGNUP_OPEN = False
    return user


def refusal(page: Page) -> str:
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    return page.get_by_role("status").inner_text()


def test_it_signs_up_an_allowed_domain_even_with_sign_up_closed_and_adds_a_person(
    page: Page, closed_instance: Any, browser_log: BrowserLog
) -> None:
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    from coffeechat.accounts.models import User
    from coffeechat.network.models import Person

    # Password sign-up is closed for everyone else.
    page.goto("/accounts/signup/")
    expect(page.locator("#id_password1")).to_have_count(0)

    sign_in_with_sso(page, "ada")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    # The form's redirect to the provider is allowed by the CSP (form-action).
    assert browser_log.csp_violations() == []
    ada = User.objects.get(email="ada@uni.example")
    assert not ada.has_usable_password()
    assert ada.profile.full_name == "Ada Byron"
    assert EmailAddress.objects.get(user=ada).verified
    assert SocialAccount.objects.get(user=ada).provider == "sso"

    # Then on to Today and the network: the new account works like any other.
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name=re.compile("Today")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    nav.get_by_role("link", name="People").click()
    page.get_by_role("link", name="Add a person").click()
    page.locator("#id_first_name").fill("Grace")
    page.locator("#id_last_name").fill("Hopper")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grace Hopper")
    assert Person.objects.filter(owner=ada, first_name="Grace").count() == 1

    # Signing out and in again finds the same account (the provider remembers Ada).
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    sign_in_with_sso(page, None)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert User.objects.filter(email__iexact="ada@uni.example").count() == 1


def test_it_refuses_new_accounts_outside_the_allowed_domains_or_unverified(
    page: Page, browser: Any, closed_instance: Any
) -> None:
    from coffeechat.accounts.models import User

    sign_in_with_sso(page, "eve")
    assert "cannot make new accounts for elsewhere.example addresses" in refusal(page)
    assert not User.objects.filter(email="eve@elsewhere.example").exists()

    # An allowed domain, but the provider has not verified the address.
    other = browser.new_context(base_url=page.url.split("/accounts/")[0])
    try:
        una = other.new_page()
        sign_in_with_sso(una, "una")
        assert "has not confirmed that una@uni.example is yours" in refusal(una)
    finally:
        other.close()
    assert not User.objects.filter(email="una@uni.example").exists()


def test_it_links_an_existing_account_by_its_verified_address(
    page: Page, closed_instance: Any
) -> None:
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    from coffeechat.accounts.models import User
    from tests.factories import PASSWORD, PersonFactory

    walter = closed_instance
    EmailAddress.objects.create(user=walter, email=walter.email, verified=True, primary=True)
    PersonFactory(owner=walter, first_name="Skyler", last_name="White")

    sign_in_with_sso(page, "walter")  # walter@example.com: not an allowed domain, but his own

    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("link", name="Skyler White")).to_be_visible()
    assert SocialAccount.objects.get(provider="sso").user == walter
    assert User.objects.count() == 1
    # His own address was verified already, so his password still works too.
    walter.refresh_from_db()
    assert walter.check_password(PASSWORD)
    page.get_by_role("button", name="Log out").click()
    log_in(page, walter.email, PASSWORD)


def test_it_refuses_to_link_when_the_provider_has_not_verified_the_address(
    page: Page, closed_instance: Any
) -> None:
    from allauth.socialaccount.models import SocialAccount

    from tests.factories import PASSWORD

    sign_in_with_sso(page, "mallory")  # claims walter@example.com, unverified

    message = refusal(page)
    assert "An account for walter@example.com exists" in message
    assert "has not confirmed" in message
    assert not SocialAccount.objects.exists()
    closed_instance.refresh_from_db()
    assert closed_instance.check_password(PASSWORD)


def test_it_does_not_sign_in_to_a_deactivated_account(page: Page, closed_instance: Any) -> None:
    walter = closed_instance
    walter.is_active = False
    walter.save(update_fields=["is_active"])

    sign_in_with_sso(page, "walter")

    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/accounts/inactive/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Account Inactive")
    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
