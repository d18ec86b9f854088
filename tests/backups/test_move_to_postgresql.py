"""Moving from SQLite to PostgreSQL, as docs/operations.md describes it: `coffeechat
backup` on the SQLite instance, then `coffeechat restore` with DATABASE_URL set.

Runs when the suite runs on PostgreSQL (DATABASE_URL set); the SQLite instance is a
real one in other processes.
"""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from coffeechat.accounts.models import User
from coffeechat.network.models import Person
from coffeechat.server.backup_tables import database_state
from tests.backups.conftest import Instance, on_postgres
from tests.backups.test_backup_under_load import manifest_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not on_postgres(), reason="moves into PostgreSQL: run with DATABASE_URL"),
]


def test_it_moves_a_sqlite_instance_into_postgresql(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    # The SQLite instance hashed the password with Django's real default hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    sqlite = Instance(tmp_path / "sqlite", None)
    sqlite.run("migrate", "-v0")
    sqlite.run("demo", "--email", "mover@example.com", "--password", "a-long-pass-phrase")
    archive = tmp_path / "move.tar.gz"
    sqlite.run("backup", "-o", str(archive))
    manifest = manifest_of(archive)
    assert manifest["engine"] == "sqlite"
    with tarfile.open(archive, "r:gz") as tar:
        assert "database.sqlite3" in tar.getnames()

    # Restore into a data directory of this test's own (the archive's files, such as
    # site_url, must not land in the suite's).
    settings.DATA_DIR = tmp_path / "restored-data"
    settings.DATA_DIR.mkdir(mode=0o700)
    call_command("restore", str(archive))

    assert "every row count and content hash matches" in capsys.readouterr().out
    restored = database_state()
    for table, expected in manifest["tables"].items():
        assert (restored[table].rows, restored[table].sha256) == (
            expected["rows"],
            expected["sha256"],
        ), table
    mover = User.objects.get(email="mover@example.com")
    assert mover.check_password("a-long-pass-phrase")
    assert (
        Person.objects.filter(owner=mover).count() == manifest["tables"]["network_person"]["rows"]
    )
    # New rows get new ids after the restored ones (the sequences were moved on).
    person = Person.objects.create(owner=mover, first_name="After", last_name="Move")
    assert person.pk > max(Person.objects.exclude(pk=person.pk).values_list("pk", flat=True))
