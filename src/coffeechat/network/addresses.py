"""E-mail addresses and LinkedIn profile URLs: the one check and the one clean form.

Imports, the person form, the API, referrals and merges all ask these two
functions, so an address refused in one place is refused everywhere. Both run
once per cell on files of tens of thousands of rows, so they stay cheap.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

MAX_EMAIL = 254
MAX_LINKEDIN_URL = 500
_ANGLE = re.compile(r"<([^<>]*)>")
# Characters no address we store may hold, checked before Django's fuller check.
_NOT_IN_EMAIL = re.compile(r"[\s<>(),;:\"\[\]\\]")
# The usual address, which Django's check always accepts: no need to run it.
_SIMPLE_EMAIL = re.compile(
    r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\Z",
    re.IGNORECASE,
)
_NOT_IN_URL = re.compile(r"[\s<>\"\\]")
_CLEAN_PROFILE = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/in/([^/?#%\s\\@:]+)/?$", re.IGNORECASE
)


def clean_email(value: str) -> str | None:
    """The address in ``value`` (``mailto:`` and ``Name <addr>`` unwrapped), None if invalid.

    Valid means what Django's ``validate_email`` accepts (the check of the stored
    field), at most 254 characters, with no space, comma, semicolon or quote in it.
    """
    text = value.strip()
    if "<" in text and (m := _ANGLE.search(text)):
        text = m[1].strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].split("?", 1)[0].strip()
    if not text or len(text) > MAX_EMAIL:
        return None
    if _SIMPLE_EMAIL.match(text):
        return text
    if text.count("@") != 1 or _NOT_IN_EMAIL.search(text):
        return None
    try:
        validate_email(text)
    except ValidationError:
        return None
    return text


def clean_linkedin_url(value: str) -> str | None:
    """A clean profile URL: ``https://www.linkedin.com/in/<handle>`` with the handle decoded.

    ``""`` for an empty value; None for a value that is not a LinkedIn address. Other
    LinkedIn pages keep their path. Cleaning a clean URL changes nothing.
    """
    text = value.strip().strip("<>").strip()
    if not text:
        return ""
    if m := _CLEAN_PROFILE.match(text):  # the usual case, without urlsplit
        return f"https://www.linkedin.com/in/{m[1]}"
    if "%" in text:
        text = unquote(text)
    lowered = text.lower()
    if lowered.startswith(("in/", "pub/")):
        text = "https://www.linkedin.com/" + text
    elif "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return None
    segments = [s for s in parts.path.split("/") if s.strip()]
    if any(_NOT_IN_URL.search(s.strip()) for s in segments):
        return None
    if len(segments) >= 2 and segments[0].lower() == "in":
        return f"https://www.linkedin.com/in/{segments[1].strip()}"
    path = "/".join(s.strip() for s in segments)
    return f"https://www.linkedin.com/{path}" if path else None


def bounce_warning(email: str, bounced_at: datetime.datetime | None) -> str:
    """ "Mail to x@y bounced on 1 December 2026: check the address." ("" when it did not).

    The one wording, for the composer, the API and the person page; the date is in the
    active (the user's) time zone."""
    if bounced_at is None:
        return ""
    day = timezone.localtime(bounced_at).date()
    return f"Mail to {email} bounced on {day.day} {day:%B %Y}: check the address."


def bounce_warning_for(addresses: Iterable[Any], chosen: str) -> tuple[str, list[str]]:
    """The warning for the ``chosen`` address among a person's ``addresses`` (their
    EmailAddress rows, already loaded) and the other addresses to offer instead (those
    that did not bounce)."""
    rows = list(addresses)
    wanted = chosen.strip().lower()
    warning = ""
    for row in rows:
        if row.email.lower() == wanted:
            warning = bounce_warning(row.email, row.bounced_at)
    if not warning:
        return "", []
    return warning, [r.email for r in rows if r.email.lower() != wanted and r.bounced_at is None]
