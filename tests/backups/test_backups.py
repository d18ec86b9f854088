"""`coffeechat backup` and `coffeechat restore` in this process, on the suite's engine."""

from __future__ import annotations

import datetime
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.test import Client
from django.utils import timezone

from coffeechat.network.models import Person
from coffeechat.server.backup_dumps import BackupError
from coffeechat.server.backup_schedule import prune, take_scheduled_backup
from coffeechat.server.backup_tables import database_state
from coffeechat.server.backups import restore_backup, write_backup
from tests.backups.conftest import on_postgres
from tests.factories import network_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_folders(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir(mode=0o700)
    settings.BACKUP_DIR = tmp_path / "data" / "backups"


def empty_the_database() -> None:
    call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("wanted", ["auto", "json"])
def test_it_restores_what_it_backed_up(alice: Any, tmp_path: Path, wanted: str) -> None:
    objects = network_of(alice)
    person = Person.objects.get(pk=objects["person"].pk)
    before = database_state()
    path, manifest = write_backup(tmp_path / "b.tar.gz", wanted=wanted)
    native = "pg_dump" if on_postgres() else "sqlite"
    assert manifest["database"]["format"] == (native if wanted == "auto" else "json")
    assert manifest["tables"]["network_person"]["rows"] == Person.objects.count() >= 2
    empty_the_database()
    assert not Person.objects.exists()

    result = restore_backup(path)

    assert result.ok, result.mismatches
    assert database_state() == before
    again = Person.objects.get(pk=person.pk)
    assert again.created_at == person.created_at  # microseconds and all
    assert again.owner.email == "alice@example.com"


def test_it_refuses_to_restore_over_data(alice: Any, tmp_path: Path) -> None:
    network_of(alice)
    path, _manifest = write_backup(tmp_path / "b.tar.gz")
    with pytest.raises(BackupError, match=r"database is not empty: .*accounts_user"):
        restore_backup(path)
    assert Person.objects.filter(owner=alice).count() >= 2


def test_it_refuses_what_is_not_a_backup(tmp_path: Path, db: None) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="not a readable backup archive"):
        restore_backup(junk)
    with tarfile.open(tmp_path / "empty.tar.gz", "w:gz"):
        pass
    with pytest.raises(BackupError, match=r"not a Coffeechat backup \(no manifest.json\)"):
        restore_backup(tmp_path / "empty.tar.gz")
    with pytest.raises(BackupError, match="no such file"):
        restore_backup(tmp_path / "missing.tar.gz")


def test_it_keeps_the_data_directorys_files_and_the_secret_key(
    alice: Any, settings: Any, tmp_path: Path
) -> None:
    uploads = settings.DATA_DIR / "uploads"
    uploads.mkdir(mode=0o700)
    (uploads / "pending.csv").write_text("First Name,Last Name\nAda,Lovelace\n")
    (settings.DATA_DIR / "static").mkdir()
    (settings.DATA_DIR / "static" / "big.css").write_text("rebuilt by serve")
    (settings.DATA_DIR / "site_url").write_text("http://old.example:8000\n")
    path, manifest = write_backup(tmp_path / "b.tar.gz")
    assert set(manifest["files"]) == {"uploads/pending.csv", "site_url"}
    with tarfile.open(path, "r:gz") as tar:
        secret = tar.extractfile("secret_key")
        assert secret is not None and secret.read().decode() == settings.SECRET_KEY

    empty_the_database()
    (uploads / "pending.csv").unlink()
    (settings.DATA_DIR / "site_url").write_text("http://new.example:8000\n")
    result = restore_backup(path)
    assert result.ok
    assert result.files_kept == ["site_url"]  # this machine's address stays
    assert (settings.DATA_DIR / "site_url").read_text() == "http://new.example:8000\n"
    assert (uploads / "pending.csv").read_text().startswith("First Name")
    assert (uploads / "pending.csv").stat().st_mode & 0o777 == 0o600
    if "COFFEECHAT_SECRET_KEY" not in __import__("os").environ:
        assert (settings.DATA_DIR / "secret_key").read_text() == settings.SECRET_KEY
        assert (settings.DATA_DIR / "secret_key").stat().st_mode & 0o777 == 0o600

    empty_the_database()
    (uploads / "pending.csv").write_text("something else")
    with pytest.raises(BackupError, match="already holds another"):
        restore_backup(path)


def test_it_takes_scheduled_backups_and_keeps_the_newest(
    alice: Any, settings: Any, tmp_path: Path
) -> None:
    settings.BACKUP_EVERY_HOURS = 6
    settings.BACKUP_KEEP = 2
    start = timezone.now()
    first = take_scheduled_backup(start)
    assert first is not None and first.stat().st_mode & 0o777 == 0o600
    assert settings.BACKUP_DIR.stat().st_mode & 0o777 == 0o700
    assert take_scheduled_backup(start + datetime.timedelta(hours=1)) is None  # not due
    second = take_scheduled_backup(start + datetime.timedelta(hours=6))
    third = take_scheduled_backup(start + datetime.timedelta(hours=12, minutes=1))
    assert second is not None and third is not None
    assert sorted(settings.BACKUP_DIR.glob("*.tar.gz")) == sorted([second, third])

    health = json.loads(Client().get("/health/").content)
    assert health["backups"]["schedule"] == "every 6 h, keep 2"
    assert health["backups"]["last_success"] is not None
    assert health["backups"]["failing"] is False


def test_it_reports_a_failed_scheduled_backup_on_health(
    alice: Any, settings: Any, tmp_path: Path
) -> None:
    settings.BACKUP_EVERY_HOURS = 24
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.BACKUP_DIR = blocker / "backups"
    now = timezone.now()
    assert take_scheduled_backup(now) is None
    health = json.loads(Client().get("/health/").content)
    assert health["backups"]["failing"] is True
    assert health["ok"] is False
    # Retried after a quarter of an hour, not after a whole day.
    settings.BACKUP_DIR = tmp_path / "backups"
    assert take_scheduled_backup(now + datetime.timedelta(minutes=5)) is None
    assert take_scheduled_backup(now + datetime.timedelta(minutes=16)) is not None
    assert json.loads(Client().get("/health/").content)["backups"]["failing"] is False


def test_it_says_backups_are_not_configured_by_default(db: None) -> None:
    health = json.loads(Client().get("/health/").content)
    assert health["backups"] == {
        "schedule": "not configured",
        "last_success": None,
        "last_failure": None,
        "failing": False,
    }


def test_prune_keeps_the_newest_of_its_own_files_only(tmp_path: Path) -> None:
    names = [
        "coffeechat-20261201-010000.tar.gz",
        "coffeechat-20261202-010000.tar.gz",
        "coffeechat-20261202-010000-2.tar.gz",
        "mine.tar.gz",
    ]
    for name in names:
        (tmp_path / name).write_text("")
    removed = prune(tmp_path, 2)
    assert [path.name for path in removed] == ["coffeechat-20261201-010000.tar.gz"]
    assert sorted(path.name for path in tmp_path.glob("*.tar.gz")) == sorted(names[1:])


@pytest.mark.parametrize("name", ["backup", "restore"])
def test_every_command_explains_itself(name: str) -> None:
    command = load_command_class(get_commands()[name], name)
    text = command.create_parser("coffeechat", name).format_help()
    assert "manifest" in text
    assert ("--output" in text) == (name == "backup")
