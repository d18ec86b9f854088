"""The calendar feed as calendar applications use it: HEAD, ETag/Last-Modified and 304,
one UID per conversation (the invitation's), busy and free time, a refresh hint."""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
import pytest
import time_machine
import vobject
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

from coffeechat.conversations import services as conversation_services
from coffeechat.conversations.ics import build_calendar
from coffeechat.conversations.models import Conversation
from coffeechat.core.calendar import local_today
from coffeechat.core.scoping import delete_owned
from coffeechat.followups import services
from coffeechat.followups.models import FollowUp
from tests.factories import EmailAddressFactory, FollowUpFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(alice: Any) -> str:
    ada = PersonFactory(owner=alice, first_name="Ada", last_name="Byrne")
    EmailAddressFactory(person=ada, email="ada@example.org")
    FollowUpFactory(
        owner=alice,
        person=ada,
        due_on=local_today(alice) + datetime.timedelta(days=2),
        title="Thank Ada",
    )
    conversation_services.schedule_conversation(
        alice,
        Conversation(starts_at=timezone.now() + datetime.timedelta(days=3)),
        [ada],
    )
    return reverse("followups:calendar-feed", kwargs={"token": services.new_feed_token(alice)})


def parsed(content: bytes) -> tuple[Any, Any]:
    return icalendar.Calendar.from_ical(content), vobject.readOne(content.decode())


def test_it_answers_head_with_the_headers_and_no_body(feed: str) -> None:
    response = Client().head(feed)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["ETag"] and response["Last-Modified"]
    assert response.content == b""


def test_it_answers_304_when_nothing_changed(feed: str, alice: Any) -> None:
    first = Client().get(feed)
    again = Client().get(feed)
    assert first.content == again.content and first["ETag"] == again["ETag"]

    by_etag = Client().get(feed, headers={"If-None-Match": first["ETag"]})
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    by_date = Client().get(feed, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304

    FollowUpFactory(owner=alice, due_on=local_today(alice), title="Call Bo")
    changed = Client().get(feed, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert b"Call Bo" in changed.content


def test_it_uses_the_invitations_uid_and_marks_busy_and_free_time(feed: str, alice: Any) -> None:
    conversation = Conversation.objects.get(owner=alice)
    calendar, again = parsed(Client().get(feed).content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    chat = next(e for name, e in events.items() if name.startswith("Coffee chat"))
    invitation = icalendar.Calendar.from_ical(build_calendar(conversation, "REQUEST"))
    assert str(chat["UID"]) == str(invitation.walk("VEVENT")[0]["UID"]) == conversation.uid
    assert str(chat["TRANSP"]) == "OPAQUE"
    assert str(events["Thank Ada"]["TRANSP"]) == "TRANSPARENT"
    assert {e.transp.value for e in again.vevent_list} == {"OPAQUE", "TRANSPARENT"}
    for event in calendar.walk("VEVENT"):
        assert str(event["URL"]).startswith("http")


def test_it_hints_how_often_to_refresh(feed: str) -> None:
    content = Client().get(feed).content
    calendar, again = parsed(content)
    assert calendar.decoded("REFRESH-INTERVAL") == datetime.timedelta(hours=1)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in content
    assert b"X-PUBLISHED-TTL:PT1H" in content
    assert str(again.x_published_ttl.value) in {"PT1H", "1:00:00"}


def test_its_uids_do_not_change_with_the_site_address(feed: str, settings: Any) -> None:
    settings.SITE_URL = "http://127.0.0.1:8000"
    before = Client().get(feed).content
    settings.SITE_URL = "https://coffee.example.org"
    after = Client().get(feed).content

    def uids(content: bytes) -> list[str]:
        return sorted(str(e["UID"]) for e in icalendar.Calendar.from_ical(content).walk("VEVENT"))

    assert uids(before) == uids(after)
    assert b"https://coffee.example.org/" in after.replace(b"\r\n ", b"")


def conditional_get(feed: str, first: Any) -> Any:
    return Client().get(
        feed, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )


def later() -> Any:
    """Some seconds on: Last-Modified counts whole seconds."""
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=5), tick=True)


def test_it_changes_last_modified_and_etag_when_a_conversation_is_deleted(
    feed: str, alice: Any, alice_client: Client
) -> None:
    first = Client().get(feed)
    conversation = Conversation.objects.get(owner=alice)
    assert conversation.uid in first.content.decode()
    assert conditional_get(feed, first).status_code == 304

    with later():
        delete = reverse("conversations:conversation-delete", args=[conversation.pk])
        assert alice_client.post(delete).status_code == 302
        answer = conditional_get(feed, first)
        only_since = Client().get(feed, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert answer.status_code == 200 and only_since.status_code == 200
    assert answer["ETag"] != first["ETag"]
    assert parse_http_date(answer["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    cal, vcal = parsed(answer.content)
    assert conversation.uid not in [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert conversation.uid not in [e.uid.value for e in vcal.contents.get("vevent", [])]


def test_it_changes_last_modified_when_a_follow_up_is_deleted(feed: str, alice: Any) -> None:
    first = Client().get(feed)

    with later():
        delete_owned(FollowUp.objects.get(owner=alice, title="Thank Ada"))
        answer = Client().get(feed, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert answer.status_code == 200
    assert "Thank Ada" not in answer.content.decode()
