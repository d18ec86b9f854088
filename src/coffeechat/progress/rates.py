"""Reply rates by purpose, template, channel, kind of connection and length; the times
to a reply and to a conversation; and suggestions drawn from those counts.

What counts as sent and as a reply is outreach's (``went_out``, ``got_reply``). Two
queries whatever the data size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coffeechat.conversations.models import Participant
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.outreach.models import Channel, ConnectionKind
from coffeechat.outreach.purposes import FIRST_NOTE_WORDS, FIRST_NOTES
from coffeechat.outreach.purposes import TABLE as PURPOSES
from coffeechat.outreach.services.reading import got_reply, went_out
from coffeechat.progress.period import Period
from coffeechat.progress.stats import MIN_COUNT, Duration, Rate, median_days

DAY = 86400.0
NO_TEMPLATE = "(none)"  # messages written without a template: no suggestion about them
SUGGEST_GAP = 20  # percentage points between a group and the others worth a sentence


def length_of(words: int) -> str:
    """The length bucket of a message of ``words`` words."""
    if words <= FIRST_NOTE_WORDS // 2:
        return "short"
    if words <= FIRST_NOTE_WORDS:
        return "medium"
    return "long"


LENGTHS = {
    "short": f"Short (up to {FIRST_NOTE_WORDS // 2} words)",
    "medium": f"Medium ({FIRST_NOTE_WORDS // 2 + 1}–{FIRST_NOTE_WORDS} words)",
    "long": f"Long (over {FIRST_NOTE_WORDS} words)",
}


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str
    title: str
    # How a message's group reads in a sentence: "notes where the connection was X".
    phrase: Callable[[str], str]
    labels: dict[str, str]


DIMENSIONS = (
    Dimension(
        "purpose",
        "Purpose",
        lambda label: f"“{label}” messages",
        {key: rule.label for key, rule in PURPOSES.items()},
    ),
    Dimension("template", "Template", lambda label: f"messages from the template “{label}”", {}),
    Dimension("channel", "Channel", lambda label: f"messages by {label}", dict(Channel.choices)),
    Dimension(
        "connection",
        "Kind of connection",
        lambda label: f"notes where the connection was “{label}”",
        dict(ConnectionKind.choices),
    ),
    Dimension("length", "Length", lambda label: f"{label[0].lower()}{label[1:]} messages", LENGTHS),
)


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    title: str
    rates: list[Rate]


@dataclass(frozen=True, slots=True)
class Suggestion:
    text: str
    dimension: str
    group: str
    replied: int
    sent: int
    others_replied: int
    others_sent: int


@dataclass(frozen=True, slots=True)
class Replies:
    total: Rate
    groups: list[Group]
    time_to_reply: Duration
    note_to_conversation: Duration
    suggestions: list[Suggestion]


def _ratio(replied: int, sent: int) -> float:
    return replied / sent if sent else 0.0


def suggestions(groups: list[Group], total: Rate) -> list[Suggestion]:
    """Sentences comparing a group with all other messages, only where both sides have
    at least ``MIN_COUNT`` messages and the rates differ by ``SUGGEST_GAP`` points."""
    found: list[tuple[float, Suggestion]] = []
    for group in groups:
        dimension = next(d for d in DIMENSIONS if d.key == group.key)
        for rate in group.rates:
            others_sent = total.sent - rate.sent
            others_replied = total.replied - rate.replied
            if rate.key == NO_TEMPLATE or rate.sent < MIN_COUNT or others_sent < MIN_COUNT:
                continue
            gap = 100 * (_ratio(rate.replied, rate.sent) - _ratio(others_replied, others_sent))
            if abs(gap) < SUGGEST_GAP:
                continue
            subject = dimension.phrase(rate.label)
            text = (
                f"{subject[0].upper()}{subject[1:]} got replies {rate.replied} of {rate.sent} "
                f"times, others {others_replied} of {others_sent}."
            )
            found.append(
                (
                    -abs(gap),
                    Suggestion(
                        text,
                        group.key,
                        rate.key,
                        rate.replied,
                        rate.sent,
                        others_replied,
                        others_sent,
                    ),
                )
            )
    found.sort(key=lambda pair: (pair[0], pair[1].text))
    return [suggestion for _gap, suggestion in found[:5]]


def days_to_conversation(first_note: dict[int, Any], **scope: Any) -> dict[int, float]:
    """For each person whose first note was sent at ``first_note[person]``, the days to
    the first held conversation with them that started after it (people without one are
    left out). ``scope`` narrows the participants read (``owner=user``)."""
    talks: dict[int, list[Any]] = defaultdict(list)
    for person, starts_at in Participant.objects.filter(
        person_id__in=list(first_note),
        conversation__status=ConversationStatus.HELD,
        **scope,
    ).values_list("person_id", "conversation__starts_at"):
        talks[person].append(starts_at)
    days = {}
    for person, sent_at in first_note.items():
        later = [starts for starts in talks.get(person, []) if starts >= sent_at]
        if later:
            days[person] = (min(later) - sent_at).total_seconds() / DAY
    return days


def replies(user: Any, period: Period) -> Replies:
    rows = list(
        went_out(user)
        .filter(**period.instants("sent_at"))
        .values_list(
            "purpose",
            "template_name",
            "channel",
            "connection_kind",
            "body",
            "status",
            "person_id",
            "sent_at",
            "replied_at",
        )
    )
    counts: dict[str, dict[str, list[int]]] = {
        d.key: defaultdict(lambda: [0, 0]) for d in DIMENSIONS
    }
    total = [0, 0]
    reply_days: list[float] = []
    first_note: dict[int, Any] = {}
    for purpose, template, channel, connection, body, status, person, sent_at, replied_at in rows:
        replied = got_reply(status)
        values = {
            "purpose": purpose,
            "template": template or NO_TEMPLATE,
            "channel": channel,
            "connection": connection,
            "length": length_of(len(body.split())),
        }
        for key, value in values.items():
            counts[key][value][0] += 1
            counts[key][value][1] += int(replied)
        total[0] += 1
        total[1] += int(replied)
        if replied and sent_at and replied_at and replied_at >= sent_at:
            reply_days.append((replied_at - sent_at).total_seconds() / DAY)
        if (
            purpose in FIRST_NOTES
            and sent_at
            and (person not in first_note or sent_at < first_note[person])
        ):
            first_note[person] = sent_at
    to_conversation = list(days_to_conversation(first_note, owner=user).values())
    groups = []
    for dimension in DIMENSIONS:
        found = [
            Rate(value, dimension.labels.get(value, value), sent, replied)
            for value, (sent, replied) in counts[dimension.key].items()
        ]
        found.sort(key=lambda r: (-r.sent, r.label))
        groups.append(Group(dimension.key, dimension.title, found))
    everything = Rate("all", "All messages", *total)
    return Replies(
        everything,
        groups,
        median_days("Time to a reply", reply_days),
        median_days("From a first note to a conversation held", to_conversation),
        suggestions(groups, everything),
    )
