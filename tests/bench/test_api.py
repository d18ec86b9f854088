"""The bench API: entries, contacts, openings, closing and the ranking; another user's is 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from coffeechat.bench.models import BenchEntry, OpeningStatus
from coffeechat.network.models import Person
from tests.bench.conftest import bench, opening
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/bench"


def test_it_benches_a_person_and_ranks_them_for_an_opening(
    alice: Any, alice_client: Client
) -> None:
    person = PersonFactory(owner=alice, first_name="Ada", preferred_channel="email")
    made = alice_client.post(
        f"{BASE}/entries",
        {"person_id": person.pk, "fit": "strong", "skills": [{"name": "python", "level": 4}]},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["skills"] == [{"name": "python", "level": 4}]
    assert body["keep_in_touch_days"] == 90
    contact = alice_client.post(f"{BASE}/entries/{body['id']}/contacts?note=coffee")
    assert contact.status_code == 201
    assert contact.json()["contacts"][0]["note"] == "coffee"
    job = alice_client.post(
        f"{BASE}/openings",
        {"title": "Postdoc", "required_skills": ["python"], "nice_to_have_skills": ["sql"]},
        content_type="application/json",
    ).json()
    ranked = alice_client.get(f"{BASE}/openings/{job['id']}/ranking").json()
    (row,) = ranked["ranked"]
    assert row["person_id"] == person.pk
    assert set(row["scores"]) == {"skills", "fit", "availability", "recency", "vouched"}
    assert row["preferred_channel"] == "email"
    assert "/outreach/" in row["draft_url"]


def test_it_closes_an_opening(alice: Any, alice_client: Client) -> None:
    hired = bench(alice, "Hired")
    job = opening(alice, ["python"])
    response = alice_client.post(f"{BASE}/openings/{job.pk}/close?hired={hired.pk}")
    assert response.status_code == 200
    assert response.json()["status"] == OpeningStatus.CLOSED
    assert response.json()["outcomes"] == [{"entry_id": hired.pk, "outcome": "hired"}]


def test_it_refuses_another_users_person_and_entry(
    alice: Any, bob: Any, alice_client: Client
) -> None:
    bobs = bench(bob, "Bobs")
    response = alice_client.post(
        f"{BASE}/entries", {"person_id": bobs.person_id}, content_type="application/json"
    )
    assert response.status_code == 422
    assert alice_client.get(f"{BASE}/entries/{bobs.pk}").status_code == 404
    job = opening(alice, ["python"])
    response = alice_client.post(f"{BASE}/openings/{job.pk}/close?hired={bobs.pk}")
    assert response.status_code == 422
    assert [e["first"] for e in alice_client.get(f"{BASE}/entries").json()] == []


def test_deleting_an_entry_takes_back_the_cadence(alice: Any, alice_client: Client) -> None:
    entry = bench(alice, "Ada")
    assert alice_client.delete(f"{BASE}/entries/{entry.pk}").status_code == 204
    assert not BenchEntry.objects.exists()
    assert Person.objects.get(pk=entry.person_id).keep_in_touch_days is None
