"""What counts as a connection: network.connections, the one owner of the rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from coffeechat.network.connections import (
    footing,
    footings,
    introducers,
    mutual_connections,
)
from coffeechat.network.models import AffiliationKind, Source, TieKind
from tests.factories import (
    AffiliationFactory,
    EmploymentFactory,
    MembershipFactory,
    MyAffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


def test_it_says_how_i_know_each_person(alice: Any) -> None:
    friend = PersonFactory(owner=alice)
    TieFactory(to_person=friend, kind=TieKind.FRIEND)
    introducer = PersonFactory(owner=alice, first_name="Sam", last_name="Ortiz")
    introduced = PersonFactory(owner=alice, source=Source.ALUMNI_DIRECTORY)
    TieFactory(to_person=introduced, kind=TieKind.INTRODUCED, introduced_by=introducer)
    school = AffiliationFactory(owner=alice, kind=AffiliationKind.SCHOOL)
    MyAffiliationFactory(owner=alice, affiliation=school)
    classmate = PersonFactory(owner=alice, source=Source.ALUMNI_DIRECTORY)
    MembershipFactory(person=classmate, affiliation=school)
    directory = PersonFactory(owner=alice, source=Source.ALUMNI_DIRECTORY)
    linkedin = PersonFactory(owner=alice, source=Source.LINKEDIN)
    talked = PersonFactory(owner=alice, last_contacted_on=date(2026, 1, 5))
    by_hand = PersonFactory(owner=alice)

    found = footings(alice, [p.pk for p in (friend, introducer, introduced, classmate)])
    found.update(footings(alice, [p.pk for p in (directory, linkedin, talked, by_hand)]))

    assert found[friend.pk].is_known and found[friend.pk].ties[0].kind == TieKind.FRIEND
    assert found[introducer.pk].is_known  # they introduced me to someone
    assert found[introduced.pk].was_introduced
    assert introducers(alice, introduced) == ["Sam Ortiz"]
    assert not found[classmate.pk].is_known and found[classmate.pk].shares_affiliation
    assert not found[classmate.pk].is_directory_only
    assert found[directory.pk].is_directory_only
    assert found[directory.pk].phrase == "someone from your alumni directory"
    assert found[linkedin.pk].is_known and found[talked.pk].is_known
    assert not found[by_hand.pk].has_evidence and not found[by_hand.pk].is_directory_only


def test_it_never_reads_another_users_people(alice: Any, bob: Any) -> None:
    theirs = PersonFactory(owner=bob, source=Source.FRIEND)
    assert footings(alice, [theirs.pk]) == {}
    assert not footing(alice, theirs.pk).is_known


def test_a_mutual_connection_is_someone_i_know_who_knows_them(alice: Any) -> None:
    acme = OrganizationFactory(owner=alice)
    dana = EmploymentFactory(person__owner=alice, organization=acme).person
    colleague = EmploymentFactory(person__owner=alice, organization=acme).person
    stranger = EmploymentFactory(
        person__owner=alice, person__source=Source.ALUMNI_DIRECTORY, organization=acme
    ).person
    friend = PersonFactory(owner=alice)
    TieFactory(to_person=friend)
    TieFactory(to_person=colleague)
    TieFactory(from_person=dana, to_person=friend)
    introducer = PersonFactory(owner=alice)
    TieFactory(to_person=dana, kind=TieKind.REFERRED, introduced_by=introducer)

    found = {m.person_id: m.how for m in mutual_connections(alice, dana)}

    assert found == {friend.pk: "tie", colleague.pk: "coworker", introducer.pk: "introduced"}
    assert stranger.pk not in found


def test_it_reads_many_people_in_a_fixed_number_of_queries(
    alice: Any, django_assert_num_queries: Any
) -> None:
    school = AffiliationFactory(owner=alice, kind=AffiliationKind.FORMER_EMPLOYER)
    school.organization = OrganizationFactory(owner=alice)
    school.save()
    MyAffiliationFactory(owner=alice, affiliation=school)
    people = [PersonFactory(owner=alice) for _ in range(30)]
    for person in people[:10]:
        TieFactory(to_person=person)
        MembershipFactory(person=person, affiliation=school)
    with django_assert_num_queries(5):  # people, my ties, my groups, members, jobs there
        assert len(footings(alice, [p.pk for p in people])) == 30
