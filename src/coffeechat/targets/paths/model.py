"""What a path is made of: people, jobs, the reasons for each link, the path itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from coffeechat.network.connections import Footing
from coffeechat.targets.paths.weights import (
    CURRENT_JOB_FACTOR,
    FORMER_JOB_FACTOR,
    RECENT_FORMER_JOB_FACTOR,
)


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
    """Why a link exists. ``kind`` is tie, affiliation, introducer, contact, mail (mail
    exchanged, no tie of yours) or coworker."""

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
    mails: int = 0  # mail exchanged (kind "mail")
    both_ways: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """One step of a path, reaching ``person``; the first step starts from you."""

    person: PersonRef
    weight: float
    reason: Reason
    other_reasons: tuple[Reason, ...] = ()
    last_contact: date | None = None
    footing: Footing | None = None  # the first link: what the data shows about them


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
    def first_is_known(self) -> bool:
        """You know the first person (network.connections says what counts)."""
        footing = self.links[0].footing
        return footing is not None and footing.is_known

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
        from coffeechat.targets.paths.sentences import explain  # sentences imports this module

        return explain(self)


def warmth_word(score: int) -> str:
    if score >= 70:
        return "warm"
    if score >= 40:
        return "lukewarm"
    return "cool"
