"""The rules' due dates: pure functions over weekends, holidays, time zones and DST."""

from __future__ import annotations

import datetime
import zoneinfo

from coffeechat.followups import schedule

UTC = datetime.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def test_it_dues_a_same_day_thank_you_on_the_local_day_the_conversation_ended() -> None:
    # 23:30 UTC on Monday is already Tuesday in Tokyo.
    ended = at(2026, 3, 2, 23, 30)
    assert schedule.thank_you_due(ended, TOKYO).on == datetime.date(2026, 3, 3)
    assert schedule.thank_you_due(ended, NEW_YORK).on == datetime.date(2026, 3, 2)
    assert schedule.thank_you_due(ended, TOKYO).at == ended


def test_it_dues_a_next_morning_thank_you_at_the_local_hour_across_a_dst_change() -> None:
    # Berlin moves to summer time in the night of 28 to 29 March 2026.
    ended = at(2026, 3, 28, 17, 0)  # 18:00 in Berlin, winter time
    due = schedule.thank_you_due(ended, BERLIN, timing="next_morning", morning_hour=9)
    assert due.on == datetime.date(2026, 3, 29)
    assert due.at == at(2026, 3, 29, 7, 0)  # 09:00 CEST is 07:00 UTC, not 08:00
    before = schedule.thank_you_due(at(2026, 3, 20, 17), BERLIN, timing="next_morning")
    assert before.at == at(2026, 3, 21, 8, 0)


def test_it_moves_a_local_time_skipped_by_dst_forward() -> None:
    moment = schedule.local_moment(datetime.date(2026, 3, 29), 2, BERLIN, minute=30)
    assert moment == at(2026, 3, 29, 1, 30)  # 02:30 does not exist; 03:30 CEST


def test_it_reminds_to_debrief_an_hour_after_the_end_even_past_midnight() -> None:
    due = schedule.debrief_due(at(2026, 3, 2, 22, 30), BERLIN, minutes=60)
    assert due.at == at(2026, 3, 2, 23, 30)
    assert due.on == datetime.date(2026, 3, 3)  # 00:30 in Berlin


def test_it_dues_preparation_the_local_day_before() -> None:
    # 08:00 Tuesday in Tokyo is Monday 23:00 UTC: prepare on Monday, Tokyo time.
    assert schedule.prepare_due(at(2026, 3, 2, 23, 0), TOKYO).on == datetime.date(2026, 3, 2)
    assert schedule.prepare_due(at(2026, 3, 2, 23, 0), NEW_YORK).on == datetime.date(2026, 3, 1)


def test_it_keeps_in_touch_on_the_named_date_then_at_the_cadence() -> None:
    added = datetime.date(2026, 1, 5)
    spring = datetime.date(2026, 4, 1)
    assert (
        schedule.keep_in_touch_due(
            since=added, last_contacted_on=None, every_days=None, next_check_in_on=spring
        )
        == spring
    )
    # Contacted after the named date: the cadence counts from the last contact.
    assert schedule.keep_in_touch_due(
        since=added,
        last_contacted_on=datetime.date(2026, 4, 2),
        every_days=60,
        next_check_in_on=spring,
    ) == datetime.date(2026, 6, 1)
    assert schedule.keep_in_touch_due(
        since=added, last_contacted_on=None, every_days=30, next_check_in_on=None
    ) == datetime.date(2026, 2, 4)


def test_it_does_not_keep_in_touch_unasked_or_unwelcome() -> None:
    added = datetime.date(2026, 1, 5)
    assert (
        schedule.keep_in_touch_due(
            since=added, last_contacted_on=None, every_days=None, next_check_in_on=None
        )
        is None
    )
    assert (
        schedule.keep_in_touch_due(
            since=added,
            last_contacted_on=None,
            every_days=30,
            next_check_in_on=None,
            may_keep_in_touch=False,
        )
        is None
    )


def test_it_checks_in_with_a_supervisor_after_the_interval() -> None:
    assert schedule.supervisor_check_in_due(
        since=datetime.date(2026, 1, 1), last_contacted_on=datetime.date(2026, 2, 1)
    ) == datetime.date(2026, 5, 2)


def test_it_dues_promises_on_their_date_or_a_week_later() -> None:
    said = datetime.date(2026, 3, 2)
    assert schedule.promise_due(said) == datetime.date(2026, 3, 9)
    assert schedule.promise_due(said, datetime.date(2026, 3, 4)) == datetime.date(2026, 3, 4)


def test_it_bounds_the_week_monday_to_sunday() -> None:
    assert schedule.week_bounds(datetime.date(2026, 3, 4)) == (
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 8),
    )


def test_it_knows_when_the_local_digest_hour_has_come() -> None:
    now = at(2026, 3, 2, 6, 30)  # 07:30 in Berlin, 01:30 in New York
    assert schedule.digest_is_due(now, BERLIN, 7)
    assert not schedule.digest_is_due(now, NEW_YORK, 7)
