"""Finding the pairs to score: blocks that a duplicate would share, then scores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from coffeechat.network.duplicates.name_match import compare_last_names
from coffeechat.network.duplicates.people import Candidate, PreparedPerson
from coffeechat.network.duplicates.reasons import reasons_for
from coffeechat.network.duplicates.scoring import Scorer


@dataclass(slots=True)
class Match:
    a: int
    b: int
    score: float  # 0-1; 1.0 for the same e-mail, phone or LinkedIn profile
    reasons: list[str]


# Blocks larger than this are skipped: a placeholder e-mail shared by hundreds of
# rows, or a name block so common that it would not say much anyway.
MAX_IDENTIFIER_BLOCK = 25
MAX_NAME_BLOCK = 300


def _blocks(people: Sequence[PreparedPerson]) -> dict[tuple[Any, ...], list[int]]:
    blocks: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        for key in set(person.keys()):
            blocks[key].append(index)
    return blocks


def _too_big(key: tuple[Any, ...], size: int) -> bool:
    limit = MAX_IDENTIFIER_BLOCK if key[0] in ("e", "p", "l") else MAX_NAME_BLOCK
    return size > limit


def _could_be_one(x: str, y: str, families: dict[str, frozenset[str]]) -> bool:
    return compare_last_names(x, y, families[x], families[y]) != "mismatch"


def _related_spellings(
    mine: list[str], theirs: list[str], families: dict[str, frozenset[str]]
) -> Iterator[tuple[str, str]]:
    """Pairs of last names (one of ``mine``, one of ``theirs``) that could be one name.

    Those are the same name written differently, a typo, a compound and a part of
    it, or an initial. Only typos need an edit distance, and rapidfuzz finds the
    spellings within two edits in C; names with several words or a single letter
    (compounds, initials) are few and are compared one by one.
    """
    compact_theirs = [y.replace(" ", "") for y in theirs]
    odd_theirs = [y for y in theirs if " " in y or len(y) == 1]
    for x in mine:
        near = extract(
            x.replace(" ", ""),
            compact_theirs,
            scorer=OSA.distance,
            score_cutoff=2,
            limit=None,
        )
        seen = set()
        for _, _, index in near:
            y = theirs[index]
            seen.add(y)
            if _could_be_one(x, y, families):
                yield x, y
        others = theirs if (" " in x or len(x) == 1) else odd_theirs
        for y in others:
            if y not in seen and _could_be_one(x, y, families):
                yield x, y


def _sound_pairs(
    pairs: set[int],
    left: Sequence[PreparedPerson],
    members: list[int],
    right: Sequence[PreparedPerson],
    others: list[int],
    size: int,
) -> None:
    """The pairs of a same-given-name, same-sound block whose last names could be one.

    A typo that keeps the sound ("Zeller", "Zeler") or a compound shortened under a
    nickname ("Rosario Patterson Díaz", "Chayo Patterson") is what the block is for.
    Two last names that merely sound alike and are plainly different ("Zeller",
    "Zoller4") would only be scored to be thrown away; in a network full of one
    common given name that scoring was most of the finder's time.
    """
    mine: dict[str, list[int]] = defaultdict(list)
    for i in members:
        mine[left[i].last].append(i)
    families = {left[i].last: left[i].family for i in members}
    if right is left:
        spellings = list(mine)
        for x, y in _related_spellings(spellings, spellings, families):
            if x <= y:  # each pair once; a spelling with itself too
                for i in mine[x]:
                    for j in mine[y]:
                        if i != j:
                            pairs.add(min(i, j) * size + max(i, j))
        return
    theirs: dict[str, list[int]] = defaultdict(list)
    for j in others:
        theirs[right[j].last].append(j)
        families.setdefault(right[j].last, right[j].family)
    for x, y in _related_spellings(list(mine), list(theirs), families):
        for i in mine[x]:
            for j in theirs[y]:
                pairs.add(i * size + j)


def find_duplicates(
    people: Sequence[Candidate],
    *,
    against: Sequence[Candidate] | None = None,
    exclude: Iterable[tuple[int, int]] = frozenset(),
    threshold: float = 0.8,
) -> list[Match]:
    """Pairs of ``people`` that are probably the same person, best first.

    With ``against``, only pairs of one of ``people`` (``a``) and one of ``against``
    (``b``): new rows of an import against the people already there. Pairs in
    ``exclude`` (either order) are never returned.
    """
    left = [PreparedPerson(c) for c in people]
    right = [PreparedPerson(c) for c in against] if against is not None else left
    everyone = left if against is None else left + right
    scorer = Scorer(everyone)
    excluded = {(min(a, b), max(a, b)) for a, b in exclude}
    size = len(right)

    pairs: set[int] = set()
    left_blocks = _blocks(left)
    if against is None:
        for key, members in left_blocks.items():
            if len(members) < 2 or _too_big(key, len(members)):
                continue
            if key[0] == "fs":
                _sound_pairs(pairs, left, members, left, members, size)
                continue
            for position, i in enumerate(members):
                for j in members[position + 1 :]:
                    pairs.add(i * size + j)
    else:
        right_blocks = _blocks(right)
        for key, members in left_blocks.items():
            others = right_blocks.get(key)
            if not others or _too_big(key, len(members) + len(others)):
                continue
            if key[0] == "fs":
                _sound_pairs(pairs, left, members, right, others, size)
                continue
            for i in members:
                for j in others:
                    pairs.add(i * size + j)

    matches: list[Match] = []
    for pair in pairs:
        i, j = divmod(pair, size)
        p, q = left[i], right[j]
        a, b = p.candidate.id, q.candidate.id
        if a == b or (min(a, b), max(a, b)) in excluded:
            continue
        score, name = scorer.score(p, q)
        if score < threshold or name is None:
            continue
        if against is None and a > b:
            p, q, a, b = q, p, b, a
        matches.append(Match(a, b, round(score, 3), reasons_for(p, q, name)))
    matches.sort(key=lambda m: (-m.score, m.a, m.b))
    return matches
