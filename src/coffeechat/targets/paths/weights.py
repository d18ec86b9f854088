"""How warm each kind of link is, and the factors a path's warmth is multiplied by.

docs/warm-paths.md explains the numbers.
"""

from __future__ import annotations

from datetime import date

from coffeechat.network.models import AffiliationKind, Source, TieKind

MAX_LINKS = 3

# How warm a tie of each kind is at strength 5 (each point less takes 10% off).
TIE_KIND_WEIGHT: dict[str, float] = {
    TieKind.FAMILY: 0.95,
    TieKind.FRIEND: 0.95,
    TieKind.COLLEAGUE: 0.85,
    TieKind.CLASSMATE: 0.8,
    TieKind.REFERRED: 0.8,
    TieKind.INTRODUCED: 0.75,
    TieKind.ACQUAINTANCE: 0.6,
}
# A shared affiliation, before its tightness (same class year, overlapping years).
AFFILIATION_WEIGHT: dict[str, float] = {
    AffiliationKind.SCHOOL: 0.55,
    AffiliationKind.FORMER_EMPLOYER: 0.55,
    AffiliationKind.ASSOCIATION: 0.45,
    AffiliationKind.COMMUNITY: 0.45,
}
AFFILIATION_CAP = 0.85
# Someone who introduced you to a person you know: you know them too.
INTRODUCER_WEIGHT = 0.7
# A person in your network with no tie and no shared group: how you have them.
CONTACT_WEIGHT: dict[str, float] = {
    Source.FRIEND: 0.4,
    Source.REFERRAL: 0.4,
    Source.LINKEDIN: 0.35,
    Source.MANUAL: 0.2,
    Source.ALUMNI_DIRECTORY: 0.2,
    Source.ASSOCIATION_DIRECTORY: 0.2,
}
# No tie of yours, but mail exchanged: what the mailbox suggests (network/exchanges.py),
# weighted like a tie of this kind at the suggested strength.
MAIL_EXCHANGE_WEIGHT = 0.8
# Two people who work at the same place now (only for paths to one person).
COWORKER_WEIGHT = 0.5
EXTRA_REASON_BONUS = 0.05
LENGTH_FACTOR = 0.85  # per link after the first
CURRENT_JOB_FACTOR = 1.0
RECENT_FORMER_JOB_FACTOR = 0.75  # left within two years
FORMER_JOB_FACTOR = 0.6

ADVOCACY_WEIGHTS = (0.5, 0.3, 0.2)


def tie_weight(kind: str, strength: int) -> float:
    return TIE_KIND_WEIGHT.get(kind, 0.6) * (0.5 + 0.1 * max(1, min(5, strength)))


def mail_weight(strength: int) -> float:
    """A first link through mail exchanged (no tie of yours): like a tie at ``strength``."""
    return MAIL_EXCHANGE_WEIGHT * (0.5 + 0.1 * max(1, min(5, strength)))


def recency_factor(last: date | None, today: date) -> float:
    if last is None:
        return 0.85
    days = (today - last).days
    if days <= 365:
        return 1.0
    if days <= 3 * 365:
        return 0.9
    return 0.8


def affiliation_weight(
    kind: str,
    mine: tuple[int | None, int | None, int | None, str],
    theirs: tuple[int | None, int | None, int | None, str],
) -> tuple[float, bool]:
    """Weight of a shared affiliation and whether you were there at the same time.

    ``mine`` and ``theirs`` are (class year, start year, end year, detail).
    """
    weight = AFFILIATION_WEIGHT.get(kind, 0.45)
    my_class, my_start, my_end, my_detail = mine
    their_class, their_start, their_end, their_detail = theirs
    same_time = False
    if my_class is not None and their_class is not None:
        gap = abs(my_class - their_class)
        weight += 0.25 if gap == 0 else 0.15 if gap <= 2 else 0.05 if gap <= 5 else 0.0
        same_time = gap == 0
    elif my_start is not None and their_start is not None:
        mine_end = my_end if my_end is not None else 9999
        theirs_end = their_end if their_end is not None else 9999
        if my_start <= theirs_end and their_start <= mine_end:
            weight += 0.2
            same_time = True
    if my_detail and their_detail and my_detail.strip().lower() == their_detail.strip().lower():
        weight += 0.05
    return min(weight, AFFILIATION_CAP), same_time
