"""Warm paths: the warmest ways from the user to the people at an organization.

A *path* is a chain of at most three links from the user ("you") to a person who
works at the organization now or did before (or to one chosen person). The first
link is how *you* reach the first person: a tie of yours, an affiliation you share
(same school, former employer, association, community), someone who introduced you
to somebody, or simply a contact in your network. Every later link is a tie between
two people in your network.

Each link has a weight between 0 and 1; a path's warmth (0-100) is the product of
its links' weights, times a factor for the end person's job (current or former) and
one for its length. docs/warm-paths.md explains the numbers.

Loading: only what the search needs comes from the database, in a fixed number of
queries (``values_list``), whatever the size of the network: the people at the
organization, the ties one and two links away from them, and how the user reaches
those people. The search itself runs in memory.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from coffeechat.accounts.models import MyAffiliation
from coffeechat.network.models import (
    AffiliationKind,
    Employment,
    Interaction,
    Level,
    Membership,
    Organization,
    Person,
    Source,
    Tie,
    TieKind,
)

MAX_LINKS = 3
CHUNK = 2000  # ids per IN (...) list; SQLite limits the number of parameters

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
# Two people who work at the same place now (only for paths to one person).
COWORKER_WEIGHT = 0.5
EXTRA_REASON_BONUS = 0.05
LENGTH_FACTOR = 0.85  # per link after the first
CURRENT_JOB_FACTOR = 1.0
RECENT_FORMER_JOB_FACTOR = 0.75  # left within two years
FORMER_JOB_FACTOR = 0.6

ADVOCACY_WEIGHTS = (0.5, 0.3, 0.2)

HIRING_WORDS = re.compile(
    r"\b(manager|director|head|vp|vice president|lead|chief|principal|founder|owner|"
    r"cto|ceo|coo|cfo|supervisor)\b",
    re.IGNORECASE,
)

# "Product manager" or "account manager" manage a product or accounts, not a team.
NOT_HIRING_WORDS = re.compile(
    r"\b(product|project|program|programme|account|community|social media|case|office)\s+"
    r"manager\b|\bassociate\b|\bassistant\b",
    re.IGNORECASE,
)

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


# --------------------------------------------------------------------------------------
# What a path is made of
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonRef:
    id: int
    first_name: str
    last_name: str
    level: str = ""
    do_not_contact: bool = False

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def short(self) -> str:
        return self.first_name or self.name


@dataclass(frozen=True, slots=True)
class Job:
    person_id: int
    organization_id: int
    organization: str
    title: str
    department: str
    is_current: bool
    end_date: date | None
    has_hiring_authority: bool

    @property
    def role(self) -> str:
        return self.department or self.title

    def factor(self, today: date) -> float:
        if self.is_current:
            return CURRENT_JOB_FACTOR
        if self.end_date is not None and (today - self.end_date).days <= 730:
            return RECENT_FORMER_JOB_FACTOR
        return FORMER_JOB_FACTOR


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a link exists. ``kind`` is tie, affiliation, introducer, contact or coworker."""

    kind: str
    weight: float
    tie_kind: str = ""
    strength: int = 0
    since: date | None = None
    introduced_by: PersonRef | None = None
    affiliation: str = ""
    affiliation_kind: str = ""
    my_year: int | None = None
    their_year: int | None = None
    same_time: bool = False
    introduced: str = ""  # the person the introducer introduced you to
    source: str = ""
    organization: str = ""  # a coworker's workplace; a former employer


@dataclass(frozen=True, slots=True)
class Link:
    """One step of a path, reaching ``person``; the first step starts from you."""

    person: PersonRef
    weight: float
    reason: Reason
    other_reasons: tuple[Reason, ...] = ()
    last_contact: date | None = None


@dataclass(frozen=True, slots=True)
class Path:
    links: tuple[Link, ...]
    score: int
    job: Job | None = None  # the end person's job at the organization, if the goal was one
    end_factor: float = 1.0
    length_factor: float = 1.0
    today: date = field(default_factory=lambda: timezone.localdate())

    @property
    def end(self) -> PersonRef:
        return self.links[-1].person

    @property
    def first(self) -> PersonRef:
        return self.links[0].person

    @property
    def people(self) -> list[PersonRef]:
        return [link.person for link in self.links]

    @property
    def hops(self) -> int:
        return len(self.links)

    @property
    def warmth(self) -> str:
        return warmth_word(self.score)

    @property
    def key(self) -> str:
        return "-".join(str(person.id) for person in self.people)

    def explain(self) -> str:
        return explain(self)


def warmth_word(score: int) -> str:
    if score >= 70:
        return "warm"
    if score >= 40:
        return "lukewarm"
    return "cool"


# --------------------------------------------------------------------------------------
# Loading what the search needs
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tie:
    kind: str
    strength: int
    since: date | None
    weight: float


@dataclass
class _Slice:
    """The part of the network around the goal, held in memory."""

    people: dict[int, PersonRef] = field(default_factory=dict)
    adjacent: dict[int, dict[int, _Tie]] = field(default_factory=lambda: defaultdict(dict))
    coworkers: dict[int, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))
    first: dict[int, Link] = field(default_factory=dict)


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    items = sorted(set(ids))
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _rows_for_ids(
    make: Callable[[list[int]], QuerySet[Any]], ids: Iterable[int]
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``make(chunk)`` for every chunk of ``ids`` (one query for usual sizes)."""
    for chunk in _chunks(ids):
        yield from make(chunk)


def tie_weight(kind: str, strength: int) -> float:
    return TIE_KIND_WEIGHT.get(kind, 0.6) * (0.5 + 0.1 * max(1, min(5, strength)))


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


class _Loader:
    """Reads the slice of ``owner``'s network around a set of goal people."""

    def __init__(self, owner: Any, today: date) -> None:
        self.owner = owner
        self.today = today

    def ties_touching(self, ids: set[int]) -> list[tuple[int, int, str, int, date | None]]:
        """Ties between two people (not yours) with one end in ``ids``.

        Two queries, one per end, so that each goes down its (owner, person) index.
        """
        found: dict[int, tuple[int, int, str, int, date | None]] = {}
        for column in ("from_person_id", "to_person_id"):

            def make(chunk: list[int], column: str = column) -> QuerySet[Any]:
                return (
                    Tie.objects.filter(owner=self.owner, **{f"{column}__in": chunk})
                    .order_by()
                    .values_list(
                        "pk", "from_person_id", "to_person_id", "kind", "strength", "since"
                    )
                )

            for pk, a, b, kind, strength, since in _rows_for_ids(make, ids):
                if a is not None:
                    found[pk] = (a, b, kind, strength, since)
        return list(found.values())

    def load(self, goals: set[int], *, coworkers_of: set[int] | None = None) -> _Slice:
        data = _Slice()
        rows = self.ties_touching(goals)
        near: set[int] = set()
        for a, b, *_rest in rows:
            near.update((a, b))
        # Colleagues of the goal person (paths to one person): people at their workplace.
        if coworkers_of:
            for person_id, org_id, org_name in self._coworkers(coworkers_of):
                for goal in coworkers_of & self._workplaces_of.get(org_id, set()):
                    if person_id != goal:
                        data.coworkers[goal][person_id] = org_name
                        near.add(person_id)
        near -= goals
        if near:
            rows += self.ties_touching(near)
        for a, b, kind, strength, since in rows:
            weight = tie_weight(kind, strength)
            tie = _Tie(kind, strength, since, weight)
            for x, y in ((a, b), (b, a)):
                known = data.adjacent[x].get(y)
                if known is None or known.weight < weight:
                    data.adjacent[x][y] = tie
        area = set(goals) | near
        for ids in data.adjacent.values():
            area.update(ids)
        self._load_people(data, area)
        self._load_first_links(data, area)
        return data

    _workplaces_of: dict[int, set[int]]

    def _coworkers(self, goals: set[int]) -> list[tuple[int, int, str]]:
        workplaces = list(
            Employment.objects.filter(
                owner=self.owner, person_id__in=goals, is_current=True
            ).values_list("organization_id", "person_id")
        )
        self._workplaces_of = defaultdict(set)
        for org_id, person_id in workplaces:
            self._workplaces_of[org_id].add(person_id)
        if not workplaces:
            return []
        return list(
            Employment.objects.filter(
                owner=self.owner, organization_id__in=self._workplaces_of, is_current=True
            ).values_list("person_id", "organization_id", "organization__name")
        )

    def _load_people(self, data: _Slice, area: set[int]) -> None:
        self.sources: dict[int, tuple[str, date | None]] = {}

        def make(chunk: list[int]) -> QuerySet[Any]:
            return (
                Person.objects.filter(owner=self.owner, pk__in=chunk)
                .order_by()
                .values_list(
                    "pk",
                    "first_name",
                    "last_name",
                    "level",
                    "do_not_contact",
                    "source",
                    "last_contacted_on",
                )
            )

        for pk, first, last, level, dnc, source, contacted in _rows_for_ids(make, area):
            data.people[pk] = PersonRef(pk, first, last, level, dnc)
            self.sources[pk] = (source, contacted)

    def _load_first_links(self, data: _Slice, area: set[int]) -> None:
        reasons: dict[int, list[Reason]] = defaultdict(list)
        last_contact: dict[int, date] = {}

        def touch(person_id: int, day: date | None) -> None:
            if day is not None and (person_id not in last_contact or last_contact[person_id] < day):
                last_contact[person_id] = day

        # Your own ties, and the people who introduced you to someone.
        def my_ties(chunk: list[int]) -> QuerySet[Any]:
            return (
                Tie.objects.filter(owner=self.owner, from_person__isnull=True)
                .filter(Q(to_person_id__in=chunk) | Q(introduced_by_id__in=chunk))
                .order_by()
                .values_list(
                    "to_person_id",
                    "kind",
                    "strength",
                    "since",
                    "introduced_by_id",
                    "to_person__first_name",
                    "to_person__last_name",
                )
            )

        introductions: dict[int, tuple[date | None, str]] = {}
        pending_introducers: list[tuple[int, int]] = []
        for to_id, kind, strength, since, introducer, first, last in _rows_for_ids(my_ties, area):
            if to_id in area:
                pending_introducers.append((to_id, introducer or 0))
                reasons[to_id].append(
                    Reason(
                        "tie",
                        tie_weight(kind, strength),
                        tie_kind=kind,
                        strength=strength,
                        since=since,
                    )
                )
                touch(to_id, since)
            if introducer and introducer in area:
                name = f"{first} {last}".strip()
                known = introductions.get(introducer)
                if known is None or (since or date.min) > (known[0] or date.min):
                    introductions[introducer] = (since, name)
        for introducer, (since, name) in introductions.items():
            reasons[introducer].append(
                Reason("introducer", INTRODUCER_WEIGHT, since=since, introduced=name)
            )
            touch(introducer, since)
        # Name the introducer on the tie it explains.
        for to_id, introducer in pending_introducers:
            if introducer and introducer in data.people:
                reasons[to_id] = [
                    Reason(
                        r.kind,
                        r.weight,
                        tie_kind=r.tie_kind,
                        strength=r.strength,
                        since=r.since,
                        introduced_by=data.people[introducer],
                    )
                    if r.kind == "tie"
                    else r
                    for r in reasons[to_id]
                ]

        self._shared_affiliations(area, reasons)

        # When you last talked: interactions and the person's "last contacted".
        def interactions(chunk: list[int]) -> QuerySet[Any]:
            return (
                Interaction.objects.filter(owner=self.owner, person_id__in=chunk)
                .values("person_id")
                .annotate(last=Max("occurred_at"))
                .values_list("person_id", "last")
            )

        for person_id, last in _rows_for_ids(interactions, area):
            if isinstance(last, datetime):
                touch(
                    person_id,
                    timezone.localtime(last).date() if timezone.is_aware(last) else last.date(),
                )
        for person_id, (_source, contacted) in self.sources.items():
            touch(person_id, contacted)

        for person_id in area:
            person = data.people.get(person_id)
            if person is None:
                continue
            found = reasons.get(person_id, [])
            if not found:
                source = self.sources[person_id][0]
                found = [Reason("contact", CONTACT_WEIGHT.get(source, 0.2), source=source)]
            recency = recency_factor(last_contact.get(person_id), self.today)
            weighted = sorted(
                (
                    (r.weight * (recency if r.kind in {"tie", "introducer", "contact"} else 1.0), r)
                    for r in found
                ),
                key=lambda item: -item[0],
            )
            best_weight, best = weighted[0]
            weight = min(1.0, best_weight + EXTRA_REASON_BONUS * (len(weighted) - 1))
            data.first[person_id] = Link(
                person,
                weight,
                best,
                tuple(r for _w, r in weighted[1:]),
                last_contact.get(person_id),
            )

    def _shared_affiliations(self, area: set[int], reasons: dict[int, list[Reason]]) -> None:
        mine = list(
            MyAffiliation.objects.filter(owner=self.owner).values_list(
                "affiliation_id",
                "affiliation__name",
                "affiliation__kind",
                "affiliation__organization_id",
                "affiliation__organization__name",
                "class_year",
                "start_year",
                "end_year",
                "detail",
            )
        )
        if not mine:
            return
        by_affiliation = {row[0]: row for row in mine}

        def members(chunk: list[int]) -> QuerySet[Any]:
            return (
                Membership.objects.filter(
                    owner=self.owner, person_id__in=chunk, affiliation_id__in=by_affiliation
                )
                .order_by()
                .values_list(
                    "person_id", "affiliation_id", "class_year", "start_year", "end_year", "detail"
                )
            )

        seen: set[tuple[int, str]] = set()
        for person_id, affiliation_id, their_class, start, end, detail in _rows_for_ids(
            members, area
        ):
            _id, name, kind, _org, org_name, my_class, my_start, my_end, my_detail = by_affiliation[
                affiliation_id
            ]
            weight, same_time = affiliation_weight(
                kind, (my_class, my_start, my_end, my_detail), (their_class, start, end, detail)
            )
            seen.add((person_id, name))
            reasons[person_id].append(
                Reason(
                    "affiliation",
                    weight,
                    affiliation=name,
                    affiliation_kind=kind,
                    my_year=my_class,
                    their_year=their_class,
                    same_time=same_time,
                    organization=org_name or "",
                )
            )
        # A former employer of yours where they worked too (from their jobs).
        employers = {
            row[3]: row for row in mine if row[2] == AffiliationKind.FORMER_EMPLOYER and row[3]
        }
        if not employers:
            return

        def jobs(chunk: list[int]) -> QuerySet[Any]:
            return (
                Employment.objects.filter(
                    owner=self.owner, person_id__in=chunk, organization_id__in=employers
                )
                .order_by()
                .values_list("person_id", "organization_id", "start_date", "end_date", "is_current")
            )

        for person_id, org_id, start, end, current in _rows_for_ids(jobs, area):
            _id, name, kind, _org, org_name, _class, my_start, my_end, _detail = employers[org_id]
            if (person_id, name) in seen:
                continue
            seen.add((person_id, name))
            their_end = None if current else (end.year if end else None)
            weight, same_time = affiliation_weight(
                kind,
                (None, my_start, my_end, ""),
                (None, start.year if start else None, their_end, ""),
            )
            reasons[person_id].append(
                Reason(
                    "affiliation",
                    weight,
                    affiliation=name,
                    affiliation_kind=kind,
                    same_time=same_time and start is not None,
                    organization=org_name or "",
                )
            )


# --------------------------------------------------------------------------------------
# The search
# --------------------------------------------------------------------------------------


def _chains(data: _Slice, goal: int, per_person: int) -> list[tuple[float, tuple[Link, ...]]]:
    """The warmest chains of links from you to ``goal``, best first (before the job factor)."""
    people = data.people
    target = people.get(goal)
    if target is None or target.do_not_contact:
        return []

    def usable(person_id: int) -> bool:
        person = people.get(person_id)
        return person is not None and not person.do_not_contact and person_id in data.first

    def step(from_id: int, to_id: int) -> Link | None:
        tie = data.adjacent.get(from_id, {}).get(to_id)
        coworker_at = data.coworkers.get(to_id, {}).get(from_id)
        person = people[to_id]
        if tie is None and coworker_at is None:
            return None
        if tie is not None and (coworker_at is None or tie.weight >= COWORKER_WEIGHT):
            return Link(
                person,
                tie.weight,
                Reason(
                    "tie", tie.weight, tie_kind=tie.kind, strength=tie.strength, since=tie.since
                ),
            )
        return Link(
            person,
            COWORKER_WEIGHT,
            Reason("coworker", COWORKER_WEIGHT, organization=coworker_at or ""),
        )

    def neighbours(person_id: int) -> set[int]:
        found = set(data.adjacent.get(person_id, {}))
        found.update(data.coworkers.get(person_id, {}))
        return found

    found: list[tuple[float, tuple[Link, ...]]] = []
    if goal in data.first:
        link = data.first[goal]
        found.append((link.weight, (link,)))
    for b in neighbours(goal):
        if b == goal or people.get(b) is None or people[b].do_not_contact:
            continue
        last = step(b, goal)
        if last is None:
            continue
        if usable(b):
            first = data.first[b]
            found.append((first.weight * last.weight * LENGTH_FACTOR, (first, last)))
        for a in data.adjacent.get(b, {}):
            if a in (goal, b) or not usable(a):
                continue
            middle = step(a, b)
            if middle is None:
                continue
            first = data.first[a]
            score = first.weight * middle.weight * last.weight * LENGTH_FACTOR**2
            found.append((score, (first, middle, last)))
    found.sort(key=lambda item: (-item[0], len(item[1]), [link.person.id for link in item[1]]))
    return found[:per_person]


def _make_path(weight: float, links: tuple[Link, ...], job: Job | None, today: date) -> Path:
    end_factor = job.factor(today) if job is not None else 1.0
    length_factor = LENGTH_FACTOR ** (len(links) - 1)
    score = max(1, round(100 * weight * end_factor))
    return Path(links, score, job, end_factor, length_factor, today)


@dataclass
class WarmPaths:
    """Every reachable person at the goal, with their warmest paths (best first)."""

    by_person: dict[int, list[Path]]
    jobs: dict[int, Job] = field(default_factory=dict)  # person id -> job at the organization
    people: dict[int, PersonRef] = field(default_factory=dict)

    def ranked(self, limit: int | None = 10, per_person: int = 2) -> list[Path]:
        paths = [path for found in self.by_person.values() for path in found[:per_person]]
        paths.sort(key=lambda p: (-p.score, p.hops, p.end.name, p.key))
        return paths if limit is None else paths[:limit]

    def best(self) -> Path | None:
        ranked = self.ranked(limit=1, per_person=1)
        return ranked[0] if ranked else None

    @property
    def reached(self) -> int:
        return sum(1 for found in self.by_person.values() if found)

    @property
    def advocacy(self) -> int:
        """0-100: the warmest way in counts most, the second and third add to it.

        Half the warmth of the best path to one person there, three tenths of the
        second-best person's, two tenths of the third's: one warm friend inside is worth
        a lot, and several people who could speak for you are worth more.
        """
        best = sorted((found[0].score for found in self.by_person.values() if found), reverse=True)
        best += [0, 0, 0]
        return round(
            sum(weight * score for weight, score in zip(ADVOCACY_WEIGHTS, best, strict=False))
        )


def _jobs_at(owner: Any, organization_ids: Iterable[int]) -> dict[int, dict[int, Job]]:
    """organization id -> person id -> their job there (a current job wins over a former)."""
    found: dict[int, dict[int, Job]] = defaultdict(dict)
    rows = (
        Employment.objects.filter(owner=owner, organization_id__in=list(organization_ids))
        .order_by("pk")
        .values_list(
            "person_id",
            "organization_id",
            "organization__name",
            "title",
            "department",
            "is_current",
            "end_date",
            "has_hiring_authority",
        )
    )
    for row in rows:
        job = Job(*row)
        known = found[job.organization_id].get(job.person_id)
        if (
            known is None
            or (job.is_current and not known.is_current)
            or (job.is_current == known.is_current and job.has_hiring_authority)
        ):
            found[job.organization_id][job.person_id] = job
    return found


def paths_to_organizations(
    owner: Any,
    organization_ids: Iterable[int],
    *,
    per_person: int = 2,
    today: date | None = None,
) -> dict[int, WarmPaths]:
    """Warm paths into several organizations at once, in a fixed number of queries."""
    today = today or timezone.localdate()
    ids = list(dict.fromkeys(organization_ids))
    jobs = _jobs_at(owner, ids)
    goals = {person_id for by_person in jobs.values() for person_id in by_person}
    data = _Loader(owner, today).load(goals) if goals else _Slice()
    chains = {goal: _chains(data, goal, per_person) for goal in goals}
    result: dict[int, WarmPaths] = {}
    for org_id in ids:
        by_person: dict[int, list[Path]] = {}
        for person_id, job in jobs.get(org_id, {}).items():
            found = [_make_path(w, links, job, today) for w, links in chains.get(person_id, [])]
            if found:
                by_person[person_id] = found
        result[org_id] = WarmPaths(
            by_person,
            dict(jobs.get(org_id, {})),
            {pid: data.people[pid] for pid in jobs.get(org_id, {}) if pid in data.people},
        )
    return result


def paths_to_organization(
    owner: Any, organization: Organization | int, *, per_person: int = 2, today: date | None = None
) -> WarmPaths:
    org_id = organization if isinstance(organization, int) else organization.pk
    return paths_to_organizations(owner, [org_id], per_person=per_person, today=today)[org_id]


def paths_to_person(
    owner: Any, person: Person | int, *, per_person: int = 10, today: date | None = None
) -> WarmPaths:
    """Warm paths to one person; their colleagues at their current workplace count too."""
    person_id = person if isinstance(person, int) else person.pk
    return paths_to_people(owner, [person_id], per_person=per_person, today=today)[person_id]


def paths_to_people(
    owner: Any,
    people: Iterable[Person | int],
    *,
    per_person: int = 10,
    today: date | None = None,
) -> dict[int, WarmPaths]:
    """Warm paths to each of several people, from one load of the network around them.

    The same answer as :func:`paths_to_person` for each person, in a fixed number of
    queries whatever the number of people: their slices are read together, and each
    search sees only its own goal's colleagues (as a search for one person would).
    """
    today = today or timezone.localdate()
    ids = list(dict.fromkeys(p if isinstance(p, int) else p.pk for p in people))
    if not ids:
        return {}
    goals = set(ids)
    data = _Loader(owner, today).load(goals, coworkers_of=goals)
    result: dict[int, WarmPaths] = {}
    for person_id in ids:
        own = replace(data, coworkers={person_id: data.coworkers.get(person_id, {})})
        found = [
            _make_path(w, links, None, today) for w, links in _chains(own, person_id, per_person)
        ]
        known = {person_id: data.people[person_id]} if person_id in data.people else {}
        result[person_id] = WarmPaths({person_id: found} if found else {}, {}, known)
    return result


# --------------------------------------------------------------------------------------
# Hiring authority
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HiringContact:
    person: PersonRef
    job: Job
    flagged: bool  # has_hiring_authority; otherwise suggested from title, department or level
    hint: str  # why they are suggested
    path: Path | None  # the warmest path to them
    hops: int | None  # links from you to them (None: no known way)
    via: Path | None  # your warmest contact there, when going through them is shorter

    @property
    def route(self) -> str:
        if self.path is not None and (self.via is None or self.path.hops <= self.via.hops + 1):
            return " → ".join(["you", *(p.name for p in self.path.people)])
        if self.via is not None:
            names = [p.name for p in self.via.people]
            return " → ".join(["you", *names, self.person.name])
        return ""


def suggestion_hint(job: Job, level: str) -> str:
    """Why someone may hire, from their title, department or level ("" if nothing says so)."""
    for text in (job.title, job.department):
        match = HIRING_WORDS.search(text or "")
        if match and not NOT_HIRING_WORDS.search(text or ""):
            return f"“{match.group(0)}” in {'title' if text == job.title else 'department'}"
    if level in {Level.MANAGER, Level.EXECUTIVE}:
        return f"{Level(level).label.lower()} level"
    return ""


def hiring_authority(warm: WarmPaths) -> list[HiringContact]:
    """The people who hire at the organization (flagged first, then suggested), with hops."""
    best_current = next(
        (
            path
            for path in warm.ranked(limit=None, per_person=1)
            if path.job and path.job.is_current
        ),
        None,
    )
    contacts: list[HiringContact] = []
    for person_id, job in warm.jobs.items():
        person = warm.people.get(person_id)
        if person is None or not job.is_current:
            continue
        hint = "" if job.has_hiring_authority else suggestion_hint(job, person.level)
        if not job.has_hiring_authority and not hint:
            continue
        found = warm.by_person.get(person_id, [])
        path = found[0] if found else None
        via = (
            best_current if best_current is not None and best_current.end.id != person_id else None
        )
        hops_options = [p.hops for p in (path,) if p is not None]
        if via is not None:
            hops_options.append(via.hops + 1)
        contacts.append(
            HiringContact(
                person,
                job,
                job.has_hiring_authority,
                hint,
                path,
                min(hops_options) if hops_options else None,
                via if via is not None and (path is None or via.hops + 1 < path.hops) else None,
            )
        )
    contacts.sort(
        key=lambda c: (
            not c.flagged,
            c.hops if c.hops is not None else 99,
            -(c.path.score if c.path else 0),
            c.person.name,
        )
    )
    return contacts


# --------------------------------------------------------------------------------------
# Explanations
# --------------------------------------------------------------------------------------


def _count(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def _when(day: date | None, today: date) -> str:
    if day is None:
        return ""
    if day.year == today.year:
        return "this year"
    if day.year == today.year - 1:
        return "last year"
    return f"in {day.year}"


def _years_apart(first_name: str, mine: int | None, theirs: int | None) -> str:
    if theirs is None:
        return ""
    if mine is None:
        return f"{first_name} graduated in {theirs}"
    gap = theirs - mine
    if gap == 0:
        return f"in the same class ({theirs})"
    amount = "a year" if abs(gap) == 1 else f"{_count(abs(gap))} years"
    return f"{first_name} graduated {amount} {'before' if gap < 0 else 'after'} you"


def _affiliation_clause(reason: Reason, person: PersonRef) -> str:
    name = reason.affiliation
    kind = reason.affiliation_kind
    if kind == AffiliationKind.SCHOOL:
        text = f"you both studied at {name}"
        detail = _years_apart(person.short, reason.my_year, reason.their_year)
        return f"{text}, {detail}" if detail else text
    if kind == AffiliationKind.FORMER_EMPLOYER:
        place = reason.organization
        text = f"you both worked at {place}" if place else f"you are both in {name}"
        return f"{text} at the same time" if reason.same_time else text
    if kind == AffiliationKind.ASSOCIATION:
        return f"you are both members of {name}"
    return f"you are both part of {name}"


TIE_NOUNS: dict[str, str] = {
    TieKind.FRIEND: "your friend",
    TieKind.FAMILY: "a relative of yours",
    TieKind.COLLEAGUE: "your colleague",
    TieKind.CLASSMATE: "your classmate",
    TieKind.ACQUAINTANCE: "someone you know",
}
SOURCE_NOUNS: dict[str, str] = {
    Source.LINKEDIN: "a LinkedIn connection of yours",
    Source.REFERRAL: "a referral you received",
    Source.ALUMNI_DIRECTORY: "from your alumni directory",
    Source.ASSOCIATION_DIRECTORY: "from an association directory",
    Source.FRIEND: "someone you know",
    Source.MANUAL: "in your contacts, no tie recorded yet",
}


def _how_you_know(link: Link, today: date, *, clause: bool) -> str:
    """How you know the first person of a path: a noun phrase, or a clause naming them."""
    reason = link.reason
    person = link.person
    subject = f"{person.short} is " if clause else ""
    if reason.kind == "affiliation":
        return _affiliation_clause(reason, person)
    if reason.kind == "introducer":
        when = _when(reason.since, today)
        return f"{person.short} introduced you to {reason.introduced}{' ' + when if when else ''}"
    if reason.kind == "contact":
        phrase = SOURCE_NOUNS.get(reason.source, "in your contacts")
        if phrase.startswith(("from", "in ")):
            return f"{person.short} is {phrase}" if clause else phrase
        return subject + phrase
    # a tie of yours
    kind = reason.tie_kind
    if kind in {TieKind.INTRODUCED, TieKind.REFERRED}:
        verb = "introduced to you" if kind == TieKind.INTRODUCED else "referred to you"
        by = f" by {reason.introduced_by.name}" if reason.introduced_by else ""
        when = _when(reason.since, today)
        text = f"{person.short} was {verb}{by}" if clause else f"{verb}{by}"
        return f"{text} {when}".strip()
    noun = TIE_NOUNS.get(kind, "someone you know")
    if kind == TieKind.FRIEND and reason.strength >= 5:
        noun = "a close friend of yours"
    if reason.since is not None and kind in {TieKind.FRIEND, TieKind.COLLEAGUE, TieKind.CLASSMATE}:
        noun += f" since {reason.since.year}"
    if reason.introduced_by is not None:
        noun += f" (introduced by {reason.introduced_by.name})"
    return subject + noun


def _knows(link: Link) -> str:
    """The verb between two people in a path, from the link reaching the second."""
    reason = link.reason
    if reason.kind == "coworker":
        return "works with"
    verbs: dict[str, str] = {
        TieKind.FRIEND: "is a friend of",
        TieKind.FAMILY: "is related to",
        TieKind.COLLEAGUE: "has worked with",
        TieKind.CLASSMATE: "studied with",
    }
    return verbs.get(reason.tie_kind, "knows")


def describe_person(person: PersonRef, job: Job | None) -> str:
    """ "Dana Reyes (Acme, Data Science)", "Lee Park (formerly at Acme)" or the name alone."""
    if job is None:
        return person.name
    place = job.organization if job.is_current else f"formerly at {job.organization}"
    role = f", {job.role}" if job.role else ""
    return f"{person.name} ({place}{role})"


def explain(path: Path) -> str:
    """One plain sentence saying how you reach the end of ``path``.

    The outreach composer uses it as the connection sentence of a message, e.g.
    "Dana Reyes (Acme, Data Science) — you both studied at Northfield University,
    Dana graduated two years before you" or "Sam Ortiz knows Lee Park at Acme; Sam
    introduced you to Kim Ng last year".
    """
    today = path.today
    links = path.links
    first = links[0]
    if len(links) == 1:
        how = _how_you_know(first, today, clause=False)
        return f"{describe_person(first.person, path.job)} — {how}"
    job = path.job
    end = path.end.name
    if job is not None:
        end = (
            f"{end} at {job.organization}"
            if job.is_current
            else f"{end}, formerly at {job.organization}"
        )
    if links[-1].reason.kind == "coworker" and job is None:
        end = f"{end} at {links[-1].reason.organization}"
    chain = f"{first.person.name} {_knows(links[1])} "
    if len(links) == 3:
        chain += f"{links[1].person.name}, who {_knows(links[2])} "
    chain += end
    return f"{chain}; {_how_you_know(first, today, clause=True)}"
