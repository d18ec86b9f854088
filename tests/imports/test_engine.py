"""The importer's matching, writing and undo, fed with records directly (no file parsing)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from coffeechat.imports.engine import Planner, import_file
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.records import (
    Format,
    MessageRecord,
    ParsedFile,
    PersonRecord,
    Problem,
    Record,
)
from coffeechat.imports.undo import undo, undo_report
from coffeechat.network.models import (
    Affiliation,
    EmailAddress,
    Employment,
    Interaction,
    Membership,
    Organization,
    Person,
    PhoneNumber,
    Source,
    Tie,
)
from coffeechat.network.services import save_person
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def parsed(records: list[Record], fmt: Format = Format.LINKEDIN) -> ParsedFile:
    return ParsedFile(
        format=fmt,
        header=[],
        header_line=1,
        encoding="utf-8",
        delimiter=",",
        mapping=None,
        suggested_mapping=None,
        records=iter(records),
    )


def run_import(
    owner: Any,
    records: list[Record],
    fmt: Format = Format.LINKEDIN,
    affiliation: Affiliation | None = None,
) -> tuple[ImportBatch, Planner]:
    batch = ImportBatch.objects.create(owner=owner, original_name="test.csv")
    plan = import_file(batch, parsed(records, fmt), affiliation=affiliation)
    batch.status = Status.IMPORTED
    batch.summary = plan.summary()
    batch.save()
    return batch, plan


def dana(**overrides: Any) -> PersonRecord:
    values: dict[str, Any] = {
        "line": 5,
        "first_name": "Dana",
        "last_name": "Reyes",
        "linkedin_url": "https://www.linkedin.com/in/dana-reyes",
        "organization": "Acme, Inc.",
        "title": "Engineering Manager",
        "connected_on": date(2026, 1, 5),
    }
    values.update(overrides)
    return PersonRecord(**values)


def test_new_person_gets_job_tie_source_and_level(alice: Any) -> None:
    batch, plan = run_import(
        alice, [dana(emails=["dana@acme.example"], phones=["+1 415 555 0100"])]
    )

    person = Person.objects.get(owner=alice)
    assert person.full_name == "Dana Reyes"
    assert person.source == Source.LINKEDIN
    assert person.level == "manager"
    assert [e.email for e in person.email_addresses.all()] == ["dana@acme.example"]
    assert [p.number for p in person.phone_numbers.all()] == ["+1 415 555 0100"]
    job = Employment.objects.get(person=person)
    assert (job.organization.name, job.title, job.is_current) == (
        "Acme, Inc.",
        "Engineering Manager",
        True,
    )
    tie = Tie.objects.get(to_person=person)
    assert tie.from_person is None
    assert tie.since == date(2026, 1, 5)
    assert tie.note == "LinkedIn connection"
    assert plan.summary()["new"] == 1
    assert batch.created_rows["network.Person"] == [person.pk]


def test_organizations_match_by_normalised_name(alice: Any) -> None:
    existing = OrganizationFactory(owner=alice, name="ACME Inc")
    run_import(
        alice,
        [
            dana(),
            PersonRecord(line=6, first_name="Lee", last_name="Park", organization="acme"),
            PersonRecord(line=7, first_name="Kim", last_name="Wu", organization="Acme LLC."),
        ],
    )
    assert Organization.objects.filter(owner=alice).count() == 1
    assert Employment.objects.filter(organization=existing).count() == 3


def test_reimport_changes_nothing(alice: Any) -> None:
    records = [dana(emails=["dana@acme.example"]), PersonRecord(line=6, first_name="Lee")]
    run_import(alice, records)
    counts = _counts(alice)

    _batch, plan = run_import(
        alice, [dana(emails=["DANA@acme.example"]), PersonRecord(line=6, first_name="Lee")]
    )

    summary = plan.summary()
    # Lee has no e-mail or profile: he is the one Lee tied to alice, so he is found by name.
    assert summary["new"] == 0
    assert summary["unchanged"] == 2
    assert _counts(alice) == counts
    dana_only = [dana(emails=["dana@acme.example"])]
    before = _counts(alice)
    _batch, plan = run_import(alice, dana_only)
    assert plan.summary()["unchanged"] == 1
    assert plan.summary()["changed"] == 0
    assert _counts(alice) == before


def test_match_by_email_phone_and_url_variants(alice: Any) -> None:
    save_person(alice, Person(first_name="Ana"), emails=["ana@x.example"])
    save_person(alice, Person(first_name="Ben"), phones=["+1 (415) 555-0101"])
    save_person(
        alice, Person(first_name="Cy", linkedin_url="https://linkedin.com/in/C%C3%A9line-x")
    )
    _batch, plan = run_import(
        alice,
        [
            PersonRecord(line=2, first_name="Ana", last_name="M", emails=["ANA@X.example"]),
            PersonRecord(line=3, first_name="Benjamin", phones=["+1 415 555 0101"]),
            PersonRecord(
                line=4, first_name="Cy", linkedin_url="https://www.linkedin.com/in/céline-x/"
            ),
        ],
        fmt=Format.GOOGLE,
    )
    assert plan.summary()["matched"] == 3
    assert plan.summary()["new"] == 0
    assert Person.objects.filter(owner=alice).count() == 3


def test_changed_company_ends_old_job_and_undo_restores_it(alice: Any) -> None:
    run_import(alice, [dana()])
    person = Person.objects.get(owner=alice)
    old_job = Employment.objects.get(person=person)

    batch, plan = run_import(alice, [dana(organization="Globex", title="Director")])

    old_job.refresh_from_db()
    assert old_job.is_current is False
    assert old_job.end_date is not None
    new_job = Employment.objects.get(person=person, is_current=True)
    assert new_job.organization.name == "Globex"
    [changed] = plan.samples()["changed"]
    assert any("new job" in change for change in changed["changes"])

    undo(batch)
    old_job.refresh_from_db()
    assert old_job.is_current is True
    assert old_job.end_date is None
    assert not Employment.objects.filter(pk=new_job.pk).exists()
    assert not Organization.objects.filter(owner=alice, name="Globex").exists()
    batch.refresh_from_db()
    assert batch.status == Status.UNDONE


def test_same_job_with_new_title_starts_a_new_job(alice: Any) -> None:
    run_import(alice, [dana()])
    run_import(alice, [dana(title="Director of Engineering")])
    jobs = Employment.objects.filter(owner=alice).order_by("pk")
    assert [(j.title, j.is_current) for j in jobs] == [
        ("Engineering Manager", False),
        ("Director of Engineering", True),
    ]


def test_undo_removes_everything_created_and_keeps_worked_on_people(alice: Any) -> None:
    keep_org = OrganizationFactory(owner=alice, name="Initech")
    batch, _ = run_import(
        alice,
        [
            dana(emails=["dana@acme.example"]),
            PersonRecord(line=6, first_name="Lee", last_name="Park", organization="Initech"),
            PersonRecord(line=7, first_name="Kim", last_name="Wu", organization="Umbrella"),
        ],
    )
    lee = Person.objects.get(owner=alice, first_name="Lee")
    kim = Person.objects.get(owner=alice, first_name="Kim")
    # The user works on Lee after the import: a tie between Lee and Kim, and a note.
    Tie.objects.create(owner=alice, from_person=lee, to_person=kim, kind="colleague")
    Person.objects.filter(pk=lee.pk).update(notes="Met at the meetup")
    batch.finished_at = batch.created_at
    batch.save()

    report = undo_report(batch)
    touched = {t.person_id: t.reasons for t in report.touched}
    assert set(touched) == {lee.pk, kim.pk}
    assert any("tie" in reason for reason in touched[lee.pk])

    result = undo(batch)
    assert result["kept_people"] == 2
    remaining = set(Person.objects.filter(owner=alice).values_list("first_name", flat=True))
    assert remaining == {"Lee", "Kim"}
    assert Organization.objects.filter(pk=keep_org.pk).exists()  # existed before the import
    assert not Organization.objects.filter(owner=alice, name="Acme, Inc.").exists()
    assert Organization.objects.filter(
        owner=alice, name="Umbrella"
    ).exists()  # Kim still works there
    assert not EmailAddress.objects.filter(owner=alice).exists()


def test_undo_can_delete_worked_on_people_too(alice: Any) -> None:
    batch, _ = run_import(alice, [dana(), PersonRecord(line=6, first_name="Lee")])
    lee = Person.objects.get(owner=alice, first_name="Lee")
    Tie.objects.create(owner=alice, to_person=lee, kind="friend", note="added by hand")
    undo(batch, delete_touched=True)
    assert not Person.objects.filter(owner=alice).exists()
    assert not Tie.objects.filter(owner=alice).exists()


def test_undo_keeps_a_field_the_user_changed_again(alice: Any) -> None:
    person = PersonFactory(owner=alice, first_name="Dana", last_name="Reyes", location="")
    EmailAddress.objects.create(owner=alice, person=person, email="dana@acme.example")
    batch, _ = run_import(
        alice, [dana(emails=["dana@acme.example"], location="Lisbon", linkedin_url="")]
    )
    person.refresh_from_db()
    assert person.location == "Lisbon"
    Person.objects.filter(pk=person.pk).update(location="Porto")
    result = undo(batch)
    person.refresh_from_db()
    assert person.location == "Porto"
    assert result["kept_later_edits"] == 1


def test_directory_file_creates_memberships_not_ties(alice: Any) -> None:
    group = Affiliation.objects.create(owner=alice, name="Northfield University", kind="school")
    run_import(
        alice,
        [
            PersonRecord(
                line=2,
                first_name="Dana",
                last_name="Reyes",
                class_year=2019,
                affiliation_detail="MSc Physics",
            ),
            PersonRecord(line=3, first_name="Lee", last_name="Park", class_year=1492),
        ],
        fmt=Format.CSV,
        affiliation=group,
    )
    memberships = {m.person.first_name: m for m in Membership.objects.filter(owner=alice)}
    assert memberships["Dana"].class_year == 2019
    assert memberships["Dana"].detail == "MSc Physics"
    assert memberships["Lee"].class_year is None
    assert not Tie.objects.filter(owner=alice).exists()
    assert set(Person.objects.filter(owner=alice).values_list("source", flat=True)) == {
        Source.ALUMNI_DIRECTORY
    }


def test_new_group_is_created_with_the_import_and_removed_by_undo(alice: Any) -> None:
    group = Affiliation(owner=alice, name="Data Guild", kind="association")
    batch, _ = run_import(alice, [PersonRecord(line=2, first_name="Dana")], Format.CSV, group)
    assert Affiliation.objects.filter(owner=alice, name="Data Guild").exists()
    undo(batch)
    assert not Affiliation.objects.filter(owner=alice).exists()


def test_bad_fields_are_problems_with_line_and_field(alice: Any) -> None:
    _batch, plan = run_import(
        alice,
        [
            PersonRecord(line=3, first_name="", last_name=""),
            PersonRecord(line=4, first_name="Dana", emails=["not-an-email"], title="x" * 300),
            PersonRecord(line=5, first_name="Lee", linkedin_url="javascript:alert(1)"),
            Problem(line=6, field="", message="the line has an unclosed quote"),
        ],
    )
    problems = {(p.line, p.field): p for p in plan.problems}
    assert problems[(3, "name")].skipped is True
    assert problems[(4, "email")].skipped is False
    assert problems[(4, "title")].skipped is False
    assert problems[(5, "linkedin_url")].skipped is False
    assert problems[(6, "")].skipped is True
    dana_row = Person.objects.get(owner=alice, first_name="Dana")
    assert not dana_row.email_addresses.exists()
    assert len(Employment.objects.none()) == 0
    assert plan.summary()["skipped"] == 2


def test_same_person_twice_in_one_file_is_one_person(alice: Any) -> None:
    run_import(
        alice,
        [
            dana(emails=["dana@acme.example"]),
            dana(line=9, emails=["dana@acme.example", "dana@home.example"]),
        ],
    )
    person = Person.objects.get(owner=alice)
    assert sorted(person.email_addresses.values_list("email", flat=True)) == [
        "dana@acme.example",
        "dana@home.example",
    ]


def test_messages_land_on_the_timeline_once_and_set_last_contacted(alice: Any) -> None:
    message = MessageRecord(
        line=2,
        kind="linkedin_message",
        direction="received",
        occurred_at=datetime(2026, 3, 1, 14, 3, tzinfo=UTC),
        other_name="Dana Reyes",
        other_linkedin_url="https://www.linkedin.com/in/dana-reyes",
        subject="Coffee?",
        body="Happy to chat next week.",
    )
    unknown = MessageRecord(
        line=3,
        kind="linkedin_message",
        direction="sent",
        occurred_at=datetime(2026, 3, 2, tzinfo=UTC),
        other_name="Nobody Known",
    )
    _batch, plan = run_import(alice, [message, dana(), unknown], Format.LINKEDIN_ARCHIVE)
    person = Person.objects.get(owner=alice)
    assert person.last_contacted_on == date(2026, 3, 1)
    assert Interaction.objects.get(person=person).body == "Happy to chat next week."
    assert plan.summary()["messages_unmatched"] == 1
    assert any(p.line == 3 and "Nobody Known" in p.message for p in plan.problems)

    _batch, plan = run_import(alice, [message], Format.LINKEDIN_MESSAGES)
    assert Interaction.objects.filter(owner=alice).count() == 1
    assert plan.summary()["messages_known"] == 1


def test_imports_never_touch_another_users_people(alice: Any, bob: Any) -> None:
    theirs = save_person(bob, Person(first_name="Dana"), emails=["dana@acme.example"])
    EmploymentFactory(
        owner=bob, person=theirs, organization=OrganizationFactory(owner=bob, name="Acme")
    )
    run_import(alice, [dana(emails=["dana@acme.example"])])
    assert Person.objects.filter(owner=bob).count() == 1
    assert Person.objects.filter(owner=alice).count() == 1
    assert Organization.objects.filter(owner=alice).count() == 1
    assert PhoneNumber.objects.filter(owner=bob).count() == 0


def _counts(owner: Any) -> dict[str, int]:
    models = [Person, EmailAddress, PhoneNumber, Employment, Organization, Tie, Membership]
    return {m._meta.label: m.objects.filter(owner=owner).count() for m in models}
