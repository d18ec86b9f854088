"""The ``coffeechat demo`` command and the demo-network generator behind it."""

from __future__ import annotations

import re
from collections import deque
from io import StringIO
from typing import Any, cast

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coffeechat.accounts.models import MyAffiliation, Profile, User
from coffeechat.demo.network import DEMO_EMAIL, build_demo_network
from coffeechat.network.models import (
    Affiliation,
    AffiliationKind,
    EmailAddress,
    Employment,
    Membership,
    Organization,
    Person,
    PhoneNumber,
    Source,
    Tag,
    Tie,
    TieKind,
)
from tests.factories import UserFactory, network_of

PASSWORD = "plum-orbit-harbor-42"
LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"

pytestmark = pytest.mark.django_db


def run_demo(**options: Any) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def new_user(**fields: Any) -> User:
    return cast(User, UserFactory(**fields))


def demo_user(email: str = DEMO_EMAIL) -> User:
    return User.objects.get(email=email)


def _name(person: Person | None) -> str:
    return "" if person is None else person.full_name


def dump(owner: User) -> dict[str, list[Any]]:
    """Everything the demo creates for ``owner``, without ids or timestamps, sorted."""
    people = Person.objects.filter(owner=owner).prefetch_related(
        "tags", "email_addresses", "phone_numbers"
    )
    ties = Tie.objects.filter(owner=owner).select_related(
        "from_person", "to_person", "introduced_by"
    )
    rows: dict[str, list[Any]] = {
        "people": [
            (
                p.full_name,
                p.level,
                p.source,
                p.location,
                p.time_zone,
                p.linkedin_url,
                p.preferred_channel,
                p.do_not_contact,
                p.notes,
                [tag.name for tag in p.tags.all()],
                [e.email for e in p.email_addresses.all()],
                [n.number for n in p.phone_numbers.all()],
            )
            for p in people
        ],
        "organizations": list(
            Organization.objects.filter(owner=owner).values_list(
                "name", "website", "domain", "industry", "location", "notes"
            )
        ),
        "affiliations": list(
            Affiliation.objects.filter(owner=owner).values_list(
                "name", "kind", "organization__name", "notes"
            )
        ),
        "employments": list(
            Employment.objects.filter(owner=owner).values_list(
                "person__first_name",
                "person__last_name",
                "organization__name",
                "title",
                "department",
                "start_date",
                "end_date",
                "is_current",
                "has_hiring_authority",
            )
        ),
        "memberships": list(
            Membership.objects.filter(owner=owner).values_list(
                "person__first_name",
                "person__last_name",
                "affiliation__name",
                "detail",
                "class_year",
                "start_year",
                "end_year",
            )
        ),
        "ties": [
            (
                _name(t.from_person),
                _name(t.to_person),
                t.kind,
                t.strength,
                _name(t.introduced_by),
                t.since,
                t.note,
            )
            for t in ties
        ],
        "my_affiliations": list(
            MyAffiliation.objects.filter(owner=owner).values_list(
                "affiliation__name", "detail", "class_year", "start_year", "end_year"
            )
        ),
    }
    return {key: sorted(values, key=repr) for key, values in rows.items()}


def owned_counts(owner: User) -> dict[str, int]:
    models: list[Any] = [
        Person,
        Organization,
        Affiliation,
        Membership,
        Employment,
        EmailAddress,
        PhoneNumber,
        Tie,
        Tag,
        MyAffiliation,
    ]
    return {model.__name__: model.objects.filter(owner=owner).count() for model in models}


def test_it_creates_the_demo_account_with_a_large_network() -> None:
    run_demo(password=PASSWORD)

    user = demo_user()
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    people = Person.objects.filter(owner=user)
    assert people.count() == 320
    assert Organization.objects.filter(owner=user).count() >= 40
    assert all(org.domain.endswith(".example") for org in Organization.objects.filter(owner=user))
    kinds = set(Affiliation.objects.filter(owner=user).values_list("kind", flat=True))
    assert kinds == set(AffiliationKind.values)
    memberships = Membership.objects.filter(owner=user)
    assert memberships.count() >= 300
    assert memberships.filter(class_year__isnull=False).exists()
    assert memberships.filter(
        affiliation__kind=AffiliationKind.ASSOCIATION, detail__contains="chapter"
    ).exists()
    employments = Employment.objects.filter(owner=user)
    assert employments.filter(is_current=True).count() >= 250
    assert employments.filter(is_current=False).count() >= 150
    assert employments.filter(has_hiring_authority=True, person__level="manager").exists()
    with_email = people.filter(email_addresses__isnull=False).distinct().count()
    assert 0.5 <= with_email / 320 <= 0.75
    assert PhoneNumber.objects.filter(owner=user).exists()
    linked = people.exclude(linkedin_url="")
    assert linked.count() > 150
    assert all(
        url.startswith("https://www.linkedin.com/in/")
        for url in linked.values_list("linkedin_url", flat=True)
    )
    assert set(people.values_list("source", flat=True)) == set(Source.values)
    assert people.filter(do_not_contact=True).exists()
    assert people.exclude(notes="").count() >= 50
    assert Person.tags.through.objects.filter(person__owner=user).count() >= 200


def test_it_gives_the_user_own_ties_a_profile_and_shared_affiliations() -> None:
    run_demo(password=PASSWORD)
    user = demo_user()

    mine = Tie.objects.filter(owner=user, from_person__isnull=True)
    assert 35 <= mine.count() <= 55
    kinds = set(mine.values_list("kind", flat=True))
    assert {TieKind.FAMILY, TieKind.FRIEND, TieKind.COLLEAGUE, TieKind.CLASSMATE} <= kinds
    profile = Profile.objects.get(user=user)
    assert profile.full_name
    assert profile.time_zone == "America/Chicago"
    assert profile.country == "US"
    assert profile.intro and profile.signature
    mine_affiliations = MyAffiliation.objects.filter(owner=user).select_related("affiliation")
    assert {item.affiliation.kind for item in mine_affiliations} >= {
        AffiliationKind.SCHOOL,
        AffiliationKind.FORMER_EMPLOYER,
        AffiliationKind.ASSOCIATION,
    }
    school = next(i for i in mine_affiliations if i.affiliation.kind == AffiliationKind.SCHOOL)
    assert school.class_year
    for item in mine_affiliations:
        # the same Affiliation rows as the people's memberships: warm paths exist
        assert item.affiliation.owner_id == user.pk
        assert Membership.objects.filter(affiliation=item.affiliation).count() >= 5


def test_it_builds_introduction_chains_several_links_deep() -> None:
    run_demo(password=PASSWORD)
    ties = list(Tie.objects.filter(owner=demo_user()))

    for tie in ties:
        assert 1 <= tie.strength <= 5
        assert tie.from_person_id != tie.to_person_id
        assert tie.introduced_by_id is None or tie.introduced_by_id not in {
            tie.from_person_id,
            tie.to_person_id,
        }

    # from_person paths: people reachable from my contacts only through others
    mine = {t.to_person_id for t in ties if t.from_person_id is None}
    onward: dict[int, list[int]] = {}
    for tie in ties:
        if tie.from_person_id is not None:
            onward.setdefault(tie.from_person_id, []).append(tie.to_person_id)
    distance = dict.fromkeys(mine, 0)
    queue = deque(mine)
    while queue:
        person = queue.popleft()
        for other in onward.get(person, []):
            if other not in distance:
                distance[other] = distance[person] + 1
                queue.append(other)
    assert max(distance.values()) >= 3
    assert sum(1 for d in distance.values() if d >= 3) >= 5

    # introduced_by paths: A introduced me to B, B to C, C to D
    introducer_of = {
        t.to_person_id: t.introduced_by_id
        for t in ties
        if t.from_person_id is None and t.introduced_by_id is not None
    }
    depths = []
    for person in introducer_of:
        depth, current = 0, person
        while current in introducer_of:
            current = introducer_of[current]
            depth += 1
        assert current in mine
        depths.append(depth)
    assert max(depths) >= 3
    assert any(t.from_person_id is not None and t.introduced_by_id is not None for t in ties)


def test_it_builds_the_same_network_from_the_same_seed() -> None:
    first, second, third = new_user(), new_user(), new_user()

    counts = build_demo_network(first, seed=11, people=320)
    assert build_demo_network(second, seed=11, people=320) == counts
    build_demo_network(third, seed=12, people=320)

    assert dump(first) == dump(second)
    assert dump(first)["people"] != dump(third)["people"]


def test_it_refuses_to_run_twice_without_reset() -> None:
    run_demo(password=PASSWORD)

    with pytest.raises(CommandError, match="--reset"):
        run_demo(password=PASSWORD)
    assert Person.objects.filter(owner=demo_user()).count() == 320


def test_it_rebuilds_the_same_data_with_reset() -> None:
    run_demo(password=PASSWORD)
    before = dump(demo_user())
    Person.objects.create(owner=demo_user(), first_name="Added", last_name="Later")

    output = run_demo(reset=True)

    user = demo_user()
    assert not Person.objects.filter(owner=user, first_name="Added").exists()
    assert dump(user) == before
    new_password = re.search(r"Password\s+(\S+)", output)
    assert new_password is not None
    assert user.check_password(new_password.group(1))
    assert not user.check_password(PASSWORD)


def test_it_prints_the_login() -> None:
    output = run_demo(password=PASSWORD)

    assert LOGIN_URL in output
    assert DEMO_EMAIL in output
    assert PASSWORD in output
    assert re.search(r"People\s+320", output)


def test_it_generates_a_strong_password_when_none_is_given() -> None:
    output = run_demo(email="someone@example.com", people=40)

    match = re.search(r"Password\s+(\S+)", output)
    assert match is not None
    password = match.group(1)
    assert len(password) >= 16
    assert demo_user("someone@example.com").check_password(password)
    assert Person.objects.filter(owner=demo_user("someone@example.com")).count() == 40


def test_it_leaves_other_users_data_alone() -> None:
    bob = new_user(email="bob@example.com")
    network_of(bob)
    before = owned_counts(bob)

    run_demo(password=PASSWORD)
    run_demo(password=PASSWORD, reset=True)

    assert User.objects.filter(pk=bob.pk).exists()
    assert owned_counts(bob) == before
    assert Person.objects.filter(owner=bob, first_name="Secretia").exists()


def test_it_refuses_a_weak_password() -> None:
    with pytest.raises(CommandError, match="Password refused"):
        run_demo(password="password")

    assert not User.objects.filter(email=DEMO_EMAIL).exists()


def test_it_keeps_the_old_data_when_a_reset_has_a_weak_password() -> None:
    run_demo(password=PASSWORD)

    with pytest.raises(CommandError, match="Password refused"):
        run_demo(password="12345678901", reset=True)

    assert demo_user().check_password(PASSWORD)
    assert Person.objects.filter(owner=demo_user()).count() == 320


def test_it_refuses_to_reset_an_administrator() -> None:
    User.objects.create_superuser("admin@example.com", PASSWORD)

    with pytest.raises(CommandError, match="administrator"):
        run_demo(email="admin@example.com", password=PASSWORD, reset=True)

    assert User.objects.get(email="admin@example.com").is_superuser


def test_it_refuses_too_few_people() -> None:
    with pytest.raises(CommandError, match="--people"):
        run_demo(password=PASSWORD, people=5)
