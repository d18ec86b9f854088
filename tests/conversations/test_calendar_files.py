"""Reading calendar files as real programs write them: Exchange/Outlook with Windows zone
names, Google, BlackBerry without a UID, Lotus Notes with a custom TZID and ALTREP, an
all-day event; and bad files, refused with the file, line and field."""

from __future__ import annotations

import datetime
import zoneinfo
from pathlib import Path

import pytest

from coffeechat.conversations.calendar_files import (
    CANCEL,
    PUBLISH,
    REPLY,
    REQUEST,
    CalendarFileError,
    read_calendar,
)

DATA = Path(__file__).parent / "data"
VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
UTC = datetime.UTC


def read(name: str, zone: datetime.tzinfo = VIENNA) -> list:  # type: ignore[type-arg]
    return read_calendar((DATA / name).read_bytes(), name, zone)


def test_it_reads_an_outlook_invitation_with_a_windows_zone_name() -> None:
    [event] = read("outlook_request.ics")
    assert event.method == REQUEST
    assert event.uid.startswith("040000008200E00074C5B7101A82E008")  # unfolded
    assert event.sequence == 0
    # 10:00 "W. Europe Standard Time" in June is 10:00 CEST, 08:00 UTC.
    assert event.starts_at == datetime.datetime(2027, 6, 15, 8, 0, tzinfo=UTC)
    assert event.duration_minutes == 30
    assert event.zone_name == "Europe/Berlin"
    assert event.summary == "Coffee chat: logistics at Contoso"
    assert event.link.startswith("https://teams.microsoft.example/l/meetup-join/")
    assert event.organizer is not None
    assert (event.organizer.email, event.organizer.name) == (
        "marco.rossi@contoso.example",
        "Marco Rossi",
    )
    assert [a.email for a in event.attendees] == [
        "alice@example.com",
        "priya.nair@contoso.example",
    ]
    assert not event.cancelled and not event.floating and not event.uid_derived


def test_it_reads_an_update_and_a_cancellation_of_the_same_invitation() -> None:
    [first] = read("outlook_request.ics")
    [update] = read("outlook_update.ics")
    [cancel] = read("outlook_cancel.ics")
    assert first.uid == update.uid == cancel.uid
    assert update.sequence == 1
    assert update.starts_at == datetime.datetime(2027, 6, 16, 12, 30, tzinfo=UTC)
    assert update.duration_minutes == 45
    assert (cancel.method, cancel.sequence, cancel.cancelled) == (CANCEL, 2, True)


def test_it_reads_a_google_invitation() -> None:
    [event] = read("google_request.ics")
    # 09:00 in Los Angeles in January (PST, UTC-8).
    assert event.starts_at == datetime.datetime(2027, 1, 20, 17, 0, tzinfo=UTC)
    assert event.duration_minutes == 45
    assert event.uid == "5k2v9f0q3m1n8b7c6x4z2a0s9d@google.com"
    assert event.link == "https://meet.google.example/abc-defg-hij"
    assert event.stamp == datetime.datetime(2027, 1, 10, 17, 4, 1, tzinfo=UTC)
    # A CN that is only the address is no name.
    assert event.attendees[1].name == ""
    assert event.attendees[0].partstat == "ACCEPTED"


def test_it_derives_a_stable_uid_and_reads_floating_times_in_my_zone() -> None:
    [event] = read("blackberry_request.ics")
    [again] = read("blackberry_request.ics")
    assert event.uid_derived and event.uid.startswith("derived-")
    assert event.uid == again.uid
    assert event.method == PUBLISH  # no METHOD line
    assert event.floating
    # 12:30 floating, read in Vienna (CET in March): 11:30 UTC.
    assert event.starts_at == datetime.datetime(2027, 3, 5, 11, 30, tzinfo=UTC)
    [in_london] = read("blackberry_request.ics", zoneinfo.ZoneInfo("Europe/London"))
    assert in_london.starts_at == datetime.datetime(2027, 3, 5, 12, 30, tzinfo=UTC)
    assert event.organizer is not None and event.organizer.email == "tom.baker@blackberry.example"
    assert event.location == "Café Central, Herrengasse 14"


def test_it_reads_a_custom_tzid_from_the_embedded_vtimezone_and_ignores_altrep() -> None:
    [event] = read("custom_zone_request.ics")
    # 15:00 "Eastern" (defined in the file) in July is EDT, UTC-4.
    assert event.starts_at == datetime.datetime(2027, 7, 7, 19, 0, tzinfo=UTC)
    assert event.location == "+1 555 0100 ext 42"
    assert event.description == "Quick call about the analyst role."
    assert event.organizer is not None and event.organizer.name == "Okafor, Grace/Dept/ACME"


def test_it_reads_an_all_day_event_as_the_day_in_my_zone() -> None:
    [event] = read("all_day.ics")
    assert event.all_day and not event.floating
    assert event.starts_at == datetime.datetime(2027, 4, 9, 22, 0, tzinfo=UTC)  # midnight CEST
    assert event.duration_minutes == 480


def test_it_reads_a_reply_from_text() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n"
        "UID:abc@coffeechat\r\nDTSTART:20270101T100000Z\r\nDTSTAMP:20261230T100000Z\r\n"
        "ATTENDEE;PARTSTAT=DECLINED;CN=Lena:mailto:Lena@Example.com\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    [event] = read_calendar(text, "reply.ics", VIENNA)
    assert event.method == REPLY
    assert event.attendees[0].email == "lena@example.com"
    assert event.attendees[0].partstat == "DECLINED"
    assert event.sequence is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad_start.ics", "bad_start.ics, line 7, DTSTART: this is not a date or time"),
        ("no_start.ics", "no_start.ics, line 5, DTSTART: the event has no start"),
    ],
)
def test_it_names_the_file_line_and_field_of_a_bad_file(name: str, expected: str) -> None:
    with pytest.raises(CalendarFileError) as caught:
        read(name)
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Name,Email\nLena,lena@example.com\n", "x.ics, line 1: this is not a calendar file"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
            "x.ics, VEVENT: the file holds no event",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nthis line is broken\r\nEND:VEVENT\r\n"
            b"END:VCALENDAR\r\n",
            "x.ics, line 2, DTSTART: the event has no start",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20270101T100000Z\r\nDTEND:bad\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "x.ics, line 4, DTEND: this is not a date or time (Expected datetime",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n",
            "x.ics",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20270101T100000Z\r\nSEQUENCE:two\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "x.ics, line 4, SEQUENCE: SEQUENCE must be a whole number",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20270101T100000Z\r\n"
            b"DTEND:20261231T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "x.ics, line 4, DTEND: the event ends before it starts",
        ),
        (b"\xff\xfe\x00garbage", "x.ics, line 1: this is not a calendar file"),
    ],
)
def test_it_never_crashes_on_a_bad_file(data: bytes, expected: str) -> None:
    with pytest.raises(CalendarFileError) as caught:
        read_calendar(data, "x.ics", VIENNA)
    assert str(caught.value).startswith(expected)


def test_it_lets_a_broken_line_of_a_field_it_does_not_read_be() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:a@b\r\n"
        b"X-WEIRD this line is broken\r\nDTSTART:20270101T100000Z\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    [event] = read_calendar(data, "x.ics", VIENNA)
    assert event.starts_at == datetime.datetime(2027, 1, 1, 10, 0, tzinfo=UTC)
    assert event.duration_minutes == 30
