"""Reading calendar files (RFC 5545) with iTIP methods (RFC 5546): the events an
invitation, an answer or a cancellation carries. No database, no network.

What real files do, and what this reader makes of it:

- Time zones: ``TZID`` is an IANA name, a Windows name from Exchange/Outlook
  ("W. Europe Standard Time", "Pacific Standard Time") or a custom name defined by a
  VTIMEZONE in the file ("Custom Time Zone 1"). icalendar resolves all three: it maps
  Windows names through the CLDR table it ships (``icalendar.timezone.windows_to_olson``)
  and builds a zone from an embedded VTIMEZONE. A TZID that is none of these reads as
  floating.
- Floating times (no zone) and all-day events (``VALUE=DATE``) are read in the user's
  zone: an all-day event starts at midnight there and lasts the working day.
- A missing UID gets a stable one derived from the organizer, the start and the
  summary, so the same file read twice is the same event.
- Parameters such as ALTREP, LANGUAGE or X-… are ignored; Google's and Microsoft's
  meeting links (``X-GOOGLE-CONFERENCE``, ``X-MICROSOFT-SKYPETEAMSMEETINGURL``) are read.

Errors are :class:`CalendarFileError`, naming the file, the line (when it can be
found) and the field.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import zoneinfo
from dataclasses import dataclass
from typing import Any

from icalendar import Calendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

REQUEST = "REQUEST"
REPLY = "REPLY"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"

PARTSTATS = {"NEEDS-ACTION", "ACCEPTED", "TENTATIVE", "DECLINED", "DELEGATED"}
ALL_DAY_MINUTES = 480  # the longest a conversation lasts
DEFAULT_MINUTES = 30
MAX_BYTES = 1_000_000
NEEDED = {  # the fields read, and what a broken one is said to be
    "DTSTART": "this is not a date or time",
    "DTEND": "this is not a date or time",
    "DTSTAMP": "this is not a date or time",
    "DURATION": "this is not a duration",
    "SEQUENCE": "SEQUENCE must be a whole number",
    "UID": "this is not a UID",
}
LINK = re.compile(r"https?://[^\s<>\"]+")
MEETING_LINK_FIELDS = (
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
)


class CalendarFileError(ValueError):
    """A calendar file that cannot be read: where (file, line, field) and why."""

    def __init__(self, name: str, message: str, *, line: int | None = None, field: str = ""):
        self.name = name
        self.line = line
        self.field = field
        self.reason = message
        where = name + (f", line {line}" if line else "") + (f", {field}" if field else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class Address:
    email: str  # lower case, without mailto:
    name: str = ""
    partstat: str = ""  # ACCEPTED, DECLINED… (attendees only)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    method: str
    uid: str
    uid_derived: bool  # the file had no UID: derived from organizer, start and summary
    sequence: int | None  # None when the file does not say
    stamp: datetime.datetime | None  # DTSTAMP, UTC
    starts_at: datetime.datetime  # UTC
    duration_minutes: int
    all_day: bool
    floating: bool
    zone_name: str  # the IANA name of the start's zone, when it has one
    summary: str
    description: str
    location: str
    link: str  # a meeting link, when there is one
    cancelled: bool  # METHOD:CANCEL or STATUS:CANCELLED
    organizer: Address | None
    attendees: tuple[Address, ...]
    line: int | None  # where its VEVENT begins


def _address(value: Any) -> Address | None:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().strip("<>").lower()
    if "@" not in text:
        return None
    params = getattr(value, "params", {}) or {}
    name = str(params.get("CN", "") or "").strip().strip('"')
    if name.lower() == text:
        name = ""
    partstat = str(params.get("PARTSTAT", "") or "").upper()
    return Address(text, name, partstat if partstat in PARTSTATS else "")


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _line_of(lines: list[str], needle: str, start: int = 0) -> int | None:
    """The 1-based number of the first line from ``start`` that begins with ``needle``
    (a property name) or contains it (a broken line quoted by the parser)."""
    upper = needle.upper()
    for index in range(start, len(lines)):
        line = lines[index]
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        if name == upper or (len(needle) > 12 and needle in line):
            return index + 1
    return None


def _event_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip().upper() == "BEGIN:VEVENT"]


def _decode(data: bytes | str, name: str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise CalendarFileError(name, "the file is larger than 1 MB: not an invitation.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_calendar(data: bytes | str, name: str, zone: datetime.tzinfo) -> list[CalendarEvent]:
    """Every VEVENT of the file (an iTIP message has one; recurrences' exceptions are
    left out). ``zone`` reads floating times and all-day dates. Raises
    :class:`CalendarFileError`."""
    text = _decode(data, name)
    lines = _lines(text)
    if not any(line.strip().upper() == "BEGIN:VCALENDAR" for line in lines[:50]):
        raise CalendarFileError(
            name, "this is not a calendar file (it does not begin with BEGIN:VCALENDAR).", line=1
        )
    try:
        calendar = Calendar.from_ical(text)
    except Exception as error:  # icalendar says which content line it could not read
        message = " ".join(str(error).split())
        quoted = re.search(r"parsed into parts: '(.*?)'", message)
        line = _line_of(lines, quoted.group(1)) if quoted else None
        raise CalendarFileError(name, f"the file cannot be read ({message}).", line=line) from None
    method = str(calendar.get("METHOD", "") or PUBLISH).strip().upper()
    starts = _event_lines(lines)
    found = []
    for index, component in enumerate(calendar.walk("VEVENT")):
        if component.get("RECURRENCE-ID") is not None:
            continue  # one occurrence moved: the conversation follows the series' first
        begin = starts[index] if index < len(starts) else 0
        found.append(_event(component, method, name, lines, begin, zone))
    if not found:
        raise CalendarFileError(name, "the file holds no event (VEVENT).", field="VEVENT")
    return found


def _moment(
    component: Any, field: str, name: str, lines: list[str], begin: int
) -> tuple[datetime.date | datetime.datetime | None, int | None]:
    line = _line_of(lines, field, begin)
    if field not in component:
        return None, line
    try:
        value = component.decoded(field)
    except Exception as error:
        raise CalendarFileError(
            name, f"this is not a date or time ({error}).", line=line, field=field
        ) from None
    if isinstance(value, list):  # the field twice: the first counts
        value = value[0] if value else None
    if value is not None and not isinstance(value, datetime.date):
        raise CalendarFileError(name, "this is not a date or time.", line=line, field=field)
    return value, line


def _aware(
    value: datetime.date | datetime.datetime, zone: datetime.tzinfo
) -> tuple[datetime.datetime, bool]:
    """(UTC moment, floating): a date is midnight in ``zone``; a naive time is in ``zone``."""
    if not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time(), tzinfo=zone).astimezone(
            datetime.UTC
        ), True
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=zone).astimezone(datetime.UTC), True
    return value.astimezone(datetime.UTC), False


def _zone_name(component: Any, start: datetime.date) -> str:
    """The IANA name of the start's zone: its own, or the TZID's (a Windows name through
    icalendar's CLDR table); "" for a custom zone, a floating time or a date."""
    if not isinstance(start, datetime.datetime) or start.tzinfo is None:
        return ""
    key = str(getattr(start.tzinfo, "key", "") or "")
    if key:
        return key
    prop = component.get("DTSTART")
    tzid = str(getattr(prop, "params", {}).get("TZID", "") or "").strip('"')
    name = WINDOWS_TO_OLSON.get(tzid, tzid)
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ""
    return name


def _text(component: Any, field: str) -> str:
    value = component.get(field)
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value or "").split()) if field != "DESCRIPTION" else str(value or "")


def _link(component: Any, location: str, description: str) -> str:
    for field in MEETING_LINK_FIELDS:
        value = _text(component, field)
        if value.startswith("http"):
            return value
    url = _text(component, "URL")
    if url.startswith("http"):
        return url
    for text in (location, description):
        match = LINK.search(text)
        if match:
            return match.group(0).rstrip(".,;)>")
    return ""


def _event(
    component: Any, method: str, name: str, lines: list[str], begin: int, zone: datetime.tzinfo
) -> CalendarEvent:
    event_line = begin + 1 if lines else None
    for field, message in getattr(component, "errors", []) or []:
        # A broken line of a field nobody reads is let be; a broken time is refused.
        if field in NEEDED:
            words = NEEDED[field]
            raise CalendarFileError(
                name, f"{words} ({message}).", line=_line_of(lines, field, begin), field=field
            )
    start, start_line = _moment(component, "DTSTART", name, lines, begin)
    if start is None:
        raise CalendarFileError(
            name, "the event has no start.", line=start_line or event_line, field="DTSTART"
        )
    all_day = not isinstance(start, datetime.datetime)
    starts_at, floating = _aware(start, zone)
    end, end_line = _moment(component, "DTEND", name, lines, begin)
    if end is not None:
        ends_at, _ = _aware(end, zone)
    elif "DURATION" in component:
        try:
            ends_at = starts_at + component.decoded("DURATION")
        except Exception:
            raise CalendarFileError(
                name,
                "this is not a duration.",
                line=_line_of(lines, "DURATION", begin),
                field="DURATION",
            ) from None
    else:
        ends_at = starts_at + datetime.timedelta(
            minutes=ALL_DAY_MINUTES if all_day else DEFAULT_MINUTES
        )
    if ends_at < starts_at:
        raise CalendarFileError(
            name, "the event ends before it starts.", line=end_line, field="DTEND"
        )
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    minutes = ALL_DAY_MINUTES if all_day else min(max(minutes, 5), ALL_DAY_MINUTES)
    summary = _text(component, "SUMMARY")[:300]
    organizer = _address(component.get("ORGANIZER"))
    raw_attendees = component.get("ATTENDEE") or []
    if not isinstance(raw_attendees, list):
        raw_attendees = [raw_attendees]
    attendees: list[Address] = []
    for value in raw_attendees:
        address = _address(value)
        if address is not None and all(a.email != address.email for a in attendees):
            attendees.append(address)
    uid = _text(component, "UID")[:255]
    derived = not uid
    if derived:
        seed = f"{organizer.email if organizer else ''}|{starts_at:%Y%m%dT%H%M%SZ}|{summary}"
        uid = "derived-" + hashlib.sha256(seed.encode()).hexdigest()[:40]
    sequence: int | None = None
    if "SEQUENCE" in component:
        try:
            sequence = int(str(component.get("SEQUENCE")).strip())
        except ValueError:
            raise CalendarFileError(
                name,
                "SEQUENCE must be a whole number.",
                line=_line_of(lines, "SEQUENCE", begin),
                field="SEQUENCE",
            ) from None
    stamp, _line = _moment(component, "DTSTAMP", name, lines, begin)
    stamp_utc = _aware(stamp, datetime.UTC)[0] if stamp is not None else None
    location = _text(component, "LOCATION")[:500]
    description = _text(component, "DESCRIPTION")
    status = _text(component, "STATUS").upper()
    return CalendarEvent(
        method=method,
        uid=uid,
        uid_derived=derived,
        sequence=sequence,
        stamp=stamp_utc,
        starts_at=starts_at,
        duration_minutes=minutes,
        all_day=all_day,
        floating=floating and not all_day,
        zone_name=_zone_name(component, start),
        summary=summary,
        description=description[:2000],
        location=location,
        link=_link(component, location, description)[:500],
        cancelled=method == CANCEL or status == "CANCELLED",
        organizer=organizer,
        attendees=tuple(attendees),
        line=event_line,
    )
