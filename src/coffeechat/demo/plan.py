"""The demo network planned in memory: people, their jobs and groups, and the ties.

:class:`Plan` holds the rows to write and the seeded random generator every
planning step draws from; the steps (:mod:`~coffeechat.demo.people`,
:mod:`~coffeechat.demo.memberships`, :mod:`~coffeechat.demo.ties`,
:mod:`~coffeechat.demo.chains`, :mod:`~coffeechat.demo.details`) fill it in turn.
People, organizations and groups are referred to by their index in the plan and in
the catalog, so nothing touches the database until the plan is written.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from coffeechat.demo.catalog import Catalog, catalog
from coffeechat.network.models import AffiliationKind, Source

DEFAULT_PEOPLE = 320  # the size every count of the plan is scaled from

# "Today" inside the demo data. Fixed, so that a seed gives the same rows on any day.
DEMO_TODAY = date(2026, 10, 1)


@dataclass(slots=True)
class Job:
    org: int
    title: str
    department: str
    start: date
    end: date | None
    hiring: bool = False


@dataclass(slots=True)
class Member:
    group: int
    detail: str = ""
    class_year: int | None = None
    start_year: int | None = None
    end_year: int | None = None


@dataclass(slots=True)
class PlannedPerson:
    first: str
    last: str
    level: str
    grad_year: int
    location: str = ""
    time_zone: str = ""
    jobs: list[Job] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    linkedin: str = ""
    source: str = Source.MANUAL
    channel: str = ""
    do_not_contact: bool = False
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    role: str = ""  # the relation, for the demo user's family

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def current(self) -> Job | None:
        return next((job for job in self.jobs if job.end is None), None)

    @property
    def former(self) -> list[Job]:
        return [job for job in self.jobs if job.end is not None]


@dataclass(slots=True)
class PlannedTie:
    source: int | None  # None: the demo user
    target: int
    kind: str
    strength: int
    introducer: int | None = None
    since: date | None = None
    note: str = ""


class Landmarks:
    """Catalog entries the planning steps look up by meaning, as indexes.

    The user's former employer, school and association, the groups of each kind, and
    the alumni group of each organization that has one.
    """

    def __init__(self, data: Catalog) -> None:
        me = data.me

        def org(name: str) -> int:
            return next(i for i, spec in enumerate(data.organizations) if spec.name == name)

        def group(name: str) -> int:
            return next(i for i, spec in enumerate(data.groups) if spec.name == name)

        def of_kind(kind: str) -> tuple[int, ...]:
            return tuple(i for i, spec in enumerate(data.groups) if spec.kind == kind)

        self.former_employer = org(me.former_employer.organization)
        self.my_school = group(me.school.group)
        self.my_association = group(me.association.group)
        self.schools = of_kind(AffiliationKind.SCHOOL)
        self.associations = of_kind(AffiliationKind.ASSOCIATION)
        self.communities = of_kind(AffiliationKind.COMMUNITY)
        self.alumni_group_of_org = {
            org(spec.organization): i
            for i, spec in enumerate(data.groups)
            if spec.kind == AffiliationKind.FORMER_EMPLOYER
        }


class Plan:
    """The rows of a demo network, and the generator that decides them."""

    def __init__(self, seed: int, count: int) -> None:
        self.data = catalog()
        self.landmarks = Landmarks(self.data)
        self.rng = random.Random(seed)
        self.count = count
        self.people: list[PlannedPerson] = []
        self.ties: list[PlannedTie] = []
        self.pairs: set[tuple[int, int]] = set()
        self.my_ties: dict[int, str] = {}  # person -> how I know them
        self.reserved: set[int] = set()  # in a chain: kept out of background ties
        self.family: list[int] = []
        self.ex_colleagues: list[int] = []  # worked at my former employer
        self.alumni: list[int] = []
        self.classmates: list[int] = []
        self.association: list[int] = []
        self.names: set[tuple[str, str]] = set()
        org_weights = []
        for index, org in enumerate(self.data.organizations):
            weight = self.data.jobs.kinds[org.kind].weight * (1.4 if org.target else 1.0)
            org_weights.append(weight * (1.5 if index == self.landmarks.former_employer else 1.0))
        self.org_weights = org_weights

    def scaled(self, value: int) -> int:
        return max(1, round(value * self.count / DEFAULT_PEOPLE))

    def pick_org(self, exclude: Iterable[int] = ()) -> int:
        excluded = set(exclude)
        while True:
            org = self.rng.choices(range(len(self.data.organizations)), weights=self.org_weights)[0]
            if org not in excluded:
                return org

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def pick_free(self, candidates: Sequence[int], count: int) -> list[int]:
        """Up to ``count`` of ``candidates`` that are neither my ties nor in a chain."""
        free = [
            i
            for i in candidates
            if i not in self.my_ties and i not in self.reserved and i not in self.family
        ]
        return self.rng.sample(free, min(count, len(free)))

    def add_tie(
        self,
        source: int | None,
        target: int,
        kind: str,
        strength: int,
        *,
        introducer: int | None = None,
        note: str = "",
        since: date | None = None,
    ) -> bool:
        """Add a tie unless it is one already there (either way) or loops; say whether."""
        if source == target or (introducer is not None and introducer in {source, target}):
            return False
        if source is None:
            if target in self.my_ties:
                return False
            self.my_ties[target] = kind
        else:
            pair = (min(source, target), max(source, target))
            if pair in self.pairs:
                return False
            self.pairs.add(pair)
        if since is None:
            since = self.day_between(date(2008, 1, 1), DEMO_TODAY - timedelta(days=20))
        self.ties.append(PlannedTie(source, target, kind, strength, introducer, since, note))
        return True
