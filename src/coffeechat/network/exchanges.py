"""What the mailbox suggests about a tie: the strength that how often, how recently and
how reciprocally you exchange mail with a person points to (issue 17).

The one home of the formula (docs/warm-paths.md explains it): the person page shows the
suggestion beside a tie set by hand, and the warm paths use it for people you have no
tie with. A tie set by hand is never changed by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LABELS = {1: "faint", 2: "weak", 3: "moderate", 4: "good", 5: "strong"}
MANY, SOME = 10, 3  # messages either way: volume points 2 and 1
RECENT_DAYS, OLD_DAYS = 30, 365
ONE_WAY_CAP = 2  # mail that never went both ways suggests at most "weak"


def suggested_strength(sent: int, received: int, last_on: date, today: date) -> int:
    """1–5 (0 when no mail at all)."""
    total = sent + received
    if total <= 0:
        return 0
    points = 1
    points += 2 if total >= MANY else 1 if total >= SOME else 0
    both_ways = sent > 0 and received > 0
    if both_ways:
        points += 1
        if min(sent, received) * 2 >= max(sent, received):
            points += 1  # balanced: neither side writes more than twice the other's mail
    days = (today - last_on).days
    if days <= RECENT_DAYS:
        points += 1
    elif days > OLD_DAYS:
        points -= 1
    if total < MANY:
        points = min(points, 4)  # "strong" takes at least MANY messages
    if not both_ways:
        points = min(points, ONE_WAY_CAP)
    return max(1, min(5, points))


def _ago(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


@dataclass(frozen=True, slots=True)
class Suggestion:
    strength: int
    sent: int
    received: int
    last_on: date
    today: date

    @property
    def label(self) -> str:
        return LABELS[self.strength]

    @property
    def text(self) -> str:
        """ "strong (14 messages both ways, last 3 days ago)" """
        total = self.sent + self.received
        if self.sent and self.received:
            how = f"{total} messages both ways"
        elif self.sent:
            how = f"{total} message{'s' if total != 1 else ''}, all from you"
        else:
            how = f"{total} message{'s' if total != 1 else ''}, all from them"
        return f"{self.label} ({how}, last {_ago((self.today - self.last_on).days)})"


def suggestion(sent: int, received: int, last_on: date, today: date) -> Suggestion | None:
    strength = suggested_strength(sent, received, last_on, today)
    return Suggestion(strength, sent, received, last_on, today) if strength else None
