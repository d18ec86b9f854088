"""How fast the signed-in pages render with 30,000 people, beside a hello-world floor.

Builds, in a throwaway SQLite database (PostgreSQL with ``--postgres URL``: a database
of its own, migrated then flushed), one account with N people (default 30,000, LinkedIn's
limit), each with a current job at one of 300 organizations, an e-mail address and a tag;
20 targets, 60 conversations (some held), 120 messages and 40 follow-ups (some due
today). Then, in one process with Django's test client, it renders each page the user
looks at all day (people list, person page, Today, targets, a target's page,
conversations, a conversation, outreach, the composer, the map, follow-ups, progress)
R times and prints the median time per request (CPU time of this process: other
work on a shared machine moves it much less than wall time), its queries, and its share of the
floor's throughput (floor time / page time: the goal is at least 10 %).

The floor, measured in the same run by the same client: a hello-world Django view with
no middleware and no database (as in ``benchmarks/load.py``). Also printed, for scale:
the same view behind Coffeechat's middleware, signed in (session, user, CSRF, CSP,
request log).

The machine is shared: medians, and compare a page with the floor of the same run.

Run: .venv/bin/python benchmarks/pages.py [--people N] [--repeat R] [--profile PAGE]
     [--postgres URL]
(--profile prints where one page's time goes, with cProfile.)
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def hello(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse("Hello, world")


def median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # warm: templates compiled, urls resolved
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        samples.append(time.process_time() - start)
    return statistics.median(samples) * 1000


def build(people: int) -> tuple[Any, dict[str, str]]:
    import datetime

    from django.db import transaction
    from django.utils import timezone
    from tests.factories import MessageFactory

    from coffeechat.accounts.services import create_account
    from coffeechat.conversations.models import Conversation, Participant, Status
    from coffeechat.followups.models import FollowUp
    from coffeechat.network.models import EmailAddress, Employment, Organization, Person, Tag
    from coffeechat.outreach.models import Message
    from coffeechat.targets.models import Target

    user = create_account("pages@example.com", "a-long-benchmark-passphrase")
    now = timezone.now()
    with transaction.atomic():
        organizations = Organization.objects.bulk_create(
            Organization(owner=user, name=f"Company {i}", industry="Software") for i in range(300)
        )
        tags = Tag.objects.bulk_create(Tag(owner=user, name=f"tag{i}") for i in range(30))
        Person.objects.bulk_create(
            (
                Person(owner=user, first_name=f"First{i}", last_name=f"Last{i:06d}")
                for i in range(people)
            ),
            batch_size=2000,
        )
        ids = list(Person.objects.filter(owner=user).order_by("pk").values_list("pk", flat=True))
        Employment.objects.bulk_create(
            (
                Employment(
                    owner=user,
                    person_id=pk,
                    organization=organizations[i % len(organizations)],
                    title="Engineer" if i % 3 else "Engineering Manager",
                    is_current=True,
                )
                for i, pk in enumerate(ids)
            ),
            batch_size=2000,
        )
        EmailAddress.objects.bulk_create(
            (EmailAddress(owner=user, person_id=pk, email=f"p{pk}@example.org") for pk in ids),
            batch_size=2000,
        )
        through = Person.tags.through
        through.objects.bulk_create(
            (through(person_id=pk, tag_id=tags[i % len(tags)].pk) for i, pk in enumerate(ids)),
            batch_size=2000,
        )
        targets = Target.objects.bulk_create(
            Target(owner=user, organization=organizations[i], motivation=1 + i % 5)
            for i in range(20)
        )
        conversations = []
        for i in range(60):
            held = i % 2 == 0
            conversation = Conversation.objects.create(
                owner=user,
                starts_at=now + datetime.timedelta(days=(-i if held else i)),
                duration_minutes=30,
                status=Status.HELD if held else Status.SCHEDULED,
            )
            Participant.objects.create(
                owner=user, conversation=conversation, person_id=ids[i * 7], position=0
            )
            conversations.append(conversation)
        for i in range(120):
            MessageFactory(owner=user, person=Person.objects.get(pk=ids[i * 11]))
        today = now.date()
        FollowUp.objects.bulk_create(
            FollowUp(
                owner=user,
                title=f"Follow-up {i}",
                person_id=ids[i * 13],
                due_on=today + datetime.timedelta(days=i % 7 - 2),
            )
            for i in range(40)
        )
    person = ids[7]  # in a conversation, with a job, an address and a tag
    message = Message.objects.filter(owner=user).order_by("pk").first()
    assert message is not None
    pages = {
        "people list": "/people/",
        "person page": f"/people/{person}/",
        "Today": "/today/",
        "targets": "/targets/",
        "a target's page": f"/targets/{targets[0].pk}/",
        "conversations": "/conversations/",
        "a conversation": f"/conversations/{conversations[1].pk}/",
        "outreach": "/outreach/",
        "composer": f"/outreach/compose/?person={person}",
        "map": "/map/",
        "follow-ups": "/follow-ups/",
        "progress": "/progress/",
    }
    return user, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile", help="Profile this page (its name as printed).")
    parser.add_argument("--postgres", metavar="URL", help="Run on this PostgreSQL database.")
    args = parser.parse_args()

    os.environ["COFFEECHAT_DATA_DIR"] = tempfile.mkdtemp(prefix="coffeechat-bench-pages-")
    if args.postgres:
        os.environ["DATABASE_URL"] = args.postgres
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    os.environ.setdefault("COFFEECHAT_LOG_LEVEL", "WARNING")  # no line per request
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import clear_url_caches, include, path

    call_command("migrate", verbosity=0)
    if args.postgres:
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    user, pages = build(args.people)
    built = time.perf_counter() - started

    # The hello-world view, on an address of its own beside Coffeechat's.
    sys.modules[__name__].urlpatterns = [  # type: ignore[attr-defined]
        path("hello/", hello),
        path("", include("coffeechat.urls")),
    ]
    settings.ROOT_URLCONF = __name__
    clear_url_caches()
    settings.ALLOWED_HOSTS.append("testserver")

    floor_client = Client()
    with override_settings(MIDDLEWARE=[]):
        floor_client.get("/hello/")  # the handler keeps the (empty) middleware it loaded
    client = Client()
    client.force_login(user)

    def getter(c: Any, url: str) -> Callable[[], None]:
        def get() -> None:
            response = c.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    if args.profile:
        get = getter(client, {**pages, "hello": "/hello/"}[args.profile])
        get()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            get()
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
        return

    floor = median_ms(getter(floor_client, "/hello/"), args.repeat * 20)
    behind = median_ms(getter(client, "/hello/"), args.repeat * 4)
    engine = connection.vendor
    print(f"{args.people:,} people on {engine} (built in {built:.0f} s), median of {args.repeat}")
    print(f"{'page':<20} {'ms':>8} {'queries':>8} {'of floor':>9}")
    print(f"{'hello-world floor':<20} {floor:>8.2f} {0:>8} {'100 %':>9}")
    print(f"{'  behind middleware':<20} {behind:>8.2f} {'':>8} {floor / behind:>8.1%}")
    below = []
    for name, url in pages.items():
        get = getter(client, url)
        queries: list[str] = []

        def count(run: Any, sql: str, *rest: Any, queries: list[str] = queries) -> Any:
            queries.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            get()
        ms = median_ms(get, args.repeat)
        share = floor / ms
        if share < 0.1:
            below.append(name)
        print(f"{name:<20} {ms:>8.2f} {len(queries):>8} {share:>8.1%}")
    print(f"below 10 % of the floor: {', '.join(below) or 'none'}")


if __name__ == "__main__":
    main()
