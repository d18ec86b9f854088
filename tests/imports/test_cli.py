"""`coffeechat import`, `undo-import` and `export` in the terminal."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from coffeechat.imports.models import ImportBatch, Status
from coffeechat.network.models import Affiliation, Membership, Person
from tests.imports.test_pages import CONNECTIONS, DIRECTORY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_DIR = tmp_path / "uploads"


def run(*args: Any, **options: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_dry_run_previews_and_writes_nothing(alice: Any, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS)
    output = run("import", str(path), user=alice.email, dry_run=True)
    assert "New people" in output
    assert "Dry run: nothing was written." in output
    assert not Person.objects.filter(owner=alice).exists()
    assert ImportBatch.objects.get(owner=alice).status == Status.CANCELLED


def test_import_reimport_and_undo(alice: Any, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS)
    output = run("import", str(path), user=alice.email)
    assert "Imported." in output
    assert Person.objects.filter(owner=alice).count() == 2
    batch = ImportBatch.objects.get(owner=alice)
    assert f"coffeechat undo-import {batch.pk}" in output

    run("import", str(path), user=alice.email, format="linkedin")
    assert Person.objects.filter(owner=alice).count() == 2

    listing = run("undo-import", user=alice.email)
    assert "Connections.csv" in listing
    output = run("undo-import", str(batch.pk), user=alice.email, yes=True)
    assert "removed 2 people" in output
    assert not Person.objects.filter(owner=alice).exists()
    with pytest.raises(CommandError, match="only an imported file can be undone"):
        run("undo-import", str(batch.pk), user=alice.email, yes=True)


def test_directory_with_a_group(alice: Any, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text(DIRECTORY)
    run(
        "import",
        str(path),
        user=alice.email,
        affiliation="Data Guild",
        affiliation_kind="association",
    )
    group = Affiliation.objects.get(owner=alice, name="Data Guild")
    assert group.kind == "association"
    assert Membership.objects.filter(affiliation=group).count() == 2


def test_bad_file_and_unknown_user_are_clear_errors(alice: Any, tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    with pytest.raises(CommandError, match=r"^photo\.png"):
        run("import", str(path), user=alice.email)
    assert not Person.objects.filter(owner=alice).exists()
    with pytest.raises(CommandError, match="no account"):
        run("import", str(path), user="nobody@example.com")
    with pytest.raises(CommandError, match="no such file"):
        run("import", str(tmp_path / "missing.csv"), user=alice.email)


def test_other_users_batches_cannot_be_undone(alice: Any, bob: Any, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS)
    run("import", str(path), user=alice.email)
    batch = ImportBatch.objects.get(owner=alice)
    with pytest.raises(CommandError, match="no import number"):
        run("undo-import", str(batch.pk), user=bob.email)
    assert Person.objects.filter(owner=alice).count() == 2


def test_export_round_trip(alice: Any, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS)
    run("import", str(path), user=alice.email)
    for fmt, name in (("csv", "people.csv"), ("vcard", "people.vcf")):
        out = tmp_path / name
        call_command("export", fmt, user=alice.email, output=str(out), stderr=io.StringIO())
        text = out.read_text()
        assert "Reyes" in text
        output = run("import", str(out), user=alice.email)
        assert "Imported." in output
        assert Person.objects.filter(owner=alice).count() == 2, fmt
