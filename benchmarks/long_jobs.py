"""Long jobs never lock others out: another user's writes while one user's long job runs.

Builds a throwaway database (a SQLite file in a temporary data directory, or the
PostgreSQL database named by ``--postgres URL``, dropped and created afresh) and runs,
one after the other, four long jobs of one user:

(a) committing a 30,000-row LinkedIn import (``coffeechat.imports.services.commit``);
(b) undoing that import (``coffeechat.imports.undo.undo``);
(c) deleting a 5,000-person account (``coffeechat.mydata.services.delete_account``);
(d) exporting everything for 20,000 people (``coffeechat.mydata.services.write_export``).

While each job runs, another user writes continuously: two threads send
``POST /api/v1/follow-ups`` through Django's test client with a personal API token,
and a third thread runs the worker's tick (``coffeechat.server.worker.run_periodic``).
For each job it prints the job's duration and, for the other user's requests: how many,
the errors (must be 0), the lost writes (requests sent minus follow-ups found afterwards;
must be 0), p50/p99 and the longest wait in ms; and for the ticks their count, errors
(logged exceptions) and the longest tick. The baseline, measured in the same run, is the
same traffic with no long job running.

On SQLite, undo and account deletion pause between their chunks, and the import's
short transactions (a chunk of 1,000 people each, out of sight under a staging account,
then one publishing transaction; ``coffeechat.imports.staging``) and the search
refresh after it keep a gap between them (``coffeechat.core.pacing``); docs/deployment.md
has the figures. On a busy 2-core machine the
jobs a, b and c take about 4 minutes at full size and the export alone 2 to 3 minutes:
choose jobs with ``--jobs`` and shrink them with ``--rows``, ``--people`` and
``--export-people`` (``--rows 5000 --people 1000 --export-people 2000``: about a minute).

Run: .venv/bin/python benchmarks/long_jobs.py [--jobs abcd] [--rows 30000] [--people 5000]
     [--export-people 20000] [--postgres postgres://postgres@127.0.0.1:5432/cc_longjobs]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from _importing import build_network
from bench_delete_account import fill_account
from import_linkedin import connections_csv

WRITERS = 2
BASELINE_SECONDS = 5.0


def setup(postgres: str) -> Path:
    data_dir = Path(tempfile.mkdtemp(prefix="coffeechat-bench-longjobs-"))
    os.environ["COFFEECHAT_DATA_DIR"] = str(data_dir)
    os.environ["COFFEECHAT_EMBEDDED_WORKER"] = "0"
    os.environ.pop("DATABASE_URL", None)
    if postgres:
        import psycopg

        parts = urlsplit(postgres)
        name = parts.path.lstrip("/")
        admin = psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        os.environ["DATABASE_URL"] = postgres
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    logging.getLogger("coffeechat.request").setLevel(logging.WARNING)
    logging.getLogger("coffeechat.followups.tick").setLevel(logging.WARNING)  # a line a tick
    return data_dir


class ErrorCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.threadName != "tick":
            return  # a request's error is counted by its writer
        self.count += 1
        if not self.first:
            self.first = record.getMessage()[:200]


@dataclass
class Traffic:
    """The other user's writes: two API threads and one worker-tick thread."""

    token: str
    owner: Any
    label: str
    waits: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: int = 0
    ticks: list[float] = field(default_factory=list)
    tick_errors: ErrorCount = field(default_factory=ErrorCount)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _writer(self, number: int) -> None:
        from django.db import connection
        from django.test import Client

        client = Client(
            headers={"Authorization": f"Bearer {self.token}"},
            raise_request_exception=False,
            HTTP_HOST="localhost",
        )
        n = 0
        while not self.stop.is_set():
            n += 1
            body = {"title": f"{self.label} w{number} #{n}", "due_on": "2026-12-20"}
            started = time.perf_counter()
            try:
                response = client.post("/api/v1/follow-ups", body, content_type="application/json")
                error = "" if response.status_code == 201 else f"HTTP {response.status_code}"
            except Exception as exc:  # noqa: BLE001 (counted, then shown)
                error = f"{type(exc).__name__}: {exc}"
            wait = time.perf_counter() - started
            with self.lock:
                self.sent += 1
                self.waits.append(wait)
                if error:
                    self.errors.append(error)
            time.sleep(0.02)
        connection.close()

    def _ticker(self) -> None:
        from django.db import connections

        from coffeechat.server.worker import run_periodic

        while not self.stop.is_set():
            started = time.perf_counter()
            run_periodic("bench")
            self.ticks.append(time.perf_counter() - started)
            self.stop.wait(0.5)
        connections.close_all()

    def __enter__(self) -> Traffic:
        logging.getLogger("coffeechat").addHandler(self.tick_errors)
        self.threads = [
            threading.Thread(target=self._writer, args=(i,), daemon=True) for i in range(WRITERS)
        ]
        self.threads.append(threading.Thread(target=self._ticker, name="tick", daemon=True))
        for thread in self.threads:
            thread.start()
        time.sleep(0.5)  # the traffic is flowing before the job starts
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.5)
        self.stop.set()
        for thread in self.threads:
            thread.join()
        logging.getLogger("coffeechat").removeHandler(self.tick_errors)

    def report(self, job: str, seconds: float) -> None:
        from coffeechat.followups.models import FollowUp

        mine = FollowUp.objects.filter(owner=self.owner, title__startswith=f"{self.label} ")
        found = mine.count()
        waits = sorted(w * 1000 for w in self.waits)
        p50 = statistics.median(waits) if waits else 0.0
        p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))] if waits else 0.0
        longest = waits[-1] if waits else 0.0
        tick = max(self.ticks, default=0.0) * 1000
        print(
            f"{job:<34} {seconds:7.2f} s | requests {self.sent:5d}, errors {len(self.errors)}, "
            f"lost {self.sent - found}, p50 {p50:6.1f} ms, p99 {p99:7.1f} ms, "
            f"longest {longest:7.1f} ms | ticks {len(self.ticks)}, errors "
            f"{self.tick_errors.count}, longest {tick:7.1f} ms",
            flush=True,
        )
        for error in sorted(set(self.errors))[:3]:
            print(f"    request error: {error[:200]}")
        if self.tick_errors.first:
            print(f"    tick error: {self.tick_errors.first}")


def warm_up(token: str) -> None:
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {token}"}, HTTP_HOST="localhost")
    answer = client.get("/api/v1/follow-ups")
    assert answer.status_code == 200, answer.content


def measure(token: str, owner: Any, label: str, job: Callable[[], object] | None) -> None:
    with Traffic(token, owner, label) as traffic:
        started = time.perf_counter()
        if job is None:
            time.sleep(BASELINE_SECONDS)
        else:
            job()
        seconds = time.perf_counter() - started
    traffic.report(label, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000, help="rows of the LinkedIn import")
    parser.add_argument("--people", type=int, default=5_000, help="people of the deleted account")
    parser.add_argument("--export-people", type=int, default=20_000)
    parser.add_argument("--jobs", default="abcd", help="which jobs to run, e.g. ab")
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL (dropped, re-created)")
    args = parser.parse_args()
    data_dir = setup(args.postgres)

    from django.db import connection

    from coffeechat.accounts.services import create_account, create_api_token
    from coffeechat.imports import services, undo
    from coffeechat.imports.models import ImportBatch
    from coffeechat.mydata.services import delete_account, write_export
    from coffeechat.server.worker import run_periodic

    other = create_account("other@example.com", "a-long-benchmark-passphrase")
    _token, raw = create_api_token(other, "bench")
    importer = create_account("importer@example.com", "a-long-benchmark-passphrase")
    leaving = fill_account("leaving@example.com", args.people if "c" in args.jobs else 0)
    exporter = create_account("exporter@example.com", "a-long-benchmark-passphrase")
    build_network(exporter, args.export_people if "d" in args.jobs else 0)
    text, _records = connections_csv(args.rows)
    path = data_dir / "Connections.csv"
    path.write_text(text, encoding="utf-8")
    with path.open("rb") as source:
        batch = services.create_batch(importer, source, "Connections.csv")
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite (file, WAL)"
    print(
        f"{engine}; another user's writes: {WRITERS} threads of POST /api/v1/follow-ups "
        "and the worker's tick in a third"
    )

    run_periodic("bench")  # the search index catches up with the accounts built above
    warm_up(raw)  # the first request loads the API's modules; not a wait for the database
    measure(raw, other, "baseline (no long job)", None)

    def commit() -> None:
        assert services.commit(batch), ImportBatch.objects.get(pk=batch.pk).error

    if "a" in args.jobs or "b" in args.jobs:
        measure(raw, other, f"(a) import {args.rows:,} LinkedIn rows", commit)
        batch.refresh_from_db()
    if "b" in args.jobs:
        measure(raw, other, "(b) undo that import", lambda: undo.undo(batch, delete_touched=True))
    if "c" in args.jobs:
        measure(
            raw,
            other,
            f"(c) delete a {args.people:,}-person account",
            lambda: delete_account(leaving),  # type: ignore[arg-type]
        )

    def export() -> None:
        with (data_dir / "export.zip").open("wb") as out:
            write_export(exporter, out)

    if "d" in args.jobs:
        measure(raw, other, f"(d) export {args.export_people:,} people", export)


if __name__ == "__main__":
    main()
