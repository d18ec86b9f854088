"""Fewer garbage-collector passes during bulk work.

An import allocates hundreds of thousands of short-lived objects (rows, records,
tuples for ``executemany``). With Python's default thresholds every 700 of them
start a young-generation pass, and every hundredth of those a full pass over
every object in the process, including the network index the import holds. That
was a quarter of an import's time. Almost none of these objects form reference
cycles, so they are freed by reference counting anyway; raising the thresholds
while the work runs costs no memory worth measuring (the benchmarks in
``benchmarks/`` print it).

The thresholds are process-wide. Nested or concurrent users (two imports in the
threads of one server) share one raise; the first to start saves the defaults,
the last to finish restores them.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (50_000, 20, 100)

_lock = threading.Lock()
_users = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's thresholds for the duration of the block."""
    global _users, _saved
    with _lock:
        if _users == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*BULK_THRESHOLDS)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
