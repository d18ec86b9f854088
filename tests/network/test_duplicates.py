"""The duplicate finder: which pairs it proposes, how sure it is, and why."""

from __future__ import annotations

import gc
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from coffeechat.network import nicknames
from coffeechat.network.duplicates import (
    Candidate,
    candidates_for,
    compare_first_names,
    compare_last_names,
    duplicates_of,
    find_duplicates,
    network_duplicates,
)
from coffeechat.network.models import NotDuplicate, PhoneNumber
from tests.factories import (
    EmailAddressFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
)

THRESHOLD = 0.8
_ids = itertools.count(1)


def person(
    first: str,
    last: str,
    *,
    org: str | tuple[str, ...] = (),
    emails: tuple[str, ...] = (),
    phones: tuple[str, ...] = (),
    linkedin: str = "",
    id: int | None = None,
) -> Candidate:
    organizations = (org,) if isinstance(org, str) else org
    return Candidate(
        id=id if id is not None else next(_ids),
        first_name=first,
        last_name=last,
        emails=frozenset(emails),
        phones=frozenset(phones),
        linkedin=linkedin,
        organizations=frozenset(o.lower() for o in organizations),
        organization_names={o.lower(): o for o in organizations},
    )


def pair_score(a: Candidate, b: Candidate, *others: Candidate) -> tuple[float, list[str]]:
    """The score and reasons of a and b, found among ``others`` too (0 when not proposed)."""
    for match in find_duplicates([a, b, *others], threshold=0.0):
        if {match.a, match.b} == {a.id, b.id}:
            return match.score, match.reasons
    return 0.0, []


def proposed(a: Candidate, b: Candidate, *others: Candidate) -> bool:
    return pair_score(a, b, *others)[0] >= THRESHOLD


# Exact identifiers -------------------------------------------------------------------


def test_it_scores_a_shared_email_as_certain() -> None:
    a = person("Ana", "Silva", emails=("ana@x.org",))
    b = person("Ana María", "Silva Costa", emails=("ana@x.org",))

    score, reasons = pair_score(a, b)

    assert score == 1.0
    assert "Same e-mail address ana@x.org" in reasons


def test_it_scores_a_shared_linkedin_profile_as_certain_whatever_the_names() -> None:
    a = person("Robert", "Tables", linkedin="in/bobby")
    b = person("Xi", "Lo", linkedin="in/bobby")

    score, reasons = pair_score(a, b)

    assert score == 1.0
    assert reasons[0] == "Same LinkedIn profile in/bobby"


def test_it_scores_a_shared_phone_as_certain() -> None:
    a = person("Jo", "March", phones=("+14155550100",))
    b = person("Josephine", "March", phones=("+14155550100",))

    score, reasons = pair_score(a, b)

    assert score == 1.0
    assert "Same phone number +14155550100" in reasons
    assert "Jo is a nickname of Josephine" in reasons


def test_it_doubts_a_shared_phone_when_the_names_differ() -> None:
    # A family line: proposed, but below the certain matches, and says why.
    a = person("John", "Smith", phones=("+14155550100",))
    b = person("Mary", "Smith", phones=("+14155550100",))

    score, reasons = pair_score(a, b)

    assert THRESHOLD <= score < 1.0
    assert "But the names are different" in reasons


def test_it_does_not_take_a_shared_role_address_for_one_person() -> None:
    a = person("Anna", "Berg", emails=("info@studio.example",))
    b = person("Peter", "Lund", emails=("info@studio.example",))

    assert not proposed(a, b)


# Names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("short", "formal"),
    [
        ("Bill", "William"),
        ("Bob", "Robert"),
        ("Liz", "Elizabeth"),
        ("Kate", "Katherine"),
        ("Sasha", "Alexander"),
        ("Pepe", "José"),
        ("Hans", "Johannes"),
        ("Beppe", "Giuseppe"),
        ("Marta", "Martha"),
    ],
)
def test_it_knows_nicknames(short: str, formal: str) -> None:
    a = person(short, "Okonkwo", org="Acme")
    b = person(formal, "Okonkwo", org="Acme")

    score, reasons = pair_score(a, b)

    assert score >= 0.95
    assert f"{short} is a nickname of {formal}" in reasons
    assert "Same organization: Acme" in reasons


def test_it_proposes_a_nickname_with_the_same_last_name_and_organization() -> None:
    assert proposed(person("Bill", "Smith", org="Acme"), person("William", "Smith", org="Acme"))


def test_it_keeps_feminine_and_masculine_forms_apart() -> None:
    assert compare_first_names("alexander", "alexandra") == "mismatch"
    assert compare_first_names("daniel", "danielle") == "mismatch"
    assert not proposed(
        person("Alexander", "Weber", org="Acme"), person("Alexandra", "Weber", org="Acme")
    )


def test_it_sees_names_that_differ_only_by_accents() -> None:
    a = person("José", "Núñez García")
    b = person("Jose", "Nunez Garcia")

    score, reasons = pair_score(a, b)

    assert score >= THRESHOLD
    assert "Names differ only by accents" in reasons


def test_it_sees_swapped_first_and_last_names() -> None:
    a = person("Wei", "Zhang", org="Acme")
    b = person("Zhang", "Wei", org="Acme")

    score, reasons = pair_score(a, b)

    assert score >= THRESHOLD
    assert "First and last names are swapped" in reasons


def test_it_reads_a_whole_name_typed_into_the_first_name() -> None:
    assert proposed(person("Ingrid Solberg", ""), person("Ingrid", "Solberg"))


def test_it_forgives_a_typo_in_a_rare_name() -> None:
    a = person("Jonathan", "Okonkwo-Adeyemi")
    b = person("Jonathan", "Okonkow-Adeyemi")

    score, reasons = pair_score(a, b)

    assert score >= THRESHOLD
    assert any(r.startswith("Similar last names") for r in reasons)


def test_it_sees_a_last_name_inside_a_compound_one() -> None:
    a = person("Lucía", "Fernández", org="Acme")
    b = person("Lucía", "Fernández Ortega", org="Acme")

    score, reasons = pair_score(a, b)

    assert score >= THRESHOLD
    assert "Fernández is part of Fernández Ortega" in reasons


def test_it_sees_a_shortened_compound_under_a_nickname() -> None:
    """Neither the initial nor the last name is shared: only the sound brings them together."""
    a = person("Rosario", "Patterson Díaz", org="Acme")
    b = person("Chayo", "Patterson", org="Acme")

    assert proposed(a, b)
    assert proposed(b, a, person("Chayo", "Patterson", org="Other", id=None))
    assert [(m.a, m.b) for m in find_duplicates([a], against=[b])] == [(a.id, b.id)]


def test_many_people_with_one_given_name_and_sound_alike_last_names_stay_apart() -> None:
    """A network full of one given name: same sound, plainly different last names."""
    lasts = [
        f"Zellerb{middle}{end}"
        for middle in ("ach", "erg", "ild", "unt", "osk")
        for end in ("ova", "ini", "uts", "ekk")
    ]
    crowd = [person("Ana", last, org="Acme") for last in lasts]
    typo = person("Ana", "Zellerbachov", org="Acme")  # Zellerbachova, one letter short

    found = find_duplicates([*crowd, typo])

    assert {(m.a, m.b) for m in found} == {(crowd[0].id, typo.id)}
    assert [(m.a, m.b) for m in find_duplicates([typo], against=crowd)] == [(typo.id, crowd[0].id)]


def test_it_sees_a_typo_that_changes_the_sound_of_a_last_name() -> None:
    """ "Monales" shares no initial-and-last-name block and no sound with "Morales"."""
    a = person("Johannes", "Morales", org="Acme")
    b = person("Johannes", "Monales", org="Acme")

    score, reasons = pair_score(a, b)

    assert score >= THRESHOLD
    assert "Similar last names: Morales and Monales" in reasons
    assert [(m.a, m.b) for m in find_duplicates([b], against=[a])] == [(b.id, a.id)]


@pytest.mark.parametrize(
    ("right", "typo"),
    [
        ("Okonkwo", "Okonkow"),
        ("Okonkwo", "Okonkwoo"),
        ("Okonkwo", "Okonkw"),
        ("Okonkwo", "Ikonkwo"),
    ],
)
def test_it_sees_any_one_letter_typo_in_a_last_name(right: str, typo: str) -> None:
    assert proposed(person("Priya", right, org="Acme"), person("Priya", typo, org="Acme"))


def test_it_sees_an_initial_for_the_given_name_among_many_of_that_letter() -> None:
    """J. Okafor meets John Okafor of the same employer, whatever other J.s are around."""
    initial = person("J.", "Okafor", org="Acme")
    john = person("John", "Okafor", org="Acme")
    others = [person(first, "Okafor", org="Globex") for first in ("James", "Jane", "Jorge")]

    found = {(m.a, m.b) for m in find_duplicates([initial, john, *others])}

    assert found == {(initial.id, john.id)}
    assert "J. could be John" in pair_score(initial, john, *others)[1]


def test_it_proposes_two_records_that_are_each_the_same_as_a_third() -> None:
    """A nickname and a misspelling of one person say little about each other."""
    william = person("William", "Okafor", org="Acme", emails=("w.okafor@acme.example",))
    bill = person("Bill", "Okafor", emails=("w.okafor@acme.example",))
    misspelt = person("Willaim", "Okafor", org="Acme", emails=("willaim@gmail.com",))

    matches = {(m.a, m.b): m for m in find_duplicates([william, bill, misspelt])}

    assert set(matches) == {
        (william.id, bill.id),
        (william.id, misspelt.id),
        (bill.id, misspelt.id),
    }
    through = matches[(bill.id, misspelt.id)]
    assert through.score >= THRESHOLD
    assert "Both are likely the same person as William Okafor" in through.reasons


def test_two_given_names_known_apart_are_not_joined_through_a_third() -> None:
    alex = person("Alex", "Okafor", org="Acme", emails=("alex@okafor.example",))
    alexander = person("Alexander", "Okafor", org="Acme", emails=("alex@okafor.example",))
    alexandra = person("Alexandra", "Okafor", org="Acme", phones=("+14155550100",))
    alex_phone = person("Alex", "Okafor", phones=("+14155550100",))

    found = {(m.a, m.b) for m in find_duplicates([alex, alexander, alexandra, alex_phone])}

    assert (alexander.id, alexandra.id) not in found
    assert (alex.id, alexander.id) in found


def test_it_takes_an_initial_only_with_supporting_evidence() -> None:
    initial = person("J.", "Smith")
    full = person("John", "Smith")
    assert not proposed(initial, full)

    same_org = pair_score(person("J.", "Smith", org="Acme"), person("John", "Smith", org="Acme"))
    assert same_org[0] >= THRESHOLD
    assert "J. could be John" in same_org[1]

    same_domain = pair_score(
        person("J.", "Smith", emails=("j.smith@acme.example",)),
        person("John", "Smith", emails=("john.smith@acme.example",)),
    )
    assert same_domain[0] >= THRESHOLD
    assert "Same e-mail domain: acme.example" in same_domain[1]


def test_it_takes_an_initial_that_can_stand_for_one_given_name_only() -> None:
    """Nobody else called Dokiberg has a given name starting with S: S. is Sharon."""
    initial = person("S.", "Dokiberg")
    sharon = person("Sharon", "Dokiberg")
    others = [
        person(first, last)
        for first in ("Anna", "Peter", "Maria", "Tom", "Ines")
        for last in ("Berg", "Lund", "Moreau", "Okafor")
    ]
    relatives = [person("Paul", "Dokiberg"), person("Tanja", "Dokiberg")]

    score, reasons = pair_score(initial, sharon, *others, *relatives)

    assert score >= THRESHOLD
    assert "S. could be Sharon" in reasons
    assert {(m.a, m.b) for m in find_duplicates([initial, sharon, *others, *relatives])} == {
        (initial.id, sharon.id)
    }
    # Both in one record of the person (her whole name in the first-name field).
    assert proposed(initial, person("Sharon Dokiberg", ""), *others)


def test_an_initial_that_could_be_two_given_names_needs_other_evidence() -> None:
    initial = person("S.", "Dokiberg")
    sharon = person("Sharon", "Dokiberg")
    stefan = person("Stefan", "Dokiberg")

    assert not proposed(initial, sharon, stefan)
    assert not proposed(initial, stefan, sharon)
    # …such as an employer.
    assert proposed(
        person("S.", "Dokiberg", org="Acme"), person("Sharon", "Dokiberg", org="Acme"), stefan
    )


def test_an_initial_with_a_common_last_name_stays_unproposed_without_evidence() -> None:
    """The only J. Smith's given name in the network is John, but Smith says little."""
    others = [person(first, "Smith") for first in ("Anna", "Peter", "Maria", "Tom", "Ines")]

    assert not proposed(person("J.", "Smith"), person("John", "Smith"), *others)


def test_a_free_mail_domain_is_no_evidence() -> None:
    assert not proposed(
        person("J.", "Smith", emails=("j.smith@gmail.com",)),
        person("John", "Smith", emails=("jsmith@gmail.com",)),
    )


def test_it_recognises_someone_going_by_their_middle_name() -> None:
    assert proposed(
        person("J. Michael", "Okafor", org="Acme"), person("Michael", "Okafor", org="Acme")
    )


# Hard negatives ----------------------------------------------------------------------


def test_a_common_name_at_two_organizations_is_two_people() -> None:
    score, _ = pair_score(
        person("John", "Smith", org="Acme"), person("John", "Smith", org="Globex")
    )

    assert score < THRESHOLD


def test_a_common_name_at_one_organization_is_one_person() -> None:
    score, reasons = pair_score(
        person("John", "Smith", org="Acme"), person("John", "Smith", org="Acme")
    )

    assert score >= 0.95
    assert reasons == ["Same name", "Same organization: Acme"]


def test_different_first_names_with_one_last_name_are_two_people() -> None:
    for first, other in [("Anna", "Peter"), ("Maria", "Mario"), ("Tim", "Tom")]:
        assert not proposed(
            person(first, "Okonkwo", org="Acme"), person(other, "Okonkwo", org="Acme")
        )


def test_namesakes_with_their_own_emails_and_employers_are_not_proposed() -> None:
    """A common whole name that many in the network share is no evidence of one person."""
    employers = ("Acme", "Globex", "Initech", "Hooli", "Umbrella", "Stark", "Wayne", "Wonka")
    namesakes = [
        person("John", "Smith", org=employer, emails=(f"john.smith@{employer.lower()}.example",))
        for employer in employers
    ]
    others = [person(first, "Smith") for first in ("Mary", "Peter", "Ana")] + [
        person("John", last) for last in ("Brown", "Jones", "Miller")
    ]

    assert find_duplicates([*namesakes, *others]) == []


def test_a_whole_name_that_others_share_counts_for_less_than_its_parts() -> None:
    """Six other "Ola Nordmann"s say more about the name than six Olas and six Nordmanns."""
    pair = (person("Ola", "Nordmann"), person("Ola", "Nordmann"))
    parts = [person("Ola", f"Berg{i}") for i in range(6)] + [
        person(f"Kari{i}", "Nordmann") for i in range(6)
    ]
    whole = [person("Ola", "Nordmann", org=f"Employer {i}") for i in range(6)] + [
        person(f"Kari{i}", f"Berg{i}") for i in range(6)
    ]

    assert pair_score(*pair, *whole)[0] < pair_score(*pair, *parts)[0]


def test_swapped_names_count_by_the_less_telling_reading() -> None:
    """Where Thomas and James are both common given and last names, "James Thomas" and
    "Thomas James" are two people; "Chidi Okonkwo" and "Okonkwo Chidi" are one."""
    crowd = [
        person(first, last)
        for i in range(15)
        for first, last in (
            ("Thomas", f"Other{i}"),
            ("James", f"Else{i}"),
            (f"Other{i}", "Thomas"),
            (f"Else{i}", "James"),
        )
    ]

    assert not proposed(person("James", "Thomas"), person("Thomas", "James"), *crowd)
    score, reasons = pair_score(person("Okonkwo", "Chidi"), person("Chidi", "Okonkwo"), *crowd)
    assert score >= THRESHOLD
    assert reasons == ["First and last names are swapped"]


def test_one_first_name_at_one_organization_is_not_enough() -> None:
    assert not proposed(person("Priya", "Raman", org="Acme"), person("Priya", "Iyer", org="Acme"))


def test_two_linkedin_profiles_are_two_people() -> None:
    assert not proposed(
        person("John", "Smith", linkedin="in/john-smith-1"),
        person("John", "Smith", linkedin="in/john-smith-2"),
    )


def test_a_name_common_in_the_network_counts_for_less() -> None:
    rare = pair_score(person("Ola", "Nordmann"), person("Ola", "Nordmann"))[0]
    crowd = [person(f"Someone{i}", "Nordmann") for i in range(60)]
    common = pair_score(person("Ola", "Nordmann"), person("Ola", "Nordmann"), *crowd)[0]

    assert common < rare


# The finder's contract -------------------------------------------------------------------


def test_it_sorts_by_score_and_orders_each_pair() -> None:
    people = [
        person("Bill", "Smith", org="Acme", id=5),
        person("William", "Smith", org="Acme", id=2),
        person("Ana", "Silva", emails=("ana@x.org",), id=9),
        person("Ana", "Silva", emails=("ana@x.org",), id=7),
    ]

    matches = find_duplicates(people)

    assert [(m.a, m.b) for m in matches] == [(7, 9), (2, 5)]
    assert matches[0].score >= matches[1].score


def test_it_leaves_out_excluded_pairs_in_either_order() -> None:
    people = [person("Ana", "Silva", org="Acme", id=1), person("Ana", "Silva", org="Acme", id=2)]

    assert find_duplicates(people, exclude={(2, 1)}) == []


def test_against_pairs_new_rows_with_existing_people_only() -> None:
    new = [person("Bill", "Smith", org="Acme", id=-1), person("Bill", "Smith", org="Acme", id=-2)]
    existing = [person("William", "Smith", org="Acme", id=10), person("Zoe", "Ng", id=11)]

    matches = find_duplicates(new, against=existing)

    assert {(m.a, m.b) for m in matches} == {(-1, 10), (-2, 10)}


def test_it_leaves_the_collector_as_it_found_it() -> None:
    before = gc.get_threshold()

    find_duplicates([person("Ana", "Silva"), person("Ana", "Silva")])

    assert gc.get_threshold() == before


def test_a_person_is_not_their_own_duplicate() -> None:
    same = person("Ana", "Silva", id=3)

    assert find_duplicates([same], against=[same]) == []


def test_it_handles_empty_and_odd_names() -> None:
    odd = [
        person("", ""),
        person("", ""),
        person("🙂", "!!"),
        person("Dr.", "Jr."),
        person("李", "小龙"),
        person("李", "小龙"),
    ]

    matches = find_duplicates(odd)

    assert all(0.0 <= m.score <= 1.0 for m in matches)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=12), st.text(max_size=12), st.sampled_from(["", "a", "b"])),
        max_size=12,
    )
)
def test_it_never_fails_and_scores_between_0_and_1(rows: list[tuple[str, str, str]]) -> None:
    people = [person(first, last, org=org or ()) for first, last, org in rows]

    for match in find_duplicates(people, threshold=0.0):
        assert 0.0 <= match.score <= 1.0
        assert match.a != match.b


def test_last_names_compare_by_words() -> None:
    assert (
        compare_last_names(
            "garcia", "garcia lopez", frozenset({"garcia"}), frozenset({"garcia", "lopez"})
        )
        == "compound"
    )
    assert (
        compare_last_names(
            "van den berg", "vandenberg", frozenset({"berg"}), frozenset({"vandenberg"})
        )
        == "exact"
    )
    assert (
        compare_last_names("smith", "jones", frozenset({"smith"}), frozenset({"jones"}))
        == "mismatch"
    )


def test_the_nickname_table_is_large_and_folded() -> None:
    assert len(nicknames.GROUPS) >= 150
    assert nicknames.same_name("bill", "william") is not None
    assert nicknames.same_name("pepe", "jose") is not None
    assert nicknames.same_name("alexander", "alexandra") is None


# Loading from the database ---------------------------------------------------------------


@pytest.mark.django_db
def test_it_loads_a_network_in_constant_queries(alice: Any, bob: Any) -> None:
    def grow(n: int) -> None:
        for _ in range(n):
            job = EmploymentFactory(person__owner=alice)
            EmailAddressFactory(person=job.person)
            PhoneNumber.objects.create(owner=alice, person=job.person, number="+49 30 1234567")

    grow(2)
    with CaptureQueriesContext(connection) as few:
        candidates_for(alice)
    grow(30)
    with CaptureQueriesContext(connection) as many:
        loaded = candidates_for(alice)

    assert len(few) == len(many)
    assert len(loaded) == 32
    assert all(c.emails and c.phones and c.organizations for c in loaded)
    assert candidates_for(bob) == []


@pytest.mark.django_db
def test_it_finds_duplicates_in_a_network_and_remembers_the_not_same(alice: Any, bob: Any) -> None:
    acme = OrganizationFactory(owner=alice, name="Acme, Inc.")
    bill = EmploymentFactory(
        person__owner=alice,
        person__first_name="Bill",
        person__last_name="Okafor",
        organization=acme,
    ).person
    william = EmploymentFactory(
        person__owner=alice,
        person__first_name="William",
        person__last_name="Okafor",
        organization=acme,
    ).person
    PersonFactory(owner=bob, first_name="William", last_name="Okafor")

    matches = network_duplicates(alice)

    assert [(m.a, m.b) for m in matches] == [(bill.pk, william.pk)]
    assert "Same organization: Acme, Inc." in matches[0].reasons
    assert [m.b for m in duplicates_of(alice, bill.pk)] == [william.pk]

    NotDuplicate.objects.create(owner=alice, person_a=bill, person_b=william)
    assert network_duplicates(alice) == []
    assert duplicates_of(alice, bill.pk) == []


@pytest.mark.django_db
def test_it_reads_phone_numbers_in_the_users_country(alice: Any) -> None:
    alice.profile.country = "DE"
    alice.profile.save()
    a = PersonFactory(owner=alice, first_name="Jonas", last_name="Adler")
    b = PersonFactory(owner=alice, first_name="Jonas", last_name="Adler-Wolf")
    PhoneNumber.objects.create(owner=alice, person=a, number="030 1234567")
    PhoneNumber.objects.create(owner=alice, person=b, number="+49 30 1234567")

    matches = network_duplicates(alice)

    assert matches and matches[0].score == 1.0
    assert "Same phone number +49301234567" in matches[0].reasons
