"""The front door's queue in the API: list, detail, accept, decline; another user's is 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from coffeechat.bench.models import RequestStatus
from coffeechat.network.models import Person
from tests.bench.test_front_door_queue import ask
from tests.factories import PersonFactory
from tests.outreach.conftest import Collector, smtp_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/bench/requests"


def test_it_lists_requests_with_the_referrer_found_in_my_network(
    alice: Any, alice_client: Client
) -> None:
    ben = PersonFactory(owner=alice, first_name="Ben", last_name="Lund")
    asked = ask(alice, connection="referred", referrer_name="Ben Lund")
    ask(alice, "Other Person")
    listed = alice_client.get(BASE).json()
    assert {r["name"] for r in listed} == {"Sam Seeker", "Other Person"}
    detail = alice_client.get(f"{BASE}/{asked.pk}").json()
    assert detail["referrer"] == {"name": "Ben Lund", "email": "", "person_id": ben.pk}
    assert detail["status"] == "pending" and detail["person_id"] is None
    assert alice_client.get(BASE, {"status": "accepted"}).json() == []


def test_it_accepts_into_the_network_with_the_schedule_link(
    alice: Any, alice_client: Client
) -> None:
    asked = ask(alice)
    response = alice_client.post(f"{BASE}/{asked.pk}/accept?bench=true")
    assert response.status_code == 200, response.content
    body = response.json()
    person = Person.objects.get(owner=alice, first_name="Sam")
    assert body["person_id"] == person.pk
    assert body["request"]["status"] == RequestStatus.ACCEPTED
    assert body["schedule_url"].endswith(f"/conversations/new/?person={person.pk}")
    again = alice_client.post(f"{BASE}/{asked.pk}/accept")
    assert again.status_code == 422
    assert "already accepted" in again.json()["detail"]


def test_it_declines_with_the_kind_answer(
    alice: Any,
    alice_client: Client,
    smtp_server: tuple[Collector, int],  # noqa: F811
) -> None:
    collector, _port = smtp_server
    asked = ask(alice)
    response = alice_client.post(f"{BASE}/{asked.pk}/decline")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"
    assert response.json()["wants_to_learn"] == ""
    (mail,) = collector.parsed()
    assert "Dear Sam," in mail.get_content()


def test_another_users_request_is_a_404(alice: Any, bob_client: Client) -> None:
    asked = ask(alice)
    assert bob_client.get(BASE).json() == []
    assert bob_client.get(f"{BASE}/{asked.pk}").status_code == 404
    assert bob_client.post(f"{BASE}/{asked.pk}/accept").status_code == 404
    assert bob_client.post(f"{BASE}/{asked.pk}/decline").status_code == 404
    assert bob_client.delete(f"{BASE}/{asked.pk}").status_code == 404
    asked.refresh_from_db()
    assert asked.status == RequestStatus.PENDING
