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

from django.db.models import Max, QuerySet
from django.utils import timezone

from coffeechat.core.chunks import Ids, rows_for_ids
from coffeechat.network.connections import Footing, Introduction, footings
from coffeechat.network.exchanges import suggested_strength
from coffeechat.network.models import Employment, Interaction, MailExchange, Person, Tie
from coffeechat.targets.paths.model import Link, PersonRef, Reason
from coffeechat.targets.paths.weights import (
    CONTACT_WEIGHT,
    EXTRA_REASON_BONUS,
    INTRODUCER_WEIGHT,
    affiliation_weight,
    mail_weight,
    recency_factor,
    tie_weight,
)

# The reasons whose weight fades when you have not been in touch for long.
RECENT_KINDS = frozenset({"tie", "introducer", "contact", "mail"})


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

            def make(chunk: Ids, column: str = column) -> QuerySet[Any]:
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

        def make(chunk: Ids) -> QuerySet[Any]:
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
        """How you reach each person of the slice: what network.connections finds."""
        found = footings(self.owner, area, rows=self.sources, evidence_only=True)
        reasons: dict[int, list[Reason]] = {}
        last_contact: dict[int, date] = {}

        def touch(person_id: int, day: date | None) -> None:
            if day is not None and (person_id not in last_contact or last_contact[person_id] < day):
                last_contact[person_id] = day

        for person_id, footing in found.items():
            reasons[person_id] = self._reasons(footing, data)
            for tie in footing.ties:
                touch(person_id, tie.since)
            if footing.introductions:
                touch(person_id, _latest(footing.introductions).since)

        # When you last talked: interactions and the person's "last contacted".
        def interactions(chunk: Ids) -> QuerySet[Any]:
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

        # What the mailbox suggests, for people you have no tie with (a tie set by hand
        # is never overridden by it): network/exchanges.py holds the formula.
        def exchanges(chunk: Ids) -> QuerySet[Any]:
            return (
                MailExchange.objects.filter(owner=self.owner, person_id__in=chunk)
                .order_by()
                .values_list("person_id", "sent", "received", "last_at")
            )

        for person_id, sent, received, last_at in rows_for_ids(exchanges, area):
            last_on = timezone.localtime(last_at).date()
            touch(person_id, last_on)
            known = found.get(person_id)
            if known is not None and known.ties:
                continue
            strength = suggested_strength(sent, received, last_on, self.today)
            if strength:
                reasons.setdefault(person_id, []).append(
                    Reason(
                        "mail",
                        mail_weight(strength),
                        strength=strength,
                        since=last_on,
                        mails=sent + received,
                        both_ways=bool(sent and received),
                    )
                )

        # Most people of a large slice are plain contacts: one shared reason per source.
        contact: dict[str, Reason] = {}
        for person_id in area:
            person = data.people.get(person_id)
            if person is None:
                continue
            options = reasons.get(person_id)
            if not options:
                source = self.sources[person_id][0]
                if source not in contact:
                    contact[source] = Reason(
                        "contact", CONTACT_WEIGHT.get(source, 0.2), source=source
                    )
                options = [contact[source]]
            last = last_contact.get(person_id)
            recency = recency_factor(last, self.today)
            if len(options) == 1:  # the same as sorting one
                best = options[0]
                best_weight = best.weight * (recency if best.kind in RECENT_KINDS else 1.0)
                others: tuple[Reason, ...] = ()
            else:
                weighted = sorted(
                    ((r.weight * (recency if r.kind in RECENT_KINDS else 1.0), r) for r in options),
                    key=lambda item: -item[0],
                )
                best_weight, best = weighted[0]
                others = tuple(r for _w, r in weighted[1:])
            weight = min(1.0, best_weight + EXTRA_REASON_BONUS * len(others))
            data.first[person_id] = Link(person, weight, best, others, last, found.get(person_id))

    @staticmethod
    def _reasons(footing: Footing, data: Slice) -> list[Reason]:
        """The reasons of a first link: your ties, an introduction, shared groups."""
        reasons = [
            Reason(
                "tie",
                tie_weight(tie.kind, tie.strength),
                tie_kind=tie.kind,
                strength=tie.strength,
                since=tie.since,
                introduced_by=data.people.get(tie.introduced_by_id or 0),
            )
            for tie in footing.ties
        ]
        if footing.introductions:
            latest = _latest(footing.introductions)
            reasons.append(
                Reason(
                    "introducer",
                    INTRODUCER_WEIGHT,
                    since=latest.since,
                    introduced=latest.introduced,
                )
            )
        for shared in footing.affiliations:
            weight, same_time = affiliation_weight(shared.kind, shared.mine, shared.theirs)
            reasons.append(
                Reason(
                    "affiliation",
                    weight,
                    affiliation=shared.name,
                    affiliation_kind=shared.kind,
                    my_year=shared.mine[0],
                    their_year=shared.theirs[0],
                    same_time=same_time,
                    organization=shared.organization,
                )
            )
        return reasons


def _latest(introductions: tuple[Introduction, ...]) -> Introduction:
    """The most recent introduction (the first one found when they tie)."""
    return max(introductions, key=lambda i: i.since or date.min)
