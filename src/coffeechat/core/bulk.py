"""Inserting tens of thousands of rows fast, on SQLite and PostgreSQL.

Django's ``bulk_create`` builds a model instance and compiles every value of every
row, which costs about ten times the database's own work for a 30,000-row import.
:func:`insert_rows` reserves the ids first (so the caller knows them, in order) and
hands plain tuples to the driver's ``executemany``. The import's writers
(:mod:`coffeechat.network.writers`) use it inside the import's transaction;
everything they write is validated before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.db import connection, models, transaction
from django.utils import timezone


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``'s table, in increasing order.

    Must run inside a transaction: on SQLite the transaction holds the write lock
    (``transaction_mode`` IMMEDIATE), so nobody else can take the same ids; on
    PostgreSQL the ids come from the table's own sequence.
    """
    if count <= 0:
        return []
    assert transaction.get_connection().in_atomic_block, "reserve ids inside a transaction"
    table = model._meta.db_table
    assert model._meta.pk is not None
    pk_column = str(model._meta.pk.column)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [qn(table), pk_column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(f"SELECT MAX({qn(pk_column)}) FROM {qn(table)}")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if cursor.fetchone():
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, row[0] if row else 0)
    return list(range(highest + 1, highest + 1 + count))


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[int]:
    """Insert ``rows`` (values for ``fields``, by attribute name) and return their ids.

    Every other concrete field gets its default; ``auto_now`` and ``auto_now_add``
    fields get the current time. Date values in rows are adapted for the database.
    """
    rows = list(rows)
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    given = [cast(models.Field[Any, Any], meta.get_field(name)) for name in fields]
    date_positions = [
        i
        for i, field in enumerate(given)
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
    ]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    extra_columns: list[str] = []
    extra_values: list[Any] = []
    for field in meta.concrete_fields:
        if field is pk or field.attname in fields or field.name in fields:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value: Any = now
        else:
            value = field.get_db_prep_save(field.get_default(), connection)
        extra_columns.append(str(field.column))
        extra_values.append(value)
    columns = [str(pk.column), *(str(field.column) for field in given), *extra_columns]
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    ids = reserve_ids(model, len(rows))
    tail = tuple(extra_values)
    adapt_date = connection.ops.adapt_datefield_value
    if date_positions:
        prepared = []
        for row in rows:
            values = list(row)
            for i in date_positions:
                values[i] = adapt_date(values[i])
            prepared.append(values)
        rows = prepared
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            cursor.executemany(
                sql,
                [
                    (pk_value, *row, *tail)
                    for pk_value, row in zip(ids[start:], chunk, strict=False)
                ],
            )
    return ids
