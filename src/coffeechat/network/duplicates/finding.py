"""Finding the pairs to score: blocks that a duplicate would share, then scores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import repeat

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from coffeechat.core.collector import fewer_collections
from coffeechat.network import nicknames
from coffeechat.network.duplicates.people import Candidate, PreparedPerson
from coffeechat.network.duplicates.reasons import reasons_for
from coffeechat.network.duplicates.scoring import NameAgreement, Scorer


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
# A spelling with one letter left out that this many last names share ("mler" of
# "miller", "muller", "mahler"…) pairs none of them.
MAX_SPELLINGS_PER_VARIANT = 40
SHORTEST_TYPO = 4  # the shorter of two spellings a typo apart (name_match._typo)
FEW_SPELLINGS = 50  # new last names compared one by one with every other
# A person with more likely duplicates than this is left out as the third of a pair.
MAX_LINKS = 10


class _Pairs:
    """The pairs to score, each once, as ``i * size + j`` (``j`` indexes ``right``).

    People are numbered in one list: ``left`` first, then (with ``against``) ``right``.
    With ``against`` only pairs of one of each are kept.
    """

    def __init__(self, left: int, right: int, same: bool) -> None:
        self.left = left
        self.size = right
        self.same = same
        self.codes: set[int] = set()

    def add(self, i: int, j: int) -> None:
        if self.same:
            if i != j:
                self.codes.add(i * self.size + j if i < j else j * self.size + i)
        elif (i < self.left) != (j < self.left):
            if i > j:
                i, j = j, i
            self.codes.add(i * self.size + j - self.left)

    def add_all(self, members: Sequence[int]) -> None:
        """Every pair of ``members``."""
        if self.same:
            size = self.size
            self.codes.update(
                i * size + j if i < j else j * size + i
                for position, i in enumerate(members)
                for j in members[position + 1 :]
                if i != j
            )
            return
        for position, i in enumerate(members):
            for j in members[position + 1 :]:
                self.add(i, j)

    def add_across(self, mine: Sequence[int], theirs: Sequence[int]) -> None:
        if self.same:
            size = self.size
            self.codes.update(
                i * size + j if i < j else j * size + i for i in mine for j in theirs if i != j
            )
            return
        for i in mine:
            for j in theirs:
                self.add(i, j)


def _blocks(people: Sequence[PreparedPerson]) -> dict[str, list[int]]:
    """Who shares what, by a key whose first letter says what: an e-mail (``e``), a
    phone (``p``), a LinkedIn profile (``l``), or a name block (:attr:`PreparedName.keys`:
    ``i`` last name and initial, ``g`` last name and nickname group, ``n`` the words)."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        for email in person.candidate.emails:
            blocks["e" + email].append(index)
        for phone in person.phones:
            blocks["p" + phone].append(index)
        if person.linkedin:
            blocks["l" + person.linkedin].append(index)
        for key in person.name.keys:
            blocks[key].append(index)
    return blocks


def _too_big(key: str, size: int) -> bool:
    limit = MAX_IDENTIFIER_BLOCK if key[0] in "epl" else MAX_NAME_BLOCK
    return size > limit


def _by_given_name(
    pairs: _Pairs,
    scorer: Scorer,
    people: Sequence[PreparedPerson],
    members: list[int],
    initial: str,
) -> None:
    """The pairs of a same-last-name, same-initial block whose given names could be one.

    "John Smith" meets "J. Smith", "Jon Smith" (a typo) and "Johnny Smith", never
    "James Smith": scoring every J. of a common last name against every other was
    most of the finder's time. Someone who goes by their middle name is in the
    block of its initial, and compared by it.
    """
    named: dict[str, list[int]] = defaultdict(list)
    for i in members:
        person = people[i]
        named[person.first if person.first[0] == initial else person.middle].append(i)
    names = list(named)
    for position, x in enumerate(names):
        pairs.add_all(named[x])
        for y in names[position + 1 :]:
            if scorer.first_category(x, y) != "mismatch":
                pairs.add_across(named[x], named[y])


def _one_letter_apart(spellings: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Pairs of spellings one edit apart, each once.

    Two spellings one edit apart (a letter left out, added, changed, or two swapped)
    share a spelling with one letter left out ("Morales" and "Monales" both give
    "Moales"), so the pairs come from a dictionary of those, built once per distinct
    last name: the first spelling to give a variant owns it, and only the few variants
    given by two spellings are looked at again.
    """
    owner: dict[str, str] = {}
    claim = owner.setdefault
    shared: dict[str, list[str]] = defaultdict(list)
    for spelling in spellings:
        near = [spelling, *(spelling[:i] + spelling[i + 1 :] for i in range(len(spelling)))]
        owners = list(map(claim, near, repeat(spelling)))
        if owners.count(spelling) != len(owners):  # rare: the loop only then
            for variant, first in zip(near, owners, strict=True):
                if first != spelling:
                    shared[variant].append(spelling)
    seen: set[tuple[str, str]] = set()
    for variant, others in shared.items():
        near = list(dict.fromkeys([owner[variant], *others]))
        if len(near) > MAX_SPELLINGS_PER_VARIANT:
            continue
        for position, x in enumerate(near):
            for y in near[position + 1 :]:
                key = (x, y) if x < y else (y, x)
                if key not in seen:
                    seen.add(key)
                    yield key


def _misspelt_last_names(
    pairs: _Pairs, scorer: Scorer, people: Sequence[PreparedPerson], same: bool
) -> None:
    """Pairs whose last names are one typo apart and whose given names could be one.

    With ``against`` and few new spellings (one person's page, a small import), each
    of those is compared with every spelling by rapidfuzz instead, in C.
    """
    spellings: dict[str, dict[str, list[int]]] = {}
    for index, person in enumerate(people):
        if person.first and len(person.last_compact) >= SHORTEST_TYPO:
            spellings.setdefault(person.last_compact, {}).setdefault(person.first, []).append(index)
    near: Iterable[tuple[str, str]]
    if not same and len(mine := {p.last_compact for p in people[: pairs.left]}) <= FEW_SPELLINGS:
        mine &= spellings.keys()
        every = list(spellings)
        near = (
            (x, y)
            for x in mine
            for y, _, _ in extract(x, every, scorer=OSA.distance, score_cutoff=1, limit=None)
            if y != x
        )
    else:
        near = _one_letter_apart(spellings)
    for x, y in near:
        for first_x, these in spellings[x].items():
            for first_y, those in spellings[y].items():
                if scorer.first_category(first_x, first_y) != "mismatch":
                    pairs.add_across(these, those)


def _candidate_pairs(
    people: Sequence[PreparedPerson], left: int, scorer: Scorer, same: bool
) -> _Pairs:
    pairs = _Pairs(left, len(people) if same else len(people) - left, same)
    for key, members in _blocks(people).items():
        if len(members) < 2 or _too_big(key, len(members)):
            continue
        if not same and (members[0] >= left or members[-1] < left):
            continue  # only new rows, or only people already there
        if key[0] == "i":
            _by_given_name(pairs, scorer, people, members, key[-1])
        else:
            pairs.add_all(members)
    _misspelt_last_names(pairs, scorer, people, same)
    return pairs


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

    The work allocates a few hundred thousand short-lived objects and forms no
    reference cycles: fewer collector passes take a third off its time.
    """
    with fewer_collections():
        return _find(people, against, exclude, threshold)


def _find(
    people: Sequence[Candidate],
    against: Sequence[Candidate] | None,
    exclude: Iterable[tuple[int, int]],
    threshold: float,
) -> list[Match]:
    left = [PreparedPerson(c) for c in people]
    right = [PreparedPerson(c) for c in against] if against is not None else left
    everyone = left if against is None else left + right
    scorer = Scorer(everyone)
    excluded = {(min(a, b), max(a, b)) for a, b in exclude}
    pairs = _candidate_pairs(everyone, len(left), scorer, against is None)
    size = pairs.size

    found: dict[int, tuple[float, NameAgreement]] = {}
    for pair in pairs.codes:
        i, j = divmod(pair, size)
        p, q = left[i], right[j]
        a, b = p.candidate.id, q.candidate.id
        if a == b or (excluded and (min(a, b), max(a, b)) in excluded):
            continue
        score, name = scorer.score(p, q, threshold)
        if score >= threshold and name is not None:
            found[pair] = (score, name)
    if against is None:
        _through_a_third(found, left, scorer, excluded, threshold)

    matches: list[Match] = []
    for pair, (score, name) in found.items():
        i, j = divmod(pair, size)
        p, q = left[i], right[j]
        a, b = p.candidate.id, q.candidate.id
        if against is None and a > b:
            p, q, a, b = q, p, b, a
        reasons = reasons_for(p, q, name)
        if name.through:
            reasons.append(f"Both are likely the same person as {name.through}")
        matches.append(Match(a, b, round(score, 3), reasons))
    matches.sort(key=lambda m: (-m.score, m.a, m.b))
    return matches


def _through_a_third(
    found: dict[int, tuple[float, NameAgreement]],
    people: Sequence[PreparedPerson],
    scorer: Scorer,
    excluded: set[tuple[int, int]],
    threshold: float,
) -> None:
    """Add pairs that are each likely the same person as a third: "Bill Smith" and
    "W. Smith" when both are William Smith's duplicates.

    Two records of one person made by two different sources often differ in two ways
    at once (a nickname in one, an initial in the other) and say little about each
    other; each says a lot about the original. The pair is proposed when both links
    are sure enough that together they still pass the threshold, and nothing between
    the two plainly says two people (two given names known to be different, two
    LinkedIn profiles). Only pairs proposed directly count as links: one step, never
    a chain. Only in a whole network: with ``against`` there is no third.
    """
    size = len(people)
    linked: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for pair, (score, _) in found.items():
        i, j = divmod(pair, size)
        linked[i].append((j, score))
        linked[j].append((i, score))
    added: dict[int, tuple[float, NameAgreement]] = {}
    for middle, links in linked.items():
        if len(links) < 2 or len(links) > MAX_LINKS:
            continue
        for position, (i, score_i) in enumerate(links):
            for j, score_j in links[position + 1 :]:
                together = score_i * score_j
                pair = i * size + j if i < j else j * size + i
                if together < threshold or pair in found:
                    continue
                p, q = people[i], people[j]
                a, b = p.candidate.id, q.candidate.id
                if a == b or (min(a, b), max(a, b)) in excluded:
                    continue
                if p.linkedin and q.linkedin and p.linkedin != q.linkedin:
                    continue
                first = scorer.first_category(p.first, q.first)
                if (
                    first == "mismatch"
                    and nicknames.is_known(p.first)
                    and nicknames.is_known(q.first)
                ):
                    continue  # "Alex" may be Alexander and Alexandra: they stay two
                score, name = scorer.score(p, q)
                if name is None:  # a misspelt or swapped given name, say
                    name = scorer.names(p, q, first)
                if score < together and together > added.get(pair, (0.0,))[0]:
                    via = people[middle].candidate
                    shown = f"{via.first_name} {via.last_name}".strip()
                    added[pair] = (together, replace(name, through=shown))
    found.update(added)
