"""Writing a planned demo network: every row in bulk, in the order of the plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coffeechat.accounts.models import MyAffiliation, Profile
from coffeechat.demo.plan import Plan
from coffeechat.network.models import (
    Affiliation,
    EmailAddress,
    Employment,
    Membership,
    Organization,
    Person,
    PhoneNumber,
    Tag,
    Tie,
)
from coffeechat.network.normalize import organization_key


def write_network(owner: Any, plan: Plan, step: Callable[[int], None]) -> dict[str, int]:
    """Write ``plan`` for ``owner`` (inside the caller's transaction); return row counts.

    ``step`` is called with the number of each step of ``STEPS`` as it begins.
    """
    data = plan.data

    step(1)
    organizations = Organization.objects.bulk_create(
        Organization(
            owner=owner,
            name=spec.name,
            name_key=organization_key(spec.name),
            website=f"https://www.{spec.domain}/",
            domain=spec.domain,
            industry=spec.industry,
            location=spec.location,
            notes=spec.notes,
        )
        for spec in data.organizations
    )
    org_by_name = {org.name: org for org in organizations}
    affiliations = Affiliation.objects.bulk_create(
        Affiliation(
            owner=owner,
            name=spec.name,
            kind=spec.kind,
            organization=org_by_name.get(spec.organization),
            notes=spec.notes,
        )
        for spec in data.groups
    )

    step(2)
    persons = Person.objects.bulk_create(
        Person(
            owner=owner,
            first_name=p.first,
            last_name=p.last,
            linkedin_url=p.linkedin,
            location=p.location,
            time_zone=p.time_zone,
            level=p.level,
            preferred_channel=p.channel,
            do_not_contact=p.do_not_contact,
            source=p.source,
            notes=p.notes,
        )
        for p in plan.people
    )

    step(3)
    employments = Employment.objects.bulk_create(
        Employment(
            owner=owner,
            person=persons[index],
            organization=organizations[job.org],
            title=job.title,
            department=job.department,
            start_date=job.start,
            end_date=job.end,
            is_current=job.end is None,
            has_hiring_authority=job.hiring,
        )
        for index, p in enumerate(plan.people)
        for job in p.jobs
    )

    step(4)
    memberships = Membership.objects.bulk_create(
        Membership(
            owner=owner,
            person=persons[index],
            affiliation=affiliations[member.group],
            detail=member.detail,
            class_year=member.class_year,
            start_year=member.start_year,
            end_year=member.end_year,
        )
        for index, p in enumerate(plan.people)
        for member in p.members
    )

    step(5)
    emails = EmailAddress.objects.bulk_create(
        EmailAddress(owner=owner, person=persons[index], email=email, position=position)
        for index, p in enumerate(plan.people)
        for position, email in enumerate(p.emails)
    )
    phones = PhoneNumber.objects.bulk_create(
        PhoneNumber(owner=owner, person=persons[index], number=number, position=position)
        for index, p in enumerate(plan.people)
        for position, number in enumerate(p.phones)
    )

    step(6)
    ties = Tie.objects.bulk_create(
        Tie(
            owner=owner,
            from_person=None if tie.source is None else persons[tie.source],
            to_person=persons[tie.target],
            kind=tie.kind,
            strength=tie.strength,
            introduced_by=None if tie.introducer is None else persons[tie.introducer],
            since=tie.since,
            note=tie.note,
        )
        for tie in plan.ties
    )

    step(7)
    tags = Tag.objects.bulk_create(Tag(owner=owner, name=name) for name in data.people.tags.names)
    tag_by_name = {tag.name: tag for tag in tags}
    through = Person.tags.through
    tagged = through.objects.bulk_create(
        through(person_id=persons[index].pk, tag_id=tag_by_name[name].pk)
        for index, p in enumerate(plan.people)
        for name in p.tags
    )

    step(8)
    Profile.objects.update_or_create(user=owner, defaults=data.me.profile)
    affiliation_by_name = {aff.name: aff for aff in affiliations}
    my_affiliations = MyAffiliation.objects.bulk_create(
        MyAffiliation(
            owner=owner,
            affiliation=affiliation_by_name[mine.group],
            detail=mine.detail,
            class_year=mine.class_year,
            start_year=mine.start_year,
            end_year=mine.end_year,
        )
        for mine in data.me.groups
    )

    return {
        "people": len(persons),
        "organizations": len(organizations),
        "affiliations": len(affiliations),
        "memberships": len(memberships),
        "employments": len(employments),
        "email_addresses": len(emails),
        "phone_numbers": len(phones),
        "ties": len(ties),
        "my_ties": sum(1 for tie in plan.ties if tie.source is None),
        "tags": len(tags),
        "tagged_people": len({row.person_id for row in tagged}),
        "my_affiliations": len(my_affiliations),
    }
