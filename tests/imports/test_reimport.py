"""Re-importing a file of names only, and our own export, creates nobody twice.

Directories and address books often hold nothing but a name (and a company): no
e-mail, profile or phone to recognise the person by. A row is that person when
exactly one person of the network has the name and came the same way. Our own
exports carry a signed id, so re-importing them finds everyone, even two people
with one name and nothing else.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from coffeechat.imports.export import person_from_uid, person_uid
from coffeechat.imports.records import Format, PersonRecord
from coffeechat.network.models import Affiliation, AffiliationKind, Membership, Person, Tie
from tests.factories import EmploymentFactory, PersonFactory, TieFactory
from tests.imports.test_engine import run_import

pytestmark = pytest.mark.django_db


def alumni(*names: str, year: int | None = 2019) -> list[PersonRecord]:
    return [
        PersonRecord(line=n, first_name=first, last_name=last, class_year=year)
        for n, (first, last) in enumerate((name.split() for name in names), start=2)
    ]


@pytest.fixture
def northfield(alice: Any) -> Affiliation:
    return Affiliation.objects.create(
        owner=alice, name="Northfield Alumni", kind=AffiliationKind.SCHOOL
    )


def test_a_directory_of_names_imported_again_into_its_group_adds_nobody(
    alice: Any, northfield: Affiliation
) -> None:
    rows = alumni("Sam Ortiz", "Kim Wu", "Ana Lima")
    run_import(alice, rows, Format.CSV, affiliation=northfield)
    assert Membership.objects.filter(affiliation=northfield).count() == 3

    _batch, plan = run_import(
        alice, alumni("Sam Ortiz", "Kim Wu", "Ana Lima"), Format.CSV, affiliation=northfield
    )

    summary = plan.summary()
    assert (summary["new"], summary["unchanged"]) == (0, 3)
    assert Person.objects.filter(owner=alice).count() == 3
    assert Membership.objects.filter(affiliation=northfield).count() == 3


def test_a_namesake_outside_the_group_is_not_taken_for_a_member(
    alice: Any, northfield: Affiliation
) -> None:
    outsider = PersonFactory(owner=alice, first_name="Sam", last_name="Ortiz")
    TieFactory(owner=alice, to_person=outsider)

    _batch, plan = run_import(alice, alumni("Sam Ortiz"), Format.CSV, affiliation=northfield)

    assert plan.summary()["new"] == 1
    assert Person.objects.filter(owner=alice, last_name="Ortiz").count() == 2


def test_two_members_with_one_name_stay_two_and_the_row_stays_new(
    alice: Any, northfield: Affiliation
) -> None:
    run_import(alice, alumni("Sam Ortiz", "Sam Ortiz"), Format.CSV, affiliation=northfield)
    assert Person.objects.filter(owner=alice).count() == 2

    _batch, plan = run_import(alice, alumni("Sam Ortiz"), Format.CSV, affiliation=northfield)

    assert plan.summary()["new"] == 1  # which one? nobody can say: a possible duplicate


def test_without_a_group_the_name_must_be_tied_to_you_at_the_same_organization(
    alice: Any,
) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee", last_name="Park")
    TieFactory(owner=alice, to_person=lee)
    EmploymentFactory(person=lee, organization__name="Acme Inc", title="Engineer")
    untied = PersonFactory(owner=alice, first_name="Mira", last_name="Okafor")

    _batch, plan = run_import(
        alice,
        [
            PersonRecord(line=2, first_name="Lee", last_name="Park", organization="ACME"),
            PersonRecord(line=3, first_name="Mira", last_name="Okafor"),
        ],
        Format.GOOGLE,
    )

    summary = plan.summary()
    assert (summary["new"], summary["unchanged"]) == (1, 1)
    assert Person.objects.filter(owner=alice, first_name="Lee").count() == 1
    assert Person.objects.filter(owner=alice, first_name="Mira").exclude(pk=untied.pk).exists()

    _batch, plan = run_import(
        alice,
        [PersonRecord(line=2, first_name="Lee", last_name="Park", organization="Globex")],
        Format.GOOGLE,
    )
    assert plan.summary()["new"] == 1  # another Lee Park, at another company


def test_a_name_with_another_linkedin_profile_is_another_person(alice: Any) -> None:
    lee = PersonFactory(
        owner=alice,
        first_name="Lee",
        last_name="Park",
        linkedin_url="https://www.linkedin.com/in/lee-park",
    )
    TieFactory(owner=alice, to_person=lee)

    _batch, plan = run_import(
        alice,
        [
            PersonRecord(
                line=2,
                first_name="Lee",
                last_name="Park",
                linkedin_url="https://www.linkedin.com/in/lee-park-2",
            )
        ],
    )

    assert plan.summary()["new"] == 1


def test_one_row_takes_one_person_a_second_row_with_the_name_is_new(alice: Any) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee", last_name="Park")
    TieFactory(owner=alice, to_person=lee)

    _batch, plan = run_import(
        alice,
        [
            PersonRecord(line=2, first_name="Lee", last_name="Park"),
            PersonRecord(line=3, first_name="Lee", last_name="Park", emails=["lee@b.example"]),
        ],
        Format.GOOGLE,
    )

    assert (plan.summary()["new"], plan.summary()["unchanged"]) == (1, 1)


def test_export_ids_are_signed_for_one_account(alice: Any, bob: Any) -> None:
    uid = person_uid(alice.pk, 42)

    assert person_from_uid(alice.pk, uid) == 42
    assert person_from_uid(bob.pk, uid) is None  # someone else's export
    assert person_from_uid(alice.pk, uid.replace(":42:", ":43:")) is None  # edited
    assert person_from_uid(alice.pk, "urn:uuid:4f1c2b7e-0000-4000-8000-000000000000") is None
    assert person_from_uid(alice.pk, "") is None


@pytest.mark.parametrize(("fmt", "name"), [("csv", "people.csv"), ("vcard", "people.vcf")])
def test_our_export_imported_again_finds_even_namesakes_with_nothing_else(
    alice: Any, bob: Any, tmp_path: Path, fmt: str, name: str
) -> None:
    # Two people with one name and nothing else, one typed in by hand with no tie.
    first = PersonFactory(owner=alice, first_name="Jo", last_name="Lin")
    second = PersonFactory(owner=alice, first_name="Jo", last_name="Lin")
    TieFactory(owner=alice, to_person=first)
    out = tmp_path / name
    call_command("export", fmt, user=alice.email, output=str(out), stderr=io.StringIO())
    assert person_uid(alice.pk, second.pk) in out.read_text()

    call_command("import", str(out), user=alice.email, stdout=io.StringIO())

    assert Person.objects.filter(owner=alice).count() == 2
    # The export says the one typed in without a tie has none: no tie is invented.
    assert Tie.objects.filter(owner=alice).count() == 1

    # The same file in another account is new people there, never alice's.
    call_command("import", str(out), user=bob.email, stdout=io.StringIO())
    assert Person.objects.filter(owner=bob).count() == 2
    assert Person.objects.filter(owner=alice).count() == 2
