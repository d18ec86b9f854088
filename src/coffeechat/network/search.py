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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import batched
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, Min, OuterRef, QuerySet

from coffeechat.core.console import Echo
from coffeechat.core.pacing import Spacer
from coffeechat.network.models import (
    Person,
    PersonSearch,
    SearchDirty,
)
from coffeechat.network.nicknames import GROUPS, groups_of
from coffeechat.network.normalize import fold

REFRESH_CHUNK = 500  # people per transaction: a short wait at most for anyone's save
WINDOW = 10  # chunks whose people are chosen by one read
ADVISORY_LOCK = 0x5EA2C4  # PostgreSQL advisory lock held while refreshing
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
    prefix: str = "cc_search"  # what the triggers are for (another module's own set)

    @property
    def name(self) -> str:
        return f"{self.prefix}_{self.table.removeprefix('network_')}_{self.event.lower()}"


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


# SQLite: a trigram full-text index over the documents (FTS5, SQLite 3.34 and newer),
# kept in step with network_personsearch by its own triggers. PostgreSQL: a pg_trgm GIN
# index on the document column serves the same LIKE (see migration network.0007).
FTS_TABLE = "network_personsearch_fts"
FTS_SQL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(document, tokenize='trigram', detail='none')",
    "CREATE TRIGGER cc_search_fts_insert AFTER INSERT ON network_personsearch BEGIN "
    f"INSERT INTO {FTS_TABLE} (rowid, document) VALUES (NEW.person_id, NEW.document); END",
    "CREATE TRIGGER cc_search_fts_delete AFTER DELETE ON network_personsearch BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE rowid = OLD.person_id; END",
    "CREATE TRIGGER cc_search_fts_update AFTER UPDATE ON network_personsearch BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE rowid = OLD.person_id; "
    f"INSERT INTO {FTS_TABLE} (rowid, document) VALUES (NEW.person_id, NEW.document); END",
)
FTS_DROP = (
    "DROP TRIGGER IF EXISTS cc_search_fts_insert",
    "DROP TRIGGER IF EXISTS cc_search_fts_delete",
    "DROP TRIGGER IF EXISTS cc_search_fts_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
# At most this many people (of every account) for the rarest word: then the index
# finds them; more, and scanning the owner's own rows is cheaper.
FTS_CAP = 2000


def trigger_sql(vendor: str, triggers: Iterable[Trigger] = TRIGGERS) -> tuple[list[str], list[str]]:
    """``(create, drop)`` statements for ``triggers`` (:data:`TRIGGERS`) on this database."""
    create, drop = [], []
    for trigger in triggers:
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
    return " ".join(fold(" ".join(part for part in parts if part)).split())


@lru_cache(maxsize=4096)
def _forms_of(word: str) -> tuple[str, ...]:
    forms: list[str] = []
    for number in groups_of(word):
        forms.extend(name for name in GROUPS[number] if name != word)
    return tuple(forms)


def name_forms(first_name: str) -> list[str]:
    """The other forms of a given name ("bill" for William, "william" for Bill)."""
    forms: list[str] = []
    for word in fold(first_name).split():
        forms.extend(_forms_of(word))
    return list(dict.fromkeys(forms))


def _names(first_name: str, last_name: str) -> str:
    """``" first last | nick nick "``: the full name first, so it can rank a search; a
    space on both ends, so that every word has one on each side."""
    full = _squash([first_name, last_name])
    nicknames = " ".join(name_forms(first_name))
    return f" {full} | {nicknames} ".replace("  ", " ")


@dataclass(frozen=True)
class Row:
    """One person's row of :class:`~coffeechat.network.models.PersonSearch`."""

    person_id: int
    owner_id: int
    names: str
    document: str
    sort: str


# Plain SQL: this runs for every person an import writes, and the ORM's model instances
# and ``IN`` lookups cost more than the folding itself.
_READS = {
    "people": "SELECT id, owner_id, first_name, last_name, location, notes "
    "FROM network_person WHERE id IN ({})",
    "emails": "SELECT person_id, email FROM network_emailaddress WHERE person_id IN ({})",
    "jobs": "SELECT e.person_id, o.name, e.title FROM network_employment e "
    "LEFT JOIN network_organization o ON o.id = e.organization_id WHERE e.person_id IN ({})",
    "tags": "SELECT pt.person_id, t.name FROM network_person_tags pt "
    "JOIN network_tag t ON t.id = pt.tag_id WHERE pt.person_id IN ({})",
    # A refresh's bookkeeping: the marks of its people, which of them are still there,
    # and the people's owners.
    "marks": "SELECT id, person_id FROM network_searchdirty WHERE person_id IN ({})",
    "still": "SELECT id FROM network_searchdirty WHERE id IN ({})",
    "owners": "SELECT id, owner_id FROM network_person WHERE id IN ({})",
}
_UPSERT = (
    "INSERT INTO network_personsearch (person_id, owner_id, names, document, sort) "
    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (person_id) DO UPDATE SET "
    "owner_id = excluded.owner_id, names = excluded.names, document = excluded.document, "
    "sort = excluded.sort"
)


def _read(cursor: Any, what: str, ids: list[int]) -> list[tuple[Any, ...]]:
    cursor.execute(_READS[what].format(", ".join(["%s"] * len(ids))), ids)
    return list(cursor.fetchall())


def build_rows(person_ids: Iterable[int]) -> list[Row]:
    """The search rows of these people (at most a few thousand), in four queries; people
    that no longer exist have none."""
    ids = list(person_ids)
    if not ids:
        return []
    extra: dict[int, list[str]] = defaultdict(list)
    with connection.cursor() as cursor:
        people = _read(cursor, "people", ids)
        for person_id, email in _read(cursor, "emails", ids):
            extra[person_id].append(email)
        for person_id, organization, title in _read(cursor, "jobs", ids):
            extra[person_id] += [organization or "", title]
        for person_id, tag in _read(cursor, "tags", ids):
            extra[person_id].append(tag)
    rows = []
    for person_id, owner_id, first_name, last_name, location, notes in people:
        names = _names(first_name, last_name)
        rest = _squash([*extra[person_id], location, notes[:NOTES_KEPT]])
        sort = _squash([last_name, first_name])
        rows.append(Row(person_id, owner_id, names, f"{names}{rest}", sort))
    return rows


def _write(rows: list[Row], gone: set[int]) -> None:
    """Upsert ``rows``, delete the rows of the people in ``gone`` (they no longer exist)."""
    with connection.cursor() as cursor:
        ordered = sorted(rows, key=lambda row: row.person_id)  # one lock order
        cursor.executemany(
            _UPSERT, [(r.person_id, r.owner_id, r.names, r.document, r.sort) for r in ordered]
        )
        if gone:
            marks = ", ".join(["%s"] * len(gone))
            cursor.execute(
                f"DELETE FROM network_personsearch WHERE person_id IN ({marks})", sorted(gone)
            )


# ---------------------------------------------------------------------------------------
# Keeping the index up to date.


def refresh(
    people: QuerySet[Person] | None = None,
    chunk: int = REFRESH_CHUNK,
    echo: Echo | None = None,
    total: int = 0,
) -> int:
    """Rebuild the rows of dirty people (only those in ``people`` when given), a chunk at
    a time; the number of people rebuilt. ``echo`` hears the progress.

    A chunk's rows are built before its transaction, which only writes them: on SQLite
    that transaction holds everyone's saves back, so it is kept short, and spaced from
    the next (:class:`~coffeechat.core.pacing.Spacer`). A person marked again while the
    rows were built keeps the new mark for the next refresh; rows whose marks another
    refresher answered meanwhile are not written (theirs are newer); and every row gets
    its person's owner as it is when written (an import publishes by changing owners).
    """
    done = 0
    dirty = SearchDirty.objects.all()
    if people is not None:
        # Each mark is looked up among ``people`` (few marks; ``people`` may be many).
        dirty = dirty.filter(Exists(people.filter(pk=OuterRef("person_id"))))
    else:
        # The people an import is still writing, out of sight (imports/staging.py): it
        # indexes them itself once they are published.
        staged = Person.objects.filter(pk=OuterRef("person_id"), owner__is_import_staging=True)
        dirty = dirty.exclude(Exists(staged))
    spacer = Spacer()
    while True:
        if echo:
            echo("Indexing people for search", done, max(total, done))
        # Usually nothing is dirty: one read, and no write transaction (on SQLite, that
        # would take the database's write lock for every search). Who is next is read for
        # several chunks at once: on a large import, that read is the slow one.
        window = list(
            dirty.values("person_id")
            .annotate(first=Min("id"))
            .order_by("first")
            .values_list("person_id", flat=True)[: chunk * WINDOW]
        )
        for ids in batched(window, chunk):
            _refresh_chunk(list(ids), spacer)
            done += len(ids)
            if echo:
                echo("Indexing people for search", done, max(total, done))
        if len(window) < chunk * WINDOW:
            break
    if echo:
        echo("Indexed people for search", done, max(total, done))
    return done


def _refresh_chunk(ids: list[int], spacer: Spacer) -> None:
    # Plain SQL, as in build_rows: the ORM's compiling of these long ``IN`` lists cost
    # more than the queries (a second of CPU for an import's 30,000 people).
    with connection.cursor() as cursor:
        marks = dict(_read(cursor, "marks", ids))
    rows = build_rows(ids)
    with spacer.transaction(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one refresher at a time (SQLite: always)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        still = {row[0] for row in _read(cursor, "still", list(marks))} if marks else set()
        # Every mark gone: another refresher read them all, and built after us.
        answered = set(marks.values()) - {marks[pk] for pk in still}
        owners = dict(_read(cursor, "owners", ids))
        rows = [
            replace(row, owner_id=owners[row.person_id])
            for row in rows
            if row.person_id in owners and row.person_id not in answered
        ]
        _write(rows, set(ids) - set(owners) - answered)
        kept = sorted(still)
        for part in range(0, len(kept), 5000):
            some = kept[part : part + 5000]
            cursor.execute(
                f"DELETE FROM network_searchdirty WHERE id IN ({', '.join(['%s'] * len(some))})",
                some,
            )


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


def _like(word: str) -> str:
    """``word`` as the inside of a ``LIKE`` pattern (``ESCAPE '\\'``)."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _rank(words: list[str]) -> tuple[str, list[str]]:
    """The rank of a search row (lower is better), as SQL over ``s`` and its parameters:
    the whole name typed first; then, for each word, a name (or nickname) that is the
    word, one that starts with it, one that holds it, and last the word found elsewhere
    (e-mail, job, notes)."""
    typed = _like(" ".join(words))
    sql = ["CASE WHEN s.names LIKE %s ESCAPE '\\' THEN -10 ELSE 0 END"]
    params = [f" {typed} |%"]
    for word in map(_like, words):
        sql.append(
            "CASE WHEN s.names LIKE %s ESCAPE '\\' THEN 0 "
            "WHEN s.names LIKE %s ESCAPE '\\' THEN 1 "
            "WHEN s.names LIKE %s ESCAPE '\\' THEN 2 ELSE 3 END"
        )
        params += [f"% {word} %", f"% {word}%", f"%{word}%"]
    return " + ".join(sql), params


class Hits:
    """The people of ``within`` (one owner's) whose search row holds every word typed,
    best first (:func:`_rank`), then by name: a sequence a paginator pages through.

    One scan of the owner's search rows finds the ids of a page and the number of
    matches at once (a window count); only that page's people are read, through
    ``within`` (so its prefetches apply). When ``within`` is narrower than all of the
    owner's people (filters, a picker's choices), the scan keeps to its ids.
    """

    ordered = True  # for Django's paginator
    FIRST_READ = 100  # ids read with the count: the first page or two, without a rescan

    def __init__(self, within: QuerySet[Person], words: list[str]) -> None:
        self.within = within
        self.words = words
        self._total: int | None = None
        self._first: list[int] | None = None
        # The owner, to scan only their rows (one indexed read; none: nobody to find).
        self.owner_id = within.order_by().values_list("owner_id", flat=True).first()
        self._where: str = "1 = 0"
        self._params: list[Any] = []
        if self.owner_id is None:
            return
        refresh(within)
        self._where, self._params = self._conditions()

    def _conditions(self) -> tuple[str, list[Any]]:
        where = ["s.owner_id = %s"]
        params: list[Any] = [self.owner_id]
        for word in self.words:
            where.append("s.document LIKE %s ESCAPE '\\'")
            params.append(f"%{_like(word)}%")
        found = _indexed(self.words)
        if found is not None:  # a rare word: the trigram index named the candidates
            if not found:
                return "1 = 0", []
            # Look the candidates up one by one; the owner is checked on each, not used to
            # scan (SQLite's unary "+" keeps the owner index out of the plan).
            where[0] = "+s.owner_id = %s"
            where.append(f"s.person_id IN ({', '.join(['%s'] * len(found))})")
            params += found
        narrower = self.within.order_by().values("pk").query.sql_with_params()
        everyone = Person.objects.filter(owner_id=self.owner_id).order_by().values("pk")
        if narrower != everyone.query.sql_with_params():
            where.append(f"s.person_id IN ({narrower[0]})")
            params += list(narrower[1])
        return " AND ".join(where), params

    def _read(self, offset: int, limit: int) -> list[int]:
        rank, rank_params = _rank(self.words)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.person_id, COUNT(*) OVER () FROM network_personsearch s "
                f"WHERE {self._where} ORDER BY {rank}, s.sort, s.person_id "
                "LIMIT %s OFFSET %s",
                [*self._params, *rank_params, limit, offset],
            )
            rows = cursor.fetchall()
        if rows:
            self._total = rows[0][1]
        elif self._total is None:
            self._total = self._count() if offset else 0
        return [row[0] for row in rows]

    def _count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM network_personsearch s WHERE {self._where}", self._params
            )
            return int(cursor.fetchone()[0])

    def count(self) -> int:
        if self._total is None:
            self._first = self._read(0, self.FIRST_READ)
        assert self._total is not None
        return self._total

    def __len__(self) -> int:
        return self.count()

    def all(self) -> Hits:  # django-ninja's paginator counts ``queryset.all()``
        return self

    def ids(self, start: int, stop: int) -> list[int]:
        """The ids of the matches from ``start`` to ``stop``, best first."""
        if stop <= start:
            return []
        if self._first is None and start == 0 and stop <= self.FIRST_READ:
            self._first = self._read(0, self.FIRST_READ)
        if self._first is not None and stop <= self.FIRST_READ:
            return self._first[start:stop]
        return self._read(start, stop - start)

    def __getitem__(self, index: slice | int) -> Any:
        if isinstance(index, int):
            if index < 0:
                raise IndexError("negative indexing is not supported")
            people = self[index : index + 1]
            if not people:
                raise IndexError(index)
            return people[0]
        if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop or 0) < 0:
            raise ValueError("only forward slices of a search")
        start = index.start or 0
        stop = index.stop if index.stop is not None else self.count()
        ids = self.ids(start, stop)
        people = {person.pk: person for person in self.within.filter(pk__in=ids)}
        return [people[pk] for pk in ids if pk in people]

    def __iter__(self) -> Iterator[Person]:
        return iter(self[0 : self.count()])


def matching(within: QuerySet[Person], query: str) -> Hits:
    """The people of ``within`` (one owner's) matching every word of ``query``, best
    first (see :class:`Hits`)."""
    return Hits(within, query_words(query))


def _has_fts() -> bool:
    """Whether this database has the trigram index (SQLite with FTS5's trigram
    tokenizer, created by migration network.0007); asked once per database."""
    name = str(connection.settings_dict["NAME"])
    if name not in _FTS_FOUND:
        found = False
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
                )
                found = cursor.fetchone() is not None
        _FTS_FOUND[name] = found
    return _FTS_FOUND[name]


_FTS_FOUND: dict[str, bool] = {}


def _indexed(words: list[str]) -> list[int] | None:
    """The people (of every account) whose document holds the longest word, from the
    trigram index, when there are at most :data:`FTS_CAP`; None when the index is not
    there, the words are shorter than three letters or hold a wildcard, or the word is
    too common."""
    longest = max(words, key=len)
    if len(longest) < 3 or any(c in longest for c in "%_\\") or not _has_fts():
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE document LIKE %s LIMIT %s",
            [f"%{longest}%", FTS_CAP + 1],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= FTS_CAP else None
