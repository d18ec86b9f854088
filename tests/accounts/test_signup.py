from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.models import Profile, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "a-long-and-unusual-passphrase-42"


def sign_up(client: Client, email: str, password: str = STRONG) -> Any:
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password},
    )


def test_it_sends_the_first_visitor_to_sign_up(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_signup")


def test_it_lets_the_first_person_create_an_account_even_when_sign_up_is_closed(
    client: Client, settings: Any
) -> None:
    settings.SIGNUP_OPEN = False
    response = sign_up(client, "first@example.com")
    assert response.status_code == 302
    user = User.objects.get(email="first@example.com")
    assert Profile.objects.filter(user=user).exists()
    assert client.get(reverse("pages:home")).status_code == 200


def test_it_closes_sign_up_after_the_first_account(client: Client, settings: Any) -> None:
    settings.SIGNUP_OPEN = False
    UserFactory()
    response = client.get(reverse("account_signup"))
    assert b"Sign Up Closed" in response.content or b"closed" in response.content.lower()
    sign_up(client, "second@example.com")
    assert not User.objects.filter(email="second@example.com").exists()


def test_it_keeps_sign_up_open_when_the_instance_says_so(client: Client, settings: Any) -> None:
    settings.SIGNUP_OPEN = True
    UserFactory()
    sign_up(client, "student@example.com")
    assert User.objects.filter(email="student@example.com").exists()


def test_it_refuses_a_weak_password(client: Client) -> None:
    response = sign_up(client, "weak@example.com", "password")
    assert response.status_code == 200
    assert b"too common" in response.content or b"too short" in response.content
    assert not User.objects.exists()


def test_it_logs_in_and_out(client: Client) -> None:
    user = UserFactory(email="dana@example.com")
    response = client.post(
        reverse("account_login"), {"login": "dana@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("pages:home")).context["user"] == user
    client.post(reverse("account_logout"))
    assert client.get(reverse("pages:home")).status_code == 302


def test_it_throttles_repeated_failed_logins(client: Client) -> None:
    UserFactory(email="dana@example.com")
    for _ in range(6):
        response = client.post(
            reverse("account_login"), {"login": "dana@example.com", "password": "wrong-guess"}
        )
    assert b"Too many failed login attempts" in response.content
    # Even the right password is refused while throttled.
    response = client.post(
        reverse("account_login"), {"login": "dana@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_it_offers_sign_up_in_the_menu_only_when_open(client: Client, settings: Any) -> None:
    settings.SIGNUP_OPEN = False
    UserFactory()
    login_page = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("account_signup")}">Sign up</a>' not in login_page
    settings.SIGNUP_OPEN = True
    login_page = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("account_signup")}">Sign up</a>' in login_page


def test_it_offers_sign_up_again_when_every_account_is_gone(client: Client) -> None:
    user = UserFactory()
    assert client.get("/")["Location"].startswith(reverse("account_login"))
    user.delete()
    assert client.get("/")["Location"] == reverse("account_signup")


def test_a_stranger_cannot_lock_someone_out(client: Client) -> None:
    """Failures count per address and client together (issue 19, item 9)."""
    UserFactory(email="dana@example.com")
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        response = stranger.post(
            reverse("account_login"), {"login": "dana@example.com", "password": "wrong-guess"}
        )
    assert b"Too many failed login attempts" in response.content

    dana = Client(REMOTE_ADDR="198.51.100.7")
    response = dana.post(
        reverse("account_login"), {"login": "dana@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in dana.session
