"""Re-importing a file: rows brought in before and untouched since are skipped by their
print; any other row is read and matched as always (issue 16)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from coffeechat.accounts.models import User
from coffeechat.imports import services
from coffeechat.imports.engine import import_file
from coffeechat.imports.engine.planner import Planner
from coffeechat.imports.models import ImportBatch, RowPrint, Status
from coffeechat.imports.undo import undo
from coffeechat.network.models import EmailAddress, Employment, Person, Tie

pytestmark = pytest.mark.django_db

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROWS = [
    "Ana,Reyes,https://www.linkedin.com/in/ana-reyes,ana@example.org,Acme,Engineer,01 Jan 2024\n",
    "Ben,Park,https://www.linkedin.com/in/ben-park,,Globex,Designer,02 Feb 2023\n",
    "Chloé,Okafor,https://www.linkedin.com/in/chloe-okafor,,Initech,Analyst,03 Mar 2022\n",
    "Dana,Nguyen,https://www.linkedin.com/in/dana-nguyen,,Acme,Manager,04 Apr 2021\n",
]


@pytest.fixture(autouse=True)
def uploads(settings: Any, tmp_path: Path) -> Path:
    settings.IMPORT_DIR = tmp_path / "uploads"
    return settings.IMPORT_DIR


def import_text(owner: Any, rows: list[str]) -> tuple[ImportBatch, Planner]:
    """Import a LinkedIn Connections.csv of ``rows`` through the parser, as uploaded."""
    batch = services.create_batch(owner, io.BytesIO((HEADER + "".join(rows)).encode()), "c.csv")
    plan = import_file(batch, services.parse(batch))
    batch.status = Status.IMPORTED
    batch.save()
    return batch, plan


def counts(owner: Any) -> tuple[int, ...]:
    return tuple(
        model.objects.filter(owner=owner).count()
        for model in (Person, EmailAddress, Employment, Tie)
    )


def test_an_unchanged_file_imported_again_skips_every_row_and_changes_nothing(
    alice: Any,
) -> None:
    _batch, first = import_text(alice, ROWS)
    assert first.summary()["new"] == 4
    assert RowPrint.objects.filter(owner_id=alice.pk).count() == 4
    before = counts(alice)

    _batch, again = import_text(alice, ROWS)

    summary = again.summary()
    assert (summary["new"], summary["matched"], summary["changed"]) == (0, 4, 0)
    assert summary["unchanged"] == 4 and summary["rows"] == 4
    assert "index" not in again.__dict__  # no row needed the network matched again
    assert counts(alice) == before
    assert RowPrint.objects.filter(owner_id=alice.pk).count() == 4
    assert not User.objects.filter(is_import_staging=True).exists()  # its account went


def test_one_changed_row_among_unchanged_ones_is_picked_up(alice: Any) -> None:
    import_text(alice, ROWS)
    changed = [*ROWS]
    changed[2] = changed[2].replace("Initech,Analyst", "Umbrella,Lead Analyst")

    _batch, again = import_text(alice, changed)

    summary = again.summary()
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 1, 3)
    chloe = Person.objects.get(owner=alice, last_name="Okafor")
    current = Employment.objects.get(person=chloe, is_current=True)
    assert (current.organization.name, current.title) == ("Umbrella", "Lead Analyst")
    # The changed row is recognised from now on, the old one no more.
    _batch, third = import_text(alice, changed)
    assert (third.summary()["changed"], third.summary()["unchanged"]) == (0, 4)


def test_a_person_deleted_since_is_added_again(alice: Any) -> None:
    import_text(alice, ROWS)
    Person.objects.get(owner=alice, first_name="Ben").delete()
    assert RowPrint.objects.filter(owner_id=alice.pk).count() == 3

    _batch, again = import_text(alice, ROWS)

    assert (again.summary()["new"], again.summary()["unchanged"]) == (1, 3)
    assert Person.objects.filter(owner=alice, first_name="Ben").count() == 1


def test_a_person_edited_since_is_matched_again_and_the_change_shown(alice: Any) -> None:
    import_text(alice, ROWS)
    dana = Person.objects.get(owner=alice, first_name="Dana")
    Employment.objects.filter(person=dana).delete()  # the user removed her job
    Tie.objects.filter(to_person=dana).delete()  # and the tie to her

    _batch, again = import_text(alice, ROWS)

    summary = again.summary()
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 1, 3)
    assert Employment.objects.filter(person=dana, is_current=True).count() == 1
    assert Tie.objects.filter(to_person=dana).count() == 1


@pytest.mark.parametrize(
    "edit",
    [
        lambda p: Person.objects.filter(pk=p.pk).update(location="Lisbon"),
        lambda p: EmailAddress.objects.filter(person=p).update(email="a3@example.org"),
        lambda p: EmailAddress.objects.filter(person=p).delete(),
        lambda p: Employment.objects.filter(person=p).update(is_current=False),
        lambda p: p.save(),
    ],
    ids=["field", "e-mail changed", "e-mail removed", "job ended", "saved"],
)
def test_any_change_to_a_person_forgets_their_prints(alice: Any, edit: Any) -> None:
    import_text(alice, ROWS)
    ana = Person.objects.get(owner=alice, first_name="Ana")

    edit(ana)

    assert not RowPrint.objects.filter(person_id=ana.pk).exists()
    assert RowPrint.objects.filter(owner_id=alice.pk).count() == 3


def test_something_added_to_a_person_keeps_the_row_recognised(alice: Any) -> None:
    import_text(alice, ROWS)
    ana = Person.objects.get(owner=alice, first_name="Ana")
    EmailAddress.objects.create(owner=alice, person=ana, email="ana@home.example", position=1)

    _batch, again = import_text(alice, ROWS)

    # As when it reads the row: everything the row brings is already there.
    assert (again.summary()["changed"], again.summary()["unchanged"]) == (0, 4)
    assert "index" not in again.__dict__


def test_prints_are_the_owners_own(alice: Any, bob: Any) -> None:
    import_text(alice, ROWS)

    _batch, bobs = import_text(bob, ROWS)

    assert bobs.summary()["new"] == 4
    assert Person.objects.filter(owner=bob).count() == 4


def test_after_an_undo_the_file_is_imported_whole_again(alice: Any) -> None:
    batch, _plan = import_text(alice, ROWS)
    undo(batch)
    assert not RowPrint.objects.filter(owner_id=alice.pk).exists()

    _batch, again = import_text(alice, ROWS)

    assert again.summary()["new"] == 4


def test_merged_rows_and_rows_known_by_name_only_are_read_every_time(alice: Any) -> None:
    rows = [
        *ROWS,
        # A repeat of Ana (same profile): merged into her, a problem says so each time.
        "Ana,Reyes,https://www.linkedin.com/in/ana-reyes,,Acme,Engineer,01 Jan 2024\n",
        "Eli,Berg,not a profile,,Acme,Engineer,05 May 2020\n",
    ]
    _batch, first = import_text(alice, rows)
    assert first.summary()["merged"] == 1

    _batch, again = import_text(alice, rows)

    summary = again.summary()
    assert (summary["new"], summary["changed"], summary["merged"]) == (0, 0, 1)
    assert summary["problems"] == first.summary()["problems"]
    assert {p.line for p in again.problems} == {p.line for p in first.problems}


def test_a_recognised_row_shows_its_warnings_again_at_its_new_line(alice: Any) -> None:
    warned = "Eve,Ito,https://www.linkedin.com/in/eve-ito,not-an-address,Acme,CTO,06 Jun 2020\n"
    _batch, first = import_text(alice, [*ROWS, warned])
    assert [(p.line, p.field) for p in first.problems] == [(6, "Email Address")]

    _batch, again = import_text(alice, [warned, *ROWS])  # the rows in another order

    summary = again.summary()
    assert (summary["new"], summary["unchanged"], summary["problems"]) == (0, 5, 1)
    assert "index" not in again.__dict__
    assert [(p.line, p.field, p.message) for p in again.problems] == [
        (2, "Email Address", first.problems[0].message)
    ]
