"""The staff API: staff tokens only, 404 for anyone else, the same actions and log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.services import create_api_token
from coffeechat.staff.models import ActionKind, StaffAction
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = create_api_token(user, "staff script")
    return {"Authorization": f"Bearer {raw}"}


def routes(user_id: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("api-1:staff-usage")),
        ("get", reverse("api-1:staff-user-list")),
        ("get", reverse("api-1:staff-action-list")),
        ("get", reverse("api-1:staff-career-centre")),
        ("get", reverse("api-1:staff-invitations")),
        ("post", reverse("api-1:staff-invitations")),
        ("post", reverse("api-1:staff-user-deactivate", kwargs={"user_id": user_id})),
        ("post", reverse("api-1:staff-user-reactivate", kwargs={"user_id": user_id})),
        ("post", reverse("api-1:staff-user-end-sessions", kwargs={"user_id": user_id})),
    ]


def test_it_answers_404_to_a_token_that_is_not_staff(alice: Any, bob: Any) -> None:
    headers = bearer(alice)
    for method, url in routes(bob.pk):
        if method == "get":
            response = Client().get(url, headers=headers)
        else:
            response = Client().post(
                url, data="{}", content_type="application/json", headers=headers
            )
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json")
    bob.refresh_from_db()
    assert bob.is_active
    assert not StaffAction.objects.exists()


def test_a_staff_session_works_and_anyone_elses_is_a_404(
    staff_client: Client, bob_client: Client
) -> None:
    assert staff_client.get(reverse("api-1:staff-usage")).status_code == 200
    response = bob_client.get(reverse("api-1:staff-usage"))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert Client().get(reverse("api-1:staff-usage")).status_code == 401


def test_it_lists_accounts_with_counts(charlie: Any, alice: Any) -> None:
    PersonFactory(owner=alice, first_name="Zebulon")
    response = Client().get(
        reverse("api-1:staff-user-list"), {"q": "alice"}, headers=bearer(charlie)
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["count"] == 1
    (row,) = data["items"]
    assert row["email"] == "alice@example.com"
    assert row["people"] == 1
    assert row["conversations_held"] == 0
    assert "Zebulon" not in response.content.decode()


def test_deactivating_through_the_api_stops_the_users_token(charlie: Any, alice: Any) -> None:
    alice_headers = bearer(alice)
    url = reverse("api-1:staff-user-deactivate", kwargs={"user_id": alice.pk})
    response = Client().post(url, headers=bearer(charlie))
    assert response.status_code == 200
    assert json.loads(response.content)["is_active"] is False
    assert Client().get(reverse("api-1:person-list"), headers=alice_headers).status_code == 401
    action = StaffAction.objects.get()
    assert (action.actor_label, action.kind) == ("charlie@example.com", ActionKind.DEACTIVATE)


def test_staff_cannot_deactivate_themselves_through_the_api(charlie: Any) -> None:
    url = reverse("api-1:staff-user-deactivate", kwargs={"user_id": charlie.pk})
    response = Client().post(url, headers=bearer(charlie))
    assert response.status_code == 422
    assert "your own account" in json.loads(response.content)["detail"]
    charlie.refresh_from_db()
    assert charlie.is_active


def test_it_invites_through_the_api_and_logs_it(charlie: Any, smtp: Any) -> None:
    response = Client().post(
        reverse("api-1:staff-invitations"),
        data={"email": "dora@example.com"},
        content_type="application/json",
        headers=bearer(charlie),
    )
    assert response.status_code == 201
    assert json.loads(response.content)["email"] == "dora@example.com"
    assert smtp.parsed()[0]["To"] == "dora@example.com"
    listed = Client().get(reverse("api-1:staff-invitations"), headers=bearer(charlie))
    (invitation,) = json.loads(listed.content)["items"]
    assert invitation["email"] == "dora@example.com"
    assert invitation["used_at"] is None
    actions = Client().get(reverse("api-1:staff-action-list"), headers=bearer(charlie))
    (item,) = json.loads(actions.content)["items"]
    assert item["actor"] == "charlie@example.com"
    assert item["action"] == "invite"
    assert item["subject"] == "dora@example.com"


def test_a_bad_address_is_a_422(charlie: Any, smtp: Any) -> None:
    response = Client().post(
        reverse("api-1:staff-invitations"),
        data={"email": "not an address"},
        content_type="application/json",
        headers=bearer(charlie),
    )
    assert response.status_code == 422
    assert smtp.envelopes == []
