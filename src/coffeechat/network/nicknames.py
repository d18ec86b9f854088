"""Given names that can stand for one another: "Bill" for "William", "Pepe" for "José".

Each group holds one formal name (first) and the forms people commonly use for
it: short forms, pet forms and a few spelling variants. Names are written folded
(lower case, no accents: see :func:`coffeechat.network.normalize.fold`). A name
may belong to several groups ("Alex" is short for Alexander and for Alexandra);
two names are equivalent when they share a group, so "Alexander" and
"Alexandra" stay different people while "Alex" matches both.

Forms of the same name in other languages are grouped only where an address
book would plausibly mix them (Stephen/Steven/Stefan); otherwise each language
keeps its own group with its own pet forms (Giuseppe/Beppe, José/Pepe).

The table itself is the data file ``data/nicknames.txt`` beside this module.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

DATA_FILE = files("coffeechat.network") / "data" / "nicknames.txt"


def _read_groups() -> tuple[tuple[str, ...], ...]:
    """The groups of ``data/nicknames.txt``: one a line, names separated by spaces."""
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(tuple(line.split()) for line in lines if line.strip() and not line.startswith("#"))


GROUPS: tuple[tuple[str, ...], ...] = _read_groups()

_INDEX: dict[str, frozenset[int]] | None = None


def _index() -> dict[str, frozenset[int]]:
    global _INDEX
    if _INDEX is None:
        groups: dict[str, set[int]] = {}
        for number, group in enumerate(GROUPS):
            for name in group:
                groups.setdefault(_plain(name), set()).add(number)
        _INDEX = {name: frozenset(numbers) for name, numbers in groups.items()}
    return _INDEX


def _plain(name: str) -> str:
    # The table is written folded already, bar a few accented entries kept for reading.
    from coffeechat.network.normalize import fold

    return fold(name).strip()


_NONE: frozenset[int] = frozenset()


def groups_of(name: str) -> frozenset[int]:
    """The numbers of the groups a folded given name belongs to (empty when unknown)."""
    return (_INDEX or _index()).get(name, _NONE)


def is_known(name: str) -> bool:
    return name in _index()


@cache
def formal_name(group: int) -> str:
    return GROUPS[group][0]


def same_name(a: str, b: str) -> int | None:
    """The group two folded given names share, or None: ``same_name("bill", "william")``."""
    if a == b:
        return None
    shared = groups_of(a) & groups_of(b)
    return min(shared) if shared else None
