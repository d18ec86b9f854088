"""Reads: the list of messages and how often each kind of message got a reply."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from coffeechat.core.scoping import owned
from coffeechat.outreach.models import Channel, ConnectionKind, Message, Status
from coffeechat.outreach.purposes import TABLE as PURPOSES


def messages_for_list(user: Any) -> QuerySet[Message]:
    return owned(Message, user).select_related("person", "organization")


def went_out(user: Any) -> QuerySet[Message]:
    """Messages that went out (sent, replied, no reply, bounced): what a reply rate counts.

    The one definition of "sent" and "replied" for every reply rate (this page, the
    progress page, the API): a message that went out counts, and it got a reply when
    :func:`got_reply` says so.
    """
    return messages_that_went_out(owned(Message, user))


def messages_that_went_out(messages: QuerySet[Message]) -> QuerySet[Message]:
    """Of ``messages``, those that went out (:func:`went_out` over any set of owners)."""
    return messages.exclude(status=Status.DRAFT)


def got_reply(status: str) -> bool:
    """Whether a message that went out, with this status, got a reply."""
    return status == Status.REPLIED


REPLIED_STATUSES = (Status.REPLIED,)  # :func:`got_reply` as a database filter


@dataclass(frozen=True, slots=True)
class Rate:
    label: str
    sent: int
    replied: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.replied / self.sent) if self.sent else None


@dataclass(frozen=True, slots=True)
class ReplyRates:
    total: Rate
    by_purpose: list[Rate]
    by_template: list[Rate]
    by_channel: list[Rate]
    by_connection: list[Rate]


def reply_rates(user: Any) -> ReplyRates:
    """How often each purpose, template, channel and kind of connection got a reply.

    Counts messages that went out (sent, replied, no reply, bounced); nudges count
    under their own purpose. One query.
    """
    rows = went_out(user).values_list(
        "purpose", "template_name", "channel", "connection_kind", "status"
    )
    counts: dict[str, dict[str, list[int]]] = {
        key: defaultdict(lambda: [0, 0]) for key in ("purpose", "template", "channel", "connection")
    }
    total = [0, 0]
    for purpose, template_name, channel, connection, status in rows:
        replied = int(got_reply(status))
        for key, value in (
            ("purpose", purpose),
            ("template", template_name or "(none)"),
            ("channel", channel),
            ("connection", connection),
        ):
            counts[key][value][0] += 1
            counts[key][value][1] += replied
        total[0] += 1
        total[1] += replied

    def rates(key: str, labels: dict[str, str] | None = None) -> list[Rate]:
        found = [
            Rate((labels or {}).get(value, value), sent, replied)
            for value, (sent, replied) in counts[key].items()
        ]
        return sorted(found, key=lambda r: (-(r.percent or 0), -r.sent, r.label))

    return ReplyRates(
        Rate("All messages", *total),
        rates("purpose", {key: rule.label for key, rule in PURPOSES.items()}),
        rates("template"),
        rates("channel", dict(Channel.choices)),
        rates("connection", dict(ConnectionKind.choices)),
    )
