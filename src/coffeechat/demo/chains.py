"""Planning the chains from the demo user to people at their target organizations.

Referral chains ("X suggested I talk to Y, who put me in touch with Z") and social
chains several links deep ("my mother's hairdresser's brother has a friend at …").
The people a chain goes through are reserved, so background ties leave them alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from coffeechat.demo.plan import Plan
from coffeechat.network.models import Source, TieKind


def targets_with_staff(plan: Plan) -> list[tuple[int, list[int], list[int]]]:
    """Target organizations with (managers who hire, other current staff), both free."""
    result = []
    for org, spec in enumerate(plan.data.organizations):
        if not spec.target:
            continue
        hiring: list[int] = []
        staff: list[int] = []
        for index, person in enumerate(plan.people):
            current = person.current
            if current is None or current.org != org or index in plan.family:
                continue
            if index in plan.my_ties or index in plan.reserved:
                continue
            (hiring if current.hiring else staff).append(index)
        result.append((org, hiring, staff))
    return result


def make_referral_chains(plan: Plan) -> None:
    """I talked to A, who referred me to B, who referred me to C, who knows D (hiring)."""
    rng = plan.rng
    texts = plan.data.notes.referral
    warm = plan.data.people.tags.warm
    helpers = [i for i, kind in plan.my_ties.items() if kind in {"friend", "colleague"}]
    helpers.sort()
    candidates = [t for t in targets_with_staff(plan) if t[1] and t[2]]
    rng.shuffle(candidates)
    built = 0
    for org, hiring, staff in candidates:
        if built == plan.scaled(3) or not helpers:
            return
        hiring = [i for i in hiring if i not in plan.reserved]
        staff = [i for i in staff if i not in plan.reserved]
        if not hiring or not staff:
            continue
        c = rng.choice(staff)
        d = rng.choice(hiring)
        free_b = [i for i in plan.pick_free(range(plan.count), 3) if i not in {c, d}]
        if not free_b:
            return
        a = rng.choice(helpers)
        b = free_b[0]
        complete = built == 0 or rng.random() < 0.5
        built += 1
        plan.reserved.update({b, c, d})
        people = plan.people
        names = {
            "org": plan.data.organizations[org].name,
            **{key: people[i].first for key, i in zip("abcd", (a, b, c, d), strict=True)},
            **{f"{key}_full": people[i].full_name for key, i in (("a", a), ("c", c))},
        }
        plan.add_tie(a, b, rng.choice((TieKind.FRIEND, TieKind.COLLEAGUE)), 3)
        plan.add_tie(b, c, TieKind.FRIEND, rng.randint(3, 4))
        plan.add_tie(
            c, d, TieKind.COLLEAGUE, rng.randint(3, 4), note=texts.colleagues.format(**names)
        )
        start = plan.day_between(date(2026, 5, 1), date(2026, 8, 1))
        plan.add_tie(
            None,
            b,
            TieKind.REFERRED,
            2,
            introducer=a,
            since=start,
            note=texts.suggested.format(**names),
        )
        plan.add_tie(
            None,
            c,
            TieKind.REFERRED,
            2,
            introducer=b,
            since=start + timedelta(days=rng.randint(10, 25)),
            note=texts.put_in_touch.format(**names),
        )
        people[b].notes = texts.referrer_notes.format(**names)
        people[b].tags.append(warm)
        people[c].tags.append(warm)
        for index in (b, c):
            people[index].source = Source.REFERRAL
        people[d].source = Source.REFERRAL
        if complete:
            # the chain reached the person who can hire
            plan.add_tie(
                None,
                d,
                TieKind.REFERRED,
                1,
                introducer=c,
                since=start + timedelta(days=rng.randint(30, 60)),
                note=texts.introduced_to_manager.format(**names),
            )
            people[d].tags.append(warm)
            people[d].notes = texts.manager_notes.format(**names)
        else:
            people[d].notes = texts.manager_not_reached_notes.format(**names)


def make_social_chains(plan: Plan) -> None:
    """Several links deep: my mother's hairdresser's brother has a friend at …"""
    rng = plan.rng
    notes = plan.data.notes
    texts = notes.chain
    gender_of = plan.data.people.gender_of
    organizations = plan.data.organizations
    starters = sorted(
        i for i, kind in plan.my_ties.items() if kind in {"family", "friend", "classmate"}
    )
    if not starters:
        return
    for _number in range(plan.scaled(14)):
        targets = [t for t in targets_with_staff(plan) if t[1] or t[2]]
        if not targets:
            return
        org, hiring, staff = rng.choice(targets)
        pool = hiring if hiring and (rng.random() < 0.4 or not staff) else staff
        end = rng.choice(pool)
        links = rng.choice((3, 3, 4, 4, 5))
        start = rng.choice(starters)
        people = plan.people
        # people in between, with first names that differ along the chain
        seen = {people[start].first, people[end].first}
        middle: list[int] = []
        for index in plan.pick_free(range(plan.count), plan.count):
            if len(middle) == links - 1:
                break
            if index != end and people[index].first not in seen:
                middle.append(index)
                seen.add(people[index].first)
        if len(middle) < links - 1:
            return
        path = [start, *middle, end]
        plan.reserved.update(path[1:])
        labels: list[str] = []
        for step, (left, right) in enumerate(zip(path, path[1:], strict=False)):
            final = step == len(path) - 2
            gender = gender_of.get(people[right].first, "")
            choices = [
                link
                for link in (notes.final_links if final else notes.links)
                if link.gender in {"", gender} and link.label not in labels[-1:]
            ]
            link = rng.choice(choices)
            labels.append(link.label)
            note = texts.link.format(
                right=people[right].first, left=people[left].first, label=link.label
            )
            if final:
                job = people[right].current
                if job is not None:
                    org_name = organizations[job.org].name
                    note += texts.works_at.format(org=org_name, title=job.title)
            plan.add_tie(left, right, link.kind, rng.randint(link.low, link.high), note=note)
        if len(path) >= 4 and rng.random() < 0.4:
            i = rng.randrange(1, len(path) - 2)
            occasion = rng.choice(notes.occasions)
            plan.add_tie(
                path[i],
                path[i + 2],
                TieKind.INTRODUCED,
                rng.randint(1, 2),
                introducer=path[i + 1],
                note=texts.introduced_at.format(
                    introducer=people[path[i + 1]].first, occasion=occasion
                ),
            )
        relation = people[start].role or plan.my_ties[start]
        steps = [texts.first_step.format(relation=relation, first=people[start].first)]
        for label, (left, right) in zip(labels, zip(path, path[1:], strict=False), strict=True):
            steps.append(
                texts.step.format(left=people[left].first, label=label, right=people[right].first)
            )
        job = people[end].current
        at = texts.at.format(title=job.title, org=organizations[job.org].name) if job else ""
        people[end].notes = texts.notes.format(steps=texts.step_separator.join(steps), at=at)
        people[end].source = rng.choice((Source.FRIEND, Source.REFERRAL))
        for index in middle:
            people[index].source = Source.FRIEND
