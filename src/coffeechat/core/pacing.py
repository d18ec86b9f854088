"""Pacing a long job's short transactions so that others get the database in between.

A job that commits chunk after chunk (an undo, an account deletion) on SQLite takes the
database's only write lock again the instant it let it go. A request waiting for the
lock sleeps and retries (up to every 100 ms once it has waited a while) and keeps
missing the short gap, so it could wait for the whole job after all. :class:`Pacer`
pauses the job for :data:`PAUSE` after every :data:`WORK` of work, long enough for
every waiting request to get its turn. PostgreSQL locks rows, not the database: no
pause there. Through :meth:`Pacer.transaction` only the time the job's transactions
held the lock counts as work, and the pause comes before a transaction, so the job's
reads between them cost no pause and none follows its last transaction.

:class:`Spacer` is for a job whose transactions are short but may follow one another
with hardly a gap (an import's chunks, its publishing, the search index refreshed after
it): it keeps at least :data:`PAUSE` between the end of one and the start of the next,
and costs nothing when the job's own work between them already took that long.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

WORK = 0.25  # seconds of the job's work between pauses
PAUSE = 0.12  # longer than SQLite's longest sleep between two tries (100 ms)


class Pacer:
    def __init__(self) -> None:
        self.since = time.monotonic()
        self.held = 0.0  # seconds in transactions since the last pause

    def __call__(self) -> None:
        """Call between two transactions of the job."""
        if connection.vendor != "sqlite":
            return
        if time.monotonic() - self.since >= WORK:
            time.sleep(PAUSE)
            self.since = time.monotonic()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction of the job, after a pause once the job's transactions have
        held the lock for :data:`WORK` since the last."""
        if connection.vendor == "sqlite" and self.held >= WORK:
            time.sleep(PAUSE)
            self.held = 0.0
        started = time.monotonic()
        try:
            with transaction.atomic():
                yield
        finally:
            self.held += time.monotonic() - started


class Spacer:
    def __init__(self) -> None:
        self.ended = 0.0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction of the job, at least :data:`PAUSE` after its previous one."""
        if connection.vendor == "sqlite":
            wait = self.ended + PAUSE - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        try:
            with transaction.atomic():
                yield
        finally:
            self.ended = time.monotonic()
