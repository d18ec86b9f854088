"""How fast warm paths are with a real-sized network.

Builds a deterministic network in a throwaway SQLite database: 30,000 people,
3,000 organizations (a current job each, some former jobs), 100,000 directory
memberships in 60 schools, associations, alumni groups and communities (four of them
yours), 60,000 ties (1,500 of them yours), and mail exchanged with 2,000 people (the
mailbox's counts, which warm the paths to people without a tie of yours). Then, for 50
organizations, computes the top 10 warm paths with their explanations, loading what it
needs from the database each time, and prints the median and 95th-percentile time per
target.

The baseline, measured in the same run, is a plain breadth-first search from you over
the same graph already held in memory (your ties, the people who share one of your
groups, and the ties between people), stopping at the first level that reaches
someone at the organization. Target (issue 16): 95th percentile under 50 ms. Wall-clock
times are printed with the process's CPU time beside them and the load average: on a
shared machine the first stretches and the second does not.

Run: .venv/bin/python benchmarks/warm_paths.py [--people N] [--targets N] [--seed N]
(--queries also prints each query of one search with its plan, and a profile.)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict, deque
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

TITLES = ("Analyst", "Engineer", "Designer", "Coordinator", "Specialist", "Scientist")
LEAD_TITLES = ("Director of Data", "Engineering Manager", "Head of Analytics", "VP Operations")
DEPARTMENTS = ("Data", "Engineering", "Operations", "Marketing", "Finance", "People")
TIE_KINDS = ("friend", "colleague", "classmate", "acquaintance", "introduced", "referred")
SOURCES = ("linkedin", "alumni_directory", "association_directory", "manual", "friend")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--organizations", type=int, default=3_000)
    parser.add_argument("--memberships", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=60_000)
    parser.add_argument(
        "--exchanges", type=int, default=2_000, help="People you exchanged mail with."
    )
    parser.add_argument("--targets", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--queries", action="store_true", help="Also print each query's time for one target."
    )
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="coffeechat-bench-paths-")
    os.environ["COFFEECHAT_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from coffeechat.accounts.models import MyAffiliation
    from coffeechat.accounts.services import create_account
    from coffeechat.network.models import (
        Affiliation,
        Employment,
        Interaction,
        MailExchange,
        Membership,
        Organization,
        Person,
        Tie,
    )
    from coffeechat.network.normalize import organization_key
    from coffeechat.targets.paths import paths_to_organization

    rng = random.Random(args.seed)
    today = date(2026, 6, 1)
    call_command("migrate", verbosity=0)
    user = create_account("bench@example.com", "a-long-benchmark-passphrase")

    started = time.perf_counter()
    with transaction.atomic():
        organizations = Organization.objects.bulk_create(
            (
                Organization(
                    owner=user,
                    name=f"Company {i:04d}",
                    name_key=organization_key(f"Company {i:04d}"),
                )
                for i in range(args.organizations)
            ),
            batch_size=2000,
        )
        people = Person.objects.bulk_create(
            (
                Person(
                    owner=user,
                    first_name=f"First{i}",
                    last_name=f"Last{i:05d}",
                    source=rng.choice(SOURCES),
                )
                for i in range(args.people)
            ),
            batch_size=2000,
        )
        org_ids = [org.pk for org in organizations]
        person_ids = [person.pk for person in people]
        jobs = []
        for pk in person_ids:
            hiring = rng.random() < 0.04
            jobs.append(
                Employment(
                    owner=user,
                    person_id=pk,
                    organization_id=rng.choice(org_ids),
                    title=rng.choice(LEAD_TITLES if hiring else TITLES),
                    department=rng.choice(DEPARTMENTS),
                    is_current=True,
                    has_hiring_authority=hiring,
                )
            )
            if rng.random() < 0.3:
                start = date(2010 + rng.randrange(10), 1 + rng.randrange(12), 1)
                jobs.append(
                    Employment(
                        owner=user,
                        person_id=pk,
                        organization_id=rng.choice(org_ids),
                        title=rng.choice(TITLES),
                        start_date=start,
                        end_date=start + timedelta(days=400 + rng.randrange(1500)),
                        is_current=False,
                    )
                )
        Employment.objects.bulk_create(jobs, batch_size=2000)

        kinds = ["school"] * 20 + ["association"] * 20 + ["former_employer"] * 10
        kinds += ["community"] * 10
        affiliations = Affiliation.objects.bulk_create(
            Affiliation(
                owner=user,
                name=f"{kind.title()} group {i}",
                kind=kind,
                organization_id=org_ids[i] if kind == "former_employer" else None,
            )
            for i, kind in enumerate(kinds)
        )
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < args.memberships:
            pairs.add((rng.choice(person_ids), rng.randrange(len(affiliations))))
        Membership.objects.bulk_create(
            (
                Membership(
                    owner=user,
                    person_id=pk,
                    affiliation=affiliations[index],
                    class_year=1995 + rng.randrange(30)
                    if affiliations[index].kind == "school"
                    else None,
                    start_year=2005 + rng.randrange(18)
                    if affiliations[index].kind != "school"
                    else None,
                )
                for pk, index in sorted(pairs)
            ),
            batch_size=5000,
        )
        mine = [0, 20, 40, 50]  # a school, an association, a former employer, a community
        MyAffiliation.objects.bulk_create(
            MyAffiliation(
                owner=user,
                affiliation=affiliations[index],
                class_year=2016 if affiliations[index].kind == "school" else None,
                start_year=None if affiliations[index].kind == "school" else 2015,
                end_year=2021 if affiliations[index].kind == "former_employer" else None,
            )
            for index in mine
        )

        my_count = min(1500, args.ties // 40)
        my_people = rng.sample(person_ids, my_count)
        ties = [
            Tie(
                owner=user,
                to_person_id=pk,
                kind=rng.choice(TIE_KINDS),
                strength=1 + rng.randrange(5),
                since=today - timedelta(days=rng.randrange(4000)),
            )
            for pk in my_people
        ]
        seen: set[tuple[int, int]] = set()
        while len(ties) < args.ties:
            a, b = rng.choice(person_ids), rng.choice(person_ids)
            if a == b or (a, b) in seen or (b, a) in seen:
                continue
            seen.add((a, b))
            introducer = rng.choice(person_ids) if rng.random() < 0.05 else None
            ties.append(
                Tie(
                    owner=user,
                    from_person_id=a,
                    to_person_id=b,
                    kind=rng.choice(TIE_KINDS),
                    strength=1 + rng.randrange(5),
                    introduced_by_id=introducer if introducer not in (a, b) else None,
                )
            )
        Tie.objects.bulk_create(ties, batch_size=5000)
        Interaction.objects.bulk_create(
            (
                Interaction(
                    owner=user,
                    person_id=pk,
                    occurred_at=datetime(2026, 1, 1, tzinfo=UTC)
                    - timedelta(days=rng.randrange(900)),
                    kind="email",
                )
                for pk in my_people[: my_count // 2]
            ),
            batch_size=2000,
        )
        # Mail exchanged with people (the mailbox's counts), from a generator of its own
        # so that the rest of the network and the targets stay those of earlier runs.
        mail_rng = random.Random(args.seed + 1)
        MailExchange.objects.bulk_create(
            (
                MailExchange(
                    owner=user,
                    person_id=pk,
                    sent=mail_rng.randrange(30),
                    received=mail_rng.randrange(30),
                    last_at=datetime(2026, 1, 1, tzinfo=UTC)
                    - timedelta(days=mail_rng.randrange(900)),
                )
                for pk in mail_rng.sample(person_ids, min(args.exchanges, len(person_ids)))
            ),
            batch_size=2000,
        )
    built = time.perf_counter() - started

    targets = rng.sample(org_ids, args.targets)

    # Ours: loading from the database and searching, per target.
    for warm_up in rng.sample(org_ids, 3):
        paths_to_organization(user, warm_up, today=today).ranked(limit=10)
    ours: list[float] = []
    ours_cpu: list[float] = []
    found_paths = 0
    slowest: list[tuple[float, int]] = []
    for org_id in targets:
        start, start_cpu = time.perf_counter(), time.process_time()
        paths = paths_to_organization(user, org_id, today=today).ranked(limit=10)
        explanations = [path.explain() for path in paths]
        ours.append(time.perf_counter() - start)
        ours_cpu.append(time.process_time() - start_cpu)
        slowest.append((ours[-1], org_id))
        found_paths += len(explanations)
    if args.queries:
        for seconds, org_id in sorted(slowest, reverse=True)[:4]:
            again = time.perf_counter()
            paths_to_organization(user, org_id, today=today).ranked(limit=10)
            print(
                f"slow target {org_id}: {seconds * 1000:.0f} ms, "
                f"again {(time.perf_counter() - again) * 1000:.0f} ms"
            )

    if args.queries:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            paths_to_organization(user, targets[0], today=today).ranked(limit=10)
        for query in captured.captured_queries:
            print(f"{float(query['time']) * 1000:7.1f} ms  {query['sql'][:150]}")
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                for row in cursor.fetchall():
                    print("           ", row[-1])
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        for org_id in targets[:10]:
            paths_to_organization(user, org_id, today=today).ranked(limit=10)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(18)

    # Baseline: a plain BFS over the same graph, already in memory (loading not timed).
    adjacency: dict[int, list[int]] = defaultdict(list)
    for a, b in Tie.objects.filter(owner=user, from_person__isnull=False).values_list(
        "from_person_id", "to_person_id"
    ):
        adjacency[a].append(b)
        adjacency[b].append(a)
    me = 0
    first = set(my_people)
    my_groups = [affiliations[index].pk for index in mine]
    first.update(
        Membership.objects.filter(owner=user, affiliation_id__in=my_groups).values_list(
            "person_id", flat=True
        )
    )
    adjacency[me] = sorted(first)
    staff: dict[int, set[int]] = defaultdict(set)
    for person_id, org_id in Employment.objects.filter(owner=user).values_list(
        "person_id", "organization_id"
    ):
        staff[org_id].add(person_id)

    def bfs(goal: set[int]) -> int:
        seen = {me}
        frontier = deque([(me, 0)])
        while frontier:
            node, depth = frontier.popleft()
            if node in goal:
                return depth
            if depth == 3:
                continue
            for other in adjacency.get(node, ()):
                if other not in seen:
                    seen.add(other)
                    frontier.append((other, depth + 1))
        return -1

    baseline: list[float] = []
    baseline_cpu: list[float] = []
    for org_id in targets:
        start, start_cpu = time.perf_counter(), time.process_time()
        bfs(staff[org_id])
        baseline.append(time.perf_counter() - start)
        baseline_cpu.append(time.process_time() - start_cpu)

    median, p95 = statistics.median(ours), percentile(ours, 0.95)
    base_median, base_p95 = statistics.median(baseline), percentile(baseline, 0.95)
    cpu_median, cpu_p95 = statistics.median(ours_cpu), percentile(ours_cpu, 0.95)
    base_cpu_median = statistics.median(baseline_cpu)
    base_cpu_p95 = percentile(baseline_cpu, 0.95)
    print(
        f"network: {args.people:,} people, {args.organizations:,} organizations, "
        f"{args.memberships:,} memberships, {args.ties:,} ties ({my_count:,} yours); "
        f"built in {built:.1f} s"
    )
    print(f"warm paths, top 10 for {len(targets)} targets ({found_paths} paths found):")
    print(
        f"  ours (SQLite load + search + explain): median {median * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms"
    )
    print(
        f"  baseline (plain BFS, graph in memory): median {base_median * 1000:.1f} ms, "
        f"p95 {base_p95 * 1000:.1f} ms"
    )
    print(f"  ratio ours / baseline: median {median / base_median:.2f}x, p95 {p95 / base_p95:.2f}x")
    print(
        f"  CPU time: ours median {cpu_median * 1000:.1f} ms, p95 {cpu_p95 * 1000:.1f} ms; "
        f"baseline median {base_cpu_median * 1000:.1f} ms, p95 {base_cpu_p95 * 1000:.1f} ms"
    )
    print(f"  load average: {os.getloadavg()[0]:.1f}")
    for label, figure in (("wall", p95), ("CPU", cpu_p95)):
        verdict = "meets" if figure * 1000 < 50 else "MISSES"
        print(f"  target p95 < 50 ms ({label}): {verdict}")


if __name__ == "__main__":
    main()
