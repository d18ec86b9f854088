"""Undo runs in short transactions: marked undoing while it runs, resumable when it stops."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from coffeechat.imports import stale
from coffeechat.imports import undo as undo_module
from coffeechat.imports.models import ImportBatch, ImportChange, Status
from coffeechat.imports.records import PersonRecord
from coffeechat.imports.undo import undo
from coffeechat.network.models import EmailAddress, Employment, Organization, Person
from tests.imports.test_engine import dana, run_import

pytestmark = pytest.mark.django_db


def people(n: int) -> list[PersonRecord]:
    return [
        PersonRecord(line=i + 2, first_name=f"P{i}", last_name="Chunk", organization=f"Org {i}")
        for i in range(n)
    ]


def test_undo_in_chunks_removes_everything_and_restores_changes(
    alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(undo_module, "CHUNK", 3)
    monkeypatch.setattr(undo_module, "PEOPLE_CHUNK", 2)
    run_import(alice, [dana()])
    old_job = Employment.objects.get(owner=alice)
    batch, _ = run_import(alice, [dana(organization="Globex"), *people(10)])
    assert Person.objects.filter(owner=alice).count() == 11

    result = undo(batch)

    assert result["network.Person"] == 10
    assert set(Person.objects.filter(owner=alice).values_list("first_name", flat=True)) == {"Dana"}
    old_job.refresh_from_db()
    assert old_job.is_current is True
    assert not Organization.objects.filter(owner=alice, name__startswith="Org ").exists()
    batch.refresh_from_db()
    assert batch.status == Status.UNDONE
    assert not ImportChange.objects.filter(batch=batch).exists()


def test_an_undo_that_stops_half_way_can_be_run_again(
    alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(undo_module, "CHUNK", 4)
    monkeypatch.setattr(undo_module, "PEOPLE_CHUNK", 4)
    batch, _ = run_import(alice, [*people(10)])
    queryset = type(Person.objects.all())
    real_delete = queryset.delete
    calls: list[str] = []

    def delete_then_fail(self: Any) -> Any:
        # The second chunk of people: the disk fills up (the chunk's transaction rolls back).
        if self.model is Person:
            calls.append("person")
            if len(calls) == 2:
                raise OSError("the disk is full")
        return real_delete(self)

    monkeypatch.setattr(queryset, "delete", delete_then_fail)
    with pytest.raises(OSError, match="disk is full"):
        undo(batch)
    monkeypatch.setattr(queryset, "delete", real_delete)

    batch.refresh_from_db()
    assert batch.status == Status.IMPORTED
    assert "undo it again" in batch.error
    # The first chunk of people is gone, the rest is still there: not hidden, not lost.
    assert Person.objects.filter(owner=alice).count() == 6
    assert not EmailAddress.objects.filter(owner=alice).exists()  # removed before people

    result = undo(batch)
    assert result["network.Person"] == 6
    assert not Person.objects.filter(owner=alice).exists()
    assert not Employment.objects.filter(owner=alice).exists()
    batch.refresh_from_db()
    assert (batch.status, batch.error) == (Status.UNDONE, "")


def test_a_stale_undo_goes_back_to_imported_to_be_undone_again(alice: Any) -> None:
    batch, _ = run_import(alice, [*people(2)])
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.UNDOING, updated_at=batch.created_at - stale.STALE_AFTER * 2
    )
    batch.refresh_from_db()
    assert stale.fail_stale(batch)
    assert batch.status == Status.IMPORTED
    assert "undo it again" in batch.error
    undo(batch)
    assert not Person.objects.filter(owner=alice).exists()


def test_only_an_imported_batch_is_undone(alice: Any) -> None:
    batch, _ = run_import(alice, [*people(1)])
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.UNDOING)
    with pytest.raises(ValueError, match="Only an imported batch"):
        undo(batch)
    assert Person.objects.filter(owner=alice).count() == 1


def test_the_page_says_an_import_is_being_undone(alice: Any, alice_client: Client) -> None:
    batch, _ = run_import(alice, [*people(3)])
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.UNDOING, phase="Undoing: removing Person rows", rows_done=1, rows_total=9
    )
    page = alice_client.get(batch.get_absolute_url()).content.decode()
    assert "Undoing: removing Person rows" in page
    assert "1 of about 9 rows" in page
    listing = alice_client.get("/imports/").content.decode()
    assert "Undoing" in listing
    # A second undo is refused with a message, not an error page.
    answer = alice_client.post(f"/imports/{batch.pk}/undo/", follow=True)
    assert answer.status_code == 200
    assert Person.objects.filter(owner=alice).count() == 3
