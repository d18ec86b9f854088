"""A tolerant, line-oriented vCard reader (2.1, 3.0 and 4.0 as address books write them).

What it copes with: folded lines (a continuation starts with a space or a tab),
QUOTED-PRINTABLE values with soft line breaks (``=`` at the end of a line), ``CHARSET``
parameters, grouped properties (``item1.EMAIL`` with ``item1.X-ABLabel``), bare 2.1
parameters (``TEL;CELL;PREF:``), empty and unknown parameters (``TEL;TYPE=CELL;;:``),
inline photos of any size (their data is skipped as it is read, never kept), nested
``AGENT`` cards. A card that cannot be read — no name at all, no ``END:VCARD`` — is a
skipped :class:`Problem` with its card number; the other cards still import. A bad
value (broken quoted-printable, an invalid e-mail) is a Problem on that property and
the rest of the card imports.

Cards stream one at a time, so memory stays bounded by the largest card, not the file.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from coffeechat.imports.parsers.dates import parse_class_year, parse_date
from coffeechat.imports.parsers.fields import MAX_VALUE, clean_phone, name_from_address
from coffeechat.imports.parsers.ours import parse_connection, parse_group
from coffeechat.imports.records import ImportFileError, PersonRecord, Problem
from coffeechat.network.addresses import clean_email, clean_linkedin_url
from coffeechat.network.names import split_name

_SKIPPED_DATA = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT", "QP"})
_BAD_QP = re.compile(r"=(?![0-9A-Fa-f]{2})")
_NAME = re.compile(r"^(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)$")
_BOUNDARY = re.compile(r"^\s*(?:BEGIN|END)\s*:\s*VCARD\s*$", re.IGNORECASE)
_SINGLE_BYTE = frozenset({"cp1252", "latin-1", "iso8859-1", "iso8859-15", "windows-1252"})
MAX_LINE = 1_000_000  # characters kept of one property line
MAX_PROPERTIES = 5_000  # properties kept of one card
DROPPED_TAGS = frozenset({"myContacts", "My Contacts"})


@dataclass(slots=True)
class Property:
    group: str
    name: str  # upper case
    params: dict[str, list[str]]  # names upper case, TYPE values lower case
    value: str

    def types(self) -> list[str]:
        return self.params.get("TYPE", [])

    def rank(self) -> int:
        """Lower is more preferred: PREF=1 (4.0), TYPE=pref (3.0), bare PREF (2.1)."""
        for pref in self.params.get("PREF", []):
            if pref.isdigit():
                return int(pref)
            return 1
        return 1 if "pref" in self.types() else 100


@dataclass(slots=True)
class _Card:
    number: int
    properties: list[Property] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    version: str = "3.0"
    agent_depth: int = 0  # inside a nested AGENT card
    last_name: str = ""  # the previous property's name (for AGENT)
    full: bool = False  # stopped keeping properties


def parse_property(text: str) -> Property | None:
    """``item1.EMAIL;TYPE=INTERNET,pref:jane@example.org`` → a Property; None if unreadable."""
    in_quotes = False
    colon = -1
    for position, char in enumerate(text):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            colon = position
            break
        elif position > 4096:
            return None
    if colon < 0:
        return None
    head, value = text[:colon], text[colon + 1 :]
    parts = _split_unquoted(head, ";")
    m = _NAME.match(parts[0].strip())
    if not m:
        return None
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        part = part.strip()
        if not part:
            continue
        if "=" in part:
            key, _, raw = part.partition("=")
            key = key.strip().upper()
            values = [v.strip().strip('"') for v in _split_unquoted(raw, ",")]
        else:
            key = "ENCODING" if part.upper() in _ENCODINGS else "TYPE"
            values = [part.strip('"')]
        if key == "TYPE":
            values = [v.lower() for v in values]
        params.setdefault(key, []).extend(v for v in values if v)
    return Property(group=(m[1] or "").lower(), name=m[2].upper(), params=params, value=value)


def _split_unquoted(text: str, separator: str) -> list[str]:
    if '"' not in text:
        return text.split(separator)
    parts: list[str] = []
    current: list[str] = []
    in_quotes = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
            current.append(char)
        elif char == separator and not in_quotes:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def split_escaped(value: str, separator: str) -> list[str]:
    """Split on ``separator`` where it is not escaped with a backslash (escapes kept)."""
    if "\\" not in value:
        return value.split(separator)
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def unescape(value: str, version: str = "4.0") -> str:
    """``\\n`` → newline, ``\\,`` → ``,``, ``\\;`` → ``;``, ``\\\\`` → ``\\``.

    vCard 2.1 knows only ``\\;``, so other backslashes there are kept as written.
    """
    if "\\" not in value:
        return value
    if version == "2.1":
        return value.replace("\\;", ";")
    return _ESCAPE.sub(lambda m: "\n" if m[1] in "nN" else m[1], value)


class VCardReader:
    """Reads cards from text lines and turns each into a record or a Problem."""

    def __init__(self, name: str, file_encoding: str) -> None:
        self.name = name
        self.file_encoding = file_encoding.lower().replace("_", "-")
        self.complete_cards = 0
        self.cards_seen = 0

    # Lines → properties → cards

    def records(self, lines: Iterable[str]) -> Iterator[PersonRecord | Problem]:
        card: _Card | None = None
        for text in self._logical_lines(lines):
            upper = text[:12].upper()
            if _BOUNDARY.match(text):
                is_begin = upper.lstrip().startswith("BEGIN")
                if card is None:
                    if is_begin:
                        self.cards_seen += 1
                        card = _Card(self.cards_seen)
                    continue
                if is_begin:
                    if card.last_name == "AGENT" or card.agent_depth:
                        card.agent_depth += 1
                        continue
                    yield Problem(card.number, "", "this card has no END:VCARD line; skipped")
                    self.cards_seen += 1
                    card = _Card(self.cards_seen)
                    continue
                if card.agent_depth:
                    card.agent_depth -= 1
                    continue
                self.complete_cards += 1
                yield from self._finish(card)
                card = None
                continue
            if card is None or card.agent_depth:
                continue
            prop = parse_property(text)
            if prop is None:
                continue
            # Only an empty AGENT is followed by a nested card (vCard 2.1).
            inline_agent = prop.name == "AGENT" and prop.value.strip()
            card.last_name = "AGENT-INLINE" if inline_agent else prop.name
            if prop.name == "VERSION":
                card.version = prop.value.strip()
            elif len(card.properties) < MAX_PROPERTIES:
                card.properties.append(prop)
            elif not card.full:
                card.full = True
                card.problems.append(
                    Problem(
                        card.number,
                        "",
                        f"more than {MAX_PROPERTIES:,} properties; the rest were left out",
                        skipped=False,
                    )
                )
        if card is not None:
            yield Problem(card.number, "", "this card is cut short (no END:VCARD line); skipped")
        if self.cards_seen == 0:
            raise ImportFileError(f"{self.name}: there is no vCard (BEGIN:VCARD) in this file.")
        if self.complete_cards == 0:
            raise ImportFileError(
                f"{self.name}: the vCard file is truncated: no card in it is complete "
                "(none ends with END:VCARD)."
            )

    def _logical_lines(self, lines: Iterable[str]) -> Iterator[str]:
        """Unfold continuation lines and quoted-printable soft line breaks."""
        current: list[str] = []
        size = 0
        qp = False
        skip = False  # the data of a photo, sound, logo or key
        keep_space = False  # vCard 2.1 folds at a space and keeps it
        for raw in lines:
            line = raw.rstrip("\r\n")
            if current:
                if qp and current[-1].endswith("=") and not _BOUNDARY.match(line):
                    current[-1] = current[-1][:-1]
                    if size < MAX_LINE:
                        current.append(line)
                        size += len(line)
                    continue
                if line[:1] in (" ", "\t"):
                    if not skip and size < MAX_LINE:
                        current.append(line if keep_space else line[1:])
                        size += len(line)
                    continue
                yield "".join(current)
                current = []
            if not line.strip():
                continue
            head = line[:200].split(":", 1)[0].upper()
            name = head.split(";", 1)[0].rsplit(".", 1)[-1].strip()
            skip = name in _SKIPPED_DATA
            qp = "QUOTED-PRINTABLE" in head or ";QP" in head
            if name == "VERSION":
                keep_space = line.strip().endswith("2.1")
            elif name == "BEGIN":
                keep_space = False
            if skip:
                line = head + ":"
            elif len(line) > MAX_LINE:
                line = line[:MAX_LINE]
            current = [line]
            size = len(line)
        if current:
            yield "".join(current)

    # A card → a record

    def _decode(self, card: _Card, prop: Property) -> str | None:
        """The property's text value, decoded; None (and a Problem) when it cannot be."""
        encoding = (prop.params.get("ENCODING") or [""])[0].upper()
        charset = (prop.params.get("CHARSET") or [""])[0]
        value = prop.value
        if encoding in ("QUOTED-PRINTABLE", "QP"):
            data = value[:-1] if value.endswith("=") else value
            if _BAD_QP.search(data):
                card.problems.append(
                    Problem(
                        card.number,
                        prop.name,
                        "broken quoted-printable encoding; value left out",
                        skipped=False,
                    )
                )
                return None
            return _bytes_to_text(binascii.a2b_qp(data.encode("utf-8")), charset)
        if encoding in ("BASE64", "B"):
            try:
                data_bytes = base64.b64decode("".join(value.split()), validate=False)
            except (binascii.Error, ValueError):
                card.problems.append(
                    Problem(card.number, prop.name, "broken base64 encoding; value left out", False)
                )
                return None
            return _bytes_to_text(data_bytes, charset)
        if charset and self.file_encoding in _SINGLE_BYTE:
            # The file was read as cp1252, but this value says it is UTF-8 (say).
            try:
                return value.encode(self.file_encoding).decode(charset)
            except (LookupError, UnicodeError):
                return value
        return value

    def _text(self, card: _Card, prop: Property) -> str:
        value = self._decode(card, prop)
        return "" if value is None else unescape(value, card.version).strip()

    def _components(self, card: _Card, prop: Property, separator: str = ";") -> list[str]:
        value = self._decode(card, prop)
        if value is None:
            return []
        return [unescape(part, card.version).strip() for part in split_escaped(value, separator)]

    def _finish(self, card: _Card) -> Iterator[PersonRecord | Problem]:
        number = card.number
        record = PersonRecord(line=number, problems=card.problems)
        labels = {
            prop.group: self._text(card, prop).lower()
            for prop in card.properties
            if prop.group and prop.name == "X-ABLABEL"
        }
        emails: list[tuple[int, int, str]] = []
        phones: list[tuple[int, int, str]] = []
        kinds: dict[str, str] = {}
        addresses: list[tuple[int, int, str]] = []
        notes: list[str] = []
        formatted = ""
        for order, prop in enumerate(card.properties):
            name = prop.name
            if name in _SKIPPED_DATA:
                continue
            if name == "N":
                parts = self._components(card, prop) + ["", ""]
                if parts[0] or parts[1]:
                    record.last_name, record.first_name = parts[0], parts[1]
            elif name == "FN":
                formatted = formatted or self._text(card, prop)
            elif name == "EMAIL":
                raw = self._text(card, prop)
                if raw:
                    email = clean_email(raw)
                    if email is None:
                        card.problems.append(
                            Problem(
                                number,
                                "EMAIL",
                                f"“{raw[:80]}” is not an e-mail address; left out",
                                skipped=False,
                            )
                        )
                    else:
                        emails.append((prop.rank(), order, email))
                        kinds.setdefault("e:" + email, _kinds(prop))
            elif name == "TEL":
                raw = self._text(card, prop)
                if raw:
                    phone = clean_phone(raw)
                    if phone is None:
                        card.problems.append(
                            Problem(
                                number,
                                "TEL",
                                f"“{raw[:80]}” is not a phone number; left out",
                                skipped=False,
                            )
                        )
                    else:
                        phones.append((prop.rank(), order, phone))
                        kinds.setdefault("p:" + phone, _kinds(prop))
            elif name == "ORG":
                parts = self._components(card, prop)
                if parts and not record.organization and not record.department:
                    record.organization = parts[0]
                    record.department = ", ".join(part for part in parts[1:] if part)
            elif name == "TITLE":
                record.title = record.title or self._text(card, prop)
            elif name == "ROLE":
                role = self._text(card, prop)
                if not record.title:
                    record.title = role
            elif name == "NOTE":
                note = self._text(card, prop)
                if note:
                    notes.append(note)
            elif name == "ADR":
                parts = self._components(card, prop) + [""] * 7
                location = ", ".join(part for part in (parts[3], parts[4], parts[6]) if part)
                if location:
                    rank = prop.rank() - (10 if "work" in prop.types() else 0)
                    addresses.append((rank, order, location))
            elif name in ("URL", "X-SOCIALPROFILE", "SOCIALPROFILE", "IMPP", "X-LINKEDIN"):
                if not record.linkedin_url:
                    record.linkedin_url = self._linkedin(card, prop, labels.get(prop.group, ""))
            elif name == "CATEGORIES":
                for tag in self._components(card, prop, ","):
                    if tag and tag not in DROPPED_TAGS and tag not in record.tags:
                        record.tags.append(tag)
            elif name == "X-COFFEECHAT-CONNECTED-ON":
                text = self._text(card, prop)
                record.connected_on = parse_date(text)
                if text and record.connected_on is None:
                    card.problems.append(
                        Problem(number, name, f"“{text[:80]}” is not a date; left out", False)
                    )
            elif name == "X-COFFEECHAT-CLASS-YEAR":
                text = self._text(card, prop)
                record.class_year = parse_class_year(text)
                if text and record.class_year is None:
                    card.problems.append(
                        Problem(number, name, f"“{text[:80]}” is not a class year; left out", False)
                    )
            elif name == "X-COFFEECHAT-CONNECTION":
                parts = self._components(card, prop) + ["", "", ""]
                record.connection = parse_connection(
                    parts[0], parts[1], ";".join(parts[2:]).strip(";"), number, name,
                    card.problems,
                )  # fmt: skip
            elif name == "X-COFFEECHAT-GROUP":
                group = parse_group(self._components(card, prop), number, name, card.problems)
                if group is not None:
                    record.groups.append(group)
            elif name == "X-COFFEECHAT-AFFILIATION-DETAIL":
                record.affiliation_detail = self._text(card, prop)
            elif name == "UID":
                record.uid = self._text(card, prop)[:200]
        is_organization = any(
            (prop.name == "X-ABSHOWAS" and prop.value.strip().upper() == "COMPANY")
            or (prop.name == "KIND" and prop.value.strip().lower() in ("org", "group"))
            for prop in card.properties
        ) or (bool(formatted) and formatted == record.organization)
        if not record.first_name and not record.last_name:
            if is_organization:
                yield Problem(number, "N", "this card is an organization, not a person; skipped")
                return
            if formatted:
                whole = split_name(formatted)
                record.first_name, record.last_name = whole.first, whole.last
        record.emails = _unique(value for _, _, value in sorted(emails))
        record.phones = _unique(value for _, _, value in sorted(phones))
        if not record.first_name and not record.last_name:
            # As address books do: a contact without a name is shown by its address.
            record.first_name = name_from_address(record.emails, record.phones)
        if not record.first_name and not record.last_name:
            if record.organization:
                yield Problem(
                    number,
                    "N",
                    f"this card names only an organization ({record.organization[:80]}), "
                    "no person, and has no e-mail address or phone number; skipped",
                )
                return
            yield Problem(
                number, "N", "this card has no name, e-mail address or phone number; skipped"
            )
            return
        record.email_kinds = {e: kinds["e:" + e] for e in record.emails if kinds.get("e:" + e)}
        record.phone_kinds = {p: kinds["p:" + p] for p in record.phones if kinds.get("p:" + p)}
        if addresses:
            record.location = min(addresses)[2]
        record.notes = "\n\n".join(notes).replace("\r\n", "\n").replace("\r", "\n")
        for attribute in ("first_name", "last_name", "organization", "title", "notes"):
            value = getattr(record, attribute)
            if len(value) > MAX_VALUE:
                setattr(record, attribute, value[:MAX_VALUE])
                card.problems.append(
                    Problem(number, attribute, f"too long; kept the first {MAX_VALUE:,}", False)
                )
        yield record

    def _linkedin(self, card: _Card, prop: Property, label: str) -> str:
        value = self._text(card, prop)
        service = " ".join(
            [*prop.types(), *prop.params.get("X-SERVICE-TYPE", []), label, prop.name]
        ).lower()
        if "linkedin" in value.lower():
            return clean_linkedin_url(value.removeprefix("x-apple:")) or ""
        if "linkedin" in service:
            user = (prop.params.get("X-USER") or [""])[0]
            handle = user or value.rsplit(":", 1)[-1].strip().strip("/")
            if handle and "/" not in handle and " " not in handle:
                return clean_linkedin_url("in/" + handle) or ""
        return ""


# Types that say nothing worth keeping: the preferred one is the first, every e-mail
# address is an internet one.
_PLAIN_TYPES = frozenset({"pref", "internet", "x400"})


def _kinds(prop: Property) -> str:
    """``TYPE=WORK,pref`` → ``"work"``: the kinds of an e-mail address or phone, as written."""
    kinds: list[str] = []
    for value in prop.types():
        for kind in value.split(","):
            kind = kind.strip().strip('"')
            if kind and kind not in _PLAIN_TYPES and kind not in kinds:
                kinds.append(kind)
    return ",".join(kinds)[:60]


def _bytes_to_text(data: bytes, charset: str) -> str:
    for encoding in (charset or "utf-8", "utf-8"):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def _unique(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.lower()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out
