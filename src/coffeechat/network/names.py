"""How a person's name is split into a first and a last name: the one splitter.

Imports, the person form, the API, referrals and drafts all ask this module, so
"Dr. Jane Doe, PhD", "Doe, Jane" and "Jane Doe" are the same Jane Doe everywhere.

- Honorifics before the name (Dr., Prof., Mr., Ms., Sir…) are kept aside, never in
  the first name: a draft greets "Hello Felix," not "Hello Dr. Felix,".
- Degrees and generational suffixes after the name (PhD, MD, Jr., III…), with or
  without a comma, are kept aside, never in the last name.
- Particles (van der, de la, von, bin, al…) stay with the family name:
  "Jan van der Berg" is Jan / van der Berg.
- "Last, First" (one comma before the given names) is read as such.
- A single word is a first name ("Cher").

The word lists are in ``names.toml`` beside this module.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("names.toml")


@dataclass(frozen=True, slots=True)
class _Words:
    honorifics: frozenset[str]
    suffixes: frozenset[str]
    ambiguous_suffixes: frozenset[str]
    particles: frozenset[str]
    conjunctions: frozenset[str]


@cache
def _words() -> _Words:
    data = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    return _Words(
        honorifics=frozenset(data["honorifics"]),
        suffixes=frozenset(data["suffixes"]),
        ambiguous_suffixes=frozenset(data["ambiguous_suffixes"]),
        particles=frozenset(data["particles"]),
        conjunctions=frozenset(data["conjunctions"]),
    )


@dataclass(frozen=True, slots=True)
class Name:
    first: str
    last: str
    honorific: str = ""
    suffix: str = ""


def _key(word: str) -> str:
    return word.lower().replace(".", "")


def is_honorific(word: str) -> bool:
    return _key(word) in _words().honorifics


def is_suffix(word: str, *, after_comma: bool = False) -> bool:
    """A degree or generational suffix. "Ma" is a family name; "MA", "M.A." or ", Ma" a degree."""
    key = _key(word)
    words = _words()
    if key in words.suffixes:
        return True
    if key in words.ambiguous_suffixes:
        return after_comma or "." in word or word.isupper()
    return False


def not_name_words() -> frozenset[str]:
    """Honorifics and the suffixes that are never a name ("Ma" is): no part of anyone's name."""
    words = _words()
    return words.honorifics | words.suffixes


def family_fillers() -> frozenset[str]:
    """Particles and conjunctions: words of a family name that tell no family apart."""
    words = _words()
    return words.particles | words.conjunctions


def _all_suffixes(part: str) -> bool:
    return all(is_suffix(word, after_comma=True) for word in part.split())


def _strip(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(honorifics, the name, suffixes): always at least one word left in the name."""
    honorifics: list[str] = []
    suffixes: list[str] = []
    while len(words) > 1 and is_honorific(words[0]):
        honorifics.append(words.pop(0))
    while len(words) > 1 and is_suffix(words[-1]):
        suffixes.insert(0, words.pop())
    return honorifics, words, suffixes


def _family_start(words: list[str]) -> int:
    """Where the family name begins: the last word, with the particles before it."""
    particles = _words().particles
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in particles:
        start -= 1
    return start


def split_name(full: str) -> Name:
    """Split a whole name as a person would write it on a card or a form.

    >>> split_name("Dr. Jane Doe, PhD")
    Name(first='Jane', last='Doe', honorific='Dr.', suffix='PhD')
    >>> split_name("Jan van der Berg")
    Name(first='Jan', last='van der Berg', honorific='', suffix='')
    """
    text = " ".join(full.split())
    if not text:
        return Name("", "")
    parts = [part.strip() for part in text.split(",")]
    after: list[str] = []
    while len(parts) > 1 and (not parts[-1] or _all_suffixes(parts[-1])):
        piece = parts.pop()
        if piece:
            after.insert(0, piece)
    if len(parts) >= 2 and parts[0] and any(parts[1:]):  # "Last, First [Middle]"
        before, given, suffixes = _strip(" ".join(parts[1:]).split())
        family = parts[0].split()
        while len(family) > 1 and is_suffix(family[-1]):
            suffixes.insert(0, family.pop())
        while len(family) > 1 and is_honorific(family[0]):
            before.append(family.pop(0))
        return Name(" ".join(given), " ".join(family), " ".join(before), _join(suffixes + after))
    before, words, suffixes = _strip(" ".join(parts).split())
    suffix = _join(suffixes + after)
    if len(words) == 1:
        return Name(words[0], "", " ".join(before), suffix)
    start = _family_start(words)
    return Name(" ".join(words[:start]), " ".join(words[start:]), " ".join(before), suffix)


def _join(suffixes: list[str]) -> str:
    return ", ".join(suffixes)


def clean_name(first: str, last: str) -> tuple[str, str]:
    """A first and a last name typed in two fields, without honorifics and suffixes.

    "Dr. Felix" / "Ong" is Felix / Ong; "Jane" / "Doe, PhD" is Jane / Doe. With only
    a first name given, it is split as a whole name ("Jane Doe" / "" stays as typed
    apart from honorifics and suffixes, so a one-field name keeps its middle names).
    """
    first = " ".join(first.split())
    last = " ".join(last.split())
    if last:
        family = [part.strip() for part in last.split(",")]
        while len(family) > 1 and (not family[-1] or _all_suffixes(family[-1])):
            family.pop()
        words = " ".join(family).split()
        while len(words) > 1 and is_suffix(words[-1]):
            words.pop()
        last = " ".join(words)
        given = first.split()
        while given and is_honorific(given[0]) and (len(given) > 1 or last):
            given.pop(0)
        return " ".join(given) or first, last
    if not first:
        return "", ""
    parts = [part.strip() for part in first.split(",")]
    while len(parts) > 1 and (not parts[-1] or _all_suffixes(parts[-1])):
        parts.pop()
    _before, words, _after = _strip(" ".join(parts).split())
    return " ".join(words), ""


def greeting_name(first: str, last: str = "") -> str:
    """The name a message opens with: the first name, never "Dr." or "Ms."."""
    given, family = clean_name(first, last)
    return given or family
