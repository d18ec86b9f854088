"""Importing LinkedIn's 30,000-connection maximum into an existing network, then again.

Generates a deterministic Connections.csv of N rows (default 30,000; preamble,
7-column header, a few e-mails, companies with legal-suffix variants and quoted
commas), builds a fresh SQLite database that already holds a 5,000-person network,
and measures with the real code path (upload → parse → match → write in short
transactions under a staging account → publish at once → index for search):

- the first import, in seconds and rows/s (wall time, which includes the pauses its
  short transactions leave for other users' saves on SQLite, core/pacing.py: printed
  apart, with the import's CPU time);
- the re-import of the same file (it must change nothing);
- the process's peak memory;
- the baseline, measured in the same run: plain ``sqlite3`` ``executemany`` of the
  same rows into the same tables (organizations, people, e-mails, jobs, ties) of a
  copy of the same database.

The existing network is indexed for search before (as the worker would have done), so
that the import's figure holds only its own indexing.

Targets (issue 16, 2-core machine): first import ≤ 3x the baseline, re-import of the
unchanged file < 1 s, peak memory < 250 MB.
Run: .venv/bin/python benchmarks/import_linkedin.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import sqlite3
import time
from pathlib import Path

from _importing import (
    FIRST,
    LAST,
    SUFFIXES,
    TITLES,
    organization_names,
    peak_rss_mb,
    peak_since_reset_mb,
    reset_peak_rss,
    setup_django,
)

PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address."\n'
    "\n"
)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def connections_csv(rows: int, seed: int = 3) -> tuple[str, list[tuple[str, ...]]]:
    rng = random.Random(seed)
    orgs = organization_names(4000, seed)
    out = io.StringIO()
    out.write(PREAMBLE)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    records = []
    for i in range(rows):
        first = rng.choice(FIRST)
        last = f"{rng.choice(LAST)}-{i}"
        url = f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i:x}"
        email = f"{first.lower()}.{i}@mail.example" if rng.random() < 0.05 else ""
        company = rng.choice(orgs) + rng.choice(SUFFIXES)
        title = rng.choice(TITLES)
        day = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2012, 2026)}"
        writer.writerow([first, last, url, email, company, title, day])
        records.append((first, last, url, email, company, title, day))
    return out.getvalue(), records


def baseline(db_path: Path, owner_id: int, records: list[tuple[str, ...]]) -> tuple[float, float]:
    """Plain executemany of the same rows into the same tables, in one transaction: its
    (wall, CPU) seconds."""
    from coffeechat.network.normalize import organization_key

    conn = sqlite3.connect(db_path)
    start, cpu = time.perf_counter(), time.process_time()
    with conn:
        now = "2026-11-22 00:00:00"
        orgs: dict[str, int] = {}
        org_rows = []
        for record in records:
            key = organization_key(record[4])
            if key not in orgs:
                orgs[key] = len(orgs)
                org_rows.append((owner_id, record[4], key, now, now))
        first_org = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM network_organization")
        org_base = first_org.fetchone()[0]
        conn.executemany(
            "INSERT INTO network_organization (owner_id, name, name_key, website, domain, "
            "industry, location, notes, created_at, updated_at) "
            "VALUES (?, ?, ?, '', '', '', '', '', ?, ?)",
            org_rows,
        )
        person_base = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM network_person")
        base = person_base.fetchone()[0]
        conn.executemany(
            "INSERT INTO network_person (owner_id, first_name, last_name, linkedin_url, "
            "location, time_zone, level, preferred_channel, do_not_contact, source, notes, "
            "follow_up_wish, may_keep_in_touch, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, '', '', 'staff', '', 0, 'linkedin', "
            "'', '', 1, ?, ?)",
            [(owner_id, r[0], r[1], r[2], now, now) for r in records],
        )
        conn.executemany(
            "INSERT INTO network_emailaddress (owner_id, person_id, email, position, kind) "
            "VALUES (?, ?, ?, 0, '')",
            [(owner_id, base + i, r[3]) for i, r in enumerate(records) if r[3]],
        )
        conn.executemany(
            "INSERT INTO network_employment (owner_id, person_id, organization_id, title, "
            "department, is_current, has_hiring_authority, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, '', 1, 0, ?, ?)",
            [
                (owner_id, base + i, org_base + orgs[organization_key(r[4])], r[5], now, now)
                for i, r in enumerate(records)
            ],
        )
        conn.executemany(
            "INSERT INTO network_tie (owner_id, to_person_id, kind, strength, note, "
            "created_at, updated_at) VALUES (?, ?, 'acquaintance', 2, 'LinkedIn connection', "
            "?, ?)",
            [(owner_id, base + i, now, now) for i in range(len(records))],
        )
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    conn.close()
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--existing", type=int, default=5_000)
    args = parser.parse_args()
    data_dir = setup_django()

    from _importing import build_network
    from django.conf import settings
    from django.db import connection

    from coffeechat.accounts.services import create_account
    from coffeechat.core import pacing
    from coffeechat.imports import services
    from coffeechat.network import search
    from coffeechat.network.models import Person

    user = create_account("bench@example.com", "a-long-benchmark-passphrase")
    build_network(user, args.existing)
    search.refresh()
    text, records = connections_csv(args.rows)
    path = data_dir / "Connections.csv"
    path.write_text(text, encoding="utf-8")
    print(
        f"File: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB; "
        f"existing network: {args.existing:,} people"
    )

    db_path = Path(settings.DATABASES["default"]["NAME"])
    connection.close()
    copy = data_dir / "baseline.sqlite3"
    shutil.copyfile(db_path, copy)
    raw, raw_cpu = baseline(copy, user.pk, records)
    del records
    before = reset_peak_rss()

    # The pacing's pauses are counted, not skipped: they still happen.
    paused = [0.0]
    real_sleep = time.sleep

    class Clock:
        monotonic = staticmethod(time.monotonic)

        @staticmethod
        def sleep(seconds: float) -> None:
            paused[0] += seconds
            real_sleep(seconds)

    pacing.time = Clock  # type: ignore[assignment]

    def import_once() -> tuple[float, dict[str, int], float, float]:
        with path.open("rb") as source:
            batch = services.create_batch(user, source, "Connections.csv")
        paused[0] = 0.0
        start, cpu = time.perf_counter(), time.process_time()
        landed = services.commit(batch)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        batch.refresh_from_db()
        assert landed, batch.error
        return elapsed, batch.summary, cpu, paused[0]

    first, summary, first_cpu, first_paused = import_once()
    assert summary["new"] == args.rows, summary
    again, summary2, again_cpu, _ = import_once()
    assert summary2["new"] == 0 and summary2["changed"] == 0, summary2
    people = Person.objects.filter(owner=user).count()
    assert people == args.existing + args.rows, people

    print(f"Baseline (sqlite3 executemany, same rows and tables): {raw:.2f} s, CPU {raw_cpu:.2f} s")
    print(
        f"First import:  {first:.2f} s, {args.rows / first:,.0f} rows/s, "
        f"{first / raw:.1f}x baseline (target ≤ 3x); CPU {first_cpu:.2f} s "
        f"({first_cpu / raw_cpu:.1f}x the baseline's CPU); "
        f"{first_paused:.2f} s of it pauses for others' saves "
        f"({(first - first_paused) / raw:.1f}x baseline without them)"
    )
    print(
        f"Re-import:     {again:.2f} s, {args.rows / again:,.0f} rows/s, CPU {again_cpu:.2f} s, "
        "nothing changed (target < 1 s)"
    )
    during = peak_since_reset_mb() - before
    print(f"Peak memory:   {peak_rss_mb():.0f} MB (whole process; target < 250 MB)")
    print(
        f"Import's own: {during:.0f} MB above the {before:.0f} MB the process held before "
        f"({during * 1024 / args.rows:.2f} KB per row; the file is streamed in chunks)"
    )


if __name__ == "__main__":
    main()
