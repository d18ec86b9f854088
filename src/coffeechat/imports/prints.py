"""Row prints: a re-import recognises the rows it already brought in, unchanged, at once.

Re-importing the same 30,000-row LinkedIn file should change nothing, and quickly.
Matching every row against the network again is what took the time. So an import
keeps, for each table row it brought in on its own (not merged with another row,
recognised by an exact key or new), a *print* of that row: a digest of its cells
as read, salted with what else decides what the row does (the file's format, header
and column mapping, the group it is imported into, the owner's country for phone
numbers). A later import of a row with the same print skips it without building a
record: the row is that person, unchanged (its warnings, kept with the print, are shown
again).

A print holds only while its person is as the import left them. Database triggers
(:data:`TRIGGERS`, made by migration ``imports.0003``) delete a person's prints
whenever anything an import reads of that person is changed or removed, whatever made
the change (a form, the API, a merge, an undo, another import), and when the person is
deleted: the row is then read and matched again, as any other row (re-added, or a
change shown). Adding something to a person (another address, a tag) keeps them: the
row would still find all it brings there.
Prints are derived data: never exported nor backed up; losing them only makes the next
re-import slower.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from coffeechat.core.bulk import insert_rows
from coffeechat.imports.models import RowPrint
from coffeechat.imports.records import Problem
from coffeechat.network.search import Trigger

_FORGET = "DELETE FROM imports_rowprint WHERE person_id = "


def _forget(table: str, column: str, watched: tuple[str, ...]) -> tuple[Trigger, ...]:
    """A row of a person's: its deletion and changes forget the person's prints.

    A row added needs no trigger: it changes nothing a known row would do (the row's
    addresses, job, tie, tags and groups are all still there; the oldest holder of a key
    still wins a match), and an import adds tens of thousands of rows (a trigger on
    each doubled the time of those inserts)."""
    return (
        Trigger(table, "DELETE", (_FORGET + f"OLD.{column}",), prefix="cc_prints"),
        Trigger(
            table,
            "UPDATE",
            (_FORGET + f"NEW.{column}", _FORGET + f"OLD.{column}"),
            watched,
            prefix="cc_prints",
        ),
    )


# Everything the import engine reads of a person (imports/engine/index.py). The owner
# column is never watched: publishing an import changes owners, not people.
TRIGGERS: tuple[Trigger, ...] = (
    Trigger(
        "network_person",
        "UPDATE",
        (_FORGET + "NEW.id",),
        ("first_name", "last_name", "linkedin_url", "location", "level"),
        prefix="cc_prints",
    ),
    Trigger("network_person", "DELETE", (_FORGET + "OLD.id",), prefix="cc_prints"),
    *_forget("network_emailaddress", "person_id", ("email", "person_id")),
    *_forget("network_phonenumber", "person_id", ("number", "person_id")),
    *_forget(
        "network_employment",
        "person_id",
        ("person_id", "organization_id", "title", "department", "is_current"),
    ),
    *_forget("network_tie", "to_person_id", ("to_person_id", "from_person_id")),
    *_forget("network_membership", "person_id", ("person_id", "affiliation_id", "detail")),
    *_forget("network_person_tags", "person_id", ("person_id", "tag_id")),
)


def salt(**context: Any) -> bytes:
    """What, besides a row's cells, decides what the row does: part of every print."""
    return json.dumps(context, sort_keys=True, default=str).encode()


def known(owner: Any) -> dict[str, tuple[int, str]]:
    """{print: (person id, problems)} of every print ``owner`` has (one query)."""
    rows = RowPrint.objects.filter(owner_id=owner.pk).values_list(
        "fingerprint", "person_id", "problems"
    )
    return {fingerprint: (pk, problems) for fingerprint, pk, problems in rows}


def problems_text(problems: Iterable[Problem]) -> str:
    """A row's warnings as kept with its print ("" for none)."""
    kept = [[p.field, p.message, p.skipped] for p in problems]
    return json.dumps(kept) if kept else ""


def problems_of(text: str, line: int) -> list[Problem]:
    """The warnings kept with a print, for the row now at ``line``."""
    return [Problem(line, *problem) for problem in json.loads(text or "[]")]


def remember(owner: Any, prints: Iterable[tuple[int, str, str]]) -> None:
    """Keep these (person id, print, problems): call last in the publishing transaction,
    after every write to the people (those writes forget older prints)."""
    insert_rows(
        RowPrint,
        ["owner_id", "person_id", "fingerprint", "problems"],
        [(owner.pk, pk, fingerprint, problems) for pk, fingerprint, problems in prints],
    )
