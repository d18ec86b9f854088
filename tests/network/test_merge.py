"""Merging two records of one person keeps everything; "not the same" is remembered."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coffeechat.network import merge as merge_module
from coffeechat.network.merge import (
    forget_not_duplicate,
    mark_not_duplicate,
    merge_people,
    merge_preview,
    people_for_merge,
)
from coffeechat.network.models import (
    EmailAddress,
    Employment,
    Interaction,
    Membership,
    NotDuplicate,
    Person,
    PhoneNumber,
    Tag,
    Tie,
    TieKind,
)
from tests.factories import (
    AffiliationFactory,
    EmailAddressFactory,
    EmploymentFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    TagFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


def phone(person: Person, number: str, position: int = 0) -> PhoneNumber:
    return PhoneNumber.objects.create(
        owner=person.owner, person=person, number=number, position=position
    )


def interaction(person: Person, source_key: str = "", body: str = "hi") -> Interaction:
    return Interaction.objects.create(
        owner=person.owner,
        person=person,
        occurred_at=timezone.now(),
        kind="linkedin_message",
        direction="received",
        body=body,
        source_key=source_key,
    )


@pytest.fixture
def pair(alice: Any) -> tuple[Person, Person]:
    keep = PersonFactory(
        owner=alice, first_name="William", last_name="Okafor", notes="Met at PyCon."
    )
    other = PersonFactory(
        owner=alice,
        first_name="Bill",
        last_name="Okafor",
        linkedin_url="https://www.linkedin.com/in/bill-okafor",
        location="Lagos",
        time_zone="Africa/Lagos",
        level="manager",
        preferred_channel="email",
        do_not_contact=True,
        source="linkedin",
        notes="Prefers mornings.",
        last_contacted_on=dt.date(2026, 3, 1),
    )
    return keep, other


# Everything is kept -------------------------------------------------------------------


def test_it_keeps_the_kept_id_and_deletes_the_other(alice: Any, pair: Any) -> None:
    keep, other = pair

    merged = merge_people(alice, keep, other)

    assert merged.pk == keep.pk
    assert not Person.objects.filter(pk=other.pk).exists()
    assert Person.objects.filter(owner=alice).count() == 1


def test_it_keeps_every_email_and_phone_once(alice: Any, pair: Any) -> None:
    keep, other = pair
    alice.profile.country = "US"  # national numbers are read in the user's country
    alice.profile.save()
    EmailAddressFactory(person=keep, email="bill@acme.example", position=0)
    EmailAddressFactory(person=other, email="Bill@ACME.example", position=0)
    EmailAddressFactory(person=other, email="bill@home.example", position=1)
    phone(keep, "+1 415 555 0100")
    phone(other, "(415) 555-0100")
    phone(other, "+44 20 7946 0958", position=1)

    merge_people(alice, keep, other)

    emails = list(keep.email_addresses.values_list("email", "position"))
    assert emails == [("bill@acme.example", 0), ("bill@home.example", 1)]
    numbers = list(keep.phone_numbers.values_list("number", flat=True))
    assert numbers == ["+1 415 555 0100", "+44 20 7946 0958"]
    assert EmailAddress.objects.filter(owner=alice).count() == 2


def test_it_keeps_every_job_and_affiliation_but_not_exact_repeats(alice: Any, pair: Any) -> None:
    keep, other = pair
    acme = OrganizationFactory(owner=alice, name="Acme")
    globex = OrganizationFactory(owner=alice, name="Globex")
    EmploymentFactory(person=keep, organization=acme, title="Engineer")
    EmploymentFactory(
        person=other,
        organization=acme,
        title="Engineer",
        has_hiring_authority=True,
        department="Data",
    )
    EmploymentFactory(person=other, organization=globex, title="Intern", is_current=False)
    school = AffiliationFactory(owner=alice, name="Northfield")
    club = AffiliationFactory(owner=alice, name="Chess club")
    MembershipFactory(person=keep, affiliation=school, class_year=2015)
    MembershipFactory(person=other, affiliation=school, class_year=2015, start_year=2011)
    MembershipFactory(person=other, affiliation=club, class_year=None)

    merge_people(alice, keep, other)

    jobs = {(j.organization.name, j.title): j for j in keep.employments.all()}
    assert set(jobs) == {("Acme", "Engineer"), ("Globex", "Intern")}
    assert jobs[("Acme", "Engineer")].has_hiring_authority is True
    assert jobs[("Acme", "Engineer")].department == "Data"
    memberships = {m.affiliation.name: m for m in keep.memberships.all()}
    assert set(memberships) == {"Northfield", "Chess club"}
    assert memberships["Northfield"].start_year == 2011
    assert Employment.objects.filter(owner=alice).count() == 2
    assert Membership.objects.filter(owner=alice).count() == 2


def test_ties_from_third_people_point_at_the_kept_id(alice: Any, pair: Any) -> None:
    keep, other = pair
    carol = PersonFactory(owner=alice, first_name="Carol")
    dave = PersonFactory(owner=alice, first_name="Dave")
    to_other = TieFactory(to_person=other, from_person=carol, kind=TieKind.COLLEAGUE)
    from_other = TieFactory(to_person=dave, from_person=other, kind=TieKind.FRIEND)
    introduced = TieFactory(to_person=dave, from_person=carol, introduced_by=other)

    merge_people(alice, keep, other)

    to_other.refresh_from_db()
    from_other.refresh_from_db()
    introduced.refresh_from_db()
    assert to_other.to_person_id == keep.pk
    assert from_other.from_person_id == keep.pk
    assert introduced.introduced_by_id == keep.pk


def test_it_drops_the_tie_between_the_two_and_self_introductions(alice: Any, pair: Any) -> None:
    keep, other = pair
    carol = PersonFactory(owner=alice, first_name="Carol")
    TieFactory(to_person=keep, from_person=other)
    TieFactory(to_person=other, from_person=keep)
    odd = TieFactory(to_person=keep, from_person=carol, introduced_by=other)

    merge_people(alice, keep, other)

    assert not Tie.objects.filter(from_person=keep, to_person=keep).exists()
    assert list(Tie.objects.filter(owner=alice)) == [odd]
    odd.refresh_from_db()
    assert odd.introduced_by_id is None  # nobody introduces themselves


def test_it_merges_a_repeated_tie_keeping_the_stronger_and_both_notes(
    alice: Any, pair: Any
) -> None:
    keep, other = pair
    carol = PersonFactory(owner=alice, first_name="Carol")
    mine = TieFactory(to_person=keep, from_person=None, strength=2, note="LinkedIn contact")
    TieFactory(
        to_person=other,
        from_person=None,
        strength=4,
        note="Old friend",
        since=dt.date(2010, 1, 1),
        kind=TieKind.FRIEND,
    )
    TieFactory(to_person=carol, from_person=keep, strength=3, note="Carol's manager")
    TieFactory(to_person=other, from_person=carol, strength=3, note="Same team")

    merge_people(alice, keep, other)

    mine_now = Tie.objects.filter(owner=alice, from_person=None)
    assert mine_now.count() == 1
    tie = mine_now.get()
    assert tie.strength == 4
    assert tie.kind == TieKind.FRIEND
    assert "LinkedIn contact" in tie.note and "Old friend" in tie.note
    assert tie.since == dt.date(2010, 1, 1)
    with_carol = Tie.objects.filter(owner=alice).exclude(from_person=None)
    assert with_carol.count() == 1
    assert with_carol.get().pk != mine.pk
    assert "Carol's manager" in with_carol.get().note and "Same team" in with_carol.get().note


def test_it_moves_every_interaction_once(alice: Any, pair: Any) -> None:
    keep, other = pair
    interaction(keep, source_key="msg-1")
    interaction(other, source_key="msg-1")  # the same message, imported for both
    interaction(other, source_key="msg-2")
    interaction(other, body="typed by hand")

    merge_people(alice, keep, other)

    assert keep.interactions.count() == 3
    assert Interaction.objects.filter(owner=alice).count() == 3


def test_it_unites_the_tags(alice: Any, pair: Any) -> None:
    keep, other = pair
    shared, mentor, data = (TagFactory(owner=alice, name=n) for n in ("shared", "mentor", "data"))
    keep.tags.add(shared, mentor)
    other.tags.add(shared, data)

    merge_people(alice, keep, other)

    assert sorted(keep.tags.values_list("name", flat=True)) == ["data", "mentor", "shared"]
    assert Tag.objects.filter(owner=alice).count() == 3


def test_it_fills_empty_fields_and_joins_the_notes(alice: Any, pair: Any) -> None:
    keep, other = pair
    keep.last_contacted_on = dt.date(2025, 1, 1)
    keep.save()

    merged = merge_people(alice, keep, other)

    assert merged.first_name == "William"  # the kept record's name
    assert merged.linkedin_url == "https://www.linkedin.com/in/bill-okafor"
    assert (merged.location, merged.time_zone) == ("Lagos", "Africa/Lagos")
    assert (merged.level, merged.preferred_channel) == ("manager", "email")
    assert merged.do_not_contact is True
    assert merged.last_contacted_on == dt.date(2026, 3, 1)
    assert merged.source == "manual"  # the kept record's source
    assert merged.notes.startswith("Met at PyCon.\n\n--- From Bill Okafor (merged ")
    assert merged.notes.endswith("---\n\nPrefers mornings.")


def test_it_does_not_overwrite_what_the_kept_record_has(alice: Any, pair: Any) -> None:
    keep, other = pair
    keep.location = "Abuja"
    keep.last_contacted_on = dt.date(2026, 6, 1)
    keep.save()

    merged = merge_people(alice, keep, other)

    assert merged.location == "Abuja"
    assert merged.last_contacted_on == dt.date(2026, 6, 1)


def test_it_carries_not_duplicate_marks_over_to_the_kept_record(alice: Any, pair: Any) -> None:
    keep, other = pair
    carol = PersonFactory(owner=alice, first_name="Carol")
    mark_not_duplicate(alice, other, carol)
    mark_not_duplicate(alice, keep, other)

    merge_people(alice, keep, other)

    pairs = set(NotDuplicate.objects.values_list("person_a_id", "person_b_id"))
    assert pairs == {(min(keep.pk, carol.pk), max(keep.pk, carol.pk))}


# Refusals and atomicity ---------------------------------------------------------------


def test_it_refuses_people_of_another_user(alice: Any, bob: Any, pair: Any) -> None:
    keep, other = pair
    bobs = PersonFactory(owner=bob)

    with pytest.raises(ValidationError):
        merge_people(alice, keep, bobs)
    with pytest.raises(ValidationError):
        merge_people(bob, bobs, keep)
    with pytest.raises(ValidationError):
        merge_people(bob, keep, other)

    assert Person.objects.filter(pk__in=[keep.pk, other.pk, bobs.pk]).count() == 3


def test_it_refuses_to_merge_a_person_with_themselves(alice: Any, pair: Any) -> None:
    keep, _ = pair

    with pytest.raises(ValidationError):
        merge_people(alice, keep, keep)


def test_it_writes_nothing_when_a_step_fails(alice: Any, pair: Any) -> None:
    keep, other = pair
    EmailAddressFactory(person=other, email="bill@home.example")
    tie = TieFactory(to_person=other, from_person=PersonFactory(owner=alice))

    with (
        mock.patch.object(merge_module, "_move_interactions", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        merge_people(alice, keep, other)

    assert Person.objects.filter(pk=other.pk).exists()
    assert other.email_addresses.count() == 1
    tie.refresh_from_db()
    assert tie.to_person_id == other.pk


# Preview ----------------------------------------------------------------------------


def test_the_preview_says_what_the_merge_will_do_and_writes_nothing(alice: Any, pair: Any) -> None:
    keep, other = pair
    EmailAddressFactory(person=keep, email="bill@acme.example")
    EmailAddressFactory(person=other, email="BILL@acme.example")
    EmailAddressFactory(person=other, email="bill@home.example")
    TieFactory(to_person=other, from_person=PersonFactory(owner=alice))
    TieFactory(to_person=keep, from_person=other)
    interaction(other)
    people = people_for_merge(alice, [keep.pk, other.pk])

    preview = merge_preview(alice, people[keep.pk], people[other.pk])

    assert preview.emails == ["bill@acme.example", "bill@home.example"]
    assert preview.ties_moved == 1 and preview.ties_dropped == 1
    assert preview.interactions_moved == 1
    assert preview.notes_joined is True
    assert ("Location", "Lagos") in preview.filled
    assert preview.dropped == ["1 repeated e-mail address(es)"]
    assert Person.objects.filter(owner=alice).count() == 3


# Not the same person -------------------------------------------------------------------


def test_it_remembers_two_different_people_once_in_order(alice: Any, pair: Any) -> None:
    keep, other = pair

    mark_not_duplicate(alice, other, keep)
    mark_not_duplicate(alice, keep, other)

    row = NotDuplicate.objects.get()
    assert (row.person_a_id, row.person_b_id) == tuple(sorted([keep.pk, other.pk]))
    forget_not_duplicate(alice, keep, other)
    assert not NotDuplicate.objects.exists()


def test_it_refuses_to_mark_another_users_people(alice: Any, bob: Any, pair: Any) -> None:
    keep, other = pair

    with pytest.raises(ValidationError):
        mark_not_duplicate(bob, keep, other)
    with pytest.raises(ValidationError):
        mark_not_duplicate(alice, keep, keep)
    assert not NotDuplicate.objects.exists()
