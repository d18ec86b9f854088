"""How fast the bench is ranked for an opening.

Builds, in a throwaway SQLite database, a bench of 2,000 people (three to six skills
each, a fit, an availability, a referrer for some, a few logged contacts, ties between
people) and an opening with three required and two nice-to-have skills. Then ranks
the bench for the opening with ``coffeechat.bench.ranking.rank`` several times and
prints the median time and the number of queries.

The baseline, measured in the same run, is a raw sqlite3 read of the same rows (the
entries joined to their people, their skills, their latest contact and tie counts)
with no scoring at all: the ratio says what the ORM and the scoring cost on top of
reading the data.

Run: .venv/bin/python benchmarks/bench_ranking.py [--entries N] [--runs N] [--seed N]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SKILLS = ("python", "sql", "statistics", "optics", "teaching", "rust", "dbt", "spark", "ml", "cad")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="coffeechat-bench-ranking-")
    os.environ["COFFEECHAT_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from coffeechat.accounts.services import create_account
    from coffeechat.bench import ranking
    from coffeechat.bench.models import (
        BenchContact,
        BenchEntry,
        BenchSkill,
        Fit,
        Opening,
        OpeningSkill,
    )
    from coffeechat.network.models import Person, Tie

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    user = create_account("bench@example.org", "a-long-benchmark-password")
    today = date(2026, 3, 2)
    started = time.perf_counter()
    with transaction.atomic():
        people = Person.objects.bulk_create(
            Person(owner=user, first_name=f"P{n}", last_name=f"Bench{n}")
            for n in range(args.entries + 200)
        )
        referrers = people[args.entries :]
        entries = BenchEntry.objects.bulk_create(
            BenchEntry(
                owner=user,
                person=person,
                fit=rng.choice(Fit.values),
                availability=rng.choice(("now", "now", "from_date", "not_looking")),
                available_from=today + timedelta(days=rng.randint(0, 120)),
                notice_weeks=rng.choice((None, 2, 4, 12)),
                referred_by=rng.choice(referrers) if rng.random() < 0.3 else None,
            )
            for person in people[: args.entries]
        )
        BenchSkill.objects.bulk_create(
            BenchSkill(owner=user, entry=entry, name=name, level=rng.randint(1, 4))
            for entry in entries
            for name in rng.sample(SKILLS, rng.randint(3, 6))
        )
        BenchContact.objects.bulk_create(
            BenchContact(owner=user, entry=entry, on=today - timedelta(days=rng.randint(0, 700)))
            for entry in entries
            for _ in range(rng.randint(0, 3))
        )
        Tie.objects.bulk_create(
            Tie(
                owner=user,
                from_person=rng.choice(referrers),
                to_person=entry.person,
                kind="colleague",
            )
            for entry in entries
            if rng.random() < 0.4
        )
        opening = Opening.objects.create(owner=user, title="Data engineer", start_on=today)
        OpeningSkill.objects.bulk_create(
            OpeningSkill(owner=user, opening=opening, name=name, required=required)
            for name, required in (
                ("python", True),
                ("sql", True),
                ("spark", True),
                ("dbt", False),
                ("teaching", False),
            )
        )
    print(f"built {args.entries:,} bench entries in {time.perf_counter() - started:.1f} s")

    opening = Opening.objects.prefetch_related("skills").get(pk=opening.pk)
    timings = []
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            ranked = ranking.rank(user, opening, today)
            timings.append(time.perf_counter() - start)
    assert len(ranked) == args.entries
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx("ranking.rank(user, opening, today)", globals(), locals(), "/tmp/rank.prof")
        pstats.Stats("/tmp/rank.prof").sort_stats("cumulative").print_stats(25)

    raw = sqlite3.connect(Path(data_dir) / "coffeechat.sqlite3")
    sql = """
        SELECT e.id, p.first_name, p.last_name, e.fit, e.availability, e.available_from,
               e.notice_weeks, e.referred_by_id, p.last_contacted_on, p.preferred_channel,
               (SELECT max(c."on") FROM bench_benchcontact c WHERE c.entry_id = e.id),
               (SELECT count(*) FROM network_tie t
                 WHERE t.to_person_id = e.person_id AND t.from_person_id IS NOT NULL)
        FROM bench_benchentry e JOIN network_person p ON p.id = e.person_id
        WHERE e.owner_id = ?
    """
    baseline = []
    for _ in range(args.runs):
        start = time.perf_counter()
        rows = raw.execute(sql, (user.pk,)).fetchall()
        skills = raw.execute(
            "SELECT entry_id, name, level FROM bench_benchskill WHERE owner_id = ?", (user.pk,)
        ).fetchall()
        baseline.append(time.perf_counter() - start)
    assert len(rows) == args.entries and skills

    ours = statistics.median(timings)
    base = statistics.median(baseline)
    print(
        f"rank {args.entries:,} entries for an opening: median {ours * 1000:.1f} ms "
        f"in {len(queries)} queries"
    )
    print(f"baseline (raw sqlite3 read of the same rows, no scoring): {base * 1000:.1f} ms")
    print(f"ratio: {ours / base:.1f}x the baseline")


if __name__ == "__main__":
    main()
