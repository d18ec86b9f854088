"""The login page: a way to reset a forgotten password, and calm errors for wrong ones."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.conftest import UNLABELLED, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRONG = "The email address and/or password you specified are not correct."


def submit_login(page: Page, email: str, password: str) -> int:
    """Submit the login form; the HTTP status of the answer."""
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/accounts/login/" in r.url
    ) as answer:
        page.get_by_role("button", name="Sign In").click()
    return answer.value.status


def test_it_links_to_password_reset_and_rejects_a_wrong_password(page: Page, user: Any) -> None:
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    reset = page.get_by_role("link", name="Forgot your password?")
    expect(reset).to_be_visible()
    expect(reset).to_have_attribute("href", "/accounts/password/reset/")
    expect(page.get_by_label("Email")).to_have_id("id_login")
    assert page.evaluate(UNLABELLED) == []

    # A wrong password: the same page again with an error, not a crash.
    assert submit_login(page, user.email, "not-the-password") == 200
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("main")).to_contain_text(WRONG)
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    # The e-mail is kept, the password is not.
    expect(page.locator("#id_login")).to_have_value(user.email)
    expect(page.locator("#id_password")).to_have_value("")

    # An unknown address gets the very same answer (no account enumeration).
    assert submit_login(page, "nobody@example.com", "whatever-password") == 200
    expect(page.locator("main")).to_contain_text(WRONG)

    # The reset link leads to a working form.
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Password Reset")
    expect(page.get_by_label("Email")).to_be_visible()


def test_it_resets_a_forgotten_password_through_the_emailed_link(page: Page, user: Any) -> None:
    new_password = "quartz-meadow-lantern-7"
    mail.outbox.clear()
    page.goto("/accounts/password/reset/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name="Reset My Password").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))
    expect(page.locator("main")).to_contain_text("sent you an email")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject.startswith("[Coffeechat] ")
    match = re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body)
    assert match, message.body
    page.goto(match.group(0))

    expect(page.get_by_role("heading", level=1)).to_have_text("Change Password")
    page.locator("#id_password1").fill(new_password)
    page.locator("#id_password2").fill(new_password)
    page.get_by_role("button", name="Change Password").click()
    expect(page.locator("main")).to_contain_text("Your password is now changed.")

    # The old password is refused, the new one works.
    page.goto("/accounts/login/")
    from tests.factories import PASSWORD

    assert submit_login(page, user.email, PASSWORD) == 200
    expect(page.locator("main")).to_contain_text(WRONG)
    log_in(page, user.email, new_password)
