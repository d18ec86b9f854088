"""Loading the slice of the network a search needs, in a fixed number of queries.

Only what the search needs comes from the database (``values_list``), whatever the
size of the network: the people around the goal, the ties one and two links away from
them, and how the user reaches those people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from coffeechat.accounts.models import MyAffiliation
from coffeechat.core.chunks import rows_for_ids
from coffeechat.network.models import (
    AffiliationKind,
    Employment,
    Interaction,
    Membership,
    Person,
    Tie,
)
from coffeechat.targets.paths.model import Link, PersonRef, Reason
from coffeechat.targets.paths.weights import (
    CONTACT_WEIGHT,
    EXTRA_REASON_BONUS,
    INTRODUCER_WEIGHT,
    affiliation_weight,
    recency_factor,
    tie_weight,
)


@dataclass(frozen=True, slots=True)
class TieRow:
    kind: str
    strength: int
    since: date | None
    weight: float


@dataclass
class Slice:
    """The part of the network around the goal, held in memory."""

    people: dict[int, PersonRef] = field(default_factory=dict)
    adjacent: dict[int, dict[int, TieRow]] = field(default_factory=lambda: defaultdict(dict))
    coworkers: dict[int, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))
    first: dict[int, Link] = field(default_factory=dict)


class Loader:
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

            for pk, a, b, kind, strength, since in rows_for_ids(make, ids):
                if a is not None:
                    found[pk] = (a, b, kind, strength, since)
        return list(found.values())

    def load(self, goals: set[int], *, coworkers_of: set[int] | None = None) -> Slice:
        data = Slice()
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
            tie = TieRow(kind, strength, since, weight)
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

    def _load_people(self, data: Slice, area: set[int]) -> None:
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

        for pk, first, last, level, dnc, source, contacted in rows_for_ids(make, area):
            data.people[pk] = PersonRef(pk, first, last, level, dnc)
            self.sources[pk] = (source, contacted)

    def _load_first_links(self, data: Slice, area: set[int]) -> None:
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
        for to_id, kind, strength, since, introducer, first, last in rows_for_ids(my_ties, area):
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

        for person_id, last in rows_for_ids(interactions, area):
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
        for person_id, affiliation_id, their_class, start, end, detail in rows_for_ids(
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

        for person_id, org_id, start, end, current in rows_for_ids(jobs, area):
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
