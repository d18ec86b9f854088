"""Finding people fast: one folded text per person, kept in step by the database.

What search reads of a person (names, the nicknames of their given name, e-mail
addresses, organizations and titles of every job, tags, location and notes) is folded
(:func:`coffeechat.network.normalize.fold`: lower case, no accents, any script in ASCII)
into one :class:`~coffeechat.network.models.PersonSearch` row. A search is then one
``LIKE`` per word on that one table instead of a ``DISTINCT`` join over five; on
PostgreSQL a trigram index serves the ``LIKE``.

**Kept in step by the database.** Triggers on every table search reads (created by
migration ``network.0007``, from :data:`TRIGGERS`) write the person's id into
:class:`~coffeechat.network.models.SearchDirty` in the same transaction as the change,
whatever made it: a form, the API, an import's bulk insert, a merge, an undo, a restore
or raw SQL. :func:`refresh` rebuilds the rows of dirty people; the search itself first
refreshes the people it is about to look at (usually none: one query), imports refresh
what they wrote when they finish, and the worker sweeps up the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.functions import Coalesce

from coffeechat.core.console import Echo
from coffeechat.network.models import (
    EmailAddress,
    Employment,
    Person,
    PersonSearch,
    SearchDirty,
)
from coffeechat.network.nicknames import GROUPS, groups_of
from coffeechat.network.normalize import fold

REFRESH_CHUNK = 2000
NOTES_KEPT = 4000  # characters of a person's notes that search reads

# ---------------------------------------------------------------------------------------
# What the triggers do: for each table search reads, on which changes, which people it
# marks dirty. The statements are plain SQL that SQLite and PostgreSQL both accept.

DIRTY = "INSERT INTO network_searchdirty (person_id) "


@dataclass(frozen=True)
class Trigger:
    table: str
    event: str  # INSERT, UPDATE or DELETE
    statements: tuple[str, ...]
    columns: tuple[str, ...] = ()  # UPDATE OF these columns only

    @property
    def name(self) -> str:
        return f"cc_search_{self.table.removeprefix('network_')}_{self.event.lower()}"


def _both(table: str, column: str, watched: tuple[str, ...]) -> tuple[Trigger, ...]:
    """A child row of a person: its insert, delete and changes mark its person(s)."""
    return (
        Trigger(table, "INSERT", (DIRTY + f"VALUES (NEW.{column})",)),
        Trigger(table, "DELETE", (DIRTY + f"VALUES (OLD.{column})",)),
        Trigger(
            table,
            "UPDATE",
            (DIRTY + f"VALUES (NEW.{column})", DIRTY + f"VALUES (OLD.{column})"),
            watched,
        ),
    )


TRIGGERS: tuple[Trigger, ...] = (
    Trigger("network_person", "INSERT", (DIRTY + "VALUES (NEW.id)",)),
    Trigger(
        "network_person",
        "UPDATE",
        (DIRTY + "VALUES (NEW.id)",),
        ("first_name", "last_name", "location", "notes"),
    ),
    Trigger(
        "network_person",
        "DELETE",
        (
            "DELETE FROM network_personsearch WHERE person_id = OLD.id",
            "DELETE FROM network_searchdirty WHERE person_id = OLD.id",
        ),
    ),
    *_both("network_emailaddress", "person_id", ("email", "person_id")),
    *_both("network_employment", "person_id", ("title", "organization_id", "person_id")),
    *_both("network_person_tags", "person_id", ("tag_id", "person_id")),
    Trigger(
        "network_organization",
        "UPDATE",
        (DIRTY + "SELECT person_id FROM network_employment WHERE organization_id = NEW.id",),
        ("name",),
    ),
    Trigger(
        "network_tag",
        "UPDATE",
        (DIRTY + "SELECT person_id FROM network_person_tags WHERE tag_id = NEW.id",),
        ("name",),
    ),
)


def trigger_sql(vendor: str) -> tuple[list[str], list[str]]:
    """``(create, drop)`` statements for :data:`TRIGGERS` on this database."""
    create, drop = [], []
    for trigger in TRIGGERS:
        of = f" OF {', '.join(trigger.columns)}" if trigger.columns else ""
        when = f"AFTER {trigger.event}{of} ON {trigger.table} FOR EACH ROW"
        if vendor == "postgresql":
            body = "".join(f"{statement}; " for statement in trigger.statements)
            create.append(
                f"CREATE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {body}RETURN NULL; END $$"
            )
            create.append(f"CREATE TRIGGER {trigger.name} {when} EXECUTE FUNCTION {trigger.name}()")
            drop.append(f"DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table}")
            drop.append(f"DROP FUNCTION IF EXISTS {trigger.name}()")
        else:
            body = "".join(f"{statement}; " for statement in trigger.statements)
            create.append(f"CREATE TRIGGER {trigger.name} {when} BEGIN {body}END")
            drop.append(f"DROP TRIGGER IF EXISTS {trigger.name}")
    return create, drop


# ---------------------------------------------------------------------------------------
# Building a person's row.


def _squash(parts: Iterable[str]) -> str:
    return " ".join(" ".join(fold(part) for part in parts if part).split())


def name_forms(first_name: str) -> list[str]:
    """The other forms of a given name ("bill" for William, "william" for Bill)."""
    forms: list[str] = []
    for word in fold(first_name).split():
        for number in groups_of(word):
            forms.extend(name for name in GROUPS[number] if name != word)
    return list(dict.fromkeys(forms))


def _names(person: Person) -> str:
    """``" first last | nick nick "``: the full name first, so it can rank a search; a
    space on both ends, so that every word has one on each side."""
    full = _squash([person.first_name, person.last_name])
    nicknames = " ".join(name_forms(person.first_name))
    return f" {full} | {nicknames} ".replace("  ", " ")


def build_rows(person_ids: Iterable[int]) -> list[PersonSearch]:
    """The search rows of these people, in four queries (people that no longer exist
    have none)."""
    ids = list(person_ids)
    people = Person.objects.filter(pk__in=ids).only(
        "id", "first_name", "last_name", "location", "notes"
    )
    emails: dict[int, list[str]] = defaultdict(list)
    for person_id, email in EmailAddress.objects.filter(person_id__in=ids).values_list(
        "person_id", "email"
    ):
        emails[person_id].append(email)
    jobs: dict[int, list[str]] = defaultdict(list)
    for person_id, organization, title in Employment.objects.filter(person_id__in=ids).values_list(
        "person_id", "organization__name", "title"
    ):
        jobs[person_id].extend([organization or "", title])
    tags: dict[int, list[str]] = defaultdict(list)
    through = Person.tags.through
    for person_id, name in through.objects.filter(person_id__in=ids).values_list(
        "person_id", "tag__name"
    ):
        tags[person_id].append(name)
    rows = []
    for person in people:
        names = _names(person)
        rest = _squash(
            [
                *emails[person.pk],
                *jobs[person.pk],
                *tags[person.pk],
                person.location,
                person.notes[:NOTES_KEPT],
            ]
        )
        rows.append(PersonSearch(person_id=person.pk, names=names, document=f"{names}{rest}"))
    return rows


# ---------------------------------------------------------------------------------------
# Keeping the index up to date.


def refresh(
    people: QuerySet[Person] | None = None,
    chunk: int = REFRESH_CHUNK,
    echo: Echo | None = None,
    total: int = 0,
) -> int:
    """Rebuild the rows of dirty people (only those in ``people`` when given), a chunk a
    transaction; the number of people rebuilt. ``echo`` hears the progress."""
    done = 0
    while True:
        if echo:
            echo("Indexing people for search", done, max(total, done))
        with transaction.atomic():
            dirty = SearchDirty.objects.order_by("id")
            if people is not None:
                dirty = dirty.filter(person_id__in=people.values("pk"))
            if connection.features.has_select_for_update_skip_locked:
                dirty = dirty.select_for_update(skip_locked=True)
            marks = list(dirty.values_list("id", "person_id")[:chunk])
            if not marks:
                return done
            ids = {person_id for _, person_id in marks}
            rows = build_rows(ids)
            PersonSearch.objects.filter(person_id__in=ids).exclude(
                person_id__in=[row.person_id for row in rows]
            ).delete()
            PersonSearch.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["person"],
                update_fields=["names", "document"],
                batch_size=500,
            )
            SearchDirty.objects.filter(pk__in=[mark for mark, _ in marks]).delete()
            done += len(ids)
        if len(marks) < chunk:
            if echo:
                echo("Indexed people for search", done, max(total, done))
            return done


def rebuild_all(echo: Echo | None = None) -> int:
    """Mark every person dirty and refresh: the whole index rebuilt (``coffeechat
    reindex``, and after a restore that left it out)."""
    with transaction.atomic():
        SearchDirty.objects.all().delete()
        PersonSearch.objects.all().delete()
        ids = list(Person.objects.values_list("pk", flat=True))
        SearchDirty.objects.bulk_create((SearchDirty(person_id=pk) for pk in ids), batch_size=2000)
    return refresh(echo=echo, total=len(ids))


# ---------------------------------------------------------------------------------------
# Searching.


def query_words(query: str) -> list[str]:
    """The folded words of a query, each at most 100 characters."""
    return [word[:100] for word in fold(query).split()][:10]


def matching(queryset: QuerySet[Person], query: str) -> QuerySet[Person]:
    """The people of ``queryset`` whose row holds every word of ``query``, each annotated
    with ``search_rank`` (lower is better): the whole name typed; then, for each word, a
    name (or nickname) that is the word, one that starts with it, one that holds it, and
    last the word found elsewhere (e-mail, job, tag, notes)."""
    words = query_words(query)
    if not words:
        return queryset
    refresh(queryset)
    for word in words:
        queryset = queryset.filter(search__document__contains=word)
    typed = " ".join(words)
    rank: Any = Value(0)
    for word in words:
        rank = rank + Case(
            When(search__names__contains=f" {word} ", then=Value(0)),
            When(search__names__contains=" " + word, then=Value(1)),
            When(search__names__contains=word, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    whole = Case(
        When(search__names__startswith=f" {typed} |", then=Value(-10)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return queryset.annotate(search_rank=Coalesce(whole + rank, Value(0)))


def best_first(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """Order the result of :func:`matching` by relevance, then by name."""
    return queryset.order_by("search_rank", "last_name", "first_name", "pk")
