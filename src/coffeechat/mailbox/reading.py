"""Reading a message: its headers (addresses, date, subject, the thread it answers) and a
short snippet of what it says. No database, no network."""

from __future__ import annotations

import datetime
import email
import email.utils
import html
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import compat32, default

from coffeechat.mailbox.models import MAX_BODY, MAX_SNIPPET

MESSAGE_ID = re.compile(r"<[^<>\s]+>")
REPLY_PREFIX = re.compile(r"^\s*((re|aw|sv|vs|antw|fw|fwd|wg|tr)\s*(\[\d+\])?\s*:\s*)+", re.I)
QUOTE_START = re.compile(
    r"^(on .{0,200} wrote:|am .{0,200} schrieb .{0,100}:|le .{0,200} a écrit ?:|"
    r"-+ ?original message ?-+|_{10,}|from: .+)$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Headers:
    message_id: str
    from_addresses: list[str]
    to_addresses: list[str]  # To, Cc and Bcc
    subject: str
    date: datetime.datetime | None
    thread_ids: list[str]  # In-Reply-To first, then References, newest first


def _addresses(message: EmailMessage, *names: str) -> list[str]:
    values: list[str] = []
    for name in names:
        for value in message.get_all(name, []) or []:
            values.append(str(value))
    found = []
    for _display, address in email.utils.getaddresses(values):
        address = address.strip().lower()
        if "@" in address and address not in found:
            found.append(address)
    return found


def _text(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, AttributeError):
        value = None
    return " ".join(str(value or "").split())


def quick_addresses(raw: bytes) -> tuple[list[str], list[str]]:
    """From, and To/Cc/Bcc, lower case: a fast first look (no decoding of names) that
    decides whether a message is read any further."""
    message = email.message_from_bytes(raw, policy=compat32)

    def found(*names: str) -> list[str]:
        values = [str(v) for name in names for v in (message.get_all(name) or [])]
        return [a.strip().lower() for _d, a in email.utils.getaddresses(values) if "@" in a]

    return found("From"), found("To", "Cc", "Bcc")


def parse_headers(raw: bytes) -> Headers:
    message = email.message_from_bytes(raw, policy=default)
    assert isinstance(message, EmailMessage)
    ids = MESSAGE_ID.findall(_text(message, "Message-ID"))
    thread = MESSAGE_ID.findall(_text(message, "In-Reply-To"))
    for found in reversed(MESSAGE_ID.findall(_text(message, "References"))):
        if found not in thread:
            thread.append(found)
    date: datetime.datetime | None = None
    raw_date = _text(message, "Date")
    if raw_date:
        try:
            date = email.utils.parsedate_to_datetime(raw_date)
        except (TypeError, ValueError, IndexError):
            date = None
        if date is not None and date.tzinfo is None:
            date = date.replace(tzinfo=datetime.UTC)
    return Headers(
        message_id=ids[0][:255] if ids else "",
        from_addresses=_addresses(message, "From"),
        to_addresses=_addresses(message, "To", "Cc", "Bcc"),
        subject=_text(message, "Subject")[:300],
        date=date,
        thread_ids=thread,
    )


def thread_subject(subject: str) -> str:
    """The subject without its Re:/AW:/Fwd: prefixes, folded, for comparing threads."""
    return " ".join(REPLY_PREFIX.sub("", subject).split()).casefold()


def _body_text(raw: bytes) -> str:
    """What the message says: its plain text part, else its HTML part without tags."""
    message = email.message_from_bytes(raw, policy=default)
    assert isinstance(message, EmailMessage)
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        content = part.get_content() if part is not None else ""
    except (LookupError, ValueError, AttributeError, KeyError):
        return ""
    if not isinstance(content, str):
        return ""
    if part is not None and part.get_content_subtype() == "html":
        content = html.unescape(re.sub(r"<[^>]+>", " ", content))
    return content


def full_text(raw: bytes, limit: int = MAX_BODY) -> str:
    """The whole text of the message (quotes included), its lines kept, at most ``limit``
    characters: what is stored when the user chose to store bodies."""
    lines = [line.rstrip() for line in _body_text(raw).replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def snippet(raw: bytes, limit: int = MAX_SNIPPET) -> str:
    """The first words of what the message says, without the quoted message below."""
    content = _body_text(raw)
    lines: list[str] = []
    for line in content.splitlines():
        stripped = line.strip()
        if stripped.startswith(">") or QUOTE_START.match(stripped):
            break
        lines.append(stripped)
    text = " ".join(" ".join(lines).split())
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


def is_delivery_report(raw: bytes) -> bool:
    """A delivery status notification (RFC 3464): multipart/report, delivery-status."""
    message = email.message_from_bytes(raw, policy=compat32)
    content_type = str(message.get("Content-Type", "")).lower()
    return "multipart/report" in content_type and "delivery-status" in content_type


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    failed: list[str]  # the recipients whose delivery failed (Action: failed)
    original_ids: list[str]  # the Message-ID of the message that did not arrive


def delivery_report(raw: bytes) -> DeliveryReport:
    """What a bounce says: who could not be reached, and which message it was."""
    message = email.message_from_bytes(raw, policy=compat32)
    failed: list[str] = []
    ids: list[str] = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            blocks = part.get_payload()
            for block in blocks if isinstance(blocks, list) else []:
                if isinstance(block, str):
                    continue
                action = str(block.get("Action", "")).strip().lower()
                recipient = str(
                    block.get("Final-Recipient", "") or block.get("Original-Recipient", "")
                )
                address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
                if action == "failed" and "@" in address and address not in failed:
                    failed.append(address)
        elif kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                original = email.message_from_bytes(payload, policy=compat32)
                ids += MESSAGE_ID.findall(str(original.get("Message-ID", "")))
        elif kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and not isinstance(inner[0], str):
                ids += MESSAGE_ID.findall(str(inner[0].get("Message-ID", "")))
    return DeliveryReport(failed=failed, original_ids=ids)


CALENDAR_TYPES = ("text/calendar", "application/ics")


def calendar_parts(raw: bytes) -> list[bytes]:
    """The calendar (iTIP) in a message, decoded from base64 or quoted-printable: its
    text/calendar part, else an attached .ics (Google and Outlook send both, the same
    event: only the first counts)."""
    message = email.message_from_bytes(raw, policy=compat32)
    found: dict[str, list[bytes]] = {kind: [] for kind in CALENDAR_TYPES}
    for part in message.walk():
        kind = part.get_content_type()
        filename = (part.get_filename() or "").lower()
        if kind not in CALENDAR_TYPES and not (
            kind == "application/octet-stream" and filename.endswith(".ics")
        ):
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload.strip():
            found.get(kind, found["application/ics"]).append(payload)
    return (found["text/calendar"] or found["application/ics"])[:1]
