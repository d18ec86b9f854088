"""Every table of the database, its row count and a content hash that does not depend on
the database engine, so a backup made on SQLite can be checked after it is restored into
PostgreSQL. Also: opening a SQLite file as an extra database connection.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.utils import ConnectionHandler, load_backend

from coffeechat.core.console import Echo
from coffeechat.core.scoping import is_derived

# Rows that `migrate` itself writes: a database holding only these is still empty.
MIGRATION_TABLES = {"django_content_type", "auth_permission"}
# Rows the running worker writes with no user (its heartbeat).
HOUSEKEEPING_TABLES = {"followups_servicestatus"}


def quiet(phase: str, done: int, total: int) -> None:
    """An ``echo`` that shows nothing."""


def data_models() -> list[type[models.Model]]:
    """Every model with a table of its own (many-to-many tables included), in app order.

    Models marked ``derived_data`` (the search index) are left out: they are rebuilt
    from the others after a restore.
    """
    seen: set[str] = set()
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or is_derived(model) or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        found.append(model)
    return found


def canonical(value: Any) -> Any:
    """One spelling of a value, whatever engine read it."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return ["timedelta", value // datetime.timedelta(microseconds=1)]
    if isinstance(value, decimal.Decimal):
        return ["decimal", format(value.normalize(), "f")]
    if isinstance(value, bytes | memoryview | bytearray):
        return ["bytes", bytes(value).hex()]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return ["float", repr(value)]
    return value


@dataclass(frozen=True)
class TableState:
    rows: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "sha256": self.sha256}


def table_state(model: type[models.Model], using: str) -> TableState:
    """Row count and SHA-256 of the sorted per-row hashes (row order never matters)."""
    columns = [field.attname for field in model._meta.concrete_fields]
    digests = []
    rows = model._base_manager.using(using).values_list(*columns).order_by()
    for row in rows.iterator(chunk_size=2000):
        text = json.dumps([canonical(v) for v in row], sort_keys=True, ensure_ascii=False)
        digests.append(hashlib.sha256(text.encode()).digest())
    digests.sort()
    whole = hashlib.sha256()
    for digest in digests:
        whole.update(digest)
    return TableState(len(digests), whole.hexdigest())


def database_state(using: str = "default", echo: Echo = quiet) -> dict[str, TableState]:
    """Every existing table's state, read through ``using`` (in its current transaction)."""
    existing = set(connections[using].introspection.table_names())
    found = [model for model in data_models() if model._meta.db_table in existing]
    states = {}
    for done, model in enumerate(found):
        echo(f"Checking {model._meta.db_table}", done, len(found))
        states[model._meta.db_table] = table_state(model, using)
    echo("Checked every table", len(found), len(found))
    return states


def tables_with_rows(using: str = "default") -> dict[str, int]:
    """Tables holding rows beyond what `migrate` and the worker's heartbeat write."""
    existing = set(connections[using].introspection.table_names())
    found = {}
    for model in data_models():
        table = model._meta.db_table
        if table in MIGRATION_TABLES | HOUSEKEEPING_TABLES or table not in existing:
            continue
        count = model._base_manager.using(using).count()
        if count:
            found[table] = count
    return found


def applied_migrations(using: str = "default") -> list[list[str]]:
    """``[app, name]`` of every applied migration, sorted; empty when there is no table."""
    connection = connections[using]
    if "django_migrations" not in connection.introspection.table_names():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return sorted([str(app), str(name)] for app, name in cursor.fetchall())


@contextmanager
def sqlite_alias(path: Path) -> Iterator[str]:
    """An extra database connection on the SQLite file ``path``, for the ``with`` block
    (in this thread only; it is not added to the DATABASES setting)."""
    alias = f"coffeechat_backup_{uuid.uuid4().hex[:12]}"
    configured = ConnectionHandler().configure_settings(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}}
    )["default"]
    wrapper = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        wrapper.close()
        del connections[alias]
