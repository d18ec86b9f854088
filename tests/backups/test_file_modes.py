"""The data directory is the owner's only: folder 0700; database, WAL, shared memory,
secret key and backups 0600 (other local accounts must not read anyone's network)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coffeechat.config import load_or_create_secret, private_dir, private_sqlite_database
from tests.backups.conftest import Instance


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_it_creates_the_database_private_and_sqlite_keeps_its_companions_private(
    tmp_path: Path,
) -> None:
    database = tmp_path / "data" / "coffeechat.sqlite3"
    private_sqlite_database(database)
    assert mode(database.parent) == 0o700
    assert mode(database) == 0o600
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("INSERT INTO t VALUES (1)")
    connection.commit()
    try:
        for suffix in ("-wal", "-shm"):
            companion = database.with_name(database.name + suffix)
            assert companion.exists(), suffix
            assert mode(companion) == 0o600, suffix
    finally:
        connection.close()


def test_it_tightens_files_left_readable_by_an_older_version(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    database = folder / "coffeechat.sqlite3"
    for path in (database, folder / "coffeechat.sqlite3-wal", folder / "secret_key"):
        path.write_text("x")
        path.chmod(0o644)
    private_sqlite_database(database)
    load_or_create_secret(folder / "secret_key")
    assert mode(folder) == 0o700
    assert mode(database) == 0o600
    assert mode(folder / "coffeechat.sqlite3-wal") == 0o600
    assert mode(folder / "secret_key") == 0o600


def test_it_creates_missing_parents_private(tmp_path: Path) -> None:
    made = private_dir(tmp_path / "a" / "b")
    assert mode(made) == 0o700
    assert mode(tmp_path / "a") == 0o700


@pytest.mark.django_db
def test_a_fresh_instance_and_its_scheduled_backup_are_private(tmp_path: Path) -> None:
    """The real thing: `coffeechat migrate`, then one `coffeechat worker --batch` run
    with scheduled backups on, as cron would run it."""
    instance = Instance(tmp_path / "fresh", None)
    instance.run("migrate", "-v0")
    instance.env["COFFEECHAT_BACKUP_EVERY_HOURS"] = "24"
    instance.run("worker", "--batch")
    data = instance.data_dir
    assert mode(data) == 0o700
    for name in ("coffeechat.sqlite3", "secret_key"):
        assert mode(data / name) == 0o600, name
    for companion in data.glob("coffeechat.sqlite3-*"):
        assert mode(companion) == 0o600, companion.name
    backups = list((data / "backups").glob("coffeechat-*.tar.gz"))
    assert len(backups) == 1
    assert mode(data / "backups") == 0o700
    assert mode(backups[0]) == 0o600
