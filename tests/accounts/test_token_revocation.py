"""API tokens can be revoked all at once: on a password change and on the tokens page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.services import create_api_token
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 42"


def works(raw: str) -> bool:
    response = Client().get("/api/v1/people", headers={"Authorization": f"Bearer {raw}"})
    return response.status_code == 200


def test_changing_the_password_revokes_every_token(alice: Any, alice_client: Client) -> None:
    _token, raw = create_api_token(alice, "script")
    _other, raw_other = create_api_token(alice, "laptop")
    assert works(raw)
    page = alice_client.get(reverse("account_change_password")).content.decode()
    assert "Also revoke all my API tokens" in page

    response = alice_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "revoke_tokens": "on",
        },
    )
    assert response.status_code == 302
    assert not works(raw)
    assert not works(raw_other)


def test_a_password_change_can_keep_the_tokens(alice: Any, alice_client: Client) -> None:
    _token, raw = create_api_token(alice, "script")
    alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert works(raw)


def test_the_tokens_page_revokes_them_all(alice: Any, bob: Any, alice_client: Client) -> None:
    _token, raw = create_api_token(alice, "script")
    _bobs, bob_raw = create_api_token(bob, "bob's script")
    page = alice_client.get(reverse("accounts:profile")).content.decode()
    assert "Revoke all tokens" in page
    response = alice_client.post(reverse("accounts:token-revoke-all"))
    assert response.status_code == 302
    assert not works(raw)
    assert works(bob_raw)
