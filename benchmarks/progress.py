"""How fast the progress figures are computed for a large account.

Builds, in a throwaway SQLite database, an account with 30,000 people, 5,000 messages
(first notes, nudges, thank-yous; a third answered), 800 conversations (most held, with
referrals), 200 target organizations with employees (some who hire), 300 applications
and 2,000 follow-ups done. Then computes every figure of the Progress page with
``coffeechat.progress.services.progress_of`` several times and prints the median time
and the number of queries.

The baseline, measured in the same run, is a raw sqlite3 read of the rows the figures
rest on (people in the period, messages, participants, employments, follow-ups) with
no computing at all: the ratio says what the ORM and the figures cost on top of reading.

Run: .venv/bin/python benchmarks/progress.py [--people N] [--messages N] [--runs N]
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
from datetime import UTC, datetime, timedelta
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--messages", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="coffeechat-bench-progress-")
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
    from coffeechat.conversations.models import Conversation, Participant, Referral
    from coffeechat.conversations.models import Status as ConversationStatus
    from coffeechat.followups.models import FollowUp
    from coffeechat.followups.models import Status as FollowUpStatus
    from coffeechat.network.models import Employment, Organization, Person
    from coffeechat.outreach.models import ConnectionKind, Message, Purpose, Status
    from coffeechat.progress.services import progress_of
    from coffeechat.targets.models import Application, ApplicationStatus, Target

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    user = create_account("progress@example.org", "a-long-benchmark-password")
    now = datetime.now(UTC)

    def ago(days: float) -> datetime:
        return now - timedelta(days=days)

    started = time.perf_counter()
    with transaction.atomic():
        people = Person.objects.bulk_create(
            Person(owner=user, first_name=f"P{n}", last_name=f"Progress{n}")
            for n in range(args.people)
        )
        organizations = Organization.objects.bulk_create(
            Organization(owner=user, name=f"Org {n}") for n in range(200)
        )
        Target.objects.bulk_create(Target(owner=user, organization=o) for o in organizations)
        Employment.objects.bulk_create(
            Employment(
                owner=user,
                person=people[n],
                organization=organizations[n % 200],
                has_hiring_authority=n % 17 == 0,
            )
            for n in range(4_000)
        )
        purposes = [Purpose.INFORMATIONAL] * 6 + [Purpose.NUDGE, Purpose.THANK_YOU]
        messages = []
        for n in range(args.messages):
            sent_at = ago(rng.uniform(0, 400))
            replied = rng.random() < 0.33
            messages.append(
                Message(
                    owner=user,
                    person=people[rng.randrange(args.people)],
                    organization=organizations[n % 200] if n % 3 == 0 else None,
                    purpose=rng.choice(purposes),
                    connection_kind=rng.choice(ConnectionKind.values),
                    template_name=f"Template {n % 6}",
                    body="Hello, " + "word " * rng.randrange(20, 200),
                    status=Status.REPLIED if replied else Status.SENT,
                    sent_at=sent_at,
                    replied_at=sent_at + timedelta(days=rng.uniform(0, 9)) if replied else None,
                )
            )
        Message.objects.bulk_create(messages)
        conversations = Conversation.objects.bulk_create(
            Conversation(
                owner=user,
                organization=organizations[n % 200],
                starts_at=ago(rng.uniform(-10, 400)),
                status=ConversationStatus.HELD if n % 5 else ConversationStatus.SCHEDULED,
            )
            for n in range(800)
        )
        Participant.objects.bulk_create(
            Participant(owner=user, conversation=c, person=people[n * 7 % 4_000])
            for n, c in enumerate(conversations)
        )
        Referral.objects.bulk_create(
            Referral(
                owner=user,
                conversation=c,
                referred_by=people[n * 7 % 4_000],
                person=people[4_000 + n],
            )
            for n, c in enumerate(conversations)
        )
        Application.objects.bulk_create(
            Application(
                owner=user,
                organization=organizations[n % 200],
                role_title="Analyst",
                status=rng.choice(
                    [
                        ApplicationStatus.APPLIED,
                        ApplicationStatus.INTERVIEWING,
                        ApplicationStatus.OFFER,
                    ]
                ),
                applied_on=ago(rng.uniform(0, 400)).date(),
            )
            for n in range(300)
        )
        FollowUp.objects.bulk_create(
            FollowUp(
                owner=user,
                title=f"Follow-up {n}",
                due_on=ago(n % 90).date(),
                status=FollowUpStatus.DONE,
                done_at=ago(n % 90 - rng.choice([0, 1, -1])),
            )
            for n in range(2_000)
        )
    print(
        f"built {args.people:,} people and {args.messages:,} messages "
        f"in {time.perf_counter() - started:.1f} s"
    )

    progress_of(user, "365")  # warm up (creates the follow-up settings)
    if os.environ.get("PROFILE"):
        import cProfile

        cProfile.runctx('progress_of(user, "365")', globals(), locals(), sort="cumtime")
    timings = []
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            figures = progress_of(user, "365")
            timings.append(time.perf_counter() - begin)
    print(
        f"progress_of: median {statistics.median(timings) * 1000:.0f} ms over {args.runs} runs, "
        f"{len(queries.captured_queries)} queries; funnel "
        + ", ".join(f"{s.key}={s.count}" for s in figures.funnel)
    )

    database = connection.settings_dict["NAME"]
    raw = sqlite3.connect(database)
    baseline = []
    for _ in range(args.runs):
        begin = time.perf_counter()
        raw.execute("SELECT COUNT(*) FROM network_person WHERE owner_id = ?", (user.pk,)).fetchall()
        raw.execute(
            "SELECT purpose, template_name, channel, connection_kind, body, status, person_id, "
            "sent_at, replied_at FROM outreach_message WHERE owner_id = ? AND status != 'draft'",
            (user.pk,),
        ).fetchall()
        raw.execute(
            "SELECT p.person_id, c.organization_id, c.status, c.starts_at "
            "FROM conversations_participant p "
            "JOIN conversations_conversation c ON c.id = p.conversation_id "
            "WHERE p.owner_id = ?",
            (user.pk,),
        ).fetchall()
        raw.execute(
            "SELECT person_id, organization_id, has_hiring_authority FROM network_employment "
            "WHERE owner_id = ? AND is_current",
            (user.pk,),
        ).fetchall()
        raw.execute(
            "SELECT done_at, due_on FROM followups_followup WHERE owner_id = ? AND status = 'done'",
            (user.pk,),
        ).fetchall()
        baseline.append(time.perf_counter() - begin)
    base = statistics.median(baseline)
    print(
        f"baseline (raw sqlite3 read of the same rows): median {base * 1000:.0f} ms; "
        f"ratio {statistics.median(timings) / base:.1f}x"
    )


if __name__ == "__main__":
    main()
