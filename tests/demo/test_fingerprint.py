"""The demo network, fingerprinted: a change to the generator or its data files shows here.

The digests below were recorded on the generator before its data moved into data files
(``src/coffeechat/demo/data/``). The same seed and size must keep giving the same rows,
in the same order; change a digest only on purpose, when the demo itself is meant to change.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, cast

import pytest
import time_machine

from coffeechat.accounts.models import MyAffiliation, Profile, User
from coffeechat.conversations.models import Story
from coffeechat.demo.network import build_demo_network
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
from coffeechat.targets.models import Application, ApplicationEvent, Posting, Target
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _rank(queryset: Any) -> dict[int | None, int | None]:
    """Each row's position in primary-key order (ids differ between databases, order not)."""
    return {
        None: None,
        **{pk: n for n, pk in enumerate(queryset.order_by("pk").values_list("pk", flat=True))},
    }


def _rows(
    model: Any, owner: User, fields: tuple[str, ...], **ranks: dict[int | None, int | None]
) -> list[list[Any]]:
    rows = model.objects.filter(owner=owner).order_by("pk").values_list(*fields)
    return [
        [
            ranks[name][value] if name in ranks else value
            for name, value in zip(fields, row, strict=True)
        ]
        for row in rows
    ]


def fingerprint(owner: User) -> str:
    """A digest of every row the demo writes for the network, targets and stories, in order."""
    people = _rank(Person.objects.filter(owner=owner))
    orgs = _rank(Organization.objects.filter(owner=owner))
    groups = _rank(Affiliation.objects.filter(owner=owner))
    tags = _rank(Tag.objects.filter(owner=owner))
    postings = _rank(Posting.objects.filter(owner=owner))
    applications = _rank(Application.objects.filter(owner=owner))
    person_fields = (
        "first_name", "last_name", "linkedin_url", "location", "time_zone", "level",
        "preferred_channel", "do_not_contact", "source", "notes",
    )  # fmt: skip
    target_fields = tuple(
        f"{key}_{part}"
        for key in ("what_they_do", "recent_news", "teams", "culture", "who_hires")
        for part in ("done", "notes")
    )
    profile = Profile.objects.get(user=owner)
    data = {
        "organizations": _rows(
            Organization,
            owner,
            ("name", "name_key", "website", "domain", "industry", "location", "notes"),
        ),
        "affiliations": _rows(
            Affiliation, owner, ("name", "kind", "organization", "notes"), organization=orgs
        ),
        "people": _rows(Person, owner, person_fields),
        "employments": _rows(
            Employment,
            owner,
            (
                "person",
                "organization",
                "title",
                "department",
                "start_date",
                "end_date",
                "is_current",
                "has_hiring_authority",
            ),
            person=people,
            organization=orgs,
        ),  # fmt: skip
        "memberships": _rows(
            Membership,
            owner,
            ("person", "affiliation", "detail", "class_year", "start_year", "end_year"),
            person=people,
            affiliation=groups,
        ),
        "emails": _rows(EmailAddress, owner, ("person", "email", "position"), person=people),
        "phones": _rows(PhoneNumber, owner, ("person", "number", "position"), person=people),
        "ties": _rows(
            Tie,
            owner,
            ("from_person", "to_person", "kind", "strength", "introduced_by", "since", "note"),
            from_person=people,
            to_person=people,
            introduced_by=people,
        ),
        "tags": _rows(Tag, owner, ("name",)),
        "tagged": sorted(
            [people[p], tags[t]]
            for p, t in Person.tags.through.objects.filter(person__owner=owner).values_list(
                "person_id", "tag_id"
            )
        ),
        "profile": [
            profile.full_name,
            profile.time_zone,
            profile.country,
            profile.intro,
            profile.signature,
        ],
        "my_affiliations": _rows(
            MyAffiliation,
            owner,
            ("affiliation", "detail", "class_year", "start_year", "end_year"),
            affiliation=groups,
        ),
        "targets": _rows(
            Target,
            owner,
            (
                "organization",
                "why",
                "motivation",
                "hiring_signal",
                "status",
                "status_reason",
                *target_fields,
            ),
            organization=orgs,
        ),
        "postings": _rows(
            Posting,
            owner,
            ("organization", "title", "url", "seen_on", "contact", "status", "notes"),
            organization=orgs,
            contact=people,
        ),
        "applications": _rows(
            Application,
            owner,
            (
                "organization",
                "posting",
                "role_title",
                "applied_on",
                "channel",
                "referred_by",
                "status",
                "notes",
            ),
            organization=orgs,
            posting=postings,
            referred_by=people,
        ),
        "application_events": _rows(
            ApplicationEvent,
            owner,
            ("application", "status", "on", "note"),
            application=applications,
        ),
        "stories": _rows(
            Story, owner, ("title", "situation", "action", "result", "skills", "tags")
        ),
    }
    text = json.dumps(data, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


DEFAULT_COUNTS = {
    "people": 320, "organizations": 49, "affiliations": 24, "memberships": 492,
    "employments": 646, "email_addresses": 229, "phone_numbers": 81, "ties": 506,
    "my_ties": 48, "tags": 14, "tagged_people": 251, "my_affiliations": 4, "targets": 10,
    "postings": 3, "applications": 4, "application_events": 8, "messages": 6,
    "messages_replied": 2, "conversations": 2, "stories": 3, "bench_entries": 4,
    "bench_openings": 1, "bench_requests": 1,
}  # fmt: skip
SMALL_COUNTS = {
    **DEFAULT_COUNTS,
    "people": 30, "memberships": 43, "employments": 58, "email_addresses": 23,
    "phone_numbers": 14, "ties": 32, "my_ties": 8, "tagged_people": 27, "messages": 5,
}  # fmt: skip


@time_machine.travel("2026-10-01 09:00:00+00:00", tick=False)
@pytest.mark.parametrize(
    ("seed", "people", "counts", "digest"),
    [
        pytest.param(
            2026,
            320,
            DEFAULT_COUNTS,
            "1b17dd4687461fe32d54ffd81e5d0d73e517446e586eb15723f727ef9509dcab",
            id="default",
        ),
        pytest.param(
            7,
            30,
            SMALL_COUNTS,
            "c1ff53c5bb27f66f7ef32279a414219837af2eb5f33881808efa91638a54fdfd",
            id="smallest",
        ),
    ],
)
def test_it_builds_exactly_the_recorded_demo(
    seed: int, people: int, counts: dict[str, int], digest: str
) -> None:
    owner = cast(User, UserFactory())

    built = build_demo_network(owner, seed=seed, people=people)

    assert built == counts
    assert fingerprint(owner) == digest
