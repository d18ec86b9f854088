"""What counts as a connection: what the data shows about how I know someone.

The one owner of the rule. A draft, a warm path's explanation and a "you know N people"
count may name only what this module finds (docs/warm-paths.md, "What counts as a
connection"):

- a **tie of mine** (``Tie`` with no ``from_person``), with its kind; a tie of kind
  "introduced" or "referred", or one naming who introduced us, is an **introduction**;
- an **introducer**: the person named as having introduced me to someone;
- a **shared affiliation**: a group on my own profile (``MyAffiliation``) the person
  belongs to, or a former employer of mine where they worked;
- the **source** of the row when it records a personal connection (a friend or
  acquaintance, a referral, a LinkedIn connection, my address book);
- **being in touch**: the person's "last contacted" date (a held conversation or
  imported messages set it).

A row that came from an alumni or association directory (or another list) and has none
of these is only "someone from your alumni directory": never a connection in common.

Everything is read in a fixed number of queries whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from coffeechat.accounts.models import MyAffiliation
from coffeechat.core.chunks import Ids, rows_for_ids
from coffeechat.network.models import (
    AffiliationKind,
    Employment,
    Membership,
    Person,
    Source,
    Tie,
    TieKind,
)

# Sources that record a personal connection by themselves.
KNOWN_SOURCES = frozenset({Source.FRIEND, Source.REFERRAL, Source.LINKEDIN, Source.ADDRESS_BOOK})
# Sources that only say where a name was found.
DIRECTORY_SOURCES = frozenset(
    {Source.ALUMNI_DIRECTORY, Source.ASSOCIATION_DIRECTORY, Source.DIRECTORY}
)
INTRODUCTION_KINDS = frozenset({TieKind.INTRODUCED, TieKind.REFERRED})

# How to call someone you have only through the source of their row.
SOURCE_PHRASES: dict[str, str] = {
    Source.LINKEDIN: "a LinkedIn connection of yours",
    Source.REFERRAL: "a referral you received",
    Source.ADDRESS_BOOK: "someone in your address book",
    Source.FRIEND: "someone you know",
    Source.ALUMNI_DIRECTORY: "someone from your alumni directory",
    Source.ASSOCIATION_DIRECTORY: "someone from your association's directory",
    Source.DIRECTORY: "someone from a directory or list you imported",
    Source.MANUAL: "in your contacts, no tie recorded yet",
}


def source_phrase(source: str) -> str:
    """ "someone from your alumni directory", "a LinkedIn connection of yours", …"""
    return SOURCE_PHRASES.get(source, "in your contacts, no tie recorded yet")


Years = tuple[int | None, int | None, int | None, str]  # class year, start, end, detail


@dataclass(frozen=True, slots=True)
class MyTie:
    """A tie between me and the person."""

    kind: str
    strength: int
    since: date | None
    introduced_by_id: int | None = None  # who introduced us (see introducers())

    @property
    def is_introduction(self) -> bool:
        return self.kind in INTRODUCTION_KINDS or self.introduced_by_id is not None


@dataclass(frozen=True, slots=True)
class Introduction:
    """The person introduced me to someone (named on a tie of mine)."""

    introduced_id: int
    introduced: str  # the name of the person they introduced me to
    since: date | None


@dataclass(frozen=True, slots=True)
class SharedAffiliation:
    """A group on my profile the person belongs to, with both sides' years."""

    name: str
    kind: str
    organization: str  # the school or employer behind the group, if known
    mine: Years
    theirs: Years


@dataclass(frozen=True, slots=True)
class Footing:
    """Everything the data shows about how I know one person."""

    person_id: int
    source: str
    talked_on: date | None = None  # "last contacted": the last time we talked
    ties: tuple[MyTie, ...] = ()
    introductions: tuple[Introduction, ...] = ()
    affiliations: tuple[SharedAffiliation, ...] = ()

    @property
    def is_known(self) -> bool:
        """I know them: a tie of mine, an introduction either way, a talk, a personal source."""
        return (
            bool(self.ties or self.introductions)
            or self.talked_on is not None
            or self.source in KNOWN_SOURCES
        )

    @property
    def was_introduced(self) -> bool:
        return any(tie.is_introduction for tie in self.ties)

    @property
    def shares_affiliation(self) -> bool:
        return bool(self.affiliations)

    @property
    def has_evidence(self) -> bool:
        """Something links us: I know them, or we share a group on my profile."""
        return self.is_known or self.shares_affiliation

    @property
    def is_directory_only(self) -> bool:
        return not self.has_evidence and self.source in DIRECTORY_SOURCES

    @property
    def phrase(self) -> str:
        """How to call them when nothing but their source links us."""
        return source_phrase(self.source)


@dataclass
class _Found:
    ties: list[MyTie] = field(default_factory=list)
    introductions: list[Introduction] = field(default_factory=list)
    affiliations: list[SharedAffiliation] = field(default_factory=list)


Row = tuple[str, date | None]  # a person's source and "last contacted"


def footings(
    owner: Any,
    people: Iterable[int],
    *,
    rows: Mapping[int, Row] | None = None,
    groups: bool = True,
    evidence_only: bool = False,
) -> dict[int, Footing]:
    """How I know each of ``people`` (ids of ``owner``'s people), in a fixed few queries.

    ``rows`` (person id -> (source, last contacted)) saves a query when the caller has
    read them; ``groups=False`` skips the shared affiliations (enough for
    :attr:`Footing.is_known`); ``evidence_only`` leaves out the people with no tie,
    introduction or shared group (the warm-path search reads tens of thousands).
    """
    ids = set(people)
    if rows is None:

        def read(chunk: Ids) -> QuerySet[Any]:
            return (
                Person.objects.filter(owner=owner, pk__in=chunk)
                .order_by()
                .values_list("pk", "source", "last_contacted_on")
            )

        rows = {pk: (source, talked) for pk, source, talked in rows_for_ids(read, ids)}
    ids &= rows.keys()
    found: dict[int, _Found] = defaultdict(_Found)
    _read_ties(owner, ids, found)
    if groups:
        _read_affiliations(owner, ids, found)
    if not evidence_only:
        for pk in ids - found.keys():
            found[pk] = _Found()
    return {
        pk: Footing(
            pk,
            rows[pk][0],
            rows[pk][1],
            tuple(item.ties),
            tuple(item.introductions),
            tuple(item.affiliations),
        )
        for pk, item in found.items()
    }


def footing(owner: Any, person: Person | int) -> Footing:
    """How I know one person."""
    pk = person if isinstance(person, int) else person.pk
    rows = None if isinstance(person, int) else {pk: (person.source, person.last_contacted_on)}
    return footings(owner, [pk], rows=rows).get(pk, Footing(pk, ""))


def _read_ties(owner: Any, ids: set[int], found: dict[int, _Found]) -> None:
    def mine(chunk: Ids) -> QuerySet[Any]:
        return (
            Tie.objects.filter(owner=owner, from_person__isnull=True)
            .filter(Q(to_person_id__in=chunk) | Q(introduced_by_id__in=chunk))
            .order_by()
            .values_list(
                "pk",
                "to_person_id",
                "kind",
                "strength",
                "since",
                "introduced_by_id",
                "to_person__first_name",
                "to_person__last_name",
            )
        )

    seen: set[int] = set()
    for row in rows_for_ids(mine, ids):
        pk, to_id, kind, strength, since, by_id, first, last = row
        if pk in seen:  # a tie can match two chunks
            continue
        seen.add(pk)
        if to_id in ids:
            found[to_id].ties.append(MyTie(kind, strength, since, by_id))
        if by_id in ids:
            name = f"{first} {last}".strip()
            found[by_id].introductions.append(Introduction(to_id, name, since))


def _read_affiliations(owner: Any, ids: set[int], found: dict[int, _Found]) -> None:
    mine = list(
        MyAffiliation.objects.filter(owner=owner).values_list(
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
    if not mine or not ids:
        return
    by_affiliation = {row[0]: row for row in mine}

    def members(chunk: Ids) -> QuerySet[Any]:
        return (
            Membership.objects.filter(
                owner=owner, person_id__in=chunk, affiliation_id__in=by_affiliation
            )
            .order_by()
            .values_list(
                "person_id", "affiliation_id", "class_year", "start_year", "end_year", "detail"
            )
        )

    seen: set[tuple[int, str]] = set()
    for person_id, affiliation_id, their_class, start, end, detail in rows_for_ids(members, ids):
        _id, name, kind, _org, org_name, my_class, my_start, my_end, my_detail = by_affiliation[
            affiliation_id
        ]
        seen.add((person_id, name))
        found[person_id].affiliations.append(
            SharedAffiliation(
                name,
                kind,
                org_name or "",
                (my_class, my_start, my_end, my_detail),
                (their_class, start, end, detail),
            )
        )
    # A former employer of mine where they worked too (from their jobs).
    employers = {
        row[3]: row for row in mine if row[2] == AffiliationKind.FORMER_EMPLOYER and row[3]
    }
    if not employers:
        return

    def jobs(chunk: Ids) -> QuerySet[Any]:
        return (
            Employment.objects.filter(
                owner=owner, person_id__in=chunk, organization_id__in=employers
            )
            .order_by()
            .values_list("person_id", "organization_id", "start_date", "end_date", "is_current")
        )

    for person_id, org_id, start, end, current in rows_for_ids(jobs, ids):
        _id, name, kind, _org, org_name, _class, my_start, my_end, _detail = employers[org_id]
        if (person_id, name) in seen:
            continue
        seen.add((person_id, name))
        their_end = None if current else (end.year if end else None)
        found[person_id].affiliations.append(
            SharedAffiliation(
                name,
                kind,
                org_name or "",
                (None, my_start, my_end, ""),
                (None, start.year if start else None, their_end, ""),
            )
        )


@dataclass(frozen=True, slots=True)
class Mutual:
    """Someone I may name to a person as our connection in common."""

    person_id: int
    first_name: str
    last_name: str
    how: str  # "introduced", "tie" or "coworker": how they relate to the person
    known_to_me: bool = False  # Footing.is_known

    @property
    def may_be_named(self) -> bool:
        """May be named to the person as a connection in common."""
        return self.how == "introduced" or self.known_to_me

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def mutual_connections(owner: Any, person: Person | int) -> list[Mutual]:
    """Who may be named to ``person`` as a connection in common.

    Someone who introduced or referred ``person`` to me (named on my tie to them); or
    someone I know (:attr:`Footing.is_known`) who has a tie with ``person`` or works
    where ``person`` works now.
    """
    return [m for m in people_around(owner, person) if m.may_be_named]


def people_around(owner: Any, person: Person | int) -> list[Mutual]:
    """Everyone with a tie to ``person``, working where they work, or who introduced
    them to me, and whether I know them; in a fixed few queries."""
    pk = person if isinstance(person, int) else person.pk
    how: dict[int, str] = {}
    for from_id, to_id, by_id in (
        Tie.objects.filter(owner=owner)
        .filter(Q(to_person_id=pk) | Q(from_person_id=pk))
        .values_list("from_person_id", "to_person_id", "introduced_by_id")
    ):
        if from_id is None:
            if by_id is not None:
                how[by_id] = "introduced"
            continue
        how.setdefault(to_id if from_id == pk else from_id, "tie")
    workplaces = Employment.objects.filter(owner=owner, person_id=pk, is_current=True).values(
        "organization_id"
    )
    for coworker in (
        Employment.objects.filter(owner=owner, organization_id__in=workplaces, is_current=True)
        .exclude(person_id=pk)
        .values_list("person_id", flat=True)
    ):
        how.setdefault(coworker, "coworker")
    if not how:
        return []
    # Unordered: ordered by name, SQLite would read the whole (owner, name) index.
    people = {
        row[0]: row
        for row in Person.objects.filter(owner=owner, pk__in=Ids(how))
        .order_by()
        .values_list("pk", "first_name", "last_name", "source", "last_contacted_on")
    }
    rows = {p: (row[3], row[4]) for p, row in people.items()}
    known = footings(owner, people, rows=rows, groups=False)
    return [
        Mutual(p, first, last, how[p], known[p].is_known)
        for p, (_pk, first, last, _source, _talked) in sorted(people.items())
    ]


def introducers(owner: Any, person: Person | int) -> list[str]:
    """Who introduced or referred ``person`` to me (named on my ties), closest tie first."""
    pk = person if isinstance(person, int) else person.pk
    return [
        f"{first} {last}".strip()
        for first, last in Tie.objects.filter(
            owner=owner, from_person__isnull=True, to_person_id=pk, introduced_by__isnull=False
        )
        .order_by("-strength", "pk")
        .values_list("introduced_by__first_name", "introduced_by__last_name")
    ]
