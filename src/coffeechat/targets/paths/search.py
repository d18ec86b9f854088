"""The search: the warmest chains of at most three links from you to a goal person."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from django.utils import timezone

from coffeechat.network.models import Employment, Organization, Person
from coffeechat.targets.paths.loader import Loader, Slice
from coffeechat.targets.paths.model import Job, Link, Path, PersonRef, Reason
from coffeechat.targets.paths.weights import ADVOCACY_WEIGHTS, COWORKER_WEIGHT, LENGTH_FACTOR


def search_chains(data: Slice, goal: int, per_person: int) -> list[tuple[float, tuple[Link, ...]]]:
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


def make_path(weight: float, links: tuple[Link, ...], job: Job | None, today: date) -> Path:
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
        return self._best

    @cached_property
    def _best(self) -> Path | None:
        """Worked out once: a page asks for it several times (the paths never change)."""
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


def jobs_at(owner: Any, organization_ids: Iterable[int]) -> dict[int, dict[int, Job]]:
    """organization id -> person id -> their job there (a current job wins over a former)."""
    found: dict[int, dict[int, Job]] = defaultdict(dict)
    # Sorted here, not by the database: ORDER BY pk makes SQLite read every job of the
    # owner (the owner index is in pk order) instead of those at the organizations.
    rows = sorted(
        Employment.objects.filter(owner=owner, organization_id__in=list(organization_ids))
        .order_by()
        .values_list(
            "pk",
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
        job = Job(*row[1:])  # after the pk
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
    jobs = jobs_at(owner, ids)
    goals = {person_id for by_person in jobs.values() for person_id in by_person}
    data = Loader(owner, today).load(goals) if goals else Slice()
    found_chains = {goal: search_chains(data, goal, per_person) for goal in goals}
    result: dict[int, WarmPaths] = {}
    for org_id in ids:
        by_person: dict[int, list[Path]] = {}
        for person_id, job in jobs.get(org_id, {}).items():
            found = [
                make_path(w, links, job, today) for w, links in found_chains.get(person_id, [])
            ]
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
    data = Loader(owner, today).load(goals, coworkers_of=goals)
    result: dict[int, WarmPaths] = {}
    for person_id in ids:
        own = replace(data, coworkers={person_id: data.coworkers.get(person_id, {})})
        found = [
            make_path(w, links, None, today)
            for w, links in search_chains(own, person_id, per_person)
        ]
        known = {person_id: data.people[person_id]} if person_id in data.people else {}
        result[person_id] = WarmPaths({person_id: found} if found else {}, {}, known)
    return result
