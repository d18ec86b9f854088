"""Sessions and account enumeration (issue 19, hardening).

A new session id at sign-in, every other session ended by a password change and by
deactivation, cookies HttpOnly and SameSite (Secure under HTTPS: tests/server/
test_behind_proxy.py), and sign-up, sign-in and password reset answering alike for an
address with an account and one without.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "a-long-and-unusual-passphrase-42"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def page_text(response: Any) -> str:
    """The response's text without what differs on every request (tokens, the address)."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r'name="csrf-token" content="[^"]*"', "", text)
    text = re.sub(r'"X-CSRFToken": "[^"]*"', "", text)
    return re.sub(r"[\w.+-]+@example\.com", "ADDRESS", text)


def test_it_gives_a_new_session_id_at_sign_in(client: Client) -> None:
    UserFactory(email="alice@example.com")
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client.cookies["sessionid"] = planted.session_key
    response = sign_in(client, "alice@example.com")
    assert response.status_code == 302
    new = client.cookies["sessionid"].value
    assert new and new != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()
    assert client.get(reverse("pages:home")).status_code == 200


def test_its_session_cookie_is_http_only_and_same_site(client: Client) -> None:
    UserFactory(email="alice@example.com")
    sign_in(client, "alice@example.com")
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["samesite"] == "Lax"


def test_a_password_change_ends_every_other_session(client: Client) -> None:
    UserFactory(email="alice@example.com")
    other = Client()
    sign_in(client, "alice@example.com")
    sign_in(other, "alice@example.com")
    assert other.get(reverse("pages:home")).status_code == 200
    changed = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": STRONG, "password2": STRONG},
    )
    assert changed.status_code == 302
    assert client.get(reverse("pages:home")).status_code == 200  # this one stays in
    response = other.get(reverse("pages:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_deactivation_ends_every_session(client: Client) -> None:
    user = UserFactory(email="alice@example.com")
    sign_in(client, "alice@example.com")
    assert client.get(reverse("pages:home")).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(reverse("pages:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sign_in_answers_alike_for_a_known_and_an_unknown_address() -> None:
    UserFactory(email="known@example.com")
    known = sign_in(Client(), "known@example.com", "not-the-password-1")
    unknown = sign_in(Client(), "unknown@example.com", "not-the-password-1")
    assert known.status_code == unknown.status_code == 200
    assert page_text(known) == page_text(unknown)
    assert "not correct" in page_text(known)


def test_sign_up_answers_alike_for_a_known_and_an_unknown_address(
    settings: Any, mailoutbox: list[Any]
) -> None:
    settings.SIGNUP_OPEN = True
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # the default with open sign-up
    UserFactory(email="known@example.com")
    answers = []
    for email in ["known@example.com", "unknown@example.com"]:
        client = Client()
        response = client.post(
            reverse("account_signup"),
            {"email": email, "password1": STRONG, "password2": STRONG},
        )
        followed = client.get(response["Location"]) if response.status_code == 302 else None
        answers.append((response.status_code, response.get("Location"), followed))
    (known_status, known_next, known_page), (new_status, new_next, new_page) = answers
    assert known_status == new_status == 302
    assert known_next == new_next
    assert known_page is not None and new_page is not None
    assert known_page.status_code == new_page.status_code
    assert page_text(known_page) == page_text(new_page)
    # Each address got one e-mail: the stranger cannot tell which one was which.
    assert sorted(m.to[0] for m in mailoutbox) == ["known@example.com", "unknown@example.com"]
    assert User.objects.filter(email="known@example.com").count() == 1


def test_password_reset_answers_alike_for_a_known_and_an_unknown_address() -> None:
    UserFactory(email="known@example.com")
    answers = []
    for email in ["known@example.com", "unknown@example.com"]:
        client = Client()
        response = client.post(reverse("account_reset_password"), {"email": email})
        answers.append(
            (response.status_code, response["Location"], client.get(response["Location"]))
        )
    (known_status, known_next, known_page), (new_status, new_next, new_page) = answers
    assert known_status == new_status == 302
    assert known_next == new_next
    assert page_text(known_page) == page_text(new_page)


def test_open_sign_up_makes_address_confirmation_mandatory_by_default(tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COFFEECHAT_EMAIL_VERIFICATION"}
    env["COFFEECHAT_DATA_DIR"] = str(tmp_path)
    code = "from django.conf import settings; print(settings.ACCOUNT_EMAIL_VERIFICATION)"
    values = {}
    for open_ in ("1", "0"):
        result = subprocess.run(
            [sys.executable, "-m", "coffeechat", "shell", "--no-startup", "-c", code],
            env={**env, "COFFEECHAT_SIGNUP_OPEN": open_},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        values[open_] = result.stdout.strip().splitlines()[-1]
    assert values == {"1": "mandatory", "0": "optional"}


def test_the_deploy_check_warns_when_open_sign_up_can_reveal_accounts(tmp_path: Any) -> None:
    # DJANGO_ALLOW_ASYNC_UNSAFE: set at import by tests/browser/conftest.py (Playwright).
    skip = ("COFFEECHAT_", "EMAIL_URL", "DEFAULT_FROM_EMAIL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(
        COFFEECHAT_DATA_DIR=str(tmp_path),
        COFFEECHAT_HTTPS="1",
        COFFEECHAT_ALLOWED_HOSTS="coffeechat.example.org",
        COFFEECHAT_SECRET_KEY="x" * 20 + "-a-long-random-looking-secret-key-for-tests-0123456789",
        EMAIL_URL="smtp+tls://coffeechat%40example.org:app-password@mail.example.org",
        DEFAULT_FROM_EMAIL="Coffeechat <coffeechat@example.org>",
        COFFEECHAT_SIGNUP_OPEN="1",
        COFFEECHAT_EMAIL_VERIFICATION="optional",
    )
    command = [sys.executable, "-m", "coffeechat", "check", "--deploy", "--fail-level", "WARNING"]
    risky = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert risky.returncode == 1
    assert "coffeechat.W001" in risky.stdout + risky.stderr
    del env["COFFEECHAT_EMAIL_VERIFICATION"]
    safe = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert safe.returncode == 0, safe.stdout + safe.stderr
