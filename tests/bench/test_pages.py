"""The bench pages: list filters, entry from a person's page, openings ranked, query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.bench import services
from coffeechat.bench.models import BenchEntry, Opening, OpeningStatus
from coffeechat.followups.models import FollowUp
from coffeechat.network.models import Channel
from tests.bench.conftest import TODAY, bench, opening
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_it_puts_a_person_on_my_bench_from_their_page(alice: Any, alice_client: Client) -> None:
    person = PersonFactory(owner=alice, first_name="Ada")
    page = alice_client.get(person.get_absolute_url()).content.decode()
    create = reverse("bench:entry-create")
    assert f"{create}?person={person.pk}" in page
    response = alice_client.post(
        f"{create}?person={person.pk}",
        {
            "skill_list": "python:4, sql",
            "fit": "strong",
            "fit_reason": "sharp",
            "availability": "now",
            "data_source": "conversation",
        },
    )
    entry = BenchEntry.objects.get(owner=alice, person=person)
    assert response.status_code == 302
    assert sorted(entry.skills.values_list("name", "level")) == [("python", 4), ("sql", 2)]
    person_page = alice_client.get(person.get_absolute_url()).content.decode()
    assert "On my bench" in person_page
    assert "python 4/4" in person_page and "sharp" in person_page
    detail = alice_client.get(entry.get_absolute_url()).content.decode()
    assert "every 90 days" in detail
    assert "Our conversation" in detail


def test_it_filters_the_bench(alice: Any, alice_client: Client) -> None:
    bench(alice, "Pythonista", "python:4", fit="strong")
    stale = bench(alice, "Sqlite", "sql:3", fit="weak")
    recent = bench(alice, "Recent", "sql:2", fit="weak")
    services.log_contact(alice, stale, TODAY - datetime.timedelta(days=200))
    services.log_contact(alice, recent, TODAY - datetime.timedelta(days=10))
    url = reverse("bench:entry-list")
    by_skill = alice_client.get(url, {"skill": "Python"}).content.decode()
    assert "Pythonista" in by_skill and "Sqlite" not in by_skill
    by_fit = alice_client.get(url, {"fit": "weak"}).content.decode()
    assert "Sqlite" in by_fit and "Pythonista" not in by_fit
    stale_page = alice_client.get(url, {"stale": "4"}).content.decode()
    assert "Sqlite" in stale_page and "Pythonista" in stale_page and "Recent" not in stale_page
    partial = alice_client.get(url, {"skill": "sql"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"Sqlite" in partial.content


def test_the_ranking_page_shows_every_factor_and_the_draft_link(
    alice: Any, alice_client: Client
) -> None:
    person = PersonFactory(owner=alice, first_name="Ada", preferred_channel=Channel.LINKEDIN)
    bench(alice, "Ada", "python:4", person=person)
    job = opening(alice, ["python"], ("dbt",))
    page = alice_client.get(job.get_absolute_url()).content.decode()
    for factor in ("Skills", "Fit", "Availability", "Last contact", "Vouched", "Channel"):
        assert factor in page
    assert "LinkedIn message" in page
    assert f"person={person.pk}&amp;purpose=opening&amp;opening_title=Data+engineer" in page


def test_the_ranking_page_holds_a_constant_query_count(alice: Any, alice_client: Client) -> None:
    job = opening(alice, ["python"], ("sql",))
    referrer = PersonFactory(owner=alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(job.get_absolute_url()).status_code == 200
        return len(queries)

    for n in range(2):
        entry = bench(alice, f"Few{n}", "python:3, sql:2", referred_by=referrer)
        services.log_contact(alice, entry, TODAY)
    few = count()
    for n in range(48):
        bench(alice, f"Many{n}", "python:2")
    assert count() == few


def test_it_adds_follow_ups_for_the_ones_i_pick(alice: Any, alice_client: Client) -> None:
    picked = bench(alice, "Picked")
    bench(alice, "Left")
    job = opening(alice, ["python"])
    url = reverse("bench:opening-follow-ups", kwargs={"opening_id": job.pk})
    assert alice_client.post(url, {"person": [picked.person_id]}).status_code == 302
    assert list(FollowUp.objects.filter(rule="bench_opening").values_list("person", flat=True)) == [
        picked.person_id
    ]


def test_it_creates_and_closes_an_opening(alice: Any, alice_client: Client) -> None:
    hired = bench(alice, "Hired")
    response = alice_client.post(
        reverse("bench:opening-create"),
        {"title": "Postdoc", "required_skills": "python, optics", "nice_skills": "teaching"},
    )
    job = Opening.objects.get(owner=alice)
    assert response.status_code == 302
    assert sorted(job.skills.values_list("name", "required")) == [
        ("optics", True),
        ("python", True),
        ("teaching", False),
    ]
    url = reverse("bench:opening-close", kwargs={"opening_id": job.pk})
    assert alice_client.post(url, {"hired": [hired.pk]}).status_code == 302
    job.refresh_from_db()
    assert job.status == OpeningStatus.CLOSED
    assert "Hired" in alice_client.get(job.get_absolute_url()).content.decode()


def test_it_removes_an_entry_from_its_page(alice: Any, alice_client: Client) -> None:
    entry = bench(alice, "Ada")
    url = reverse("bench:entry-delete", kwargs={"entry_id": entry.pk})
    assert alice_client.get(url).status_code == 200
    assert alice_client.post(url).status_code == 302
    assert not BenchEntry.objects.exists()


def test_it_benches_a_person_from_a_debrief_with_where_we_met(
    alice: Any, alice_client: Client
) -> None:
    from tests.factories import ConversationFactory

    person = PersonFactory(owner=alice, first_name="Ada")
    conversation = ConversationFactory(owner=alice, people=[person])
    url = reverse("conversations:conversation-debrief", kwargs={"conversation_id": conversation.pk})
    page = alice_client.get(url).content.decode()
    link = f"{reverse('bench:entry-create')}?person={person.pk}&amp;conversation={conversation.pk}"
    assert link in page
    form = alice_client.get(link.replace("&amp;", "&")).content.decode()
    assert "Our conversation on" in form


def test_another_users_conversation_is_a_404_when_benching(
    alice: Any, bob: Any, alice_client: Client
) -> None:
    from tests.factories import ConversationFactory

    person = PersonFactory(owner=alice)
    bobs = ConversationFactory(owner=bob)
    url = f"{reverse('bench:entry-create')}?person={person.pk}&conversation={bobs.pk}"
    assert alice_client.get(url).status_code == 404


def test_it_changes_my_keep_warm_cadence(alice: Any, alice_client: Client) -> None:
    url = reverse("bench:settings")
    assert alice_client.get(url).status_code == 200
    assert alice_client.post(url, {"keep_warm_days": "30"}).status_code == 302
    assert services.settings_for(alice).keep_warm_days == 30


def test_the_bench_list_holds_a_constant_query_count(alice: Any, alice_client: Client) -> None:
    referrer = PersonFactory(owner=alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(reverse("bench:entry-list")).status_code == 200
        return len(queries)

    for n in range(2):
        entry = bench(alice, f"Few{n}", "python:3, sql:2", referred_by=referrer)
        services.log_contact(alice, entry, TODAY)
    few = count()
    for n in range(30):
        bench(alice, f"Many{n}", "python:2", referred_by=referrer)
    assert count() == few
