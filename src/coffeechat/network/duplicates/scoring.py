"""Scoring a pair: evidence for and against, weighed by how common it is in the network."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from coffeechat.network.duplicates.name_match import compare_first_names, compare_last_names
from coffeechat.network.duplicates.people import PreparedName, PreparedPerson
from coffeechat.network.duplicates.points import (
    BY_MIDDLE_NAME,
    COMMON_FIRST,
    COMMON_FIRST_PRIOR,
    COMMON_LAST,
    COMMON_LAST_PRIOR,
    COMPOUND_LAST,
    DIFFERENT_LINKEDIN,
    DIFFERENT_ORGANIZATIONS,
    DOMAIN_PRIOR,
    DUPLICATE_RATE,
    FIRST_POINTS,
    FIRST_PRIOR,
    FULL_NAME,
    INITIAL_AGREES,
    INITIAL_PRIOR,
    LAST_POINTS,
    LAST_PRIOR,
    MAX_NAME_SCORE,
    MIDDLE_CONFLICT,
    MIN_NETWORK,
    NICKNAME,
    ORGANIZATION_PRIOR,
    RARE_COMPOUND,
    SAME_DOMAIN,
    SAME_DOMAIN_AND_ORGANIZATION,
    SAME_FIRST,
    SAME_LAST,
    SAME_ORGANIZATION,
    SECOND_TYPO,
    SHARED_CONTACT_DIFFERENT_NAMES,
    SHARED_ROLE_ADDRESS,
    SMOOTHING,
    TYPO,
    TYPO_BETWEEN_COMMON_SPELLINGS,
    TYPO_OF_A_RARE_SPELLING,
    UNSUPPORTED_INITIAL_CAP,
    WHOLE_NAME_OTHERS,
)

_NOBODY: frozenset[str] = frozenset()


@dataclass(slots=True)
class NameAgreement:
    points: float
    first: str  # how the given names relate: exact, nickname, initial, mismatch…
    last: str  # how the last names relate: exact, compound, typo, mismatch…
    how: str  # "straight", "swapped" or "split"
    through: str = ""  # both are likely the same person as this one (named)


class Scorer:
    """Scores pairs, with frequencies taken from everyone being compared."""

    def __init__(self, people: Sequence[PreparedPerson]) -> None:
        self.size = len(people)
        self.denominator = self.size + SMOOTHING
        self.prior = math.log(2 * DUPLICATE_RATE / max(self.size, MIN_NETWORK))
        self.first_counts = Counter(p.first for p in people if len(p.first) > 1)
        self.last_counts = Counter(p.last_compact for p in people if p.last_compact)
        self.full_counts = Counter(
            (p.first, p.last_compact) for p in people if len(p.first) > 1 and p.last_compact
        )
        self.initial_counts = Counter(p.first[0] for p in people if p.first)
        self.organization_counts = Counter(o for p in people for o in p.organizations)
        self.domain_counts = Counter(d for p in people for d in p.domains)
        self._firsts: dict[tuple[str, str], str] = {}
        self._lasts: dict[tuple[str, str], str] = {}
        self._log_odds: dict[tuple[str, str], float] = {}
        # (last name, initial) → the given names of that initial with that last name,
        # built on the first initial that needs it.
        self._given_by_initial: dict[tuple[str, str], set[str]] | None = None
        # How two names relate, by the names: namesakes share one PreparedName.
        self._names: dict[tuple[PreparedName, PreparedName], NameAgreement] = {}

    # How often a value occurs among other people (smoothed), as log(m / u).

    def _evidence(self, kind: str, value: str, others: int, prior: float, m: float) -> float:
        """log(m / u), u the smoothed share of ``others`` people with ``value``."""
        key = (kind, value)
        found = self._log_odds.get(key)
        if found is None:
            share = (max(others, 0) + SMOOTHING * prior) / self.denominator
            found = self._log_odds[key] = math.log(m / share)
        return found

    def _first(self, name: str, m: float, pair_shares: int) -> float:
        prior = COMMON_FIRST_PRIOR if name in COMMON_FIRST else FIRST_PRIOR
        others = self.first_counts[name] - pair_shares
        return self._evidence(f"f{m}", name, others, prior, m)

    def _last(self, name: str, m: float, pair_shares: int) -> float:
        prior = COMMON_LAST_PRIOR if name in COMMON_LAST else LAST_PRIOR
        others = self.last_counts[name] - pair_shares
        return self._evidence(f"l{m}", name, others, prior, m)

    def _organization(self, key: str) -> float:
        others = self.organization_counts[key] - 2
        return self._evidence("o", key, others, ORGANIZATION_PRIOR, SAME_ORGANIZATION)

    def _domain(self, domain: str) -> float:
        others = self.domain_counts[domain] - 2
        return self._evidence("d", domain, others, DOMAIN_PRIOR, SAME_DOMAIN)

    def _full_name(self, p: PreparedPerson) -> float:
        """A shared whole name, by how many others have it: never more than its two parts.

        The parts are counted apart, as if any given name went with any last name;
        a whole name that several others have ("Charles Rodríguez" six times in a
        network where either alone is unremarkable) says less than its parts would.
        One other is not counted: a person entered three times is no rarer than two
        people with one uncommon name.
        """
        others = self.full_counts[(p.first, p.last_compact)] - 2
        if others < WHOLE_NAME_OTHERS:
            return math.inf
        return self._evidence("n", p.first + " " + p.last_compact, others, 0.0, FULL_NAME)

    def one_given_name(self, p: PreparedPerson, q: PreparedPerson) -> bool:
        """Whether an initial ("S. Dokiberg") can stand for one given name only: nobody
        with either last name has another given name of that letter than the one here."""
        index = self._given_by_initial
        if index is None:
            index = self._given_by_initial = {}
            for first, last in self.full_counts:
                index.setdefault((last, first[0]), set()).add(first)
        letter = p.first[0]
        given = index.get((p.last_compact, letter), _NOBODY)
        if q.last_compact != p.last_compact:
            given = given | index.get((q.last_compact, letter), _NOBODY)
        return len(given) <= 1

    def first_category(self, a: str, b: str) -> str:
        key = (a, b) if a <= b else (b, a)
        found = self._firsts.get(key)
        if found is None:
            found = self._firsts[key] = compare_first_names(*key)
        return found

    def last_category(self, p: PreparedPerson, q: PreparedPerson) -> str:
        key = (p.last, q.last) if p.last <= q.last else (q.last, p.last)
        found = self._lasts.get(key)
        if found is None:
            found = self._lasts[key] = compare_last_names(p.last, q.last, p.family, q.family)
        return found

    def _first_points(self, category: str, p: PreparedPerson, q: PreparedPerson) -> float:
        # How many people other than these two have the name: the pair itself says
        # nothing about how common it is.
        if category == "exact":
            return self._first(p.first, SAME_FIRST, 2)
        if category in ("typo", "typo2"):
            return self._typo("first", category, p.first, q.first)
        if category == "nickname":
            return (self._first(p.first, NICKNAME, 1) + self._first(q.first, NICKNAME, 1)) / 2
        if category == "middle":
            given = q.first if p.middle == q.first else p.first
            return self._first(given, BY_MIDDLE_NAME, 1)
        if category == "initial":
            letter = p.first[0]
            count = self.initial_counts[letter]
            return self._evidence("i", letter, count - 2, INITIAL_PRIOR, INITIAL_AGREES)
        return FIRST_POINTS[category]

    def _last_points(self, category: str, p: PreparedPerson, q: PreparedPerson) -> float:
        if category == "exact":
            return self._last(p.last_compact, SAME_LAST, 2)
        if category == "compound":
            shorter, longer = (p, q) if len(p.family) < len(q.family) else (q, p)
            # As telling as the shorter name is rare, or as the compound is rare.
            return max(
                self._last(shorter.last_compact, COMPOUND_LAST, 1),
                self._last(longer.last_compact, RARE_COMPOUND, 1),
            )
        if category in ("typo", "typo2"):
            return self._typo("last", category, p.last_compact, q.last_compact)
        return LAST_POINTS[category]

    def _typo(self, part: str, category: str, p: str, q: str) -> float:
        counts = self.first_counts if part == "first" else self.last_counts
        (rarest, misspelt), (commonest, spelling) = sorted(((counts[p], p), (counts[q], q)))
        # One spelling seen once or twice, the other much more often (or both rare):
        # a typo of the commoner one, as telling as that name is rare. Two spellings
        # both in use ("Ross" and "Rossi") are two names.
        if rarest <= 2 and (commonest <= 2 or commonest >= 3 * rarest):
            # At least as telling as the misspelling is rare: in a bigger network a
            # spelling nobody else has is rarer.
            rare = TYPO_OF_A_RARE_SPELLING[part]
            if part == "first":
                points = max(self._first(misspelt, rare, 1), self._first(spelling, TYPO, 1))
            else:
                points = max(self._last(misspelt, rare, 1), self._last(spelling, TYPO, 1))
        else:
            points = TYPO_BETWEEN_COMMON_SPELLINGS
        return points + (SECOND_TYPO if category == "typo2" else 0.0)

    def names(self, p: PreparedPerson, q: PreparedPerson, first: str) -> NameAgreement:
        last = self.last_category(p, q)
        how = "straight"
        if first in ("mismatch", "initial") and (
            (p.middle and p.middle == q.first) or (q.middle and q.middle == p.first)
        ):
            first = "middle"  # "J. Michael Smith" goes by Michael
        elif (
            (first != "exact" or last != "exact")
            and (p.first, p.last_compact) != (q.first, q.last_compact)
            and p.first
            and p.last
            and q.first
            and q.last
        ):
            if p.first == q.last_compact and p.last_compact == q.first:
                first, last, how = "exact", "exact", "swapped"
            elif p.tokens == q.tokens:
                first, last, how = "exact", "exact", "split"
        if how == "straight":
            points = self._first_points(first, p, q) + self._last_points(last, p, q)
            if first == "exact" and last == "exact":
                points = min(points, self._full_name(p))
            if first != "middle" and p.middle and q.middle and p.middle != q.middle:
                if len(p.middle) == 1 or len(q.middle) == 1:
                    if p.middle[0] != q.middle[0]:
                        points += MIDDLE_CONFLICT
                elif self.first_category(p.middle, q.middle) == "mismatch":
                    points += MIDDLE_CONFLICT
        else:
            # Which word is the given name is the doubt here: the less telling of the
            # two readings counts ("Thomas James" and "James Thomas" are two common
            # names, "Smith John" is John Smith).
            points = min(
                self._first(p.first, SAME_FIRST, 1) + self._last(p.last_compact, SAME_LAST, 1),
                self._first(q.first, SAME_FIRST, 1) + self._last(q.last_compact, SAME_LAST, 1),
            )
        return NameAgreement(points, first, last, how)

    def score(
        self, p: PreparedPerson, q: PreparedPerson, threshold: float = 0.0
    ) -> tuple[float, NameAgreement | None]:
        """The score of a pair, and how their names relate (None when plainly different).

        A pair that cannot reach ``threshold`` may be given up early (0.0, None): an
        initial with nothing else in common, most often.
        """
        a, b = p.first, q.first
        first = self._firsts.get((a, b) if a <= b else (b, a)) or self.first_category(a, b)
        same_profile = bool(p.linkedin) and p.linkedin == q.linkedin
        shared_contact = bool(
            same_profile
            or (p.emails and not p.emails.isdisjoint(q.emails))
            or (p.phones and not p.phones.isdisjoint(q.phones))
        )
        if (
            first == "initial"
            and threshold > UNSUPPORTED_INITIAL_CAP
            and not shared_contact
            and not (p.middle or q.middle)
            and p.organizations.isdisjoint(q.organizations)
            and p.domains.isdisjoint(q.domains)
            and p.roles.isdisjoint(q.roles)
            and not self.one_given_name(p, q)
        ):
            return 0.0, None  # "J. Smith" and John Smith with nothing else in common
        if (
            first == "mismatch"
            and not shared_contact
            and p.tokens != q.tokens
            and a != q.last_compact
            and p.middle != b
            and q.middle != a
        ):
            return 0.0, None  # different given names: nothing else can make up for it
        key = (p.name, q.name)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = self.names(p, q, first)
        if same_profile:
            return 1.0, name
        if shared_contact:
            conflict = name.first == "mismatch" or name.last == "mismatch"
            return (SHARED_CONTACT_DIFFERENT_NAMES if conflict else 1.0), name
        points = self.prior + name.points
        support = 0.0
        organizations, theirs = p.organizations, q.organizations
        shared = bool(organizations and theirs and not organizations.isdisjoint(theirs))
        if shared:
            support = max(map(self._organization, organizations & theirs))
        elif organizations and theirs:
            points += DIFFERENT_ORGANIZATIONS
        if p.domains and q.domains and not p.domains.isdisjoint(q.domains):
            domain = max(map(self._domain, p.domains & q.domains))
            support = max(support, domain) + (SAME_DOMAIN_AND_ORGANIZATION if shared else 0.0)
        if p.roles and not p.roles.isdisjoint(q.roles):
            support += SHARED_ROLE_ADDRESS
        points += support
        if p.linkedin and q.linkedin:
            points += DIFFERENT_LINKEDIN
        score = min(MAX_NAME_SCORE, 1.0 / (1.0 + math.exp(-points)))
        if name.first == "initial" and support <= 0 and not self.one_given_name(p, q):
            score = min(score, UNSUPPORTED_INITIAL_CAP)
        return score, name
