"""Pacing a long job's short transactions so that others get the database in between.

A job that commits chunk after chunk (an undo, an account deletion) on SQLite takes the
database's only write lock again the instant it let it go. A request waiting for the
lock sleeps and retries (up to every 100 ms once it has waited a while) and keeps
missing the short gap, so it could wait for the whole job after all. :class:`Pacer`
pauses the job for :data:`PAUSE` after every :data:`WORK` of work, long enough for
every waiting request to get its turn. PostgreSQL locks rows, not the database: no
pause there.
"""

from __future__ import annotations

import time

from django.db import connection

WORK = 0.25  # seconds of the job's work between pauses
PAUSE = 0.12  # longer than SQLite's longest sleep between two tries (100 ms)


class Pacer:
    def __init__(self) -> None:
        self.since = time.monotonic()

    def __call__(self) -> None:
        """Call between two transactions of the job."""
        if connection.vendor != "sqlite":
            return
        if time.monotonic() - self.since >= WORK:
            time.sleep(PAUSE)
            self.since = time.monotonic()
