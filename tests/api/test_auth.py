"""Who may call the API: personal tokens (bearer or X-API-Key) and the web session."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.models import ApiToken
from coffeechat.accounts.services import create_api_token, revoke_api_token
from coffeechat.network.models import Person
from tests.api.conftest import KINDS, JsonClient, detail_url, list_url
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_unauthorized(response: Any) -> None:
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Unauthorized", "errors": []}


# No or bad credentials ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_it_answers_401_json_to_a_list_without_credentials(kind):
    assert_unauthorized(Client().get(list_url(kind)))


def test_it_answers_401_to_every_method_without_credentials(alice):
    person = PersonFactory(owner=alice, first_name="Untouched")
    api = JsonClient()

    assert_unauthorized(api.post(list_url("person"), {"first_name": "Intruder"}))
    assert_unauthorized(api.get(detail_url("person", person.pk)))
    assert_unauthorized(api.put(detail_url("person", person.pk), {"first_name": "X"}))
    assert_unauthorized(api.patch(detail_url("person", person.pk), {"first_name": "X"}))
    assert_unauthorized(api.delete(detail_url("person", person.pk)))
    person.refresh_from_db()
    assert person.first_name == "Untouched"
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer cc_not-a-real-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic YWxpY2U6c2VjcmV0"},
        {"X-API-Key": "cc_not-a-real-token"},
        {"X-API-Key": ""},
    ],
)
def test_it_answers_401_to_an_unknown_token(alice, headers):
    PersonFactory(owner=alice)

    assert_unauthorized(JsonClient(**headers).get(list_url("person")))


def test_it_answers_401_to_a_token_sent_without_the_bearer_scheme(alice, alice_token):
    assert_unauthorized(JsonClient(Authorization=alice_token).get(list_url("person")))


def test_it_answers_401_to_a_revoked_token(alice):
    token, raw = create_api_token(alice, "old laptop")
    PersonFactory(owner=alice)
    assert JsonClient(Authorization=f"Bearer {raw}").get(list_url("person")).status_code == 200

    revoke_api_token(token)

    assert_unauthorized(JsonClient(Authorization=f"Bearer {raw}").get(list_url("person")))
    assert_unauthorized(JsonClient(**{"X-API-Key": raw}).get(list_url("person")))


def test_it_answers_401_to_the_token_of_a_deactivated_user(alice, alice_token):
    alice.is_active = False
    alice.save()

    assert_unauthorized(JsonClient(Authorization=f"Bearer {alice_token}").get(list_url("person")))


def test_it_does_not_accept_the_token_hash_or_prefix_as_a_token(alice, alice_token):
    token = ApiToken.objects.get(owner=alice)

    for guess in (token.key_hash, token.prefix, alice_token.upper()):
        assert_unauthorized(JsonClient(Authorization=f"Bearer {guess}").get(list_url("person")))


# Tokens --------------------------------------------------------------------------------------


def test_it_accepts_a_bearer_token(alice, alice_token):
    person = PersonFactory(owner=alice)

    response = JsonClient(Authorization=f"Bearer {alice_token}").get(list_url("person"))

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [person.pk]


def test_it_accepts_the_bearer_scheme_in_any_case(alice, alice_token):
    response = JsonClient(Authorization=f"bearer {alice_token}").get(list_url("person"))

    assert response.status_code == 200


def test_it_accepts_an_x_api_key_header(alice, alice_token):
    person = PersonFactory(owner=alice)

    response = JsonClient(**{"X-API-Key": alice_token}).get(list_url("person"))

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [person.pk]


def test_it_writes_with_a_token_without_a_csrf_token(alice, alice_bearer):
    created = alice_bearer.post(list_url("person"), {"first_name": "Token"})
    assert created.status_code == 201
    person_id = created.json()["id"]

    assert (
        alice_bearer.patch(detail_url("person", person_id), {"last_name": "T"}).status_code == 200
    )
    assert alice_bearer.put(detail_url("person", person_id), {"first_name": "P"}).status_code == 200
    assert alice_bearer.delete(detail_url("person", person_id)).status_code == 204
    assert not Person.objects.filter(owner=alice).exists()


def test_it_writes_with_an_x_api_key_without_a_csrf_token(alice, alice_token):
    api = JsonClient(Client(enforce_csrf_checks=True), **{"X-API-Key": alice_token})

    response = api.post(list_url("person"), {"first_name": "Keyed"})

    assert response.status_code == 201
    assert Person.objects.get(pk=response.json()["id"]).owner == alice


def test_it_creates_with_a_token_for_the_token_owner(alice, bob, bob_token):
    api = JsonClient(Authorization=f"Bearer {bob_token}")

    response = api.post(list_url("person"), {"first_name": "Bobs"})

    assert Person.objects.get(pk=response.json()["id"]).owner == bob


def test_it_shows_a_token_only_its_owners_data(alice, bob, alice_token, bob_token):
    alices = PersonFactory(owner=alice)
    bobs = PersonFactory(owner=bob)

    as_alice = JsonClient(Authorization=f"Bearer {alice_token}")
    as_bob = JsonClient(**{"X-API-Key": bob_token})

    assert [p["id"] for p in as_alice.get(list_url("person")).json()["items"]] == [alices.pk]
    assert [p["id"] for p in as_bob.get(list_url("person")).json()["items"]] == [bobs.pk]
    assert as_bob.get(detail_url("person", alices.pk)).status_code == 404
    assert as_alice.get(detail_url("person", bobs.pk)).status_code == 404


def test_it_keeps_working_with_one_token_when_another_is_revoked(alice):
    kept, kept_raw = create_api_token(alice, "desktop")
    revoked, _revoked_raw = create_api_token(alice, "phone")

    revoke_api_token(revoked)

    response = JsonClient(Authorization=f"Bearer {kept_raw}").get(list_url("person"))
    assert response.status_code == 200


# last_used_at ---------------------------------------------------------------------------------


def test_it_records_when_a_token_was_last_used(alice, alice_token):
    token = ApiToken.objects.get(owner=alice)
    assert token.last_used_at is None
    before = timezone.now()

    JsonClient(Authorization=f"Bearer {alice_token}").get(list_url("person"))

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert before <= token.last_used_at <= timezone.now()


def test_it_records_the_use_of_an_x_api_key(alice, alice_token):
    JsonClient(**{"X-API-Key": alice_token}).get(list_url("person"))

    assert ApiToken.objects.get(owner=alice).last_used_at is not None


def test_it_updates_last_used_at_at_most_once_a_minute(alice, alice_token):
    api = JsonClient(Authorization=f"Bearer {alice_token}")
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)

    with time_machine.travel(start, tick=False):
        api.get(list_url("person"))
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        api.get(list_url("person"))
    assert ApiToken.objects.get(owner=alice).last_used_at == start

    later = start + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        api.get(list_url("person"))
    assert ApiToken.objects.get(owner=alice).last_used_at == later


def test_it_does_not_record_a_use_of_a_revoked_token(alice):
    token, raw = create_api_token(alice, "old")
    revoke_api_token(token)

    JsonClient(Authorization=f"Bearer {raw}").get(list_url("person"))

    token.refresh_from_db()
    assert token.last_used_at is None


# Session -------------------------------------------------------------------------------------


@pytest.fixture
def csrf_session(alice: Any) -> tuple[JsonClient, str]:
    """Alice's browser: a session, CSRF checks on, and the CSRF cookie from a page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(reverse("api-1:openapi-view"))
    assert page.status_code == 200
    return JsonClient(client), client.cookies["csrftoken"].value


def test_it_accepts_the_web_session_for_reading(alice, csrf_session):
    api, _csrf = csrf_session
    person = PersonFactory(owner=alice)

    assert api.get(list_url("person")).json()["count"] == 1
    assert api.get(detail_url("person", person.pk)).status_code == 200


def test_it_refuses_a_session_write_without_a_csrf_token(alice, csrf_session):
    api, _csrf = csrf_session
    person = PersonFactory(owner=alice, first_name="Same")

    responses = [
        api.post(list_url("person"), {"first_name": "Forged"}),
        api.put(detail_url("person", person.pk), {"first_name": "Forged"}),
        api.patch(detail_url("person", person.pk), {"first_name": "Forged"}),
        api.delete(detail_url("person", person.pk)),
    ]

    for response in responses:
        assert response.status_code == 403
        assert response["Content-Type"].startswith("application/json")
        assert "CSRF" in response.json()["detail"]
    person.refresh_from_db()
    assert person.first_name == "Same"
    assert Person.objects.count() == 1


def test_it_refuses_a_session_write_with_a_wrong_csrf_token(alice, csrf_session):
    api, _csrf = csrf_session

    response = api.post(list_url("person"), {"first_name": "Forged"}, **{"X-CSRFToken": "x" * 32})

    assert response.status_code == 403
    assert not Person.objects.exists()


def test_it_accepts_a_session_write_with_the_csrf_token(alice, csrf_session):
    api, csrf = csrf_session
    header = {"X-CSRFToken": csrf}

    created = api.post(list_url("person"), {"first_name": "Real"}, **header)
    assert created.status_code == 201
    person_id = created.json()["id"]
    assert (
        api.patch(detail_url("person", person_id), {"last_name": "One"}, **header).status_code
        == 200
    )
    assert (
        api.put(detail_url("person", person_id), {"first_name": "Two"}, **header).status_code == 200
    )
    assert api.delete(detail_url("person", person_id), **header).status_code == 204
    assert not Person.objects.exists()


def test_it_answers_401_to_a_session_that_logged_out(alice, alice_client):
    alice_client.logout()

    assert_unauthorized(alice_client.get(list_url("person")))


def test_it_answers_401_to_the_session_of_a_deactivated_user(alice, alice_client):
    alice.is_active = False
    alice.save()

    assert_unauthorized(alice_client.get(list_url("person")))


def test_it_uses_the_token_user_even_with_another_users_session(alice, bob_client, alice_token):
    PersonFactory(owner=alice, first_name="Alices")
    PersonFactory(owner=UserFactory(), first_name="Strangers")

    response = bob_client.get(
        list_url("person"), headers={"Authorization": f"Bearer {alice_token}"}
    )

    assert [item["first_name"] for item in response.json()["items"]] == ["Alices"]
