"""Retention: "forget candidates not in touch for N months", enforced by the worker."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from coffeechat.bench import retention, services
from coffeechat.bench.models import BenchContact, BenchEntry, BenchSkill, OpeningOutcome
from coffeechat.core.calendar import local_today
from coffeechat.network.models import Interaction, Person
from coffeechat.server.worker import run_periodic
from tests.bench.conftest import bench, opening

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


def benched_on(day: str, owner: Any, name: str, skills: str = "", **fields: Any) -> BenchEntry:
    """An entry made on ``day`` (its creation date counts as being in touch)."""
    with time_machine.travel(f"{day} 09:00Z", tick=False):
        return bench(owner, name, skills, **fields)


def names(owner: Any) -> set[str]:
    return set(BenchEntry.objects.filter(owner=owner).values_list("person__first_name", flat=True))


def test_the_worker_forgets_exactly_the_stale_entries_of_users_who_turned_it_on(
    alice: Any, bob: Any
) -> None:
    today = local_today(alice)
    assert today == datetime.date(2026, 3, 2)
    services.save_settings(alice, 90, 12)
    stale = benched_on("2024-11-20", alice, "Stale", "python:3")
    services.log_contact(alice, stale, datetime.date(2025, 2, 1), note="old coffee")
    job = opening(alice, ["python"])
    services.close_opening(alice, job, approached=[stale], today=datetime.date(2025, 2, 2))
    Interaction.objects.create(
        owner=alice,
        person=stale.person,
        occurred_at=NOW - datetime.timedelta(days=500),
        kind="note",
    )
    logged = benched_on("2024-11-20", alice, "Logged")
    services.log_contact(alice, logged, datetime.date(2025, 6, 1))
    contacted = benched_on("2024-11-20", alice, "Contacted")
    Person.objects.filter(pk=contacted.person_id).update(
        last_contacted_on=datetime.date(2025, 9, 1)
    )
    benched_on("2025-12-01", alice, "Recent")
    bobs = benched_on("2020-01-01", bob, "Bobs")

    run_periodic("test", NOW)

    assert names(alice) == {"Logged", "Contacted", "Recent"}
    assert names(bob) == {"Bobs"}
    # The entry went with its history and the cadence the bench gave…
    assert not BenchSkill.objects.filter(entry_id=stale.pk).exists()
    assert not BenchContact.objects.filter(entry_id=stale.pk).exists()
    assert not OpeningOutcome.objects.filter(entry_id=stale.pk).exists()
    person = Person.objects.get(pk=stale.person_id)
    assert person.keep_in_touch_days is None
    # …the person stays in the network, with their timeline.
    assert person.first_name == "Stale"
    assert Interaction.objects.filter(person=person).count() == 1
    assert Person.objects.get(pk=bobs.person_id).keep_in_touch_days == 90
    # Again (the next tick, a second worker): nothing more goes.
    run_periodic("test", NOW)
    assert names(alice) == {"Logged", "Contacted", "Recent"}


def test_it_counts_whole_months_from_the_owners_date(alice: Any) -> None:
    services.save_settings(alice, 90, 12)
    benched_on("2025-03-02", alice, "Exactly")  # 12 months ago today: still in touch
    benched_on("2025-03-01", alice, "DayMore")
    assert retention.forget_stale(alice, 12, datetime.date(2026, 3, 2)) == ["DayMore Doe"]
    assert names(alice) == {"Exactly"}
    assert retention.enforce(datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC)) == 1
    assert names(alice) == set()


def test_the_owners_time_zone_decides_the_day(alice: Any) -> None:
    alice.profile.time_zone = "Pacific/Auckland"  # already 3 March there at 12:00 UTC
    alice.profile.save()
    services.save_settings(alice, 90, 12)
    benched_on("2025-03-02", alice, "Edge")
    assert retention.enforce(datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC)) == 0
    assert retention.enforce(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)) == 1


def test_off_by_default_and_off_again(alice: Any) -> None:
    assert services.settings_for(alice).forget_after_months is None
    benched_on("2019-01-01", alice, "Ancient")
    assert retention.enforce(NOW) == 0
    services.save_settings(alice, 90, 24)
    services.save_settings(alice, 90, None)
    assert retention.enforce(NOW) == 0
    assert names(alice) == {"Ancient"}


def test_it_lists_who_would_be_forgotten_within_30_days(alice: Any) -> None:
    soon = benched_on("2024-03-20", alice, "Soon")  # 24 months on 20 March
    benched_on("2024-05-01", alice, "Later")
    overdue = benched_on("2023-01-01", alice, "Overdue")
    found = retention.forgotten_soon(alice, 24, datetime.date(2026, 3, 2))
    assert [(s.entry.pk, s.forget_on) for s in found] == [
        (overdue.pk, datetime.date(2026, 3, 2)),
        (soon.pk, datetime.date(2026, 3, 21)),
    ]
    assert retention.forgotten_soon(alice, None) == []


def test_the_settings_page_turns_it_on_and_says_who_goes_next(
    alice: Any, alice_client: Client
) -> None:
    benched_on("2025-03-10", alice, "Soonest")
    benched_on("2025-12-01", alice, "Fresh")
    url = reverse("bench:settings")
    page = alice_client.get(url).content.decode()
    assert "Retention is off" in page and "Never" in page
    response = alice_client.post(url, {"keep_warm_days": "90", "forget_after_months": "12"})
    assert response.status_code == 302
    assert services.settings_for(alice).forget_after_months == 12
    page = alice_client.get(url).content.decode()
    assert "the next removal is on <strong>11 Mar 2026</strong>" in page
    assert "Soonest" in page and "Fresh" not in page
    assert (
        alice_client.post(url, {"keep_warm_days": "90", "forget_after_months": "7"}).status_code
        == 200
    )
    assert services.settings_for(alice).forget_after_months == 12
    alice_client.post(url, {"keep_warm_days": "90", "forget_after_months": ""})
    assert services.settings_for(alice).forget_after_months is None


def test_the_settings_page_holds_a_constant_query_count(alice: Any, alice_client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.save_settings(alice, 90, 12)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(reverse("bench:settings")).status_code == 200
        return len(queries)

    for n in range(2):
        benched_on("2025-03-10", alice, f"Few{n}")
    few = count()
    for n in range(20):
        benched_on("2025-03-12", alice, f"Many{n}")
    page = alice_client.get(reverse("bench:settings")).content.decode()
    assert page.count("forgotten on") == 22
    assert count() == few


def test_the_api_reads_and_sets_retention_and_says_who_goes_soon(
    alice: Any, bob: Any, alice_client: Client, bob_client: Client
) -> None:
    api = "/api/v1/bench/settings"
    assert alice_client.get(api).json() == {
        "keep_warm_days": 90,
        "forget_after_months": None,
        "forgotten_soon": [],
    }
    soon = benched_on("2025-03-20", alice, "Soon")  # 12 months end on 20 March
    benched_on("2025-12-01", alice, "Recent")
    changed = alice_client.patch(api, {"forget_after_months": 12}, content_type="application/json")
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["keep_warm_days"] == 90 and body["forget_after_months"] == 12
    assert body["forgotten_soon"] == [
        {
            "entry_id": soon.pk,
            "person_id": soon.person_id,
            "person_name": "Soon Doe",
            "last_in_touch": "2025-03-20",
            "forget_on": "2026-03-21",
        }
    ]
    # The cadence alone changes the cadence and leaves retention on.
    body = alice_client.patch(api, {"keep_warm_days": 60}, content_type="application/json").json()
    assert (body["keep_warm_days"], body["forget_after_months"]) == (60, 12)
    # Bad values are refused with the field named, and nothing changes.
    for bad in ({"forget_after_months": 5}, {"keep_warm_days": 3}):
        refused = alice_client.patch(api, bad, content_type="application/json")
        assert refused.status_code == 422, refused.content
        assert next(iter(bad)) in refused.content.decode()
    assert services.settings_for(alice).forget_after_months == 12
    assert services.settings_for(alice).keep_warm_days == 60
    # Bob's settings are his own: Alice's retention is not his, and he sees none of hers.
    assert bob_client.get(api).json()["forget_after_months"] is None
    # Turned off again: nobody goes.
    body = alice_client.patch(
        api, {"forget_after_months": None}, content_type="application/json"
    ).json()
    assert body["forget_after_months"] is None and body["forgotten_soon"] == []
