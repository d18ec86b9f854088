"""Promises through the API: the person is one of the conversation's participants."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from coffeechat.accounts.services import create_api_token
from coffeechat.conversations.models import Promise
from tests.conversations.conftest import schedule
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice: Any) -> Any:
    _token, raw = create_api_token(alice, "tests")
    client = Client()
    headers = {"Authorization": f"Bearer {raw}"}

    def send(method: str, path: str, data: Any = None) -> Any:
        return getattr(client, method)(
            path,
            json.dumps(data) if data is not None else "",
            content_type="application/json",
            headers=headers,
        )

    return send


def messages_for(response: Any, field: str) -> list[str]:
    return [d["msg"] for d in response.json()["errors"] if d["loc"] == ["body", field]]


def test_it_creates_a_promise_made_by_a_participant(alice: Any, dana: Any, api: Any) -> None:
    conversation = schedule(alice, [dana])
    created = api(
        "post",
        "/api/v1/promises",
        {
            "conversation_id": conversation.pk,
            "direction": "theirs",
            "text": "  introduce me   to Kim ",
            "person_id": dana.pk,
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["person_id"] == dana.pk
    assert Promise.objects.get(pk=created.json()["id"]).text == "introduce me to Kim"


def test_it_refuses_a_person_who_is_not_in_the_conversation(
    alice: Any, dana: Any, api: Any
) -> None:
    conversation = schedule(alice, [dana])
    stranger = PersonFactory(owner=alice, first_name="Not", last_name="There")
    response = api(
        "post",
        "/api/v1/promises",
        {
            "conversation_id": conversation.pk,
            "direction": "mine",
            "text": "send the article",
            "person_id": stranger.pk,
        },
    )
    assert response.status_code == 422
    assert messages_for(response, "person_id") == [
        f"Person {stranger.pk} is not one of this conversation's participants."
    ]
    assert not Promise.objects.exists()


def test_it_refuses_another_users_person_or_conversation(
    alice: Any, bob: Any, dana: Any, api: Any
) -> None:
    conversation = schedule(alice, [dana])
    bobs_person = PersonFactory(owner=bob)
    bobs_conversation = schedule(bob, [bobs_person])
    theirs = api(
        "post",
        "/api/v1/promises",
        {
            "conversation_id": conversation.pk,
            "direction": "mine",
            "text": "x",
            "person_id": bobs_person.pk,
        },
    )
    assert theirs.status_code == 422 and messages_for(theirs, "person_id")
    other = api(
        "post",
        "/api/v1/promises",
        {"conversation_id": bobs_conversation.pk, "direction": "mine", "text": "x"},
    )
    assert other.status_code == 422 and messages_for(other, "conversation_id")
    assert not Promise.objects.exists()


def test_an_update_is_checked_too(alice: Any, dana: Any, api: Any) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee", last_name="Park")
    first = schedule(alice, [dana])
    second = schedule(alice, [lee])
    created = api(
        "post",
        "/api/v1/promises",
        {"conversation_id": first.pk, "direction": "mine", "text": "x", "person_id": dana.pk},
    ).json()
    path = f"/api/v1/promises/{created['id']}"

    # Lee is not in the first conversation; Dana is not in the second.
    patched = api("patch", path, {"person_id": lee.pk})
    assert patched.status_code == 422 and messages_for(patched, "person_id")
    moved = api("patch", path, {"conversation_id": second.pk})
    assert moved.status_code == 422 and messages_for(moved, "person_id")
    replaced = api(
        "put",
        path,
        {"conversation_id": first.pk, "direction": "sideways", "text": "x", "person_id": dana.pk},
    )
    assert replaced.status_code == 422 and messages_for(replaced, "direction")
    promise = Promise.objects.get(pk=created["id"])
    assert (promise.conversation_id, promise.person_id, promise.direction) == (
        first.pk,
        dana.pk,
        "mine",
    )
    # Both together is fine, and so is nobody.
    both = api("patch", path, {"conversation_id": second.pk, "person_id": lee.pk})
    assert both.status_code == 200 and both.json()["person_id"] == lee.pk
    nobody = api("patch", path, {"person_id": None})
    assert nobody.status_code == 200 and nobody.json()["person_id"] is None
