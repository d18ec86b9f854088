"""Every card of a real-shaped Android export is accounted for: imported, merged or skipped.

``samples/android_contacts.vcf`` has the shapes that made a card vanish without a word:
a contact with only a phone, one with only an e-mail (and the empty ``N:;;;;`` and
``FN:`` Android writes), a name in ``N`` without ``FN``, an organization alone, a
quoted-printable name broken by a soft line break, photos folded in base64, and the
same person twice (synced from two accounts). The summary's numbers add up to the
cards read, and each merged or skipped card has a line saying with whom or why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coffeechat.imports import services
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.network.models import Person
from tests.imports import SAMPLES, parse, people, problems

pytestmark = pytest.mark.django_db
ANDROID = SAMPLES / "android_contacts.vcf"


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_DIR = tmp_path / "uploads"


def _import(owner: Any, path: Path) -> ImportBatch:
    with path.open("rb") as source:
        batch = services.create_batch(owner, source, path.name)
    services.preview(batch)
    batch.refresh_from_db()
    assert batch.status == Status.PREVIEWED, batch.error
    services.commit(batch)
    batch.refresh_from_db()
    assert batch.status == Status.IMPORTED, batch.error
    return batch


def test_the_reader_gives_one_record_or_problem_per_card() -> None:
    _, records = parse(ANDROID)

    read = sorted([p.line for p in people(records)] + [p.line for p in problems(records)])
    assert read == list(range(1, 9))
    by_card = {p.line: p for p in people(records)}
    assert (by_card[1].first_name, by_card[1].last_name) == ("Renée", "Schäfer")
    assert by_card[1].phone_kinds == {"+1 847-555-0139": "cell", "+1 847-555-0100": "work"}
    assert by_card[1].email_kinds == {"renee.schaefer@example.com": "work"}
    assert by_card[2].first_name == "+1 312-555-0170"  # only a phone: named by it
    assert (by_card[3].first_name, by_card[3].last_name) == ("Chidi", "Okafor")  # N, no FN
    assert (by_card[5].first_name, by_card[5].last_name) == ("伟强", "张")  # soft line break
    assert by_card[5].notes == "Met at the career fair.\nCall after the holidays."
    assert by_card[7].first_name == "mystery.friend@example.org"  # N:;;;; and FN:
    skipped = {p.line: p.message for p in problems(records)}
    assert "only an organization (Northside Pizza)" in skipped[4]
    assert "no name, e-mail address or phone number" in skipped[8]


def test_every_card_is_imported_merged_or_skipped_with_a_reason(alice: Any) -> None:
    batch = _import(alice, ANDROID)

    summary = batch.summary
    assert summary["rows"] == 8
    assert (summary["new"], summary["merged"], summary["skipped"]) == (5, 1, 2)
    assert summary["new"] + summary["merged"] + summary["skipped"] == summary["rows"]
    notes = {p["line"]: p for p in batch.problems}
    assert sorted(notes) == [4, 6, 8]
    assert notes[6]["skipped"] is False
    assert notes[6]["message"] == (
        "the same person as line 1 (Renée Schäfer) (same phone number); merged into one"
    )
    assert Person.objects.filter(owner=alice).count() == 5
    renee = Person.objects.get(owner=alice, last_name="Schäfer")
    assert [(p.number, p.kind) for p in renee.phone_numbers.all()] == [
        ("+1 847-555-0139", "cell"),
        ("+1 847-555-0100", "work"),
    ]


def test_the_preview_page_says_with_whom_a_card_was_merged(alice: Any, alice_client: Any) -> None:
    with ANDROID.open("rb") as source:
        batch = services.create_batch(alice, source, ANDROID.name)
    services.preview(batch)

    page = alice_client.get(batch.get_absolute_url()).content.decode()

    assert "merged into one" in page
    assert "1</strong> card merged into another (the same person" in page
    assert "Northside Pizza" in page


def test_the_person_page_shows_the_kinds_of_phones_and_emails(
    alice: Any, alice_client: Any
) -> None:
    _import(alice, ANDROID)
    renee = Person.objects.get(owner=alice, last_name="Schäfer")

    page = alice_client.get(renee.get_absolute_url()).content.decode()

    assert '+1 847-555-0139</a> <span class="muted">(cell)</span>' in page
    assert 'renee.schaefer@example.com</a> <span class="muted">(work)</span>' in page


def test_editing_a_person_keeps_the_kinds_of_numbers_that_stay(alice: Any) -> None:
    from coffeechat.network.services import save_person

    _import(alice, ANDROID)
    renee = Person.objects.get(owner=alice, last_name="Schäfer")

    save_person(alice, renee, phones=["+1 847-555-0100", "+1 847-555-0199"])

    assert [(p.number, p.kind) for p in renee.phone_numbers.all()] == [
        ("+1 847-555-0100", "work"),
        ("+1 847-555-0199", ""),
    ]
    assert [(e.email, e.kind) for e in renee.email_addresses.all()] == [
        ("renee.schaefer@example.com", "work")
    ]
