"""The demo account keeps a bench, and its opening ranks it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.bench import ranking
from coffeechat.bench.models import (
    BenchContact,
    BenchEntry,
    ConversationRequest,
    FrontDoor,
    Opening,
)
from coffeechat.core.calendar import local_today
from coffeechat.demo.bench import bench_data
from coffeechat.demo.network import build_demo_network
from coffeechat.network.models import TieKind

pytestmark = pytest.mark.django_db


def test_the_demo_bench_is_ranked_for_its_open_opening(alice: Any, alice_client: Client) -> None:
    counts = build_demo_network(alice, seed=7, people=30)

    entries = BenchEntry.objects.filter(owner=alice).select_related("person", "referred_by")
    assert counts["bench_entries"] == entries.count() == len(bench_data().entries) == 4
    assert all(entry.skills.exists() for entry in entries)
    assert not any(entry.person.ties_in.filter(kind=TieKind.FAMILY) for entry in entries)
    referred = [entry for entry in entries if entry.referred_by_id]
    assert len(referred) == 2
    assert all(entry.referred_by.owner_id == alice.pk for entry in referred)
    assert BenchContact.objects.filter(owner=alice).count() == 4
    opening = Opening.objects.get(owner=alice, status="open")
    assert sorted(opening.skills.values_list("name", "required")) == [
        ("forecasting", False),
        ("python", True),
        ("sql", True),
        ("teaching", False),
    ]
    ranked = ranking.rank(alice, opening, local_today(alice))
    totals = [row.total for row in ranked]
    assert len(ranked) == 4 and totals == sorted(totals, reverse=True)
    assert len(set(totals)) == 4, "the factors tell the four apart"
    assert all(row.scores["skills"] > 0 for row in ranked)
    page = alice_client.get(opening.get_absolute_url()).content.decode()
    assert ranked[0].person.full_name in page and "purpose=opening" in page


def test_the_demo_front_door_has_a_request_waiting_with_its_referrer_linked(
    alice: Any, alice_client: Client
) -> None:
    counts = build_demo_network(alice, seed=7, people=30)

    door = FrontDoor.objects.get(owner=alice)
    assert door.enabled and door.display_name == bench_data().door_name
    waiting = ConversationRequest.objects.get(owner=alice, status="pending")
    assert counts["bench_requests"] == 1
    first = BenchEntry.objects.filter(owner=alice).order_by("pk").first()
    assert first is not None and waiting.referrer_name == first.person.full_name
    queue = alice_client.get(reverse("bench:request-list")).content.decode()
    assert waiting.name in queue
    assert first.person.get_absolute_url() in queue  # the referrer, linked
