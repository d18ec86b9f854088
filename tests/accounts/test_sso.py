"""Single sign-on settings and pages (the browser journey: tests/browser/test_sso.py)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.socialaccount.models import SocialApp
from django.test import Client

from coffeechat.accounts.sso import may_sign_up
from coffeechat.config import (
    ConfigError,
    mfa_policy,
    oidc_config,
    oidc_origin,
    socialaccount_providers,
)

OIDC_ENV = {
    "COFFEECHAT_OIDC_ISSUER": "https://login.uni.example/realms/students/",
    "COFFEECHAT_OIDC_CLIENT_ID": "coffeechat",
    "COFFEECHAT_OIDC_CLIENT_SECRET": "s3cret",
}
SSO_ROUTES = [
    "/accounts/oidc/sso/login/",
    "/accounts/oidc/sso/login/callback/?code=x&state=y",
    "/accounts/3rdparty/",
    "/accounts/3rdparty/login/error/",
    "/accounts/3rdparty/signup/",
]


def set_env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name in [*OIDC_ENV, "COFFEECHAT_OIDC_NAME", "COFFEECHAT_OIDC_ALLOWED_DOMAINS"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_it_reads_no_provider_when_nothing_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch)
    assert oidc_config() is None
    assert socialaccount_providers(None) == {}
    assert oidc_origin(None) == []


def test_it_reads_the_provider_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(
        monkeypatch,
        **OIDC_ENV,
        COFFEECHAT_OIDC_ALLOWED_DOMAINS=" Uni.Example, @students.uni.example ,",
    )
    oidc = oidc_config()
    assert oidc is not None
    assert oidc["issuer"] == "https://login.uni.example/realms/students"
    assert oidc["name"] == "Single sign-on"
    assert oidc["allowed_domains"] == ["uni.example", "students.uni.example"]
    app = socialaccount_providers(oidc)["openid_connect"]["APPS"][0]
    assert app["provider_id"] == "sso"
    assert app["settings"]["server_url"] == oidc["issuer"]
    assert (app["client_id"], app["secret"]) == ("coffeechat", "s3cret")
    assert oidc_origin(oidc) == ["https://login.uni.example"]

    set_env(monkeypatch, **OIDC_ENV, COFFEECHAT_OIDC_NAME="University login")
    oidc = oidc_config()
    assert oidc is not None
    assert oidc["name"] == "University login"
    assert oidc["allowed_domains"] == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"COFFEECHAT_OIDC_CLIENT_SECRET": ""}, "needs COFFEECHAT_OIDC_CLIENT_SECRET too"),
        (
            {"COFFEECHAT_OIDC_ISSUER": "", "COFFEECHAT_OIDC_CLIENT_ID": ""},
            "needs COFFEECHAT_OIDC_ISSUER, COFFEECHAT_OIDC_CLIENT_ID too",
        ),
        ({"COFFEECHAT_OIDC_ISSUER": "login.uni.example"}, "is not a URL"),
        ({"COFFEECHAT_OIDC_ISSUER": "http://login.uni.example"}, "use https://"),
        ({"COFFEECHAT_OIDC_ISSUER": "https://login.uni.example/?x=1"}, "must not have a"),
        ({"COFFEECHAT_OIDC_ALLOWED_DOMAINS": "uni.example, not a domain"}, "'not a domain'"),
        ({"COFFEECHAT_OIDC_ALLOWED_DOMAINS": "localhost"}, "'localhost' is not a domain"),
    ],
)
def test_it_explains_bad_provider_settings(
    monkeypatch: pytest.MonkeyPatch, changes: dict[str, str], message: str
) -> None:
    set_env(monkeypatch, **{**OIDC_ENV, **changes})
    with pytest.raises(ConfigError, match=message):
        oidc_config()


def test_it_allows_plain_http_for_a_provider_on_this_machine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_env(monkeypatch, **{**OIDC_ENV, "COFFEECHAT_OIDC_ISSUER": "http://127.0.0.1:9000"})
    oidc = oidc_config()
    assert oidc is not None
    assert oidc_origin(oidc) == ["http://127.0.0.1:9000"]


def test_it_reads_the_mfa_policy() -> None:
    assert mfa_policy("") == "none"
    assert mfa_policy(" Staff ") == "staff"
    assert mfa_policy("all") == "all"
    with pytest.raises(ConfigError, match="use none, staff or all"):
        mfa_policy("admins")


@pytest.fixture
def sso_on(settings: Any) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = socialaccount_providers(
        {
            "issuer": "https://login.uni.example",
            "client_id": "coffeechat",
            "secret": "s3cret",
            "name": "University login",
            "allowed_domains": ["uni.example"],
        }
    )
    settings.SSO_ALLOWED_DOMAINS = ["uni.example"]


@pytest.fixture
def database_app(db: None) -> SocialApp:
    """An app saved in the database (the admin could add one): never used."""
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id="sneaky",
        name="Saved in the database",
        client_id="x",
        secret="y",
        settings={"server_url": "https://attacker.example"},
    )


def test_it_has_no_button_and_no_sso_routes_when_not_set_up(
    settings: Any, client: Client, alice_client: Client, database_app: SocialApp
) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {}
    for path in ("/accounts/login/", "/accounts/signup/"):
        page = client.get(path).content.decode()
        assert "/accounts/oidc/" not in page
        assert "Saved in the database" not in page
    for path in SSO_ROUTES:
        assert client.get(path).status_code == 404, path
        assert alice_client.get(path).status_code == 404, path
    assert client.post("/accounts/oidc/sso/login/").status_code == 404
    assert "/accounts/3rdparty/" not in alice_client.get("/profile/").content.decode()
    assert client.get("/accounts/oidc/sneaky/login/").status_code == 404


def test_it_shows_one_button_for_the_configured_provider(
    sso_on: None, client: Client, alice_client: Client, database_app: SocialApp
) -> None:
    settings_page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/oidc/sso/login/?process=login"' in settings_page
    assert "University login" in settings_page
    assert "Saved in the database" not in settings_page
    assert client.get("/accounts/oidc/sso/login/").status_code == 200
    assert client.get("/accounts/oidc/sneaky/login/").status_code == 404
    # Signed in: the profile links to the linked accounts.
    assert 'href="/accounts/3rdparty/"' in alice_client.get("/profile/").content.decode()
    assert alice_client.get("/accounts/3rdparty/").status_code == 200


def test_it_opens_sso_sign_up_by_domain_or_else_by_the_sign_up_setting(
    settings: Any, alice: Any
) -> None:
    settings.SIGNUP_OPEN = False
    settings.SSO_ALLOWED_DOMAINS = ["uni.example"]
    assert may_sign_up("Ada@UNI.example")
    assert not may_sign_up("ada@students.uni.example")
    assert not may_sign_up("ada@evil-uni.example")
    settings.SIGNUP_OPEN = True
    assert not may_sign_up("eve@elsewhere.example")  # the list limits SSO sign-up
    settings.SSO_ALLOWED_DOMAINS = []
    assert may_sign_up("eve@elsewhere.example")
    settings.SIGNUP_OPEN = False
    assert not may_sign_up("eve@elsewhere.example")


def test_the_settings_take_the_provider_and_policy_from_the_environment(
    tmp_path: Any,
) -> None:
    """settings.py itself, read in a fresh process as a server would."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src"
    env = {
        **os.environ,
        **OIDC_ENV,
        "COFFEECHAT_OIDC_ALLOWED_DOMAINS": "uni.example",
        "COFFEECHAT_MFA_REQUIRED": "staff",
        "COFFEECHAT_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(src),
    }
    show = (
        "from django.conf import settings as s; "
        "print([str(x) for x in s.SECURE_CSP['form-action']], s.SSO_ALLOWED_DOMAINS, "
        "s.MFA_REQUIRED, s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'][0]['name'])"
    )
    run = subprocess.run(
        [sys.executable, "-m", "coffeechat", "shell", "-c", show],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == (
        "[\"'self'\", 'https://login.uni.example'] ['uni.example'] staff Single sign-on"
    )

    env["COFFEECHAT_MFA_REQUIRED"] = "sometimes"
    run = subprocess.run(
        [sys.executable, "-m", "coffeechat", "shell", "-c", show],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert "COFFEECHAT_MFA_REQUIRED='sometimes': use none, staff or all" in run.stderr
