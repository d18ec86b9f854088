"""Exporting the demo network and importing it again loses nothing and invents nothing.

The demo network (a few hundred people, friends of friends, directory members,
several groups per person, ties with and without a date) is exported as CSV, vCard
4.0 and vCard 3.0. Each file is imported into a fresh account, whose own export then
holds exactly the same fields as the first account's; and into the same account,
where it changes nothing at all.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import vobject
from django.core.management import call_command

from coffeechat.demo.network import build_demo_network
from coffeechat.imports import services
from coffeechat.imports.export import export_people, people_records
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.records import PersonRecord
from coffeechat.network.models import Affiliation, Membership, Person, Tie
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPORTS = [("csv", "4.0", "people.csv"), ("vcard", "4.0", "people.vcf"), ("vcard", "3.0", "v3.vcf")]


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_DIR = tmp_path / "uploads"


@pytest.fixture(scope="module")
def demo_owner(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """One demo network for the module (built once: it is the slow part)."""
    with django_db_blocker.unblock():
        owner = UserFactory(email="roundtrip-demo@example.com")
        build_demo_network(owner, seed=2026, people=320)
    yield owner
    with django_db_blocker.unblock():
        owner.delete()


def comparable(record: PersonRecord) -> tuple[Any, ...]:
    """Every field an export writes, except the account's own id for the person."""
    return (
        record.first_name,
        record.last_name,
        tuple(record.emails),
        tuple(record.phones),
        tuple(sorted(record.email_kinds.items())),
        tuple(sorted(record.phone_kinds.items())),
        record.linkedin_url,
        record.organization,
        record.department,
        record.title,
        record.location,
        record.notes,
        tuple(record.tags),
        record.connected_on,
        record.class_year,
        record.affiliation_detail,
        (record.connection.kind, record.connection.strength, record.connection.note)
        if record.connection
        else None,
        tuple(
            (g.name, g.kind, g.detail, g.class_year, g.start_year, g.end_year)
            for g in record.groups
        ),
    )


def network_of(owner: Any) -> Counter[tuple[Any, ...]]:
    return Counter(comparable(record) for record in people_records(owner))


def export_file(owner: Any, fmt: str, version: str, path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        export_people(owner, fmt, out, vcard_version=version)
    return path


def import_file(owner: Any, path: Path) -> ImportBatch:
    with path.open("rb") as source:
        batch = services.create_batch(owner, source, path.name)
    services.preview(batch)
    batch.refresh_from_db()
    assert batch.status == Status.PREVIEWED, batch.error
    services.commit(batch)
    batch.refresh_from_db()
    assert batch.status == Status.IMPORTED, batch.error
    return batch


def test_the_demo_network_carries_what_used_to_be_lost(demo_owner: Any) -> None:
    """The cases the round trip is about are really in the demo network."""
    records = list(people_records(demo_owner))
    assert sum(1 for r in records if len(r.groups) > 1) > 20  # several memberships
    assert sum(1 for r in records if r.class_year is not None) > 100
    assert sum(1 for r in records if r.connection and not r.connection.kind) > 100  # no tie
    assert sum(1 for r in records if r.connection and r.connection.kind) > 20
    undated = Tie.objects.filter(owner=demo_owner, from_person__isnull=True, since__isnull=True)
    dated = Tie.objects.filter(owner=demo_owner, from_person__isnull=True, since__isnull=False)
    assert dated.exists()
    # A tie to you without a date must survive the CSV too: make sure there is one.
    if not undated.exists():
        tie = dated.first()
        assert tie is not None
        Tie.objects.filter(pk=tie.pk).update(since=None)


@pytest.mark.parametrize(("fmt", "version", "name"), EXPORTS)
def test_an_export_imported_into_a_fresh_account_reproduces_every_field(
    demo_owner: Any, tmp_path: Path, fmt: str, version: str, name: str
) -> None:
    Tie.objects.filter(
        owner=demo_owner, from_person__isnull=True, to_person__first_name__startswith="A"
    ).update(since=None)  # ties to you without a date as well as with one
    path = export_file(demo_owner, fmt, version, tmp_path / name)
    fresh = UserFactory()

    batch = import_file(fresh, path)

    people = Person.objects.filter(owner=demo_owner).count()
    assert batch.summary["new"] == people
    assert batch.summary["skipped"] == 0
    assert batch.summary["merged"] == 0
    assert batch.problems == []
    theirs, ours = network_of(fresh), network_of(demo_owner)
    assert (sorted(theirs - ours), sorted(ours - theirs)) == ([], [])
    # The groups themselves, with their kinds, and the ties to you are all there.
    assert sorted(Affiliation.objects.filter(owner=fresh).values_list("name", "kind")) == sorted(
        Affiliation.objects.filter(owner=demo_owner, memberships__isnull=False)
        .distinct()
        .values_list("name", "kind")
    )
    assert Membership.objects.filter(owner=fresh).count() == (
        Membership.objects.filter(owner=demo_owner).count()
    )
    mine = Tie.objects.filter(from_person__isnull=True)
    assert mine.filter(owner=fresh).count() == mine.filter(owner=demo_owner).count()
    assert mine.filter(owner=fresh, since__isnull=True).exists()
    # Exported again from the fresh account, the file is the same but for the ids.
    again = export_file(fresh, fmt, version, tmp_path / f"again-{name}")
    assert _without_ids(again.read_text(encoding="utf-8")) == _without_ids(
        path.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize(("fmt", "version", "name"), EXPORTS)
def test_an_export_imported_into_the_same_account_changes_nothing(
    demo_owner: Any, tmp_path: Path, fmt: str, version: str, name: str
) -> None:
    before = network_of(demo_owner)
    ties = Tie.objects.filter(owner=demo_owner).count()
    path = export_file(demo_owner, fmt, version, tmp_path / name)

    batch = import_file(demo_owner, path)

    summary = batch.summary
    assert (summary["new"], summary["changed"], summary["merged"]) == (0, 0, 0)
    assert summary["unchanged"] == Person.objects.filter(owner=demo_owner).count()
    assert summary["new_organizations"] == summary["new_groups"] == 0
    assert batch.problems == []
    assert not any(
        "now in your network" in change
        for row in batch.samples.get("changed", [])
        for change in row["changes"]
    )
    assert Tie.objects.filter(owner=demo_owner).count() == ties  # no tie invented
    assert network_of(demo_owner) == before
    assert not any(batch.created_rows.values())


def test_the_vcard_exports_parse_with_vobject(demo_owner: Any, tmp_path: Path) -> None:
    for version in ("4.0", "3.0"):
        path = export_file(demo_owner, "vcard", version, tmp_path / f"{version}.vcf")
        cards = list(vobject.readComponents(path.read_text(encoding="utf-8")))
        assert len(cards) == Person.objects.filter(owner=demo_owner).count()
        assert {card.version.value for card in cards} == {version}
        with_groups = [card for card in cards if "x-coffeechat-group" in card.contents]
        assert with_groups
        assert all("x-coffeechat-connection" in card.contents for card in cards)


def test_the_command_writes_vcard_3(demo_owner: Any, tmp_path: Path) -> None:
    out = tmp_path / "people.vcf"

    call_command(
        "export", "vcard", user=demo_owner.email, output=str(out), vcard_version="3.0",
        stderr=io.StringIO(),
    )  # fmt: skip

    text = out.read_bytes().decode("utf-8")
    assert "VERSION:3.0\r\n" in text
    assert "VERSION:4.0" not in text
    assert ";PREF=1" not in text  # 3.0 says TYPE=pref


def _without_ids(text: str) -> str:
    return re.sub(r"urn:coffeechat:person:\d+:[0-9a-f]{20}", "ID", text)
