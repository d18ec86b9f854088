"""Deleting a large account works, in chunks, whatever the database (issue 19, item 2).

40,000 people with an e-mail each are more ids than SQLite accepts in one statement
(32,766 variables as SQLite builds by default; Debian's allows 250,000, which 400,000
people exceed just the same, so the test sets the default): a deletion that collects
them all at once fails and deletes nothing. The account goes in chunks, each its own
short transaction, children first.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coffeechat.accounts.models import User
from coffeechat.core import deletion
from coffeechat.mydata import services as mydata
from coffeechat.network.models import EmailAddress, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PEOPLE = 40_000


def _bulk_people(owner: Any, count: int) -> None:
    Person.objects.bulk_create(
        (Person(owner=owner, first_name=f"P{n}", last_name="Many") for n in range(count)),
        batch_size=2000,
    )
    ids = Person.objects.filter(owner=owner).values_list("pk", flat=True).iterator()
    EmailAddress.objects.bulk_create(
        (EmailAddress(owner=owner, person_id=pk, email=f"p{pk}@example.org") for pk in ids),
        batch_size=2000,
    )


@pytest.fixture
def _default_sqlite_limit() -> Iterator[None]:
    """SQLite's default limit of variables in one statement, as most builds have it."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    saved = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
    yield
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, saved)


@pytest.mark.usefixtures("_default_sqlite_limit")
def test_it_deletes_an_account_with_forty_thousand_people(
    alice: Any, bob: Any, _private_uploads: Path
) -> None:
    _bulk_people(alice, PEOPLE)
    bobs = PersonFactory(owner=bob, first_name="Bobby")
    alice_pk = alice.pk

    result = mydata.delete_account(alice)

    assert result.rows >= 2 * PEOPLE
    assert not User.objects.filter(pk=alice_pk).exists()
    assert not Person.objects.filter(owner_id=alice_pk).exists()
    assert not EmailAddress.objects.filter(owner_id=alice_pk).exists()
    assert Person.objects.get(pk=bobs.pk).first_name == "Bobby"


def test_no_statement_names_more_ids_than_a_chunk(alice: Any, _private_uploads: Path) -> None:
    _bulk_people(alice, 3 * deletion.CHUNK + 7)
    with CaptureQueriesContext(connection) as queries:
        mydata.delete_account(alice)
    lists = [
        found.count(",") + 1
        for query in queries.captured_queries
        for found in re.findall(r" IN \(([^()]*)\)", query["sql"])
    ]
    assert max(lists) <= deletion.CHUNK
    assert not Person.objects.filter(owner_id=alice.pk).exists()
