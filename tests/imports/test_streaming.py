"""The importer works in chunks: the result must not depend on where a chunk ends.

Each test imports the same records with a chunk of one or two people (so every
repeat of a person crosses a chunk boundary) and with one chunk for the whole
file, and compares what landed.
"""

from __future__ import annotations

import gc
import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coffeechat.accounts.models import User
from coffeechat.core.collector import BULK_THRESHOLDS, fewer_collections
from coffeechat.imports import services
from coffeechat.imports.engine import Planner, import_file
from coffeechat.imports.models import ImportBatch
from coffeechat.imports.records import Format, MessageRecord, PersonRecord, Record
from coffeechat.imports.undo import undo
from coffeechat.network.models import Employment, Interaction, Person, Tie
from coffeechat.network.services import save_person
from tests.imports.test_engine import parsed

pytestmark = pytest.mark.django_db

BIG = 10_000


def snapshot(owner: Any) -> list[tuple[Any, ...]]:
    """The owner's network in a form that does not depend on ids."""
    people = []
    for person in Person.objects.filter(owner=owner).prefetch_related(
        "email_addresses", "phone_numbers", "employments__organization", "ties_in"
    ):
        people.append(
            (
                person.first_name,
                person.last_name,
                person.linkedin_url,
                person.location,
                person.level,
                person.last_contacted_on,
                tuple(sorted(e.email for e in person.email_addresses.all())),
                tuple(sorted(p.number for p in person.phone_numbers.all())),
                tuple(
                    sorted(
                        # Which spelling names a new organization ("Acme" or "Acme Inc.")
                        # is the first one met, which may depend on the chunk.
                        (j.organization.name_key, j.title, j.is_current)
                        for j in person.employments.all()
                    )
                ),
                len(person.ties_in.all()),
                Interaction.objects.filter(person=person).count(),
            )
        )
    return sorted(people, key=repr)


def run(owner: Any, records: list[Record], chunk: int, fmt: Format = Format.LINKEDIN) -> Planner:
    batch = ImportBatch.objects.create(owner=owner, original_name="test.csv")
    return import_file(batch, parsed(list(records), fmt), chunk_size=chunk)


def make_user(email: str) -> Any:
    return User.objects.create_user(email=email, password="x")


def test_a_repeat_in_a_later_chunk_extends_the_person_it_created(alice: Any) -> None:
    records: list[Record] = [
        PersonRecord(line=2, first_name="Dana", last_name="Reyes", organization="Acme"),
        PersonRecord(line=3, first_name="Lee", last_name="Park", emails=["lee@x.example"]),
        PersonRecord(
            line=4,
            first_name="Lee",
            last_name="Park",
            emails=["LEE@x.example", "lee@home.example"],
            organization="Globex",
            title="Analyst",
            location="Lyon",
        ),
        PersonRecord(line=5, first_name="Ana", last_name="Silva"),
    ]
    plan = run(alice, records, chunk=1)

    summary = plan.summary()
    assert (summary["new"], summary["matched"], summary["changed"]) == (3, 0, 0)
    lee = Person.objects.get(owner=alice, first_name="Lee")
    assert sorted(e.email for e in lee.email_addresses.all()) == [
        "lee@home.example",
        "lee@x.example",
    ]
    assert lee.location == "Lyon"
    assert [(j.organization.name, j.title) for j in lee.employments.all()] == [
        ("Globex", "Analyst")
    ]
    assert Tie.objects.filter(owner=alice, to_person=lee).count() == 1

    other = make_user("other@example.org")
    run(other, records, chunk=BIG)
    assert snapshot(alice) == snapshot(other)


def test_an_existing_person_matched_in_two_chunks_is_counted_once_and_undone_whole(
    alice: Any,
) -> None:
    person = save_person(
        alice, Person(first_name="Dana", last_name="Reyes"), emails=["d@x.example"]
    )
    records: list[Record] = [
        PersonRecord(line=2, first_name="Dana", emails=["d@x.example"], location="Oslo"),
        PersonRecord(line=3, first_name="Kim"),
        PersonRecord(
            line=4,
            first_name="Dana",
            emails=["d@x.example"],
            linkedin_url="https://www.linkedin.com/in/dana-r",
            location="Bergen",
        ),
        MessageRecord(
            line=5,
            kind="linkedin_message",
            direction="received",
            occurred_at=datetime(2026, 3, 1, tzinfo=UTC),
            other_name="Dana Reyes",
            other_linkedin_url="https://www.linkedin.com/in/dana-r",
        ),
        MessageRecord(
            line=6,
            kind="linkedin_message",
            direction="sent",
            occurred_at=datetime(2026, 4, 2, tzinfo=UTC),
            other_name="Dana Reyes",
            other_linkedin_url="https://www.linkedin.com/in/dana-r",
        ),
    ]
    batch = ImportBatch.objects.create(owner=alice, original_name="a.zip")
    plan = import_file(batch, parsed(records, Format.LINKEDIN_ARCHIVE), chunk_size=1)

    summary = plan.summary()
    assert (summary["new"], summary["matched"], summary["changed"]) == (1, 1, 1)
    assert summary["messages"] == 2
    person.refresh_from_db()
    assert person.location == "Oslo"  # the first row filled it; the second does not overwrite
    assert person.linkedin_url == "https://www.linkedin.com/in/dana-r"
    assert person.last_contacted_on == date(2026, 4, 2)

    batch.status = "imported"
    batch.save()
    undo(batch)
    person.refresh_from_db()
    assert (person.location, person.linkedin_url, person.last_contacted_on) == ("", "", None)
    assert not Person.objects.filter(owner=alice, first_name="Kim").exists()
    assert not Interaction.objects.filter(owner=alice).exists()


def test_a_changed_job_in_a_later_chunk_does_not_end_the_job_this_file_set(alice: Any) -> None:
    person = save_person(alice, Person(first_name="Dana"), emails=["d@x.example"])
    records: list[Record] = [
        PersonRecord(line=2, first_name="Dana", emails=["d@x.example"], organization="Acme"),
        PersonRecord(line=3, first_name="Dana", emails=["d@x.example"], organization="Globex"),
    ]
    run(alice, records, chunk=1)
    jobs = Employment.objects.filter(person=person)
    assert [(j.organization.name, j.is_current) for j in jobs] == [("Acme", True)]


def test_preview_counts_equal_the_import_whatever_the_chunk(alice: Any) -> None:
    save_person(alice, Person(first_name="Dana"), emails=["d@x.example"])
    records: list[Record] = [
        PersonRecord(line=2, first_name="Dana", emails=["d@x.example"], organization="Acme"),
        PersonRecord(line=3, first_name="Lee", linkedin_url="https://linkedin.com/in/lee"),
        PersonRecord(line=4, first_name="Lee", linkedin_url="https://linkedin.com/in/lee/"),
        PersonRecord(line=5, first_name="Ana", organization="Initech"),
        PersonRecord(line=6, first_name="Bo", organization="Initech LLC"),
    ]
    preview = Planner(alice, parsed(records), chunk_size=1).run()
    assert Person.objects.filter(owner=alice).count() == 1  # a preview writes nothing
    imported = run(alice, records, chunk=BIG)
    assert preview.summary() == imported.summary()
    assert preview.summary()["new_organizations"] == 2


def test_import_progress_is_readable_while_the_transaction_is_open(
    alice: Any, settings: Any, tmp_path: Any
) -> None:
    settings.IMPORT_DIR = str(tmp_path)
    batch = ImportBatch.objects.create(
        owner=alice, original_name="big.csv", status="importing", rows_total=10
    )
    seen: list[tuple[str, int]] = []

    def watch(phase: str, done: int, total: int) -> None:
        live = services.live_progress(ImportBatch.objects.get(pk=batch.pk))
        seen.append((live.phase, live.rows_done))

    reporter = services.ProgressReporter(batch, watch)
    records = [PersonRecord(line=n, first_name=f"P{n}") for n in range(2, 1300)]
    import_file(batch, parsed(list(records)), progress=reporter, chunk_size=100)
    # The first report inside the transaction went to the side file, and the page read it.
    assert any(phase == "Importing rows" and done >= 500 for phase, done in seen)
    services.clear_live_progress(batch)
    assert services.live_progress(ImportBatch.objects.get(pk=batch.pk)).rows_done == 0


def test_progress_is_written_at_most_twice_a_second_unless_the_phase_changes_or_it_ends(
    alice: Any, settings: Any, tmp_path: Any
) -> None:
    """A short estimate must not turn every report into a file write (it cost 7% of an import)."""
    settings.IMPORT_DIR = str(tmp_path)
    batch = ImportBatch.objects.create(
        owner=alice, original_name="big.csv", status="importing", rows_total=300
    )
    reporter = services.ProgressReporter(batch)
    side_file = tmp_path / f"progress-{batch.pk}.json"
    with transaction.atomic():
        reporter("Importing rows", 100)
        assert services.live_progress(batch).rows_done == 100
        side_file.unlink()
        reporter("Importing rows", 200)  # same phase, a moment later: not written
        reporter("Importing rows", 400)  # past the estimate, not at its end: not written
        assert not side_file.exists()
        reporter("Importing messages", 450)  # a new phase is always shown
        assert services.live_progress(batch).phase == "Importing messages"
    batch.rows_total = 500
    with transaction.atomic():
        reporter("Importing messages", 500)  # the end is always shown
        assert services.live_progress(batch).rows_done == 500
    services.clear_live_progress(batch)


def test_the_collector_thresholds_come_back_after_nested_bulk_work() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold() == BULK_THRESHOLDS
        assert gc.get_threshold() == BULK_THRESHOLDS  # the outer block still runs
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("an import that fails")
    assert gc.get_threshold() == before


EXAMPLES = itertools.count()
names = st.sampled_from(["Dana", "Lee", "Ana", "Kim"])
emails = st.lists(st.sampled_from(["a@x.example", "b@x.example", "B@X.example", "c@y.example"]))
orgs = st.sampled_from(["", "Acme", "Acme Inc.", "Globex"])
urls = st.sampled_from(["", "https://linkedin.com/in/one", "https://www.linkedin.com/in/two"])
rows = st.lists(
    st.builds(
        PersonRecord,
        line=st.just(0),
        first_name=names,
        last_name=st.sampled_from(["", "Reyes"]),
        emails=emails,
        organization=orgs,
        title=st.sampled_from(["", "Manager"]),
        linkedin_url=urls,
        location=st.sampled_from(["", "Oslo", "Lyon"]),
    ),
    max_size=12,
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=rows, chunk=st.integers(min_value=1, max_value=3))
def test_chunk_boundaries_never_change_the_result(
    alice: Any, records: list[Any], chunk: int
) -> None:
    # Hypothesis runs every example in the same test transaction: each needs new users
    # (``id(records)`` can repeat once an example's list is freed).
    example = next(EXAMPLES)
    small = make_user(f"small-{example}@example.org")
    whole = make_user(f"whole-{example}@example.org")
    for user in (small, whole):
        save_person(user, Person(first_name="Dana", last_name="Reyes"), emails=["a@x.example"])
    for number, record in enumerate(records, start=2):
        record.line = number
    first = run(small, records, chunk=chunk)
    second = run(whole, records, chunk=BIG)
    assert snapshot(small) == snapshot(whole)
    assert first.summary() == second.summary()
