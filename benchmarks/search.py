"""How fast people search is at 30,000 people, against the query it replaced and a floor.

Builds one account with N people (default 30,000) in a throwaway database (SQLite, or
the PostgreSQL of ``--database-url``), each with an e-mail, a job at one of 500
organizations, a tag and a line of notes; names carry accents. Then measures:

- building the search index for all of them (what an import does when it finishes)
  against raw inserts of the same folded rows into a plain table (SQLite only);
- searching through Coffeechat's service (the first page of 25 and the count, as the
  people list does), p50 and p95 over a mix of queries, against
  - the floor: the same ``LIKE`` over the same folded rows in a raw sqlite3 table;
  - before: the join over e-mails, jobs, organizations and tags that search used to run;
- the people list page with a query and the picker's search endpoint, end to end.

Each figure is printed with its ratio to the baseline measured in the same run.
Run: .venv/bin/python benchmarks/search.py [--people N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# What people type: part of a name, a nickname, accents left out, an organization, an
# e-mail's domain, a common title, two words, nothing that matches.
QUERIES = ["ana", "garcia", "jose", "bill", "acme", "engineer", "ana eng", "zurich", "qqqq"]
# Names as varied as a real network's: a few hundred given names, thousands of family
# names (syllables), some accented.
SYLLABLES = ["ka", "ro", "mi", "len", "sa", "to", "vi", "del", "an", "mar", "os", "ter", "li"]
FIRST = ["Ana", "José", "William", "Zoë", "Mei", "Lars", "Amélie", "Robert", "Priya", "Chen"]
LAST = ["García", "Müller", "Nakamura", "O'Brien", "Kowalski", "Ångström", "Okafor", "Silva"]


def invented(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def samples(action: Callable[[], object], repeat: int) -> list[float]:
    found = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        found.append(time.perf_counter() - start)
    return found


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=15, help="runs of each query")
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    n = args.people
    data_dir = tempfile.mkdtemp(prefix="coffeechat-bench-")
    os.environ["COFFEECHAT_DATA_DIR"] = data_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Q
    from django.test import Client

    from coffeechat.accounts.services import create_account
    from coffeechat.core.scoping import owned
    from coffeechat.network import search
    from coffeechat.network.models import (
        EmailAddress,
        Employment,
        Organization,
        Person,
        PersonSearch,
        Tag,
    )
    from coffeechat.network.services import search_people

    call_command("migrate", verbosity=0)
    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    user = create_account("bench@example.com", "a-long-benchmark-passphrase")
    rng = random.Random(7)
    first_names = FIRST + [invented(rng, 2) for _ in range(300)]
    last_names = LAST + [invented(rng, 3) for _ in range(5000)]
    with transaction.atomic():
        organizations = Organization.objects.bulk_create(
            Organization(owner=user, name=name)
            for name in [f"Acme {i}" for i in range(20)] + [f"Firm {i}" for i in range(480)]
        )
        tags = Tag.objects.bulk_create(Tag(owner=user, name=f"tag-{i}") for i in range(50))
        Person.objects.bulk_create(
            (
                Person(
                    owner=user,
                    first_name=rng.choice(first_names),
                    last_name=rng.choice(last_names),
                    location=rng.choice(["Zürich", "Lisbon", "Austin", "Osaka"]),
                    notes=f"Met at meetup {i % 97}; interested in platform work.",
                )
                for i in range(n)
            ),
            batch_size=2000,
        )
        ids = list(Person.objects.filter(owner=user).values_list("pk", flat=True))
        EmailAddress.objects.bulk_create(
            (EmailAddress(owner=user, person_id=pk, email=f"p{pk}@mail.example") for pk in ids),
            batch_size=2000,
        )
        Employment.objects.bulk_create(
            (
                Employment(
                    owner=user,
                    person_id=pk,
                    organization=organizations[i % 500],
                    title=rng.choice(["Engineer", "Designer", "Recruiter", "Manager"]),
                    is_current=True,
                )
                for i, pk in enumerate(ids)
            ),
            batch_size=2000,
        )
        through = Person.tags.through
        through.objects.bulk_create(
            (through(person_id=pk, tag_id=tags[i % 50].pk) for i, pk in enumerate(ids)),
            batch_size=2000,
        )

    start = time.perf_counter()
    indexed = search.refresh()
    build = time.perf_counter() - start
    rows = list(PersonSearch.objects.values_list("person_id", "names", "document"))
    print(f"people: {indexed:,} indexed ({connection.vendor})")

    raw = sqlite3.connect(":memory:")
    raw.execute("CREATE TABLE s (person_id INTEGER PRIMARY KEY, owner_id INT, names, document)")
    raw.execute("CREATE INDEX s_owner ON s (owner_id)")
    start = time.perf_counter()
    with raw:
        raw.executemany("INSERT INTO s VALUES (?, 1, ?, ?)", rows)
    raw_build = time.perf_counter() - start
    print(
        f"build the index: {build:.2f} s (raw sqlite3 insert of the same rows "
        f"{raw_build:.2f} s, ratio {build / raw_build:.1f}x)"
    )

    people = owned(Person, user)
    page = settings.PAGE_SIZE

    def ours(query: str) -> Callable[[], object]:
        def run() -> object:
            found = search_people(people, query)
            return list(found[:page]), found.count()

        return run

    def floor(query: str) -> Callable[[], object]:
        words = search.query_words(query)
        where = " AND ".join("document LIKE ?" for _ in words)
        params = [f"%{word}%" for word in words]

        def run() -> object:
            return (
                raw.execute(
                    f"SELECT person_id FROM s WHERE owner_id = 1 AND {where} "
                    "ORDER BY names LIMIT ?",
                    [*params, page],
                ).fetchall(),
                raw.execute(f"SELECT count(*) FROM s WHERE owner_id = 1 AND {where}", params),
            )

        return run

    def before(query: str) -> Callable[[], object]:
        def run() -> object:
            found = people
            for word in query.split():
                found = found.filter(
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(email_addresses__email__icontains=word)
                    | Q(employments__organization__name__icontains=word)
                    | Q(employments__title__icontains=word)
                    | Q(tags__name__icontains=word)
                ).distinct()
            return list(found[:page]), found.count()

        return run

    measured: dict[str, list[float]] = {"ours": [], "floor": [], "before": []}
    for query in QUERIES:
        mine = samples(ours(query), args.repeat)
        base = samples(floor(query), args.repeat)
        measured["ours"] += mine
        measured["floor"] += base
        measured["before"] += samples(before(query), max(3, args.repeat // 5))
        matches = search_people(people, query).count()
        print(
            f"  {query!r}: {matches:,} found, p50 {p(mine, 0.5):.1f} ms "
            f"(floor {p(base, 0.5):.1f} ms)"
        )
    ours50, floor50, before50 = (p(measured[k], 0.5) for k in ("ours", "floor", "before"))
    print(f"queries: {', '.join(QUERIES)}; first page of {page} and the count")
    print(
        f"search p50 {ours50:.1f} ms, p95 {p(measured['ours'], 0.95):.1f} ms "
        f"(floor: raw sqlite3 LIKE on the same rows p50 {floor50:.1f} ms, ratio "
        f"{ours50 / floor50:.1f}x; before: the join p50 {before50:.1f} ms, "
        f"{before50 / ours50:.1f}x slower than now)"
    )

    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    client.force_login(user)

    def list_page() -> None:
        assert client.get("/people/", {"q": "ana"}).status_code == 200

    def picker() -> None:
        assert client.get("/people/search/", {"q": "jose"}).status_code == 200

    page_times = samples(list_page, args.repeat)
    picker_times = samples(picker, args.repeat)
    print(
        f"people list page ?q=ana p50 {p(page_times, 0.5):.1f} ms; picker search "
        f"?q=jose p50 {p(picker_times, 0.5):.1f} ms (floor p50 {floor50:.1f} ms)"
    )


if __name__ == "__main__":
    main()
