"""How fast an account is deleted, and what the chunking costs over raw SQL.

Builds, in a throwaway SQLite database, two accounts of the same size (5,000 people by
default, each with an e-mail address and a current job at one of 200 organizations).
Deletes the first with ``coffeechat.mydata.services.delete_account`` (chunks of
``coffeechat.core.deletion.CHUNK`` rows, each in its own transaction, with the pauses
that let other users' writes in on SQLite) and prints its time, wall clock and CPU. The
baseline, measured in the same run, deletes the second account's same rows (jobs,
e-mail addresses, people, organizations) with four raw ``DELETE … WHERE owner_id = ?``
statements in one transaction: the ratio says what deleting in bounded chunks, with
everything that points at the rows and the pauses, costs on top of the database's own
work.

Run: .venv/bin/python benchmarks/bench_delete_account.py [--people N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def fill_account(email: str, people: int) -> object:
    """An account of ``people`` people, each with an e-mail address and a current job at
    one of 200 organizations (Django must be set up)."""
    from coffeechat.accounts.services import create_account
    from coffeechat.network.models import EmailAddress, Employment, Organization, Person

    user = create_account(email, "a long enough password")
    organizations = Organization.objects.bulk_create(
        Organization(owner=user, name=f"Org {n}") for n in range(200)
    )
    persons = Person.objects.bulk_create(
        (Person(owner=user, first_name=f"P{n}", last_name="Bench") for n in range(people)),
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(owner=user, person=p, email=f"p{p.pk}@example.org") for p in persons),
        batch_size=1000,
    )
    Employment.objects.bulk_create(
        (
            Employment(owner=user, person=p, organization=organizations[i % 200])
            for i, p in enumerate(persons)
        ),
        batch_size=1000,
    )
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5_000)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="coffeechat-bench-delete-")
    os.environ["COFFEECHAT_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coffeechat.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from coffeechat.core import deletion
    from coffeechat.mydata.services import delete_account
    from coffeechat.network.models import EmailAddress, Employment, Organization, Person

    call_command("migrate", verbosity=0)

    measured = fill_account("measured@example.org", args.people)
    baseline = fill_account("baseline@example.org", args.people)

    started, cpu = time.perf_counter(), time.process_time()
    result = delete_account(measured)  # type: ignore[arg-type]
    ours, ours_cpu = time.perf_counter() - started, time.process_time() - cpu

    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Employment, EmailAddress, Person, Organization):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE owner_id = %s",  # noqa: S608
                [baseline.pk],  # type: ignore[attr-defined]
            )
    raw, raw_cpu = time.perf_counter() - started, time.process_time() - cpu

    print(f"people: {args.people}, rows deleted: {result.rows}, chunk: {deletion.CHUNK}")
    print(f"delete_account: {ours:.3f} s wall, {ours_cpu:.3f} s CPU")
    print(f"raw SQL baseline (same rows, 4 statements): {raw:.3f} s wall, {raw_cpu:.3f} s CPU")
    print(f"ratio: {ours / raw:.1f}x wall, {ours_cpu / raw_cpu:.1f}x CPU")


if __name__ == "__main__":
    main()
