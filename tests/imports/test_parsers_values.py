"""Single values: dates, class years, phones (names, e-mails, LinkedIn: tests/network)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from coffeechat.imports.parsers.dates import parse_class_year, parse_date, parse_datetime
from coffeechat.imports.parsers.fields import clean_phone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05 Jan 2026", date(2026, 1, 5)),
        ("5-Jan-26", date(2026, 1, 5)),
        ("1/8/18, 6:14 PM", date(2018, 1, 8)),
        ("16.09.2021", date(2021, 9, 16)),
        ("2026-01-05", date(2026, 1, 5)),
        ("2026-01-05 14:03:11 UTC", date(2026, 1, 5)),
        ("January 5, 2026", date(2026, 1, 5)),
        ("05 janv. 2026", date(2026, 1, 5)),
        ("3. März 2020", date(2020, 3, 3)),
        ("7 ene 2025", date(2025, 1, 7)),
        ("25/12/2024", date(2024, 12, 25)),
        ("", None),
        ("sometime last year", None),
        ("31 Feb 2024", None),
        ("13/13/2024", None),
    ],
)
def test_it_reads_dates_as_exports_write_them(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_it_reads_slashed_dates_day_first_when_told() -> None:
    assert parse_date("12/03/2024") == date(2024, 12, 3)
    assert parse_date("12/03/2024", day_first=True) == date(2024, 3, 12)
    assert parse_date("12/25/2024", day_first=True) == date(2024, 12, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-05 14:03:11 UTC", datetime(2026, 1, 5, 14, 3, 11, tzinfo=UTC)),
        ("1/8/26, 6:14 PM", datetime(2026, 1, 8, 18, 14, tzinfo=UTC)),
        ("1/8/26, 12:05 AM", datetime(2026, 1, 8, 0, 5, tzinfo=UTC)),
        ("2026-01-05T14:03:11+02:00", datetime(2026, 1, 5, 12, 3, 11, tzinfo=UTC)),
        ("05-01-2026", datetime(2026, 1, 5, tzinfo=UTC)),
        ("1/8/26, 25:14 PM", None),
        ("yesterday", None),
    ],
)
def test_it_reads_times_as_utc(text: str, expected: datetime | None) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", 2019),
        ("'19", 2019),
        ("’19", 2019),
        ("Class of 2019", 2019),
        ("class of '98", 1998),
        ("2015-2019", 2019),
        ("19", 2019),
        ("MBA 2012", 2012),
        ("", None),
        ("sometime", None),
        ("1850", None),
    ],
)
def test_it_reads_class_years(text: str, expected: int | None) -> None:
    assert parse_class_year(text) == expected


def test_it_keeps_phones_as_written_when_they_have_digits() -> None:
    assert clean_phone(" +1 (415) 555-0100 ") == "+1 (415) 555-0100"
    assert clean_phone("tel:+1-415-555-0100;ext=2") == "+1-415-555-0100"
    assert clean_phone("n/a") is None
