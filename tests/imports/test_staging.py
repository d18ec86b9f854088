"""An import writes out of sight under a staging account and publishes at once (issue 16).

The checks "while the import runs" are made from the import's own progress callback:
the last call comes after every chunk is written and before the rows are published.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from coffeechat.accounts.models import User
from coffeechat.imports import services, staging, stale
from coffeechat.imports.engine import import_file
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.undo import undo
from coffeechat.network import writers
from coffeechat.network.models import (
    EmailAddress,
    Employment,
    Interaction,
    Organization,
    Person,
    PersonSearch,
    Tag,
    Tie,
)
from coffeechat.network.search import refresh
from tests.imports.test_engine import dana, parsed

pytestmark = pytest.mark.django_db

CSV = (
    "First Name,Last Name,Email,Company\n"
    "Dana,Reyes,dana.new@example.org,Acme\n"
    "Quentin,Staged,quentin@example.org,Stagecorp\n"
    "Rosa,Staged,rosa@example.org,Acme\n"
)


@pytest.fixture
def uploads(settings: Any, tmp_path: Path) -> Path:
    settings.IMPORT_DIR = tmp_path / "uploads"
    return settings.IMPORT_DIR


def staged_people() -> int:
    return Person.objects.filter(owner__is_import_staging=True).count()


def batch_of(owner: Any, text: str = CSV) -> ImportBatch:
    return services.create_batch(owner, io.BytesIO(text.encode()), "people.csv")


def existing_dana(owner: Any) -> Person:
    person = Person.objects.create(owner=owner, first_name="Dana", last_name="Reyes")
    EmailAddress.objects.create(owner=owner, person=person, email="dana@example.org")
    org = Organization.objects.create(owner=owner, name="Acme", name_key="acme")
    Employment.objects.create(owner=owner, person=person, organization=org, is_current=True)
    # Tied to the user: a row of the same name at the same organization is her.
    Tie.objects.create(owner=owner, to_person=person, kind="acquaintance", strength=2)
    return person


def test_the_users_pages_show_none_of_the_staged_rows_until_it_publishes(
    alice: Any, alice_client: Client, uploads: Path
) -> None:
    dana_person = existing_dana(alice)
    seen: dict[str, Any] = {}

    def during(_phase: str, _done: int, _total: int) -> None:
        seen["staged"] = staged_people()
        seen["api"] = alice_client.get("/api/v1/people").json()
        seen["list"] = alice_client.get("/people/").content.decode()
        seen["search"] = alice_client.get("/api/v1/people", {"q": "Staged"}).json()
        seen["dana"] = alice_client.get(dana_person.get_absolute_url()).content.decode()
        seen["organizations"] = alice_client.get("/api/v1/organizations").json()

    assert services.commit(batch_of(alice), echo=during)

    # While it ran: the new people existed, under the staging account, and nowhere else.
    assert seen["staged"] == 2
    assert [p["first_name"] for p in seen["api"]["items"]] == ["Dana"]
    assert "Quentin" not in seen["list"] and "Rosa" not in seen["list"]
    assert seen["search"]["items"] == []
    assert "dana.new@example.org" not in seen["dana"]  # a new address of someone there
    assert [o["name"] for o in seen["organizations"]["items"]] == ["Acme"]
    # Published: everything is the user's, found by search, and the staging account is gone.
    assert staged_people() == 0
    assert not User.objects.filter(is_import_staging=True).exists()
    assert Person.objects.filter(owner=alice).count() == 3
    assert set(EmailAddress.objects.filter(person=dana_person).values_list("email", flat=True)) == {
        "dana@example.org",
        "dana.new@example.org",
    }
    assert Organization.objects.filter(owner=alice, name="Stagecorp").exists()
    found = alice_client.get("/api/v1/people", {"q": "Staged"}).json()
    assert sorted(p["first_name"] for p in found["items"]) == ["Quentin", "Rosa"]
    assert set(PersonSearch.objects.values_list("owner_id", flat=True)) == {alice.pk}


def test_a_failure_mid_way_leaves_no_rows_and_no_staging_account(alice: Any, uploads: Path) -> None:
    existing_dana(alice)
    before = {m: m.objects.count() for m in (Person, EmailAddress, Organization, Employment)}
    staged: list[int] = []

    def fail(_phase: str, _done: int, _total: int) -> None:
        staged.append(staged_people())
        raise RuntimeError("the disk is full")

    batch = batch_of(alice)
    assert services.commit(batch, echo=fail) is False

    batch.refresh_from_db()
    assert staged == [2]  # it had written its rows
    assert batch.status == Status.PREVIEWED
    assert "nothing was written" in batch.error
    assert batch.staging_owner is None
    assert not User.objects.filter(is_import_staging=True).exists()
    assert {m: m.objects.count() for m in before} == before


def test_a_tag_the_user_adds_meanwhile_is_the_one_the_people_get(alice: Any) -> None:
    def add_tag(_phase: str, _done: int) -> None:
        Tag.objects.get_or_create(owner=alice, name="Mentor")

    batch = ImportBatch.objects.create(owner=alice, original_name="tags.csv")
    records = [
        dana(tags=["Mentor", "Alumni"]),
        dana(line=6, first_name="Eli", linkedin_url="", tags=["Mentor"]),
    ]
    import_file(batch, parsed(records), progress=add_tag)

    mentor = Tag.objects.get(owner=alice, name="Mentor")
    assert Tag.objects.filter(name="Mentor").count() == 1
    assert set(mentor.people.values_list("first_name", flat=True)) == {"Dana", "Eli"}
    batch.refresh_from_db()
    batch.status = Status.IMPORTED
    batch.save()
    assert mentor.pk not in batch.created_rows["network.Tag"]  # the user's, not the import's
    undo(batch)
    assert list(Tag.objects.filter(owner=alice).values_list("name", flat=True)) == ["Mentor"]
    assert not Person.objects.filter(owner=alice).exists()


@pytest.mark.django_db(transaction=True)
def test_a_person_deleted_meanwhile_fails_the_import_with_a_clear_message(
    alice: Any, uploads: Path
) -> None:
    dana_person = existing_dana(alice)

    def delete_dana(_phase: str, _done: int, _total: int) -> None:
        Person.objects.filter(pk=dana_person.pk).delete()  # as the person page's Delete does

    batch = batch_of(alice)
    assert services.commit(batch, echo=delete_dana) is False

    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert "was changed or deleted while it was being imported" in batch.error
    assert "Nothing was imported" in batch.error
    assert not Person.objects.exists()
    assert not EmailAddress.objects.exists()
    assert list(Organization.objects.values_list("name", flat=True)) == ["Acme"]
    assert not User.objects.filter(is_import_staging=True).exists()


def test_the_worker_removes_the_staged_rows_of_an_import_that_stopped(
    alice: Any, uploads: Path
) -> None:
    batch = batch_of(alice)
    assert services.claim(batch, {Status.UPLOADED}, Status.IMPORTING, "Importing rows")
    staging_owner = staging.open_staging(batch)
    ids = writers.insert_people(staging_owner, [("Quentin", "Staged", "", "", "", "")], "other")
    refresh()  # the worker's sweep leaves them to the import
    assert not PersonSearch.objects.filter(person_id__in=ids).exists()
    refresh(Person.objects.filter(owner=staging_owner))
    assert PersonSearch.objects.filter(person_id__in=ids, owner_id=staging_owner.pk).exists()

    stale.fail_stale_batches()  # still importing (its heartbeat is recent): left alone
    assert staged_people() == 1

    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.FAILED)  # as fail_stale does
    stale.fail_stale_batches()

    assert staged_people() == 0
    assert not User.objects.filter(is_import_staging=True).exists()
    assert not PersonSearch.objects.exists()
    batch.refresh_from_db()
    assert batch.staging_owner is None


def test_undo_after_publish_removes_everything_it_added_and_restores_the_rest(
    alice: Any,
) -> None:
    dana_person = existing_dana(alice)
    models = (Person, EmailAddress, Organization, Employment, Tie, Tag, Interaction)
    before = {m: set(m.objects.values_list("pk", flat=True)) for m in models}
    job = Employment.objects.get(person=dana_person)
    batch = ImportBatch.objects.create(owner=alice, original_name="again.csv")
    records = [
        dana(linkedin_url="", emails=["dana@example.org", "dana@globex.example"]),
        dana(
            line=7,
            first_name="Eli",
            linkedin_url="https://www.linkedin.com/in/eli-reyes",
            emails=["eli@example.org"],
            tags=["New"],
        ),
    ]
    records[0].organization = "Globex"
    import_file(batch, parsed(records))
    job.refresh_from_db()
    assert job.is_current is False  # ended at publish
    assert Person.objects.filter(owner=alice).count() == 2
    batch.refresh_from_db()
    assert set(batch.created_rows) >= {"network.Person", "network.EmailAddress", "network.Tag"}
    batch.status = Status.IMPORTED
    batch.save()

    undo(batch)

    assert {m: set(m.objects.values_list("pk", flat=True)) for m in models} == before
    job.refresh_from_db()
    assert job.is_current is True


@pytest.mark.django_db(transaction=True)
def test_a_run_the_worker_gave_up_on_mid_way_does_not_land(alice: Any, uploads: Path) -> None:
    rows = "".join(f"P{i},Staged,p{i}@example.org,Org {i % 7}\n" for i in range(2500))
    batch = batch_of(alice, "First Name,Last Name,Email,Company\n" + rows)
    seen: list[int] = []

    def worker_gives_up(_phase: str, done: int, _total: int) -> None:
        if done >= 1500 and not seen:  # a chunk is written: the worker's step runs now
            seen.append(staged_people())
            ImportBatch.objects.filter(pk=batch.pk).update(status=Status.FAILED)
            staging.discard_abandoned()

    assert services.commit(batch, echo=worker_gives_up) is False

    batch.refresh_from_db()
    assert seen == [1000]
    assert batch.status == Status.FAILED
    assert "given up on" in batch.error
    assert not Person.objects.exists()
    assert not User.objects.filter(is_import_staging=True).exists()
