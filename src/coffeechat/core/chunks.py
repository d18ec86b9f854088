"""Reading rows for many ids: the ids go in chunks, one query per chunk.

SQLite limits the number of parameters of one query; a chunk of 2,000 ids stays far
below it, so usual sizes take one query and a network of any size a fixed few.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

CHUNK = 2000  # ids per IN (...) list


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    items = sorted(set(ids))
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def rows_for_ids(
    make: Callable[[list[int]], QuerySet[Any]], ids: Iterable[int]
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``make(chunk)`` for every chunk of ``ids`` (one query for usual sizes)."""
    for chunk in chunks(ids):
        yield from make(chunk)
