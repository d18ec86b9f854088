"""How the bench is ranked for an opening: the one owner of the factors and their weights.

Each factor is a score from 0 to 100; the total is their weighted mean (weights add up
to 100), so every factor shown on the page can be read back into the total. See
docs/bench.md for what each factor means.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from coffeechat.bench.models import (
    Availability,
    BenchContact,
    BenchEntry,
    BenchSkill,
    Fit,
    Opening,
    ProposalStatus,
    TeamProposal,
)
from coffeechat.bench.services import draft_url, opening_draft_url, skill_key
from coffeechat.core.scoping import owned
from coffeechat.network.models import Tie

# Factor → weight (the share of the total, in percent).
WEIGHTS = {"skills": 45, "fit": 20, "availability": 15, "recency": 10, "vouched": 10}
# A required skill counts three times a nice-to-have one.
REQUIRED_WEIGHT = 3
NICE_WEIGHT = 1
# A skill's credit grows with its level, full credit at "expert" (4).
TOP_LEVEL = 4
FIT_SCORES = {Fit.STRONG: 100, Fit.GOOD: 70, Fit.POSSIBLE: 40, Fit.WEAK: 10}
# Availability: full score when they can start by the start date; it loses this many
# points per week late; "not looking" scores 0.
LATE_POINTS_PER_WEEK = 10
# Recency: full score when in touch within RECENT_DAYS, falling to 0 at STALE_DAYS.
RECENT_DAYS = 30
STALE_DAYS = 365
# Who vouches: a referrer (a person of my network, or a member of my team whose
# proposal I accepted) is worth this much, each person in my network tied to them this
# much more, up to 100.
REFERRER_POINTS = 60
TIE_POINTS = 20


@dataclass
class SkillMatch:
    name: str
    required: bool
    level: int  # 0 when they do not have it


@dataclass
class Ranked:
    entry: BenchEntry
    scores: dict[str, int]
    matches: list[SkillMatch]
    last_contact: datetime.date | None
    ties: int
    ready_on: datetime.date | None
    opening: Opening | None = None

    @property
    def total(self) -> int:
        return round(sum(self.scores[name] * weight for name, weight in WEIGHTS.items()) / 100)

    @property
    def person(self) -> Any:
        return self.entry.person

    @property
    def channel(self) -> str:
        return self.entry.person.get_preferred_channel_display() or "not said"

    @property
    def draft_url(self) -> str:
        """The "something has opened up" draft for the opening ranked (keep-warm without)."""
        if self.opening is not None:
            return opening_draft_url(self.entry.person, self.opening)
        return draft_url(self.entry.person)


def bench_rows(owner: Any, *, skills: bool = True) -> QuerySet[BenchEntry]:
    """Entries with everything the ranking and the list show, in a constant number of queries
    (``skills=False``: without prefetching their skills, which the ranking reads as values)."""
    ties = (
        Tie.objects.filter(to_person=OuterRef("person_id"), from_person__isnull=False)
        .values("to_person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = owned(BenchEntry, owner).select_related("person", "referred_by")
    return (rows.prefetch_related("skills") if skills else rows).annotate(
        last_logged=Subquery(
            BenchContact.objects.filter(entry=OuterRef("pk")).order_by("-on").values("on")[:1]
        ),
        tie_count=Coalesce(Subquery(ties), 0),
        team_referrer=Subquery(
            TeamProposal.objects.filter(entry=OuterRef("pk"), status=ProposalStatus.ACCEPTED)
            .order_by("pk")
            .values("referrer_name")[:1]
        ),
    )


def last_contact(entry: BenchEntry) -> datetime.date | None:
    days = [d for d in (getattr(entry, "last_logged", None), entry.person.last_contacted_on) if d]
    return max(days) if days else None


def ready_on(entry: BenchEntry, today: datetime.date) -> datetime.date | None:
    """The first day they could start: availability plus notice (None: not looking)."""
    if entry.availability == Availability.NOT_LOOKING:
        return None
    start = today
    if entry.availability == Availability.FROM_DATE and entry.available_from:
        start = max(today, entry.available_from)
    return start + datetime.timedelta(weeks=entry.notice_weeks or 0)


def skill_levels(owner: Any) -> dict[int, dict[str, int]]:
    """Every entry's skills as {entry id: {skill key: level}}, in one query."""
    found: dict[int, dict[str, int]] = {}
    for entry_id, name, level in owned(BenchSkill, owner).values_list("entry_id", "name", "level"):
        found.setdefault(entry_id, {})[skill_key(name)] = level
    return found


def skill_score(
    levels: dict[str, int], wanted: list[tuple[str, bool]]
) -> tuple[int, list[SkillMatch]]:
    matches = [
        SkillMatch(name, required, levels.get(skill_key(name), 0)) for name, required in wanted
    ]
    possible = sum(REQUIRED_WEIGHT if m.required else NICE_WEIGHT for m in matches)
    if not possible:
        return 0, matches
    earned = sum(
        (REQUIRED_WEIGHT if m.required else NICE_WEIGHT) * min(m.level, TOP_LEVEL) / TOP_LEVEL
        for m in matches
    )
    return round(100 * earned / possible), matches


def availability_score(ready: datetime.date | None, start: datetime.date) -> int:
    if ready is None:
        return 0
    late_days = max(0, (ready - start).days)
    return max(0, round(100 - LATE_POINTS_PER_WEEK * late_days / 7))


def recency_score(last: datetime.date | None, today: datetime.date) -> int:
    if last is None:
        return 0
    days = max(0, (today - last).days)
    if days <= RECENT_DAYS:
        return 100
    if days >= STALE_DAYS:
        return 0
    return round(100 * (STALE_DAYS - days) / (STALE_DAYS - RECENT_DAYS))


def vouch_score(entry: BenchEntry, ties: int) -> int:
    referred = entry.referred_by_id or getattr(entry, "team_referrer", None)
    points = (REFERRER_POINTS if referred else 0) + TIE_POINTS * ties
    return min(100, points)


def score(
    entry: BenchEntry,
    levels: dict[str, int],
    wanted: list[tuple[str, bool]],
    start: datetime.date,
    today: datetime.date,
) -> Ranked:
    skills, matches = skill_score(levels, wanted)
    ready = ready_on(entry, today)
    last = last_contact(entry)
    ties = int(getattr(entry, "tie_count", 0) or 0)
    scores = {
        "skills": skills,
        "fit": FIT_SCORES.get(Fit(entry.fit), 0),
        "availability": availability_score(ready, start),
        "recency": recency_score(last, today),
        "vouched": vouch_score(entry, ties),
    }
    return Ranked(entry, scores, matches, last, ties, ready)


def rank(
    owner: Any, opening: Opening, today: datetime.date, entries: QuerySet[BenchEntry] | None = None
) -> list[Ranked]:
    """The bench ranked for ``opening``, best first (ties: by name)."""
    wanted = [(skill.name, skill.required) for skill in opening.skills.all()]
    start = opening.start_on or today
    rows = entries if entries is not None else bench_rows(owner, skills=False)
    levels = skill_levels(owner)
    ranked = [score(entry, levels.get(entry.pk, {}), wanted, start, today) for entry in rows]
    for row in ranked:
        row.opening = opening
    ranked.sort(key=lambda r: (-r.total, r.person.last_name.casefold(), r.entry.pk))
    return ranked


def filter_bench(
    rows: QuerySet[BenchEntry],
    *,
    skill: str = "",
    fit: str = "",
    availability: str = "",
    stale_months: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[BenchEntry]:
    """The bench list's filters: a skill, a fit, an availability, "not in touch for N months"."""
    if skill:
        rows = rows.filter(skills__name__iexact=skill.strip())
    if fit:
        rows = rows.filter(fit=fit)
    if availability:
        rows = rows.filter(availability=availability)
    if stale_months and today is not None:
        cutoff = today - datetime.timedelta(days=round(stale_months * 30.44))
        rows = rows.filter(
            Q(last_logged__isnull=True) | Q(last_logged__lt=cutoff),
            Q(person__last_contacted_on__isnull=True) | Q(person__last_contacted_on__lt=cutoff),
        )
    return rows.distinct() if skill else rows
