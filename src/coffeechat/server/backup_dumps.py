"""How the database goes into a backup and comes back out: SQLite's online backup,
``pg_dump``/``pg_restore``, and the application-level dump (one JSON object per row)
that restores into either engine.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.models import sql

from coffeechat.config import PRIVATE_FILE_MODE, keep_private
from coffeechat.core.console import Echo
from coffeechat.server.backup_tables import data_models, quiet

SQLITE = "sqlite"
PG_DUMP = "pg_dump"
JSON = "json"
MEMBERS = {SQLITE: "database.sqlite3", PG_DUMP: "database.pgdump", JSON: "database.jsonl"}
BATCH = 1000


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why and what to do."""


def vendor(using: str = "default") -> str:
    return connections[using].vendor


# --- SQLite -------------------------------------------------------------------------


def sqlite_snapshot(target: Path, using: str = "default") -> None:
    """Copy the live SQLite database into ``target`` with SQLite's online backup: one
    consistent snapshot, while other connections keep reading and writing (WAL)."""
    connection = connections[using]
    connection.ensure_connection()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    keep_private(target)


def sqlite_restore(source: Path, using: str = "default") -> None:
    """Replace the (empty) SQLite database of ``using`` by the copy in ``source``."""
    connection = connections[using]
    connection.close()
    connection.ensure_connection()
    archived = sqlite3.connect(source)
    try:
        archived.backup(connection.connection)
    finally:
        archived.close()
    connection.close()


# --- PostgreSQL -----------------------------------------------------------------------


def libpq_environment(using: str = "default") -> dict[str, str]:
    """The connection of ``using`` as libpq's environment variables (no password in argv)."""
    config = connections[using].settings_dict
    env = dict(os.environ)
    for key, name in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if config.get(name):
            env[key] = str(config[name])
    sslmode = (config.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def client_major(program: str) -> int | None:
    """The major version of ``pg_dump``/``pg_restore`` on PATH, or None when missing."""
    found = shutil.which(program)
    if not found:
        return None
    try:
        text = subprocess.run(
            [found, "--version"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", text)
    return int(match.group(1)) if match else None


def server_major(using: str = "default") -> int:
    connection = connections[using]
    connection.ensure_connection()
    return int(getattr(connection, "pg_version", 0)) // 10000


def pg_dump_usable(using: str = "default") -> bool:
    """``pg_dump`` is on PATH and at least as new as the server (it refuses older ones)."""
    major = client_major("pg_dump")
    return major is not None and major >= server_major(using)


def pg_dump(target: Path, snapshot: str, using: str = "default") -> None:
    command = ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"]
    done = subprocess.run(
        command, env=libpq_environment(using), capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise BackupError(f"pg_dump failed: {done.stderr.strip() or done.returncode}")
    keep_private(target)


def pg_restore(source: Path, using: str = "default") -> None:
    major = client_major("pg_restore")
    if major is None:
        raise BackupError(
            "This backup was made by pg_dump and needs pg_restore, which is not on PATH. "
            "Install PostgreSQL's client programs (Debian: postgresql-client)."
        )
    connections[using].close()
    command = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={connections[using].settings_dict['NAME']}",
        str(source),
    ]
    done = subprocess.run(
        command, env=libpq_environment(using), capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip() or done.returncode}")


@contextmanager
def pg_snapshot(using: str = "default") -> Iterator[str]:
    """A read-only REPEATABLE READ transaction; yields its exported snapshot id, so
    ``pg_dump`` sees exactly what the hashes are computed from."""
    if connections[using].in_atomic_block:
        raise BackupError("A backup must not run inside another transaction.")
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        yield str(cursor.fetchone()[0])


# --- The application-level dump ---------------------------------------------------------


def serialized_fields(model: type[models.Model]) -> list[str]:
    """Every concrete field, by name and column name; no many-to-many fields (their
    tables are dumped as models of their own)."""
    names: list[str] = []
    for field in model._meta.concrete_fields:
        names += [field.name, field.attname]
    return names


class PreciseEncoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds only; a backup keeps every microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def dump_json(target: Path, using: str = "default", echo: Echo = quiet) -> int:
    """Every row of every table as one JSON object per line; returns the number of rows."""
    found = data_models()
    rows = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        for done, model in enumerate(found):
            echo(f"Dumping {model._meta.db_table}", done, len(found))
            queryset = model._base_manager.using(using).order_by("pk")
            counter = _Counter(queryset.iterator(chunk_size=2000))
            serializers.serialize(
                "jsonl", counter, stream=out, fields=serialized_fields(model), cls=PreciseEncoder
            )
            rows += counter.count
    return rows


class _Counter:
    def __init__(self, items: Iterator[Any]) -> None:
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for item in self.items:
            self.count += 1
            yield item


def empty_schema(using: str = "default") -> None:
    """Apply every migration, then remove the rows `migrate` wrote (content types,
    permissions), so the backup's rows go in with their own ids."""
    call_command("migrate", database=using, interactive=False, verbosity=0)
    connection = connections[using]
    tables = [model._meta.db_table for model in data_models()]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=False, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)


def raw_insert(objs: list[models.Model], using: str) -> None:
    """INSERT the rows as they are: ids kept, no ``auto_now`` or defaults applied
    (what ``loaddata`` does with ``raw=True``, in batches)."""
    model = type(objs[0])
    fields = [field for field in model._meta.concrete_fields if not field.generated]
    size = max(1, connections[using].ops.bulk_batch_size(fields, objs))
    for start in range(0, len(objs), size):
        query = sql.InsertQuery(model)
        query.insert_values(fields, objs[start : start + size], raw=True)
        query.get_compiler(using=using).execute_sql()


def load_json(source: Path, using: str = "default", echo: Echo = quiet) -> int:
    """Insert the dumped rows (ids kept) in one transaction; foreign keys are checked at
    the end. Returns the number of rows."""
    connection = connections[using]
    loaded: set[type[models.Model]] = set()
    rows = 0
    with transaction.atomic(using=using), source.open(encoding="utf-8") as lines:
        batch: list[models.Model] = []

        def flush() -> None:
            if batch:
                raw_insert(batch, using)
                batch.clear()

        for item in serializers.deserialize("jsonl", lines, using=using):
            obj = item.object
            if batch and type(obj) is not type(batch[0]):
                flush()
            batch.append(obj)
            loaded.add(type(obj))
            rows += 1
            if len(batch) >= BATCH:
                flush()
                echo("Loading rows", rows, 0)
        flush()
        reset = connection.ops.sequence_reset_sql(no_style(), list(loaded))
        with connection.cursor() as cursor:
            for statement in reset:
                cursor.execute(statement)
        connection.check_constraints()
    return rows
