"""Calendar files, read back by two different libraries."""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
import pytest
import vobject
from django.urls import reverse

from coffeechat.conversations import services
from coffeechat.conversations.ics import CANCEL, PUBLISH, REQUEST, build_calendar
from tests.conversations.conftest import schedule

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def parse_both(data: bytes) -> tuple[Any, Any]:
    cal = icalendar.Calendar.from_ical(data)
    vcal = vobject.readOne(data.decode())
    return cal, vcal


def test_it_writes_a_calendar_both_libraries_read_alike(alice: Any, dana: Any) -> None:
    start = datetime.datetime(2026, 5, 4, 14, 0, tzinfo=UTC)
    conversation = schedule(
        alice, [dana], starts_at=start, mode="video", mode_detail="https://meet.example/x"
    )
    conversation = services.fresh(alice, conversation)

    cal, vcal = parse_both(build_calendar(conversation, REQUEST))

    event = cal.walk("VEVENT")[0]
    assert str(cal["METHOD"]) == "REQUEST" and vcal.method.value == "REQUEST"
    assert str(event["UID"]) == conversation.uid == vcal.vevent.uid.value
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert vcal.vevent.dtstamp.value.tzinfo is not None
    assert event.decoded("DTSTART") == start == vcal.vevent.dtstart.value
    assert event.decoded("DTEND") == start + datetime.timedelta(minutes=30)
    assert vcal.vevent.dtstart.value < vcal.vevent.dtend.value
    assert int(event["SEQUENCE"]) == 0
    assert str(event["ORGANIZER"]) == "mailto:alice@example.com"
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:dana@acme.example"]
    assert attendees[0].params["CN"] == "Dana Reyes"
    assert attendees[0].params["PARTSTAT"] == "NEEDS-ACTION"
    assert vcal.vevent.attendee.value == "mailto:dana@acme.example"
    assert vcal.vevent.organizer.value == "mailto:alice@example.com"
    assert str(event["LOCATION"]) == "https://meet.example/x"
    assert "coffeechat" not in str(event.get("URL", ""))  # no private link in invitations


def test_times_are_right_on_both_sides_of_a_daylight_saving_change(alice: Any, dana: Any) -> None:
    """Berlin moves to summer time on 29 March 2026: 10:00 is 09:00Z before, 08:00Z after."""
    before = services.aware(datetime.date(2026, 3, 27), datetime.time(10, 0), "Europe/Berlin")
    after = services.aware(datetime.date(2026, 3, 30), datetime.time(10, 0), "Europe/Berlin")
    first = services.fresh(alice, schedule(alice, [dana], starts_at=before))
    second = services.fresh(alice, schedule(alice, [dana], starts_at=after))

    for conversation, hour in ((first, 9), (second, 8)):
        data = build_calendar(conversation)
        assert f"DTSTART:202603{conversation.starts_at:%d}T0{hour}0000Z".encode() in data
        cal, vcal = parse_both(data)
        start = cal.walk("VEVENT")[0].decoded("DTSTART")
        assert start.utcoffset() == datetime.timedelta(0) and start.hour == hour
        assert vcal.vevent.dtstart.value.astimezone(UTC).hour == hour
        assert str(cal["METHOD"]) == PUBLISH
    # And in New York (where summer time began on 8 March) Dana sees 04:00 then 04:00.
    times = services.local_times(second, alice)
    assert [(t.zone, t.at.hour) for t in times] == [("Europe/Berlin", 10), ("America/New_York", 4)]


def test_a_cancellation_keeps_the_uid_and_raises_the_sequence(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    services.reschedule_conversation(
        alice, conversation, conversation.starts_at + datetime.timedelta(hours=1)
    )
    services.cancel_conversation(alice, conversation)
    cal, vcal = parse_both(build_calendar(services.fresh(alice, conversation), CANCEL))
    event = cal.walk("VEVENT")[0]
    assert str(cal["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2 and vcal.vevent.sequence.value == "2"
    assert str(event["UID"]) == conversation.uid


def test_the_download_is_a_calendar_file_for_its_owner_only(
    alice_client: Any, bob_client: Any, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    url = reverse("conversations:conversation-ics", kwargs={"conversation_id": conversation.pk})

    response = alice_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    cal, _vcal = parse_both(response.content)
    assert str(cal.walk("VEVENT")[0]["UID"]) == conversation.uid
    assert bob_client.get(url).status_code == 404


def test_my_own_calendar_file_links_to_the_conversation_on_the_site(
    alice: Any, dana: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://coffee.example.org"
    conversation = schedule(alice, [dana])
    cal, _vcal = parse_both(build_calendar(conversation, PUBLISH))
    assert str(cal.walk("VEVENT")[0]["URL"]) == (
        f"https://coffee.example.org/conversations/{conversation.pk}/"
    )
