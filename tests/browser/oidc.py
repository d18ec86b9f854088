"""A real OpenID Connect provider process for the browser tests (tests/oidc/server.mjs).

It is panva's oidc-provider from npm, installed by scripts/test with ``npm ci`` into
tests/oidc/node_modules. Its development login form takes any password; the login name
picks one of ACCOUNTS.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.ports import free_port

OIDC_DIR = Path(__file__).resolve().parents[1] / "oidc"
CLIENT_ID = "coffeechat-tests"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"
BUTTON = "Campus login"
ALLOWED_DOMAIN = "uni.example"
# login name -> the claims the provider gives.
ACCOUNTS: dict[str, dict[str, Any]] = {
    "ada": {"email": "ada@uni.example", "email_verified": True, "name": "Ada Byron"},
    "eve": {"email": "eve@elsewhere.example", "email_verified": True, "name": "Eve Other"},
    "walter": {"email": "walter@example.com", "email_verified": True, "name": "Walter W"},
    "mallory": {"email": "walter@example.com", "email_verified": False, "name": "Not Walter"},
    "una": {"email": "una@uni.example", "email_verified": False, "name": "Una Checked"},
}


@dataclass
class OidcProvider:
    issuer: str
    process: subprocess.Popen[str]


def node_or_fail() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("The SSO tests need Node.js (20.19 or newer) on PATH.", pytrace=False)
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            f"oidc-provider is not installed: run `npm ci --prefix {OIDC_DIR}` "
            "(scripts/test does it).",
            pytrace=False,
        )
    return node


@pytest.fixture(scope="session")
def oidc_provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    node = node_or_fail()
    port = free_port()
    config = tmp_path_factory.mktemp("oidc") / "config.json"
    config.write_text(
        json.dumps(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"{live_server.url}/accounts/oidc/sso/login/callback/"],
                "accounts": ACCOUNTS,
            }
        )
    )
    process = subprocess.Popen(
        [node, str(OIDC_DIR / "server.mjs"), str(port), str(config)],
        cwd=OIDC_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("ready "):
        process.kill()
        pytest.fail(f"The OpenID Connect provider did not start: {line!r}", pytrace=False)
    yield OidcProvider(issuer=line.removeprefix("ready "), process=process)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso(settings: Any, oidc_provider: OidcProvider) -> OidcProvider:
    """This instance signs in through the provider, as COFFEECHAT_OIDC_* would set it up."""
    from django.utils.csp import CSP

    from coffeechat.config import oidc_origin, socialaccount_providers

    oidc = {
        "issuer": oidc_provider.issuer,
        "client_id": CLIENT_ID,
        "secret": CLIENT_SECRET,
        "name": BUTTON,
        "allowed_domains": [ALLOWED_DOMAIN],
    }
    settings.SOCIALACCOUNT_PROVIDERS = socialaccount_providers(oidc)
    settings.SSO_ALLOWED_DOMAINS = [ALLOWED_DOMAIN]
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": [CSP.SELF, *oidc_origin(oidc)]}
    return oidc_provider


def sign_in_with_sso(page: Page, login: str | None) -> None:
    """From the login page, through the provider's own login form, back to Coffeechat.

    ``login=None``: the provider still has a session in this browser and asks nothing.
    """
    page.goto("/accounts/login/")
    page.get_by_role("link", name=BUTTON).click()
    page.get_by_role("button", name="Continue").click()
    if login is None:
        return
    expect(page.locator("input[name=login]")).to_be_visible()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the provider decides")
    page.get_by_role("button", name="Sign-in").click()
