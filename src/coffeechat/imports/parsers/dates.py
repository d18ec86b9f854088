"""Dates as exports write them: ``05 Jan 2026``, ``5-Jan-26``, ``1/8/18, 6:14 PM``, ``16.09.2021``…

A file holds a few hundred distinct dates for tens of thousands of rows, so the
parsers are cached.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from coffeechat.network.normalize import fold

# Month names and abbreviations in English, German, French, Spanish, Dutch, Italian and
# Portuguese, folded to ASCII lower case.
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("jan", "january", "januar", "janvier", "janv", "enero", "ene", "januari", "gennaio",
        "gen", "janeiro", "janner"),
    2: ("feb", "february", "februar", "fevrier", "fevr", "fev", "febrero", "februari",
        "febbraio", "fevereiro"),
    3: ("mar", "march", "marz", "maerz", "mrz", "mars", "marzo", "maart", "mrt", "marco"),
    4: ("apr", "april", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "mei", "maggio", "mag", "maio"),
    6: ("jun", "june", "juni", "juin", "junio", "giugno", "giu", "junho"),
    7: ("jul", "july", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho"),
    8: ("aug", "august", "aout", "agosto", "ago", "augustus"),
    9: ("sep", "sept", "september", "septembre", "septiembre", "set", "settembre", "setembro"),
    10: ("oct", "october", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro",
         "out"),
    11: ("nov", "november", "novembre", "noviembre", "novembro"),
    12: ("dec", "december", "dezember", "dez", "decembre", "diciembre", "dic", "dicembre",
          "dezembro"),
}  # fmt: skip
MONTHS: dict[str, int] = {word: n for n, words in _MONTH_WORDS.items() for word in words}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[ T])")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s.\-/]*([^\W\d_]+)\.?[\s.\-/,]+(\d{4}|\d{2})\b")
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:$|[\s,T])")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\.?(?:$|[\s,])")
_DASHED = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})(?:$|[\s,T])")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp]\.?[Mm]\.?)?")
_ZONE = re.compile(r"(?:\s*(UTC|GMT|Z)|\s*([+-])(\d{2}):?(\d{2}))\s*$", re.IGNORECASE)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years in exports are recent: 26 is 2026, 98 is 1998.
        year += 2000 if year <= (datetime.now(UTC).year % 100) + 10 else 1900
    return year


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(word: str) -> int | None:
    key = fold(word).strip(".")
    return MONTHS.get(key) or (MONTHS.get(key[:3]) if len(key) > 3 else None)


@lru_cache(maxsize=8192)
def parse_date(text: str, day_first: bool = False) -> date | None:
    """The date in ``text``, or None when there is none (or it is impossible, like 31 Feb).

    ``1/8/18`` is 8 January (LinkedIn's US order) unless ``day_first`` (a file in a
    language that writes the day first); a first number over 12 is a day either way.
    """
    value = text.strip()
    if not value:
        return None
    if m := _ISO.match(value):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _SLASHED.match(value):
        first, second, year = int(m[1]), int(m[2]), _year(m[3])
        if first > 12 or (day_first and second <= 12):
            return _make(year, second, first)
        return _make(year, first, second)
    if m := _DOTTED.match(value):
        return _make(_year(m[3]), int(m[2]), int(m[1]))
    if m := _DASHED.match(value):
        first, second = int(m[1]), int(m[2])
        if second > 12:
            return _make(int(m[3]), first, second)
        return _make(int(m[3]), second, first)
    if m := _DAY_MONTH_YEAR.match(value):
        month = _month(m[2])
        return _make(_year(m[3]), month, int(m[1])) if month else None
    if m := _MONTH_DAY_YEAR.match(value):
        month = _month(m[1])
        return _make(int(m[3]), month, int(m[2])) if month else None
    return None


@lru_cache(maxsize=8192)
def parse_datetime(text: str) -> datetime | None:
    """An aware UTC datetime from ``2026-01-05 14:03:11 UTC`` or ``1/8/26, 6:14 PM``.

    A time without a zone is taken as UTC (LinkedIn does not say which zone it means).
    A date without a time is midnight UTC.
    """
    value = text.strip()
    if not value:
        return None
    day = parse_date(value)
    if day is None:
        return None
    offset = timedelta(0)
    hour = minute = second = 0
    # The time is whatever follows the date: skip to the first "h:mm".
    if m := _TIME.search(value, 6):
        hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
        meridiem = (m[4] or "").replace(".", "").lower()
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59 or second > 59:
            return None
        if (zone := _ZONE.match(value, m.end())) and zone[2]:
            minutes = int(zone[3]) * 60 + int(zone[4])
            offset = timedelta(minutes=minutes if zone[2] == "+" else -minutes)
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC) - offset


_CLASS_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_SHORT_YEAR = re.compile(r"^(?:class of\s*)?['’‘`´]?(\d{2})$")


@lru_cache(maxsize=1024)
def parse_class_year(text: str) -> int | None:
    """2019 from ``2019``, ``'19``, ``’19``, ``Class of 2019``, ``19``; None when there is none.

    A range (``2015-2019``) gives its last year, the year of graduation.
    """
    value = " ".join(text.strip().lower().split())
    if not value:
        return None
    if m := _SHORT_YEAR.match(value):
        year = _year(m[1])
    else:
        years = _CLASS_YEAR.findall(value)
        if not years:
            return None
        year = int(years[-1])
    if not 1900 <= year <= datetime.now(UTC).year + 10:
        return None
    return year
