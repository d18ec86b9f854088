"""Planning the demo's ties: the user's own, and the background ones between others.

The chains that run from the user to someone at a target are in
:mod:`coffeechat.demo.chains`; they are planned between the two steps here, so that
background ties keep out of the people a chain goes through.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from coffeechat.demo.plan import DEMO_TODAY, Plan
from coffeechat.network.models import TieKind


def overlaps_me_at_my_former_employer(plan: Plan, index: int) -> bool:
    mine = plan.data.me.former_employer
    first, last = mine.start_year or 0, mine.end_year or DEMO_TODAY.year
    for job in plan.people[index].jobs:
        if job.org == plan.landmarks.former_employer:
            end_year = job.end.year if job.end else DEMO_TODAY.year
            if job.start.year <= last and end_year >= first:
                return True
    return False


def make_my_ties(plan: Plan) -> None:
    """The user's family, former colleagues, classmates, acquaintances and friends."""
    rng = plan.rng
    notes = plan.data.notes
    for index, relative in zip(plan.family, notes.family, strict=True):
        plan.add_tie(
            None,
            index,
            TieKind.FAMILY,
            relative.strength,
            note=relative.note,
            since=relative.since,
        )
    mother, _brother, aunt, cousin = plan.family
    plan.add_tie(aunt, cousin, TieKind.FAMILY, 5, note=notes.aunt_and_cousin)
    plan.add_tie(mother, aunt, TieKind.FAMILY, 5, note=notes.mother_and_aunt)

    colleagues = [i for i in plan.ex_colleagues if overlaps_me_at_my_former_employer(plan, i)]
    for index in plan.pick_free(colleagues, plan.scaled(10)):
        plan.add_tie(
            None,
            index,
            TieKind.COLLEAGUE,
            rng.randint(2, 4),
            note=rng.choice(notes.my_ties[TieKind.COLLEAGUE]),
            since=plan.day_between(date(2016, 7, 1), date(2022, 3, 1)),
        )
    for index in plan.pick_free(plan.classmates, plan.scaled(8)):
        plan.add_tie(
            None,
            index,
            TieKind.CLASSMATE,
            rng.randint(2, 4),
            note=rng.choice(notes.my_ties[TieKind.CLASSMATE]),
            since=date(2012, 9, 1) + timedelta(days=rng.randint(0, 900)),
        )
    for index in plan.pick_free(plan.association, plan.scaled(5)):
        plan.add_tie(
            None,
            index,
            TieKind.ACQUAINTANCE,
            rng.randint(1, 2),
            note=rng.choice(notes.my_ties[TieKind.ACQUAINTANCE]),
            since=plan.day_between(date(2021, 2, 1), date(2026, 6, 1)),
        )
    for index in plan.pick_free(range(plan.count), plan.scaled(13)):
        plan.add_tie(
            None,
            index,
            TieKind.FRIEND,
            rng.randint(3, 5),
            note=rng.choice(notes.my_ties[TieKind.FRIEND]),
            since=plan.day_between(date(2004, 1, 1), date(2024, 1, 1)),
        )


def make_background_ties(plan: Plan) -> None:
    """Ties between people outside the chains: colleagues, classmates, groups, friends."""
    rng = plan.rng
    family = set(plan.family)
    free = [i for i in range(plan.count) if i not in plan.reserved and i not in family]
    by_org: dict[int, list[int]] = {}
    by_class: dict[tuple[int, int], list[int]] = {}
    by_group: dict[int, list[int]] = {}
    for index in free:
        person = plan.people[index]
        if person.current is not None:
            by_org.setdefault(person.current.org, []).append(index)
        for member in person.members:
            if member.class_year is not None:
                by_class.setdefault((member.group, member.class_year), []).append(index)
            else:
                by_group.setdefault(member.group, []).append(index)

    def link(groups: dict[Any, list[int]], kind: str, chance: float, low: int, high: int) -> None:
        for key in sorted(groups):
            members = groups[key]
            if len(members) < 2:
                continue
            for index in members:
                if rng.random() < chance:
                    other = rng.choice(members)
                    plan.add_tie(index, other, kind, rng.randint(low, high))

    link(by_org, TieKind.COLLEAGUE, 0.75, 2, 4)
    link(by_class, TieKind.CLASSMATE, 0.7, 1, 3)
    link(by_group, TieKind.ACQUAINTANCE, 0.45, 1, 3)
    for _ in range(plan.scaled(110)):
        a, b = rng.sample(free, 2)
        kind = rng.choice((TieKind.FRIEND, TieKind.FRIEND, TieKind.ACQUAINTANCE))
        plan.add_tie(a, b, kind, rng.randint(1, 5))

    # friends of a friend, introduced by them
    neighbours: dict[int, list[int]] = {}
    for tie in plan.ties:
        if tie.source is None or tie.source in plan.reserved or tie.target in plan.reserved:
            continue
        neighbours.setdefault(tie.source, []).append(tie.target)
        neighbours.setdefault(tie.target, []).append(tie.source)
    hubs = sorted(i for i, linked in neighbours.items() if len(linked) >= 2)
    introduced_at = plan.data.notes.chain.introduced_at
    added = 0
    for _ in range(plan.scaled(120)):
        if added >= plan.scaled(30) or not hubs:
            break
        hub = rng.choice(hubs)
        a, b = rng.sample(neighbours[hub], 2)
        occasion = rng.choice(plan.data.notes.occasions)
        note = introduced_at.format(introducer=plan.people[hub].first, occasion=occasion)
        if plan.add_tie(a, b, TieKind.INTRODUCED, rng.randint(1, 3), introducer=hub, note=note):
            added += 1
