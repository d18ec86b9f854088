"""Planning the demo's people: names, the user's family and cohorts, careers, cities."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from coffeechat.demo.plan import DEMO_TODAY, Job, Plan, PlannedPerson
from coffeechat.network.models import Level


def make_people(plan: Plan) -> None:
    """``plan.count`` people with a name, a level and the year they graduated."""
    rng = plan.rng
    names = plan.names
    people = plan.data.people
    levels = [spec.level for spec in plan.data.jobs.levels]
    weights = [spec.weight for spec in plan.data.jobs.levels]
    graduated = {spec.level: spec.graduated for spec in plan.data.jobs.levels}
    for _ in range(plan.count):
        for _attempt in range(50):
            name = (rng.choice(people.first_names), rng.choice(people.last_names))
            if name not in names:
                break
        names.add(name)
        level = rng.choices(levels, weights=weights)[0]
        low, high = graduated[level]
        plan.people.append(PlannedPerson(name[0], name[1], level, rng.randint(low, high)))


def rename(plan: Plan, index: int, last: str, first_names: Sequence[str]) -> None:
    person = plan.people[index]
    plan.names.discard((person.first, person.last))
    first = plan.rng.choice(first_names)
    while (first, last) in plan.names:
        first = plan.rng.choice(first_names)
    person.first, person.last = first, last
    plan.names.add((first, last))


def choose_cohorts(plan: Plan) -> None:
    """The user's family, and who worked with them, studied with them, meets them."""
    rng = plan.rng
    people = plan.people
    names = plan.data.people
    me = plan.data.me
    order = list(range(plan.count))
    rng.shuffle(order)
    plan.family = order[:4]
    mother, brother, aunt, cousin = plan.family
    rename(plan, mother, me.family_name, names.feminine_names)
    rename(plan, brother, me.family_name, names.masculine_names)
    rename(plan, aunt, people[aunt].last, names.feminine_names)
    rename(plan, cousin, people[aunt].last, names.first_names)
    years = {mother: (1978, 1985), brother: (2016, 2021), aunt: (1972, 1980)}
    for index, (low, high) in years.items():
        people[index].grad_year = rng.randint(low, high)
    for index in (mother, aunt):
        people[index].level = ""
    people[brother].level = Level.STAFF
    for index, relative in zip(plan.family, plan.data.notes.family, strict=True):
        people[index].role = relative.relation

    rest = order[4:]
    plan.ex_colleagues = sorted(rng.sample(rest, min(len(rest), plan.scaled(34))))
    plan.alumni = sorted(rng.sample(rest, min(len(rest), plan.scaled(44))))
    plan.association = sorted(rng.sample(rest, min(len(rest), plan.scaled(36))))
    plan.classmates = plan.alumni[: max(2, len(plan.alumni) // 3)]
    class_year = me.school.class_year or DEMO_TODAY.year
    for index in plan.classmates:
        people[index].grad_year = rng.randint(class_year - 1, class_year + 1)
        if people[index].level == Level.EXECUTIVE:
            people[index].level = Level.MANAGER
    for index in plan.ex_colleagues:
        person = people[index]
        person.grad_year = min(person.grad_year, 2018)


def title(plan: Plan, org: int, level: str) -> tuple[str, str, bool]:
    """A title, a department and whether they hire, for a job at ``org``."""
    spec = plan.data.organizations[org]
    jobs = plan.data.jobs
    kind = jobs.kinds[spec.kind]
    rng = plan.rng
    if level == Level.EXECUTIVE:
        return rng.choice(kind.executive_titles), jobs.executive_department, True
    if level == Level.HR:
        return rng.choice(jobs.hr_titles), kind.hr_department, False
    if level == Level.RECRUITER:
        return rng.choice(kind.recruiter_titles), jobs.recruiting_department, False
    department = rng.choice(spec.departments or kind.departments)
    titles = jobs.departments[department]
    if level == Level.MANAGER:
        return rng.choice(titles.managers), department, rng.random() < 0.85
    return rng.choice(titles.staff), department, False


def earlier_level(plan: Plan, level: str) -> str:
    roll = plan.rng.random()
    if level == Level.EXECUTIVE:
        return Level.MANAGER if roll < 0.75 else Level.EXECUTIVE
    if level == Level.MANAGER:
        return Level.STAFF if roll < 0.6 else Level.MANAGER
    if level == Level.RECRUITER:
        return Level.RECRUITER if roll < 0.6 else Level.HR
    if level == Level.HR:
        return Level.HR if roll < 0.8 else Level.STAFF
    return Level.STAFF


def make_careers(plan: Plan) -> None:
    """A current job for most, and up to three former ones, going back in time."""
    rng = plan.rng
    ex_colleagues = set(plan.ex_colleagues)
    former_employer = plan.landmarks.former_employer
    retired = {plan.family[0], plan.family[2]}
    for index, person in enumerate(plan.people):
        earliest = date(person.grad_year, 6, 1) + timedelta(days=rng.randint(0, 120))
        employed = index not in retired and rng.random() < 0.9
        was_there = index in ex_colleagues
        still_there = was_there and rng.random() < 0.25
        if not employed and person.level and rng.random() < 0.5:
            person.level = ""
        if index in retired:
            cursor = DEMO_TODAY - timedelta(days=rng.randint(2 * 365, 7 * 365))
        else:
            cursor = DEMO_TODAY - timedelta(days=rng.randint(30, 500))
        if employed:
            org = former_employer if still_there else plan.pick_org()
            job_title, department, hiring = title(plan, org, person.level or Level.STAFF)
            tenure = rng.randint(60, 9 * 365)
            start = max(DEMO_TODAY - timedelta(days=tenure), earliest)
            if was_there and not still_there:
                # leave room for a job at my former employer that overlaps mine (2016-2022)
                start = plan.day_between(date(2021, 1, 1), date(2025, 9, 1))
                start = max(start, earliest)
            person.jobs.append(Job(org, job_title, department, start, None, hiring))
            cursor = start - timedelta(days=rng.randint(10, 120))
        formers = rng.choice((0, 1, 1, 2, 2, 3))
        if was_there and not still_there:
            formers = max(formers, 1)
        level = person.level or Level.STAFF
        for number in range(formers):
            overlapping = was_there and not still_there and number == 0
            length = rng.randint(330, 6 * 365)
            end = cursor
            start = end - timedelta(days=length)
            if overlapping:
                end = min(end, date(2024, 6, 30))
                start = min(end - timedelta(days=rng.randint(400, 5 * 365)), date(2021, 6, 1))
            if start < earliest:
                if not overlapping:
                    break
                start = earliest
                if end <= start:
                    end = start + timedelta(days=rng.randint(365, 3 * 365))
            taken = [job.org for job in person.jobs]
            org = former_employer if overlapping else plan.pick_org(exclude=taken)
            level = earlier_level(plan, level)
            job_title, department, hiring = title(plan, org, level)
            person.jobs.append(Job(org, job_title, department, start, end, hiring))
            cursor = start - timedelta(days=rng.randint(10, 150))


def place_people(plan: Plan) -> None:
    """Where each person lives: mostly where they work; the family in the user's city."""
    rng = plan.rng
    cities = plan.data.people.cities
    names = [city.name for city in cities]
    weights = [city.weight for city in cities]
    time_zones = {city.name: city.time_zone for city in cities}
    for person in plan.people:
        current = person.current
        if current is not None and rng.random() < 0.75:
            person.location = plan.data.organizations[current.org].location
        else:
            person.location = rng.choices(names, weights=weights)[0]
        person.time_zone = time_zones[person.location]
    me = plan.data.me
    for index in plan.family:
        plan.people[index].location = me.city
        plan.people[index].time_zone = me.profile["time_zone"]
