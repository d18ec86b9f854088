"""Warm paths: who is found, in which order, and how each path is explained."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coffeechat.network.models import AffiliationKind, InteractionKind, Source, TieKind
from coffeechat.targets.paths import (
    explain,
    hiring_authority,
    paths_to_organization,
    paths_to_organizations,
    paths_to_person,
)
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

TODAY = date(2026, 6, 1)


def person(owner: Any, name: str, **fields: Any) -> Any:
    first, last = name.split(" ", 1)
    return PersonFactory(owner=owner, first_name=first, last_name=last, **fields)


def works_at(who: Any, organization: Any, **fields: Any) -> Any:
    return EmploymentFactory(person=who, organization=organization, **fields)


@pytest.fixture
def acme(alice: Any) -> Any:
    return OrganizationFactory(owner=alice, name="Acme")


@pytest.fixture
def northfield(alice: Any) -> Any:
    school = AffiliationFactory(owner=alice, name="Northfield University")
    MyAffiliationFactory(owner=alice, affiliation=school, class_year=2016)
    return school


def test_it_explains_a_shared_school_with_the_years_between(
    alice: Any, acme: Any, northfield: Any
) -> None:
    dana = person(alice, "Dana Reyes")
    works_at(dana, acme, title="Analyst", department="Data Science")
    MembershipFactory(person=dana, affiliation=northfield, class_year=2014)

    paths = paths_to_organization(alice, acme, today=TODAY).ranked()

    assert [p.end.name for p in paths] == ["Dana Reyes"]
    assert explain(paths[0]) == (
        "Dana Reyes (Acme, Data Science) — you both studied at Northfield University, "
        "Dana graduated two years before you"
    )


def test_it_explains_a_friend_of_an_introducer(alice: Any, acme: Any) -> None:
    sam, lee, kim = person(alice, "Sam Ortiz"), person(alice, "Lee Park"), person(alice, "Kim Ng")
    works_at(lee, acme, title="Engineer", department="")
    TieFactory(to_person=kim, from_person=None, introduced_by=sam, since=date(2025, 3, 1))
    TieFactory(from_person=sam, to_person=lee, kind=TieKind.ACQUAINTANCE)

    paths = paths_to_organization(alice, acme, today=TODAY).ranked()

    assert [p.people for p in paths][0][0].name == "Sam Ortiz"
    assert explain(paths[0]) == (
        "Sam Ortiz knows Lee Park at Acme; Sam introduced you to Kim Ng last year"
    )


def test_a_path_three_links_long_is_found_and_a_fourth_link_is_too_far(
    alice: Any, acme: Any
) -> None:
    a, b, c, d = (person(alice, f"P{i} Chain") for i in range(4))
    TieFactory(to_person=a, kind=TieKind.FRIEND, strength=5)
    TieFactory(from_person=a, to_person=b)
    TieFactory(from_person=b, to_person=c)
    TieFactory(from_person=c, to_person=d)
    works_at(c, acme)
    far = OrganizationFactory(owner=alice, name="Faraway")
    works_at(d, far)

    found = paths_to_organizations(alice, [acme.pk, far.pk], today=TODAY)

    assert [[p.name for p in path.people] for path in found[acme.pk].ranked()] == [
        ["P0 Chain", "P1 Chain", "P2 Chain"],
        ["P2 Chain"],  # also a cold contact of yours, which is colder
    ]
    # d is four links away through P0: too far. As people in the network, d and c are
    # still cold contacts of yours, so d is reached through them, never through P0.
    paths_to_d = found[far.pk].ranked()
    assert [path.hops for path in paths_to_d] == [1, 2]
    assert all(path.first.name != "P0 Chain" for path in paths_to_d)
    assert all(link.reason.kind == "contact" for path in paths_to_d for link in path.links[:1])
    assert "in your contacts" in explain(paths_to_d[0])
    three = found[acme.pk].ranked()[0]
    assert explain(three) == (
        "P0 Chain is a friend of P1 Chain, who is a friend of P2 Chain at Acme; "
        "P0 is a close friend of yours"
    )


def test_warmth_orders_kind_strength_tightness_recency_and_length(
    alice: Any, acme: Any, northfield: Any
) -> None:
    close = person(alice, "Close Friend")
    TieFactory(to_person=close, kind=TieKind.FRIEND, strength=5, since=date(2026, 1, 1))
    same_class = person(alice, "Same Class")
    MembershipFactory(person=same_class, affiliation=northfield, class_year=2016)
    same_school = person(alice, "Same School")
    MembershipFactory(person=same_school, affiliation=northfield, class_year=2009)
    weak = person(alice, "Weak Tie")
    TieFactory(to_person=weak, kind=TieKind.ACQUAINTANCE, strength=1)
    former = person(alice, "Former Friend")
    TieFactory(to_person=former, kind=TieKind.FRIEND, strength=5, since=date(2026, 1, 1))
    for who in (close, same_class, same_school, weak):
        works_at(who, acme)
    works_at(former, acme, is_current=False, end_date=date(2015, 1, 1))
    friend = person(alice, "Middle Friend")
    TieFactory(to_person=friend, kind=TieKind.FRIEND, strength=5, since=date(2026, 1, 1))
    via_friend = person(alice, "Via Friend")
    TieFactory(from_person=friend, to_person=via_friend, kind=TieKind.FRIEND, strength=5)
    works_at(via_friend, acme)

    warm = paths_to_organization(alice, acme, today=TODAY)
    order = [path.end.name for path in warm.ranked(per_person=1)]

    assert order.index("Close Friend") == 0
    assert order.index("Same Class") < order.index("Same School")
    assert order.index("Close Friend") < order.index("Former Friend")
    assert order.index("Close Friend") < order.index("Via Friend")
    assert "Weak Tie" in order, "a weak tie still counts"
    scores = {path.end.name: path.score for path in warm.ranked(limit=None, per_person=1)}
    assert scores["Via Friend"] < scores["Close Friend"]
    assert all(0 < score <= 100 for score in scores.values())


def test_recent_contact_makes_a_tie_warmer(alice: Any, acme: Any) -> None:
    recent, stale = person(alice, "Recent Talk"), person(alice, "Long Ago")
    for who in (recent, stale):
        TieFactory(to_person=who, kind=TieKind.COLLEAGUE, strength=4, since=date(2010, 1, 1))
        works_at(who, acme)
    recent.interactions.create(
        owner=alice, occurred_at=datetime(2026, 5, 1, tzinfo=UTC), kind=InteractionKind.EMAIL
    )

    scores = {p.end.name: p.score for p in paths_to_organization(alice, acme, today=TODAY).ranked()}

    assert scores["Recent Talk"] > scores["Long Ago"]


def test_a_former_employer_is_shared_through_jobs_there(alice: Any, acme: Any) -> None:
    wexley = OrganizationFactory(owner=alice, name="Wexley Freight")
    group = AffiliationFactory(
        owner=alice,
        name="Wexley Freight",
        kind=AffiliationKind.FORMER_EMPLOYER,
        organization=wexley,
    )
    MyAffiliationFactory(
        owner=alice, affiliation=group, class_year=None, start_year=2016, end_year=2022
    )
    ana = person(alice, "Ana Ruiz")
    works_at(ana, wexley, is_current=False, start_date=date(2018, 1, 1), end_date=date(2020, 1, 1))
    works_at(ana, acme, department="Operations")

    path = paths_to_organization(alice, acme, today=TODAY).ranked()[0]

    assert path.links[0].reason.kind == "affiliation"
    assert explain(path) == (
        "Ana Ruiz (Acme, Operations) — you both worked at Wexley Freight at the same time"
    )


def test_it_skips_people_marked_do_not_contact(alice: Any, acme: Any) -> None:
    quiet = person(alice, "Quiet Person", do_not_contact=True)
    TieFactory(to_person=quiet, kind=TieKind.FRIEND, strength=5)
    inside = person(alice, "Inside Person")
    TieFactory(from_person=quiet, to_person=inside, strength=5)
    works_at(inside, acme)

    paths = paths_to_organization(alice, acme, today=TODAY).ranked()

    assert all("Quiet Person" not in [p.name for p in path.people] for path in paths)


def test_it_never_uses_another_users_network(alice: Any, bob: Any, acme: Any) -> None:
    inside = person(alice, "Inside Person", source=Source.LINKEDIN)
    works_at(inside, acme)
    bobs = person(bob, "Bobs Friend")
    TieFactory(to_person=bobs, kind=TieKind.FRIEND, strength=5)
    # A tie of Bob's that points at Alice's person must not be followed.
    from coffeechat.network.models import Tie

    Tie.objects.create(owner=bob, from_person=bobs, to_person=inside, kind="friend", strength=5)

    paths = paths_to_organization(alice, acme, today=TODAY).ranked()
    assert [[p.name for p in path.people] for path in paths] == [["Inside Person"]]
    assert paths_to_organization(bob, acme, today=TODAY).ranked() == []


def test_paths_to_a_person_go_through_their_colleagues(alice: Any, acme: Any) -> None:
    boss, dana = person(alice, "Pat Boss"), person(alice, "Dana Reyes")
    works_at(boss, acme, title="Director of Data", has_hiring_authority=True)
    works_at(dana, acme)
    TieFactory(to_person=dana, kind=TieKind.FRIEND, strength=5)

    paths = paths_to_person(alice, boss, today=TODAY).ranked()

    assert [p.name for p in paths[0].people] == ["Dana Reyes", "Pat Boss"]
    assert explain(paths[0]).startswith("Dana Reyes works with Pat Boss at Acme;")


def test_hiring_authority_lists_flagged_then_suggested_people_with_hops(
    alice: Any, acme: Any
) -> None:
    flagged, suggested = person(alice, "Flag Ged"), person(alice, "Sug Gested")
    staff, friend = person(alice, "Staff Member"), person(alice, "Good Friend")
    works_at(flagged, acme, title="Analyst", has_hiring_authority=True)
    works_at(suggested, acme, title="Head of Analytics")
    works_at(staff, acme, title="Analyst")
    TieFactory(to_person=friend, kind=TieKind.FRIEND, strength=5)
    TieFactory(from_person=friend, to_person=staff, strength=4)
    TieFactory(to_person=suggested, kind=TieKind.ACQUAINTANCE, strength=2)

    contacts = hiring_authority(paths_to_organization(alice, acme, today=TODAY))

    assert [(c.person.name, c.flagged) for c in contacts] == [
        ("Flag Ged", True),
        ("Sug Gested", False),
    ]
    assert "head" in contacts[1].hint.lower()
    assert contacts[1].hops == 1
    # Flag Ged is a cold contact (1 link); via the warmest contact there it is 3
    assert contacts[0].hops == 1
    assert contacts[0].route.startswith("you → ")


def test_it_loads_in_the_same_number_of_queries_for_few_and_many_targets(alice: Any) -> None:
    school = AffiliationFactory(owner=alice)
    MyAffiliationFactory(owner=alice, affiliation=school)
    wexley = OrganizationFactory(owner=alice)
    group = AffiliationFactory(
        owner=alice, kind=AffiliationKind.FORMER_EMPLOYER, organization=wexley
    )
    MyAffiliationFactory(owner=alice, affiliation=group, start_year=2010)

    def grow(n: int) -> list[int]:
        ids = []
        for _ in range(n):
            org = OrganizationFactory(owner=alice)
            inside, middle = PersonFactory(owner=alice), PersonFactory(owner=alice)
            works_at(inside, org)
            TieFactory(from_person=middle, to_person=inside)
            TieFactory(to_person=middle, since=date(2024, 1, 1))
            MembershipFactory(person=inside, affiliation=school)
            ids.append(org.pk)
        return ids

    few = grow(2)
    with CaptureQueriesContext(connection) as small:
        paths_to_organizations(alice, few, today=TODAY)
    many = few + grow(38)
    with CaptureQueriesContext(connection) as large:
        result = paths_to_organizations(alice, many, today=TODAY)
    assert len(small) == len(large)
    assert all(result[org].reached == 1 for org in many)


def test_a_directory_row_is_someone_from_your_alumni_directory(alice: Any, acme: Any) -> None:
    rosa = person(alice, "Rosa Diaz", source=Source.ALUMNI_DIRECTORY)
    lee = person(alice, "Lee Park")
    works_at(lee, acme, department="")
    TieFactory(from_person=rosa, to_person=lee, kind=TieKind.COLLEAGUE, strength=5)
    works_at(rosa, OrganizationFactory(owner=alice, name="Elsewhere"))

    via_rosa = next(p for p in paths_to_person(alice, lee, today=TODAY).ranked() if p.hops == 2)

    assert explain(via_rosa) == (
        "Rosa Diaz has worked with Lee Park; Rosa is someone from your alumni directory"
    )
    assert not via_rosa.first_is_known
    direct = paths_to_person(alice, rosa, today=TODAY).ranked()[0]
    assert explain(direct) == "Rosa Diaz — someone from your alumni directory"


def test_the_job_that_counts_is_current_then_hiring_then_the_first_recorded(
    alice: Any, acme: Any
) -> None:
    from coffeechat.targets.paths.search import jobs_at

    dana, eli, fay = (
        person(alice, "Dana Reyes"),
        person(alice, "Eli Stone"),
        person(alice, "Fay Ng"),
    )
    works_at(dana, acme, title="Intern", is_current=False)
    works_at(dana, acme, title="Analyst", is_current=True)
    works_at(dana, acme, title="Volunteer", is_current=False)
    works_at(eli, acme, title="Engineer", is_current=True)
    works_at(eli, acme, title="Engineering Manager", is_current=True, has_hiring_authority=True)
    works_at(fay, acme, title="First", is_current=True)
    works_at(fay, acme, title="Second", is_current=True)
    found = jobs_at(alice, [acme.pk])[acme.pk]
    assert found[dana.pk].title == "Analyst"
    assert found[eli.pk].title == "Engineering Manager"
    assert found[fay.pk].title == "First"
