"""Importing a 100,000-row alumni directory CSV through the column mapping.

Generates a deterministic directory (full name, employer, job title, class year,
degree, e-mail for a third of the rows), imports it into a fresh SQLite database as
members of a new school group with the real code path (upload → recognise → suggested
mapping → match → one-transaction write), and prints the time, rows/s, peak memory
and the ratio to a baseline measured in the same run: plain ``sqlite3``
``executemany`` of the same rows into the same tables (organizations, people,
e-mails, jobs, memberships). Target: under 10 s.
Run: .venv/bin/python benchmarks/import_directory.py [--rows N]
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
    TITLES,
    organization_names,
    peak_rss_mb,
    peak_since_reset_mb,
    reset_peak_rss,
    setup_django,
)

DEGREES = ["BA History", "BSc Physics", "MSc Data Science", "MBA", "BEng Civil", "PhD Biology"]


def directory_csv(rows: int, seed: int = 5) -> tuple[str, list[tuple[str, ...]]]:
    rng = random.Random(seed)
    orgs = organization_names(6000, seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Full Name", "Employer", "Job Title", "Class Year", "Degree", "E-mail"])
    records = []
    for i in range(rows):
        first, last = rng.choice(FIRST), f"{rng.choice(LAST)}{i}"
        email = f"{first.lower()}.{i}@alumni.example" if i % 3 == 0 else ""
        row = (
            f"{first} {last}",
            rng.choice(orgs),
            rng.choice(TITLES),
            str(rng.randint(1970, 2025)),
            rng.choice(DEGREES),
            email,
        )
        writer.writerow(row)
        records.append((first, last, *row[1:]))
    return out.getvalue(), records


def baseline(db_path: Path, owner_id: int, records: list[tuple[str, ...]]) -> float:
    from coffeechat.network.normalize import organization_key

    conn = sqlite3.connect(db_path)
    now = "2026-11-22 00:00:00"
    start = time.perf_counter()
    with conn:
        cursor = conn.execute(
            "INSERT INTO network_affiliation (owner_id, name, kind, notes, created_at, "
            "updated_at) VALUES (?, 'Northfield University', 'school', '', ?, ?)",
            (owner_id, now, now),
        )
        group = cursor.lastrowid
        orgs: dict[str, int] = {}
        org_rows = []
        for record in records:
            key = organization_key(record[2])
            if key not in orgs:
                orgs[key] = len(orgs)
                org_rows.append((owner_id, record[2], key, now, now))
        org_base = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM network_organization")
        org_first = org_base.fetchone()[0]
        conn.executemany(
            "INSERT INTO network_organization (owner_id, name, name_key, website, domain, "
            "industry, location, notes, created_at, updated_at) "
            "VALUES (?, ?, ?, '', '', '', '', '', ?, ?)",
            org_rows,
        )
        first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM network_person").fetchone()[0]
        conn.executemany(
            "INSERT INTO network_person (owner_id, first_name, last_name, linkedin_url, "
            "location, time_zone, level, preferred_channel, do_not_contact, source, notes, "
            "follow_up_wish, may_keep_in_touch, created_at, updated_at) "
            "VALUES (?, ?, ?, '', '', '', 'staff', '', 0, "
            "'alumni_directory', '', '', 1, ?, ?)",
            [(owner_id, r[0], r[1], now, now) for r in records],
        )
        conn.executemany(
            "INSERT INTO network_emailaddress (owner_id, person_id, email, position) "
            "VALUES (?, ?, ?, 0)",
            [(owner_id, first + i, r[6]) for i, r in enumerate(records) if r[6]],
        )
        conn.executemany(
            "INSERT INTO network_employment (owner_id, person_id, organization_id, title, "
            "department, is_current, has_hiring_authority, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, '', 1, 0, ?, ?)",
            [
                (owner_id, first + i, org_first + orgs[organization_key(r[2])], r[3], now, now)
                for i, r in enumerate(records)
            ],
        )
        conn.executemany(
            "INSERT INTO network_membership (owner_id, person_id, affiliation_id, detail, "
            "class_year, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (owner_id, first + i, group, r[5], int(r[4]), now, now)
                for i, r in enumerate(records)
            ],
        )
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    data_dir = setup_django()

    from django.conf import settings
    from django.db import connection

    from coffeechat.accounts.services import create_account
    from coffeechat.imports import services
    from coffeechat.network.models import Membership

    user = create_account("bench@example.com", "a-long-benchmark-passphrase")
    text, records = directory_csv(args.rows)
    path = data_dir / "alumni.csv"
    path.write_text(text, encoding="utf-8")
    print(f"File: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")

    db_path = Path(settings.DATABASES["default"]["NAME"])
    connection.close()
    copy = data_dir / "baseline.sqlite3"
    shutil.copyfile(db_path, copy)
    raw = baseline(copy, user.pk, records)
    del records, text
    before = reset_peak_rss()

    with path.open("rb") as source:
        batch = services.create_batch(
            user,
            source,
            "alumni.csv",
            new_affiliation_name="Northfield University",
            new_affiliation_kind="school",
        )
    start = time.perf_counter()
    landed = services.commit(batch)
    elapsed = time.perf_counter() - start
    batch.refresh_from_db()
    assert landed, batch.error
    assert batch.summary["new"] == args.rows, batch.summary
    members = Membership.objects.filter(owner=user, class_year__isnull=False).count()
    assert members == args.rows, members

    print(f"Baseline (sqlite3 executemany, same rows and tables): {raw:.2f} s")
    print(
        f"Import:      {elapsed:.2f} s, {args.rows / elapsed:,.0f} rows/s, "
        f"{elapsed / raw:.1f}x baseline (target < 10 s)"
    )
    during = peak_since_reset_mb() - before
    print(f"Peak memory: {peak_rss_mb():.0f} MB (whole process)")
    print(
        f"Import's own: {during:.0f} MB above the {before:.0f} MB the process held before "
        f"({during * 1024 / args.rows:.2f} KB per row; the file is streamed in chunks)"
    )


if __name__ == "__main__":
    main()
