"""LinkedIn's ``messages.csv`` and ``Invitations.csv``: who the user has talked with, and when.

Whose archive is it?
--------------------
``messages.csv`` names a sender and recipients on every row but never says which of
them is the archive's owner. The owner is the one person who takes part in (nearly)
every conversation, so we count, for each participant (known by profile URL, or by
name when a row has no URL), the number of distinct conversations they appear in as
sender or recipient, and take the participant with the most. Ties go to the one in
more messages, then to the one who received more (inboxes are full of messages from
recruiters and strangers). When the archive also has ``Invitations.csv``, its
``Direction`` column says outright who the owner is (the inviter of an OUTGOING
invitation, the invitee of an INCOMING one), and that wins over counting. A file
with a single conversation between two people cannot be decided by counting alone;
the tie-breaks above pick one.

A message the owner sent to several people is one record per recipient, so that it
shows on each of their timelines. Drafts are left out. Times without a zone
(Invitations' ``1/8/26, 6:14 PM``) are taken as UTC.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from coffeechat.imports.parsers.csvfiles import Row, is_blank
from coffeechat.imports.parsers.dates import parse_datetime
from coffeechat.imports.parsers.fields import MAX_VALUE
from coffeechat.imports.parsers.mapping import normalize_header
from coffeechat.imports.records import MessageRecord, Problem
from coffeechat.network.addresses import clean_linkedin_url
from coffeechat.network.normalize import fold, linkedin_key

RowSource = Callable[[], Iterator[Row]]  # the data rows (after the header), from the start


class _Columns:
    """Cells by normalised header name."""

    def __init__(self, header: list[str]) -> None:
        self.index: dict[str, int] = {}
        for position, cell in enumerate(header):
            self.index.setdefault(normalize_header(cell), position)
        self.labels = [cell.strip() for cell in header]

    def get(self, cells: list[str], *names: str) -> str:
        for name in names:
            position = self.index.get(name)
            if position is not None and position < len(cells):
                value = cells[position].strip()
                if value:
                    return value
        return ""

    def label(self, name: str) -> str:
        position = self.index.get(name)
        return self.labels[position] if position is not None else name.upper()


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    url: str  # clean profile URL or ""

    @property
    def key(self) -> str:
        return participant_key(self.name, self.url)


def participant_key(name: str, url: str) -> str:
    return linkedin_key(url) or ("name:" + " ".join(fold(name).split()))


def _url(value: str) -> str:
    return (clean_linkedin_url(value) or "") if value else ""


def _recipients(columns: _Columns, cells: list[str]) -> list[Participant]:
    names = columns.get(cells, "to")
    urls = [u.strip() for u in columns.get(cells, "recipient profile urls").split(",") if u.strip()]
    if len(urls) > 1:
        pieces = [n.strip() for n in names.split(",")]
        if len(pieces) == len(urls):
            return [Participant(n, _url(u)) for n, u in zip(pieces, urls, strict=True)]
        return [Participant("", _url(u)) for u in urls]
    if not names and not urls:
        return []
    return [Participant(names, _url(urls[0]) if urls else "")]


def _sender(columns: _Columns, cells: list[str]) -> Participant:
    return Participant(columns.get(cells, "from"), _url(columns.get(cells, "sender profile url")))


def _is_draft(columns: _Columns, cells: list[str]) -> bool:
    folder = columns.get(cells, "folder").lower()
    draft = columns.get(cells, "is message draft").lower()
    return folder in ("draft", "drafts") or draft in ("yes", "true", "1")


def infer_owner(rows: Iterable[Row], header: list[str], hint: set[str] | None = None) -> str:
    """The participant key of the archive's owner (see the module's docstring); "" if none."""
    columns = _Columns(header)
    conversations: dict[str, set[str]] = {}
    messages: Counter[str] = Counter()
    received: Counter[str] = Counter()
    for row in rows:
        if row.error or is_blank(row.cells):
            continue
        sender = _sender(columns, row.cells)
        recipients = _recipients(columns, row.cells)
        keys = {p.key for p in (sender, *recipients) if p.name or p.url}
        conversation = columns.get(row.cells, "conversation id") or f"line {row.line}"
        conversations.setdefault(conversation, set()).update(keys)
        messages.update(keys)
        received.update(p.key for p in recipients)
    appearances: Counter[str] = Counter()
    for keys in conversations.values():
        appearances.update(keys)
    if not appearances:
        return ""
    if hint:
        hinted = [key for key in appearances if key in hint]
        if hinted:
            return max(hinted, key=lambda key: appearances[key])
    return max(appearances, key=lambda key: (appearances[key], messages[key], received[key]))


def owner_from_invitations(rows: Iterable[Row], header: list[str]) -> set[str]:
    """Keys of the owner as Invitations.csv names them (by direction)."""
    columns = _Columns(header)
    keys: set[str] = set()
    for row in rows:
        if row.error:
            continue
        direction = columns.get(row.cells, "direction").upper()
        if direction == "OUTGOING":
            name, url = columns.get(row.cells, "from"), columns.get(row.cells, "inviterprofileurl")
        elif direction == "INCOMING":
            name, url = columns.get(row.cells, "to"), columns.get(row.cells, "inviteeprofileurl")
        else:
            continue
        if name or url:
            keys.add(participant_key(name, _url(url)))
    return keys


def message_records(
    rows: RowSource,
    header: list[str],
    hint: RowSource | None = None,
    hint_header: list[str] | None = None,
) -> Iterator[MessageRecord | Problem]:
    """Records for messages.csv; reads the rows twice (first to find the owner)."""
    columns = _Columns(header)
    owner_hint = owner_from_invitations(hint(), hint_header or []) if hint else None
    owner = infer_owner(rows(), header, owner_hint)
    date_label = columns.label("date")
    for row in rows():
        if row.error:
            yield Problem(row.line, "", row.error)
            continue
        cells = row.cells
        if is_blank(cells) or _is_draft(columns, cells):
            continue
        when_text = columns.get(cells, "date")
        when = parse_datetime(when_text)
        if when is None:
            what = f"“{when_text[:80]}” is not a date" if when_text else "no date"
            yield Problem(row.line, date_label, f"{what}; message skipped")
            continue
        sender = _sender(columns, cells)
        recipients = _recipients(columns, cells)
        subject = columns.get(cells, "subject")[:300]
        body = columns.get(cells, "content")[:MAX_VALUE]
        if sender.key == owner and (sender.name or sender.url):
            others = [p for p in recipients if p.key != owner and (p.name or p.url)]
            if not others:
                yield Problem(row.line, columns.label("to"), "no recipient; message skipped")
            for other in others:
                yield MessageRecord(
                    line=row.line,
                    kind="linkedin_message",
                    direction="sent",
                    occurred_at=when,
                    other_name=other.name,
                    other_linkedin_url=other.url,
                    subject=subject,
                    body=body,
                )
        elif sender.name or sender.url:
            yield MessageRecord(
                line=row.line,
                kind="linkedin_message",
                direction="received",
                occurred_at=when,
                other_name=sender.name,
                other_linkedin_url=sender.url,
                subject=subject,
                body=body,
            )
        else:
            yield Problem(row.line, columns.label("from"), "no sender; message skipped")


def invitation_records(rows: Iterable[Row], header: list[str]) -> Iterator[MessageRecord | Problem]:
    """Records for Invitations.csv: sent (OUTGOING) or received (INCOMING) invitations."""
    columns = _Columns(header)
    sent_label = columns.label("sent at")
    for row in rows:
        if row.error:
            yield Problem(row.line, "", row.error)
            continue
        cells = row.cells
        if is_blank(cells):
            continue
        direction = columns.get(cells, "direction").upper()
        if direction == "OUTGOING":
            kind = "sent"
            name = columns.get(cells, "to")
            url = columns.get(cells, "inviteeprofileurl")
        elif direction == "INCOMING":
            kind = "received"
            name = columns.get(cells, "from")
            url = columns.get(cells, "inviterprofileurl")
        else:
            yield Problem(
                row.line,
                columns.label("direction"),
                f"direction “{direction[:40]}” is neither INCOMING nor OUTGOING; skipped",
            )
            continue
        when_text = columns.get(cells, "sent at", "sent")
        when = parse_datetime(when_text)
        if when is None:
            what = f"“{when_text[:80]}” is not a date" if when_text else "no date"
            yield Problem(row.line, sent_label, f"{what}; invitation skipped")
            continue
        if not name and not url:
            yield Problem(row.line, "", "no name or profile; invitation skipped")
            continue
        yield MessageRecord(
            line=row.line,
            kind="linkedin_invitation",
            direction=kind,
            occurred_at=when,
            other_name=name,
            other_linkedin_url=_url(url),
            body=columns.get(cells, "message")[:MAX_VALUE],
        )
