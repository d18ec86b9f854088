"""COFFEECHAT_MFA_REQUIRED at the request level (the browser journey: tests/browser/)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.http import HttpResponse
from django.test import Client, RequestFactory

from coffeechat.accounts.adapter import SSO_SESSION_KEY
from coffeechat.accounts.middleware import MfaRequiredMiddleware
from coffeechat.accounts.services import create_api_token
from coffeechat.network.models import Person
from tests.factories import UserFactory

SETUP = "/accounts/2fa/"


@pytest.fixture
def staff(db: None) -> Any:
    return UserFactory(email="staff@example.com", is_staff=True)


@pytest.fixture
def staff_client(staff: Any) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def with_authenticator(user: Any) -> Any:
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def test_it_requires_nothing_by_default(settings: Any, staff_client: Client) -> None:
    assert settings.MFA_REQUIRED == "none"
    assert staff_client.get("/people/").status_code == 200


def test_it_sends_staff_without_mfa_to_setup_under_the_staff_policy(
    settings: Any, staff: Any, staff_client: Client, alice_client: Client
) -> None:
    settings.MFA_REQUIRED = "staff"
    for path in ("/", "/people/", "/profile/", "/admin/"):
        answer = staff_client.get(path)
        assert (answer.status_code, answer["Location"]) == (302, SETUP), path
    # A write is not made.
    answer = staff_client.post("/people/new/", {"first_name": "Sneaky", "last_name": "Entry"})
    assert answer.status_code == 302
    assert answer["Location"] == SETUP
    assert not Person.objects.filter(owner=staff).exists()
    # htmx is told to go there with the whole page.
    answer = staff_client.get("/people/", headers={"HX-Request": "true"})
    assert answer.status_code == 204
    assert answer["HX-Redirect"] == SETUP
    # The pages that set MFA up (and e-mail, password, sign-out) stay open.
    for path in (SETUP, "/accounts/email/", "/accounts/password/change/", "/health/"):
        assert staff_client.get(path).status_code == 200, path
    # Someone who is not staff is not covered.
    assert alice_client.get("/people/").status_code == 200


def test_it_refuses_the_session_api_but_not_api_tokens(
    settings: Any, staff: Any, staff_client: Client
) -> None:
    settings.MFA_REQUIRED = "all"
    answer = staff_client.get("/api/v1/people")
    assert answer.status_code == 403
    assert "two-factor authentication" in answer.json()["detail"]
    _token, raw = create_api_token(staff, "script")
    answer = Client().get("/api/v1/people", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 200


def test_it_lets_people_with_a_second_factor_through(
    settings: Any, staff: Any, staff_client: Client
) -> None:
    settings.MFA_REQUIRED = "all"
    with_authenticator(staff)
    assert staff_client.get("/people/").status_code == 200
    assert staff_client.get("/api/v1/people").status_code == 200


def test_it_does_not_count_recovery_codes_alone_as_a_second_factor(
    settings: Any, staff: Any, staff_client: Client
) -> None:
    settings.MFA_REQUIRED = "staff"
    Authenticator.objects.create(
        user=staff, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
    )
    assert staff_client.get("/people/")["Location"] == SETUP


def test_it_leaves_single_sign_on_sessions_to_the_identity_provider(
    settings: Any, staff_client: Client
) -> None:
    settings.MFA_REQUIRED = "all"
    session = staff_client.session
    session[SSO_SESSION_KEY] = True
    session.save()
    assert staff_client.get("/people/").status_code == 200


def test_it_asks_the_database_only_under_a_policy_and_once(
    settings: Any, staff: Any, django_assert_num_queries: Any
) -> None:
    request = RequestFactory().get("/people/")
    request.user = with_authenticator(staff)
    request.session = {}  # type: ignore[assignment]
    middleware = MfaRequiredMiddleware(lambda request: HttpResponse("ok"))
    with django_assert_num_queries(0):
        assert middleware(request).status_code == 200
    settings.MFA_REQUIRED = "staff"
    with django_assert_num_queries(1):
        assert middleware(request).status_code == 200
