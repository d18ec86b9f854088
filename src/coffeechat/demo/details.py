"""Planning the details of the demo's people: addresses, sources, tags and notes."""

from __future__ import annotations

from django.utils.text import slugify

from coffeechat.demo.plan import Plan, PlannedPerson
from coffeechat.network.models import Level, Source, TieKind

HOSPITAL, AGENCY, NONPROFIT = "hospital", "agency", "nonprofit"  # kinds in jobs.toml


def make_details(plan: Plan) -> None:
    """E-mail addresses, phone numbers, LinkedIn, channel, source, tags and notes."""
    rng = plan.rng
    used_emails: set[str] = set()
    used_linkedin: set[str] = set()
    used_phones: set[str] = set()
    alumni = set(plan.alumni)
    association = set(plan.association)
    close = set(plan.family) | {i for i, kind in plan.my_ties.items() if kind == "friend"}
    people = plan.data.people
    channels = [channel for channel, _weight in people.channels]
    channel_weights = [weight for _channel, weight in people.channels]
    area_codes = {city.name: city.area_codes for city in people.cities}
    for index, person in enumerate(plan.people):
        first, last = slugify(person.first), slugify(person.last).replace("-", "")
        current = person.current
        spec = plan.data.organizations[current.org] if current else None
        # e-mail addresses: about 60% of people, more for those I know
        chance = 0.92 if index in plan.my_ties or index in plan.family else 0.55
        if rng.random() < chance:
            if spec is not None and index not in close and rng.random() < 0.7:
                local = f"{first}.{last}" if rng.random() < 0.75 else f"{first[0]}{last}"
                add_email(person, f"{local}@{spec.domain}", used_emails)
            if not person.emails or rng.random() < 0.3:
                suffix = str(rng.randint(2, 99)) if rng.random() < 0.4 else ""
                local = f"{first}{rng.choice(('.', '_', ''))}{last}{suffix}"
                add_email(person, f"{local}@{rng.choice(people.personal_domains)}", used_emails)
        if rng.random() < (0.9 if index in close else 0.22):
            codes = area_codes[person.location]
            for _attempt in range(20):
                number = f"+1 {rng.choice(codes)}-555-01{rng.randint(0, 99):02d}"
                if number not in used_phones:
                    used_phones.add(number)
                    person.phones.append(number)
                    break
        if (person.level and rng.random() < 0.72) or (index in alumni and rng.random() < 0.8):
            slug = f"{first}-{last}"
            if rng.random() < 0.6 or slug in used_linkedin:
                slug += f"-{rng.getrandbits(28):07x}"
            used_linkedin.add(slug)
            person.linkedin = f"https://www.linkedin.com/in/{slug}"
        if rng.random() < 0.35:
            person.channel = rng.choices(channels, weights=channel_weights)[0]
        choose_source(plan, index, person, alumni, association)
        choose_tags(plan, index, person, alumni)
        if not person.notes and rng.random() < 0.25:
            person.notes = person_note(plan, person)
    quiet = plan.pick_free(range(plan.count), plan.scaled(4))
    for index in sorted(quiet):
        plan.people[index].do_not_contact = True
        plan.people[index].notes = rng.choice(plan.data.notes.do_not_contact)


def add_email(person: PlannedPerson, email: str, used: set[str]) -> None:
    """Add ``email``, numbered (``name2@…``) when someone has it already."""
    local, domain = email.split("@")
    candidate, number = email, 2
    while candidate in used:
        candidate = f"{local}{number}@{domain}"
        number += 1
    used.add(candidate)
    person.emails.append(candidate)


def choose_source(
    plan: Plan, index: int, person: PlannedPerson, alumni: set[int], association: set[int]
) -> None:
    """Where the user found this person, unless a chain has said so already."""
    if person.source != Source.MANUAL:
        return  # decided by a chain
    rng = plan.rng
    kind = plan.my_ties.get(index)
    if index in plan.family or kind == TieKind.FRIEND:
        person.source = Source.FRIEND
    elif kind == TieKind.COLLEAGUE:
        person.source = rng.choice((Source.LINKEDIN, Source.MANUAL))
    elif kind == TieKind.CLASSMATE:
        person.source = rng.choice((Source.ALUMNI_DIRECTORY, Source.LINKEDIN))
    elif index in alumni and rng.random() < 0.75:
        person.source = Source.ALUMNI_DIRECTORY
    elif index in association and rng.random() < 0.75:
        person.source = Source.ASSOCIATION_DIRECTORY
    else:
        sources = plan.data.people.sources
        person.source = rng.choices(
            [source for source, _weight in sources],
            weights=[weight for _source, weight in sources],
        )[0]


def choose_tags(plan: Plan, index: int, person: PlannedPerson, alumni: set[int]) -> None:
    rng = plan.rng
    names = plan.data.people.tags
    departments = plan.data.jobs.departments
    tags = person.tags
    current = person.current
    if current is not None:
        spec = plan.data.organizations[current.org]
        if spec.target:
            tags.append(names.target)
        if current.hiring and spec.target:
            tags.append(names.hiring)
        if spec.kind == HOSPITAL or "health" in spec.industry.lower():
            tags.append(names.healthcare)
        if spec.kind == AGENCY:
            tags.append(names.public)
        if spec.kind == NONPROFIT:
            tags.append(names.nonprofit)
        department = departments.get(current.department)
        if department is not None and department.data:
            tags.append(names.data)
    if person.level in {Level.HR, Level.RECRUITER}:
        tags.append(names.recruiting)
    if index in alumni:
        tags.append(names.alumni)
    if any(job.org == plan.landmarks.former_employer for job in person.jobs):
        tags.append(names.former_employer)
    if index in plan.family:
        tags.append(names.family)
    for tag, chance in ((names.mentor, 0.03), (names.follow_up, 0.07), (names.met, 0.1)):
        if rng.random() < chance:
            tags.append(tag)
    person.tags = sorted(set(tags))


def person_note(plan: Plan, person: PlannedPerson) -> str:
    """A note from the catalog's templates, filled in with what the plan knows."""
    rng = plan.rng
    notes = plan.data.notes
    organizations = plan.data.organizations
    current = person.current
    school = next(
        (
            (plan.data.groups[m.group].name, m.detail)
            for m in person.members
            if m.class_year is not None
        ),
        notes.no_school,
    )
    former = person.former
    values = {
        "title": current.title if current else "",
        "org": organizations[current.org].name if current else "",
        "department": current.department if current else "",
        "prev": organizations[former[0].org].name if former else notes.no_previous_employer,
        "topic": rng.choice(notes.topics),
        "topic2": rng.choice(notes.topics),
        "question": rng.choice(notes.questions),
        "event": rng.choice(notes.events),
        "month": rng.choice(notes.months),
        "school": school[0],
        "degree": school[1],
        "city": person.location.split(",")[0],
    }
    templates = notes.employed if current else notes.other
    return rng.choice(templates).format(**values)
