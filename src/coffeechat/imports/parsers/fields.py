"""Cleaning single values: e-mails, phones, LinkedIn URLs, full names.

All of these run once per cell on files of tens of thousands of rows, so they stay
cheap: precompiled patterns, no phonenumbers calls (the importer normalises phones
when it compares them).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+\.[^@\s<>(),;:\"\[\]\\.]+$")
_ANGLE = re.compile(r"<([^<>]*)>")
_EMAIL_SEPARATORS = re.compile(r"[;,\s]+")
_DIGIT = re.compile(r"\d")
_CLEAN_PROFILE = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/in/([^/?#%\s\\@:]+)/?$", re.IGNORECASE
)
MAX_VALUE = 100_000  # characters kept from one cell; more is a Problem


def clean_email(value: str) -> str | None:
    """The address in ``value`` (``mailto:`` and ``Name <addr>`` unwrapped), None if invalid."""
    text = value.strip()
    if "<" in text and (m := _ANGLE.search(text)):
        text = m[1].strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].split("?", 1)[0]
    return text if len(text) <= 254 and _EMAIL.match(text) else None


def split_emails(value: str) -> list[str]:
    """One cell holding several addresses ("a@x.org; b@y.org") as a list of pieces."""
    if value.count("@") > 1:
        return [piece for piece in _EMAIL_SEPARATORS.split(value) if piece]
    return [value]


def clean_phone(value: str) -> str | None:
    """The number as written (``tel:`` dropped), None when there is no digit in it."""
    text = value.strip()
    if text[:4].lower() == "tel:":
        text = text[4:].split(";", 1)[0]
    return text if _DIGIT.search(text) else None


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
    if len(segments) >= 2 and segments[0].lower() == "in":
        return f"https://www.linkedin.com/in/{segments[1].strip()}"
    path = "/".join(s.strip() for s in segments)
    return f"https://www.linkedin.com/{path}" if path else None


_SUFFIXES = frozenset((
    "jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "phd", "ph.d.", "ph.d", "md", "m.d.",
    "mba", "cpa", "esq", "esq.", "dds", "jd", "j.d.", "pe", "rn", "msc", "m.sc.", "ma",
    "m.a.", "ms", "m.s.", "bsc", "b.sc.", "ba", "b.a.", "bs", "b.s.", "meng", "m.eng.",
    "cfa", "pmp",
))  # fmt: skip
_PREFIXES = frozenset((
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mx", "mx.", "dr", "dr.", "prof",
    "prof.", "sir", "dame", "herr", "frau", "mme", "mme.", "mlle", "m.", "sra", "sra.",
    "srta", "srta.", "dhr", "dhr.", "mevr", "mevr.",
))  # fmt: skip
_PARTICLES = frozenset((
    "van", "von", "de", "da", "del", "della", "di", "du", "la", "le", "der", "den", "ter",
    "ten", "bin", "ibn", "al", "el", "dos", "das", "do", "zu",
))  # fmt: skip


def _is_suffix(word: str) -> bool:
    return word.lower() in _SUFFIXES


def split_full_name(value: str) -> tuple[str, str]:
    """(first, last) from ``"Jane Doe"``, ``"Doe, Jane"``, ``"Dr. Jane van der Berg, PhD"``.

    Titles before the name and degrees or generational suffixes after it are left
    out; name particles (van, de, von…) stay with the family name.
    """
    text = " ".join(value.split())
    if not text:
        return "", ""
    if text.count(",") == 1:  # the usual "Last, First"
        last, first = text.split(",")
        first, last = first.strip(), last.strip()
        if first and last and not _is_suffix(first):
            return first, last
    if "," in text:
        parts = [part.strip() for part in text.split(",")]
        while len(parts) > 1 and (not parts[-1] or _is_suffix(parts[-1])):
            parts.pop()
        if len(parts) >= 2 and parts[0] and parts[1]:
            return " ".join(parts[1:]), parts[0]
        text = " ".join(part for part in parts if part)
    words = text.split()
    while len(words) > 1 and words[0].lower() in _PREFIXES:
        words.pop(0)
    while len(words) > 1 and _is_suffix(words[-1]):
        words.pop()
    if len(words) == 1:
        return words[0], ""
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])
