"""How fast the follow-ups tick finds and claims what came due.

Builds 100,000 follow-ups across 1,000 users (default), of which 1,000 are due
(overdue or due today, spread over time zones; the rest are in the future, done or
skipped), in a fresh SQLite database. Then it times one tick's notification step —
find every due follow-up without a notification and claim it (insert the
notification under its unique constraint) — against a baseline measured in the same
run: a raw sqlite3 SELECT of the same due rows. Target: under 1 s. It also times the
next tick (nothing new to claim), the digests of the 1,000 users (to the in-memory
mail backend), and checks that the today page uses the same number of queries for 2
and 200 follow-ups.

Run: PYTHONPATH=src .venv/bin/python benchmarks/reminder_tick.py [--users N] [--per-user N]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--per-user", type=int, default=100)
    args = parser.parse_args()

    os.environ["COFFEECHAT_DATA_DIR"] = tempfile.mkdtemp(prefix="coffeechat-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["EMAIL_URL"] = "memory://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    os.environ["COFFEECHAT_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from coffeechat.accounts.models import Profile, User
    from coffeechat.followups.models import FollowUp, FollowUpSettings, Notification, Status
    from coffeechat.followups.tick import create_notifications, send_digests

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    now = timezone.now()
    today = now.date()
    users = User.objects.bulk_create(
        [User(email=f"user{i}@example.com", password="!") for i in range(args.users)]
    )
    Profile.objects.bulk_create(
        [Profile(user=u, time_zone=ZONES[i % len(ZONES)]) for i, u in enumerate(users)]
    )
    FollowUpSettings.objects.bulk_create([FollowUpSettings(owner=u, digest_hour=0) for u in users])
    rows = []
    for user in users:
        # One due (overdue by 0-3 days: the Sydney users' "today" may be tomorrow UTC).
        rows.append(
            FollowUp(
                owner=user, title="Due", due_on=today - datetime.timedelta(days=rng.randint(1, 3))
            )
        )
        for _ in range(args.per_user - 1):
            status = rng.choice([Status.OPEN] * 6 + [Status.DONE, Status.SKIPPED])
            offset = rng.randint(2, 365) if status == Status.OPEN else -rng.randint(1, 365)
            rows.append(
                FollowUp(
                    owner=user,
                    title="Later",
                    status=status,
                    due_on=today + datetime.timedelta(days=offset),
                )
            )
    started = time.perf_counter()
    FollowUp.objects.bulk_create(rows, batch_size=2000)
    print(
        f"Built {len(rows):,} follow-ups for {len(users):,} users "
        f"in {time.perf_counter() - started:.1f} s"
    )

    # Baseline: the same due rows with a raw SELECT.
    horizon = (today + datetime.timedelta(days=1)).isoformat()
    raw = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    started = time.perf_counter()
    baseline_rows = raw.execute(
        "SELECT id, owner_id, remind_on FROM followups_followup "
        "WHERE status IN ('open', 'snoozed') AND remind_on <= ?",
        (horizon,),
    ).fetchall()
    baseline = time.perf_counter() - started
    raw.close()

    started = time.perf_counter()
    claimed = create_notifications(now)
    tick = time.perf_counter() - started
    assert Notification.objects.count() == args.users, Notification.objects.count()
    started = time.perf_counter()
    again = create_notifications(now)
    steady = time.perf_counter() - started
    assert again == 0 and Notification.objects.count() == args.users

    started = time.perf_counter()
    sent, failed = send_digests(now, worker_id="bench")
    digests = time.perf_counter() - started

    print(
        f"Baseline (raw sqlite3 SELECT of {len(baseline_rows):,} due rows): "
        f"{baseline * 1000:.1f} ms"
    )
    print(
        f"Tick: found and claimed {claimed:,} due follow-ups in {tick * 1000:.1f} ms "
        f"(target < 1000 ms) — {tick / max(baseline, 1e-9):.1f}× the baseline"
    )
    print(f"Next tick (nothing new): {steady * 1000:.1f} ms")
    print(
        f"Digests: {sent:,} sent, {failed} failed in {digests:.2f} s "
        f"({digests / max(sent, 1) * 1000:.2f} ms each, claim + send + record)"
    )

    # The today page: the same number of queries for 2 and 200 follow-ups.
    owner = User.objects.create(email="page@example.com", password="!")
    Profile.objects.create(user=owner, time_zone="UTC")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(owner)
    client.get("/today/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/today/").status_code == 200
        return len(captured)

    FollowUp.objects.bulk_create(
        [
            FollowUp(owner=owner, title="x", due_on=today + datetime.timedelta(days=i % 8))
            for i in range(2)
        ]
    )
    small = queries()
    FollowUp.objects.bulk_create(
        [
            FollowUp(owner=owner, title="x", due_on=today + datetime.timedelta(days=i % 8))
            for i in range(198)
        ]
    )
    large = queries()
    print(
        f"Today page: {small} queries with 2 follow-ups, {large} with 200"
        f" — {'constant' if small == large else 'NOT CONSTANT'}"
    )
    print("OK" if tick < 1.0 and small == large else "MISSED THE TARGET")


if __name__ == "__main__":
    main()
