"""Helpers for the MFA browser tests: the codes come from pyotp, not from allauth."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import time_machine
from playwright.sync_api import Page, expect

# TOTP codes depend on the time: the tests stop the clock here and move it by hand
# (time-machine patches the wall clock of the whole process, live server included).
START = datetime(2026, 12, 6, 10, 0, 0, tzinfo=UTC)
STEP = 30  # seconds of one TOTP code


def code_now(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def activate_totp(
    page: Page, traveller: time_machine.Coordinates, password: str
) -> tuple[str, list[str]]:
    """On the MFA page, set up an authenticator app; its secret and the recovery codes."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    page.get_by_role("link", name="Activate").first.click()
    # allauth asks for the password again before a change of sign-in methods.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    page.locator("#id_code").fill(code_now(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) >= 5
    traveller.shift(2 * STEP)  # the next code is a new one (a code works once)
    return secret, codes


def enter_code(page: Page, code: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    page.locator("#id_code").fill(code)
    page.get_by_role("button", name="Sign In").click()


def password_step(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def frozen() -> time_machine.travel:
    return time_machine.travel(START, tick=False)
