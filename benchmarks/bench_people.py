"""How fast the people list and its search are with a real-sized network.

Builds N people (default 30,000, LinkedIn's connection limit) with a job each in a
throwaway SQLite database, then measures:

- inserting them through Coffeechat's models (bulk_create) against raw sqlite3
  inserts of the same rows;
- rendering the people list page, and a search, against a raw sqlite3 query that
  fetches the same page of rows.

Each figure is printed with its ratio to the baseline measured in the same run.
Run: .venv/bin/python benchmarks/bench_people.py [--people N]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def timed(action: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    args = parser.parse_args()
    n = args.people
    data_dir = tempfile.mkdtemp(prefix="coffeechat-bench-")
    os.environ["COFFEECHAT_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client

    from coffeechat.accounts.services import create_account
    from coffeechat.network.models import Employment, Organization, Person

    call_command("migrate", verbosity=0)
    user = create_account("bench@example.com", "a-long-benchmark-passphrase")
    names = [(f"First{i}", f"Last{i:06d}") for i in range(n)]

    # Baseline: raw sqlite3 inserts of the same people rows.
    raw_path = Path(data_dir) / "raw.sqlite3"
    raw = sqlite3.connect(raw_path)
    raw.execute(
        "CREATE TABLE person (id INTEGER PRIMARY KEY, owner_id INT, first_name TEXT, "
        "last_name TEXT, created_at TEXT, updated_at TEXT)"
    )
    start = time.perf_counter()
    with raw:
        raw.executemany(
            "INSERT INTO person (owner_id, first_name, last_name, created_at, updated_at) "
            "VALUES (1, ?, ?, datetime('now'), datetime('now'))",
            names,
        )
    raw_insert = time.perf_counter() - start

    start = time.perf_counter()
    with transaction.atomic():
        Person.objects.bulk_create(
            (Person(owner=user, first_name=f, last_name=last) for f, last in names),
            batch_size=2000,
        )
    ours_insert = time.perf_counter() - start

    organizations = Organization.objects.bulk_create(
        Organization(owner=user, name=f"Organization {i}") for i in range(200)
    )
    people = list(Person.objects.filter(owner=user).values_list("pk", flat=True))
    with transaction.atomic():
        Employment.objects.bulk_create(
            (
                Employment(
                    owner=user,
                    person_id=pk,
                    organization=organizations[i % 200],
                    title="Analyst",
                )
                for i, pk in enumerate(people)
            ),
            batch_size=2000,
        )

    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    client.force_login(user)
    page = settings.PAGE_SIZE

    def raw_page() -> None:
        raw.execute(
            "SELECT id, first_name, last_name FROM person WHERE owner_id = 1 "
            "ORDER BY last_name, first_name, id LIMIT ?",
            (page,),
        ).fetchall()
        raw.execute("SELECT count(*) FROM person WHERE owner_id = 1").fetchone()

    def raw_search() -> None:
        raw.execute(
            "SELECT id, first_name, last_name FROM person WHERE owner_id = 1 AND "
            "(first_name LIKE '%4242%' OR last_name LIKE '%4242%') "
            "ORDER BY last_name, first_name, id LIMIT ?",
            (page,),
        ).fetchall()

    def list_page() -> None:
        assert client.get("/people/").status_code == 200

    def search_page() -> None:
        response = client.get("/people/", {"q": "4242"})
        assert response.status_code == 200 and b"Last004242" in response.content

    baseline_page = timed(raw_page)
    ours_page = timed(list_page)
    baseline_search = timed(raw_search)
    ours_search = timed(search_page)

    print(f"people: {n:,} (each with a job), page size {page}")
    print(
        f"insert {n:,} people: {ours_insert:.2f} s "
        f"(raw sqlite3 {raw_insert:.2f} s, ratio {ours_insert / raw_insert:.1f}x)"
    )
    print(
        f"people list page: {ours_page * 1000:.0f} ms "
        f"(raw sqlite3 page query {baseline_page * 1000:.1f} ms, "
        f"ratio {ours_page / baseline_page:.1f}x)"
    )
    print(
        f"people search 'q=4242': {ours_search * 1000:.0f} ms "
        f"(raw sqlite3 LIKE query {baseline_search * 1000:.1f} ms, "
        f"ratio {ours_search / baseline_search:.1f}x)"
    )


if __name__ == "__main__":
    main()
