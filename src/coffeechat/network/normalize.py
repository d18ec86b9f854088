"""Normal forms used to recognise the same person or organization twice.

Imports, the duplicate finder and the forms all compare through these, so that
"Acme, Inc." and "ACME Inc" are one organization and "+1 (415) 555-0100" and
"415.555.0100" are one phone number.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

import phonenumbers
from anyascii import anyascii

# Legal forms dropped from the end of an organization's name when comparing.
LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "llc",
        "llp",
        "lp",
        "ltd",
        "limited",
        "plc",
        "pllc",
        "pc",
        "gmbh",
        "ag",
        "kg",
        "ohg",
        "ug",
        "mbh",
        "se",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "asa",
        "aps",
        "pty",
        "pte",
        "kk",
    ]
)

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed, any script transliterated to ASCII."""
    return anyascii(unicodedata.normalize("NFKC", text)).lower()


def organization_key(name: str) -> str:
    """The comparable form of an organization name: words only, legal suffixes dropped.

    >>> organization_key("Acme, Inc.") == organization_key("ACME Inc") == "acme"
    True
    """
    words = _WORD.findall(fold(name).replace("&", " and "))
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    # "G.m.b.H." and "L.L.C." arrive as single letters.
    joined = " ".join(words)
    for suffix in ("g m b h", "l l c", "l l p", "s a", "b v", "n v", "p l c"):
        if joined.endswith(" " + suffix):
            joined = joined[: -len(suffix) - 1]
    return joined.strip()


def email_key(email: str) -> str:
    return email.strip().lower()


def phone_key(number: str, region: str = "US") -> str:
    """E.164 when the number parses (with ``region`` for national numbers), digits otherwise."""
    text = number.strip()
    if not text:
        return ""
    try:
        parsed = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"\D", "", text)
    return digits if len(digits) >= 6 else ""


# The common case, without percent-encoding: https://www.linkedin.com/in/handle/
_PLAIN_PROFILE = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.|www\.)?linkedin\.com/(?:in|pub)/([A-Za-z0-9_.-]+)/?\Z",
    re.IGNORECASE,
)


def linkedin_key(url: str) -> str:
    """``in/<handle>`` for a LinkedIn profile URL, whatever its host, case or encoding."""
    text = url.strip()
    if not text:
        return ""
    plain = _PLAIN_PROFILE.match(text)
    if plain:
        return f"in/{plain.group(1).lower()}"
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return ""
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0].lower() in {"in", "pub"}:
        return f"in/{segments[1].lower()}"
    return ""


def name_key(first_name: str, last_name: str) -> str:
    return " ".join(_WORD.findall(fold(f"{first_name} {last_name}")))
