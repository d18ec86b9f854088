"""The private calendar feed: parsed back with icalendar and vobject; one user's data only."""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
import pytest
import vobject
from django.test import Client
from django.urls import reverse

from coffeechat.core.calendar import local_today
from coffeechat.followups import services
from coffeechat.followups.models import FollowUpSettings, Status
from tests.factories import FollowUpFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(alice: Any) -> datetime.date:
    """Alice's own date (Berlin), not the server's: they differ late in the evening."""
    return local_today(alice)


def feed_path(raw: str) -> str:
    return reverse("followups:calendar-feed", kwargs={"token": raw})


@pytest.fixture
def feeds(alice: Any, bob: Any, today: datetime.date) -> tuple[str, str]:
    ada = PersonFactory(owner=alice, first_name="Ada", last_name="Byrne")
    FollowUpFactory(
        owner=alice,
        person=ada,
        due_on=today + datetime.timedelta(days=2),
        title="Thank Ada",
        channel="email",
    )
    FollowUpFactory(owner=alice, due_on=today, title="Finished", status=Status.DONE)
    FollowUpFactory(owner=bob, due_on=today, title="Bob's secret follow-up")
    return services.new_feed_token(alice), services.new_feed_token(bob)


def test_it_serves_follow_ups_as_all_day_events(
    feeds: tuple[str, str], today: datetime.date
) -> None:
    response = Client().get(feed_path(feeds[0]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Thank Ada"]
    event = events[0]
    assert event.decoded("dtstart") == today + datetime.timedelta(days=2)
    assert event.decoded("dtend") == today + datetime.timedelta(days=3)
    assert "Ada Byrne" in str(event["description"]) and "E-mail" in str(event["description"])
    assert str(event["uid"]).startswith("follow-up-")
    parsed = vobject.readOne(response.content.decode())
    assert parsed.vevent.summary.value == "Thank Ada"
    assert parsed.vevent.dtstart.value == today + datetime.timedelta(days=2)
    assert parsed.vevent.dtstamp.value.tzinfo is not None


def test_it_serves_vtodos_on_request(feeds: tuple[str, str]) -> None:
    content = Client().get(feed_path(feeds[0]) + "?todo=1").content
    todos = list(icalendar.Calendar.from_ical(content).walk("VTODO"))
    assert len(todos) == 1 and str(todos[0]["status"]) == "NEEDS-ACTION"
    assert vobject.readOne(content.decode()).vtodo.summary.value == "Thank Ada"


def test_it_shows_only_the_token_owners_data(feeds: tuple[str, str]) -> None:
    alice_feed = Client().get(feed_path(feeds[0])).content.decode()
    bob_feed = Client().get(feed_path(feeds[1])).content.decode()
    assert "Bob's secret" not in alice_feed and "Thank Ada" not in bob_feed
    assert "Bob's secret" in bob_feed


def test_it_answers_404_to_a_revoked_replaced_or_wrong_token(
    feeds: tuple[str, str], alice: Any
) -> None:
    old = feeds[0]
    new = services.new_feed_token(alice)
    assert Client().get(feed_path(old)).status_code == 404
    assert Client().get(feed_path(new)).status_code == 200
    services.revoke_feed_token(alice)
    assert Client().get(feed_path(new)).status_code == 404
    assert Client().get(feed_path("cf_" + "x" * 43)).status_code == 404
    assert Client().get(feed_path("nonsense")).status_code == 404


def test_it_stores_only_the_hash(feeds: tuple[str, str], alice: Any) -> None:
    stored = FollowUpSettings.objects.get(owner=alice)
    assert feeds[0] not in stored.feed_token_hash and len(stored.feed_token_hash) == 64


def test_it_makes_and_revokes_the_link_on_the_settings_page(
    alice_client: Any, settings: Any
) -> None:
    settings.SITE_URL = "http://127.0.0.1:8123"
    url = reverse("followups:feed-token")
    alice_client.post(url, {"action": "new"})
    page = alice_client.get(reverse("followups:settings")).content.decode()
    link = page.split('readonly value="', 1)[1].split('"', 1)[0]
    assert link.startswith("http://127.0.0.1:8123/feed/") and link.endswith(".ics")
    path = link.removeprefix("http://127.0.0.1:8123")
    assert Client().get(path).status_code == 200
    # Shown once.
    assert (
        'readonly value="' not in alice_client.get(reverse("followups:settings")).content.decode()
    )
    alice_client.post(url, {"action": "revoke"})
    assert Client().get(path).status_code == 404
