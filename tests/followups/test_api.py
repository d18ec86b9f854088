"""The follow-ups API: CRUD, done/snooze/skip, today; another user's follow-up is a 404."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from coffeechat.core.calendar import local_today
from coffeechat.followups.models import FollowUp, Status
from tests.factories import FollowUpFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(alice: Any) -> datetime.date:
    """Alice's own date (Berlin), not the server's: they differ late in the evening."""
    return local_today(alice)


def post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_it_creates_lists_and_changes_follow_ups(
    alice_client: Any, alice: Any, today: datetime.date
) -> None:
    person = PersonFactory(owner=alice, preferred_channel="linkedin")
    response = post(
        alice_client,
        "/api/v1/follow-ups",
        {
            "title": "Send the article",
            "kind": "promised",
            "due_on": str(today),
            "person_id": person.pk,
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["channel"] == "linkedin" and created["status"] == "open"
    assert created["remind_on"] == str(today)
    listed = alice_client.get("/api/v1/follow-ups?status=open").json()
    assert [row["id"] for row in listed["items"]] == [created["id"]]
    base = f"/api/v1/follow-ups/{created['id']}"
    snoozed = alice_client.post(f"{base}/snooze?days=3").json()
    assert snoozed["status"] == "snoozed"
    assert snoozed["remind_on"] == str(today + datetime.timedelta(days=3))
    assert alice_client.post(f"{base}/skip?reason=").status_code == 422
    assert alice_client.post(f"{base}/skip?reason=Not+needed").json()["status"] == "skipped"
    assert post(alice_client, f"{base}/done", {}).json()["status"] == "done"
    assert alice_client.delete(base).status_code == 204


def test_it_refuses_another_users_person(alice_client: Any, bob: Any, today: datetime.date) -> None:
    person = PersonFactory(owner=bob)
    response = post(
        alice_client,
        "/api/v1/follow-ups",
        {"title": "x", "due_on": str(today), "person_id": person.pk},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "person_id"]


def test_it_refuses_an_off_site_action_link(alice_client: Any, today: datetime.date) -> None:
    response = post(
        alice_client,
        "/api/v1/follow-ups",
        {"title": "x", "due_on": str(today), "action_url": "https://evil.example/"},
    )
    assert response.status_code == 422


def test_it_answers_404_for_another_users_follow_up(
    bob_client: Any, alice: Any, today: datetime.date
) -> None:
    item = FollowUpFactory(owner=alice, due_on=today)
    for action in ("done", "snooze", "skip"):
        response = bob_client.post(f"/api/v1/follow-ups/{item.pk}/{action}?reason=x&days=1")
        assert response.status_code == 404
    assert bob_client.get(f"/api/v1/follow-ups/{item.pk}").status_code == 404
    assert FollowUp.objects.get(pk=item.pk).status == Status.OPEN


def test_it_returns_the_today_list(
    alice_client: Any, alice: Any, bob: Any, today: datetime.date
) -> None:
    FollowUpFactory(owner=alice, due_on=today - datetime.timedelta(days=1), title="Late")
    FollowUpFactory(owner=alice, due_on=today, title="Now")
    FollowUpFactory(owner=alice, due_on=today + datetime.timedelta(days=3), title="Soon")
    FollowUpFactory(owner=bob, due_on=today, title="Bob's")
    data = alice_client.get("/api/v1/today").json()
    assert [row["title"] for row in data["overdue"]] == ["Late"]
    assert [row["title"] for row in data["due_today"]] == ["Now"]
    assert [row["title"] for row in data["upcoming"]] == ["Soon"]
    assert {p["name"] for p in data["progress"]} == {"outreach", "conversation"}
