"""Finding people who are probably one person entered twice.

:func:`find_duplicates` is pure: it takes plain :class:`Candidate` rows and
returns scored :class:`Match` pairs with the reasons shown to the user. It never
compares every pair: people are put into blocks that a duplicate would share (an
e-mail, a phone, a LinkedIn profile, the last name with the first initial or the
nickname group of the first name, the sound of the last name, the name's words in
any order), and only people who share a block are scored.

Scoring adds evidence for and against in points (log-odds) and turns the sum into
a probability-like score between 0 and 1:

- the same LinkedIn profile, e-mail address or phone number is the same person
  (1.0), unless the names plainly disagree (a shared family line, say);
- otherwise the names must agree: exactly, by nickname, by accents, by a typo,
  by an initial, or swapped; how much a name agreement counts depends on how
  common the name is in this network;
- the same organization, or the same e-mail domain (not a free-mail one),
  supports a match; two different organizations, or two different LinkedIn
  profiles, count against it.

:func:`candidates_for` and :func:`network_duplicates` load a user's network in a
constant number of queries.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from coffeechat.network import nicknames
from coffeechat.network.normalize import email_key, fold, linkedin_key, phone_key


@dataclass(slots=True)
class Candidate:
    """One person as the finder sees them. ``id`` may be negative for a row not yet saved."""

    id: int
    first_name: str
    last_name: str
    emails: frozenset[str] = frozenset()  # email_key()
    phones: frozenset[str] = frozenset()  # phone_key()
    linkedin: str = ""  # linkedin_key()
    organizations: frozenset[str] = frozenset()  # organization_key() of current and past jobs
    # organization_key → a name to show in reasons ("Acme, Inc." rather than "acme").
    organization_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Match:
    a: int
    b: int
    score: float  # 0-1; 1.0 for the same e-mail, phone or LinkedIn profile
    reasons: list[str]


# Points ---------------------------------------------------------------------------
#
# Each piece of evidence adds log(P(evidence | same person) / P(evidence | two people)).
# The second probability comes from the network itself where it can: a shared
# "Smith" or a shared employer of 500 people says less than a shared "Okonkwo" or a
# shared five-person studio. Counts are smoothed toward a prior (COMMON_* for names
# that are common the world over), so that a network of ten people still knows that
# "John Smith" is a common name.

# Assumed share of people entered twice: sets the prior odds of a pair. A network
# built from a LinkedIn export, an address book and a directory overlaps a lot (the
# same colleagues are in all three); the value is calibrated with
# benchmarks/duplicates.py, where it gives the best recall at a precision over 0.95.
DUPLICATE_RATE = 0.25
MIN_NETWORK = 500  # a smaller network is scored as if it had 500 people
SMOOTHING = 1000.0  # weight of the prior frequencies, in people

FIRST_PRIOR, COMMON_FIRST_PRIOR = 0.002, 0.012
LAST_PRIOR, COMMON_LAST_PRIOR = 0.0005, 0.006
ORGANIZATION_PRIOR = 0.002
DOMAIN_PRIOR = 0.002
INITIAL_PRIOR = 0.07

SAME_FIRST = 0.85  # P(same given name | same person): the rest are nicknames, typos…
NICKNAME = 0.1
BY_MIDDLE_NAME = 0.02  # "J. Michael Smith" and "Michael Smith"
SAME_LAST = 0.9
COMPOUND_LAST = 0.5  # "García" and "García López": few last names contain another
SAME_ORGANIZATION = 0.5  # a second record often has no employer, or a newer one
SAME_DOMAIN = 0.3
INITIAL_AGREES = 0.9

# Different given names almost never belong to one person (the middle-name case aside).
FIRST_POINTS = {"prefix": 1.5, "missing": 0.0, "mismatch": -8.0}
LAST_POINTS = {"initial": 0.0, "missing": -0.5, "mismatch": -5.0}
# A spelling seen once or twice next to another is most likely a typo of it; two
# spellings both seen often are two real names ("Müller" and "Miller").
TYPO = 0.05  # P(a typo in one of the names | same person)
# …and under non-match the misspelt name would be a real name nobody else has: at
# least this many points, however common the well-spelt name.
TYPO_OF_A_RARE_SPELLING = {"first": 4.0, "last": 5.0}
TYPO_BETWEEN_COMMON_SPELLINGS = 1.5
SECOND_TYPO = -1.5  # two edits apart rather than one
SWAPPED = -0.5  # "Smith John" for "John Smith": a small doubt
MIDDLE_CONFLICT = -2.0  # "Jean-Pierre" against "Jean-Paul"
DIFFERENT_ORGANIZATIONS = -1.5  # both have jobs on record and none is shared
SAME_DOMAIN_AND_ORGANIZATION = 0.5  # the domain mostly repeats the employer
SHARED_ROLE_ADDRESS = 2.0  # info@, office@: shared by several people
DIFFERENT_LINKEDIN = -4.0
# "J. Smith" is proposed only with something else in common (an employer, a domain).
UNSUPPORTED_INITIAL_CAP = 0.6

# A score for an e-mail or phone shared by people whose names disagree.
SHARED_CONTACT_DIFFERENT_NAMES = 0.85
MAX_NAME_SCORE = 0.99  # 1.0 is kept for exact identifiers

# Blocks larger than this are skipped: a placeholder e-mail shared by hundreds of
# rows, or a name block so common that it would not say much anyway.
MAX_IDENTIFIER_BLOCK = 25
MAX_NAME_BLOCK = 300


def _set(text: str) -> frozenset[str]:
    """A set of words written as one block of text (easier to read and edit)."""
    return frozenset(text.split())


# Given names and last names common the world over (folded).
COMMON_FIRST = _set(
    """
    james john robert michael william david richard joseph thomas charles christopher
    daniel matthew anthony mark paul steven andrew joshua kevin brian george edward
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy
    margaret sandra emily michelle laura anna maria emma olivia sophia ana jose juan
    carlos luis jorge miguel antonio francisco manuel pedro alejandro javier peter
    thomas hans klaus michael andreas stefan christian wolfgang jean pierre michel
    philippe marie nathalie giuseppe giovanni marco luca francesco alessandro andrea
    wei li ming mohammed muhammad ahmed ali fatima mohamed
    """
)
COMMON_LAST = _set(
    """
    smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez
    lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson
    white harris sanchez clark ramirez lewis robinson walker young allen king wright
    scott torres nguyen hill flores green adams nelson baker hall rivera campbell
    mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins
    reyes stewart morris morales murphy cook rogers kelly muller schmidt schneider
    fischer weber meyer wagner becker schulz hoffmann bernard dubois durand petit
    leroy moreau simon laurent rossi russo ferrari esposito bianchi romano colombo
    silva santos oliveira souza pereira costa ferreira almeida fernandez wang li zhang
    liu chen yang huang zhao wu zhou xu sun zhu tran le pham kim park choi singh kumar
    sharma patel khan ahmed ali mohamed nowak kowalski ivanov smirnov jensen nielsen
    hansen andersson johansson karlsson nilsson larsen cohen levi
    """
)

FREE_MAIL = _set(
    """
    gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.es ymail.com
    hotmail.com hotmail.co.uk hotmail.fr hotmail.de hotmail.es live.com live.co.uk
    outlook.com outlook.de outlook.fr msn.com icloud.com me.com mac.com aol.com
    gmx.de gmx.net gmx.at gmx.ch gmx.com web.de t-online.de freenet.de posteo.de
    mailbox.org proton.me protonmail.com protonmail.ch pm.me tutanota.com tuta.io
    zoho.com yandex.ru yandex.com mail.ru qq.com 163.com 126.com naver.com
    comcast.net verizon.net att.net sbcglobal.net bellsouth.net cox.net earthlink.net
    orange.fr wanadoo.fr free.fr laposte.net sfr.fr libero.it virgilio.it alice.it
    tiscali.it btinternet.com sky.com virginmedia.com fastmail.com fastmail.fm hey.com
    example.com example.org example.net
    """
)
ROLE_ADDRESSES = _set(
    """
    info contact office hello admin hr jobs careers career recruiting talent team
    sales support service mail post kontakt bureau buero secretariat reception
    """
)
HONORIFICS = _set(
    "mr mrs ms miss mx dr prof sir dame herr frau sr jr ii iii iv phd md mba esq dipl ing"
)
PARTICLES = _set(
    "van von der den de del della dei di da das do dos du la le les y e ten ter bin ibn al el"
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SOUNDEX = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


# Preparing one person ------------------------------------------------------------


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[tuple[str, str], ...]:
    """(as written, folded) for each word of a name, honorifics and words folding to
    nothing dropped."""
    words = []
    for raw in _WORD.findall(text):
        folded = _NOT_ALNUM.sub("", fold(raw))
        if folded:
            words.append((raw, folded))
    kept = [word for word in words if word[1] not in HONORIFICS]
    return tuple(kept or words)


@lru_cache(maxsize=65536)
def soundex(word: str) -> str:
    """The classic four-character sound code: "Smith" and "Smyth" are both S530."""
    if not word:
        return ""
    out: list[str] = []
    previous = _SOUNDEX.get(word[0], "")
    for char in word[1:]:
        code = _SOUNDEX.get(char, "")
        if code and code != previous:
            out.append(code)
            if len(out) == 3:
                break
        if char not in "hw":
            previous = code
    return word[0] + "".join(out).ljust(3, "0")


def email_domain(email: str) -> str:
    return email.rpartition("@")[2]


class _Person:
    __slots__ = (
        "candidate",
        "first",
        "first_raw",
        "middle",
        "last",
        "last_raw",
        "last_compact",
        "family",
        "tokens",
        "groups",
        "emails",
        "roles",
        "domains",
        "phones",
        "linkedin",
        "organizations",
    )

    def __init__(self, candidate: Candidate) -> None:
        self.candidate = candidate
        given = _words(candidate.first_name)
        family = _words(candidate.last_name)
        if not family and len(given) > 1:  # "John Smith" typed into the first name
            given, family = given[:-1], given[-1:]
        elif not given and len(family) > 1:
            given, family = family[:1], family[1:]
        self.first = given[0][1] if given else ""
        self.first_raw = given[0][0] if given else ""
        self.middle = given[1][1] if len(given) > 1 else ""
        self.last = " ".join(folded for _, folded in family)
        self.last_raw = " ".join(raw for raw, _ in family)
        self.last_compact = self.last.replace(" ", "")
        self.family = frozenset(folded for _, folded in family) - PARTICLES
        self.tokens = tuple(sorted(folded for _, folded in given + family))
        self.groups = nicknames.groups_of(self.first)
        emails = candidate.emails
        if emails:
            self.emails = frozenset(e for e in emails if e.partition("@")[0] not in ROLE_ADDRESSES)
            self.roles = emails - self.emails
            self.domains = frozenset(
                domain for e in emails if (domain := email_domain(e)) and domain not in FREE_MAIL
            )
        else:
            self.emails = self.roles = self.domains = emails
        self.phones = candidate.phones
        self.linkedin = candidate.linkedin
        self.organizations = candidate.organizations

    def keys(self) -> Iterable[tuple[Any, ...]]:
        """The blocks this person belongs to."""
        for email in self.candidate.emails:
            yield ("e", email)
        for phone in self.phones:
            yield ("p", phone)
        if self.linkedin:
            yield ("l", self.linkedin)
        if not (self.first and self.last):
            return
        initial = self.first[0]
        yield ("li", self.last_compact, initial)
        if " " in self.last:  # "García Márquez" meets "García", "van den Berg" meets "Berg"
            for word in self.family:
                yield ("li", word, initial)
        for group in self.groups:
            yield ("lg", self.last_compact, group)
        sound = soundex(self.last_compact)
        for first in (self.first, *self.groups):
            yield ("fs", first, sound)  # a typo in the last name keeps its sound
        if self.middle:
            yield ("li", self.last_compact, self.middle[0])  # goes by the middle name
        yield ("n", *self.tokens)  # swapped, or split differently


# Comparing names --------------------------------------------------------------------


def _typo(a: str, b: str) -> str:
    shorter = min(len(a), len(b))
    if shorter < 4:
        return ""
    distance = OSA.distance(a, b, score_cutoff=2)
    if distance == 1:
        return "typo"
    if distance == 2 and shorter >= 7:
        return "typo2"
    return ""


def compare_first_names(a: str, b: str) -> str:
    """How two folded given names relate: exact, nickname, prefix, typo, initial, mismatch…"""
    if not a or not b:
        return "missing"
    if len(a) == 1 or len(b) == 1:  # "J." and "John", or "J." and "J."
        return "initial" if a[0] == b[0] else "mismatch"
    if a == b:
        return "exact"
    if nicknames.groups_of(a) & nicknames.groups_of(b):
        return "nickname"
    # Two names both in the table and in no common group are different names
    # ("Alexander" and "Alexandra", "Maria" and "Mario"), however close they look.
    known_apart = nicknames.is_known(a) and nicknames.is_known(b)
    shorter, longer = sorted((a, b), key=len)
    # A clipped form not in the table ("Fede" for "Federico"); longer shared beginnings
    # are more often two names ("Daniel" and "Danielle").
    if 3 <= len(shorter) <= 4 and longer.startswith(shorter) and not known_apart:
        return "prefix"
    if not known_apart:
        return _typo(a, b) or "mismatch"
    return "mismatch"


def compare_last_names(a: str, b: str, family_a: frozenset[str], family_b: frozenset[str]) -> str:
    """How two folded last names relate: exact, compound, typo, initial, missing, mismatch."""
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return "exact" if a else "missing"
    if not a or not b:
        return "missing"
    if len(a) == 1 or len(b) == 1:
        return "initial" if a[0] == b[0] else "mismatch"
    if family_a and family_b and (family_a <= family_b or family_b <= family_a):
        return "compound"  # "García" in "García López"; "Berg" in "van den Berg"
    return _typo(a.replace(" ", ""), b.replace(" ", "")) or "mismatch"


@dataclass(slots=True)
class _Name:
    points: float
    first: str  # how the given names relate: exact, nickname, initial, mismatch…
    last: str  # how the last names relate: exact, compound, typo, mismatch…
    how: str  # "straight", "swapped" or "split"


class _Scorer:
    """Scores pairs, with frequencies taken from everyone being compared."""

    def __init__(self, people: Sequence[_Person]) -> None:
        self.size = len(people)
        self.denominator = self.size + SMOOTHING
        self.prior = math.log(2 * DUPLICATE_RATE / max(self.size, MIN_NETWORK))
        self.first_counts = Counter(p.first for p in people if len(p.first) > 1)
        self.last_counts = Counter(p.last_compact for p in people if p.last_compact)
        self.initial_counts = Counter(p.first[0] for p in people if p.first)
        self.organization_counts = Counter(o for p in people for o in p.organizations)
        self.domain_counts = Counter(d for p in people for d in p.domains)
        self._firsts: dict[tuple[str, str], str] = {}
        self._lasts: dict[tuple[str, str], str] = {}
        self._log_odds: dict[tuple[str, str], float] = {}

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

    def first_category(self, a: str, b: str) -> str:
        key = (a, b) if a <= b else (b, a)
        found = self._firsts.get(key)
        if found is None:
            found = self._firsts[key] = compare_first_names(*key)
        return found

    def last_category(self, p: _Person, q: _Person) -> str:
        key = (p.last, q.last) if p.last <= q.last else (q.last, p.last)
        found = self._lasts.get(key)
        if found is None:
            found = self._lasts[key] = compare_last_names(p.last, q.last, p.family, q.family)
        return found

    def _first_points(self, category: str, p: _Person, q: _Person) -> float:
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

    def _last_points(self, category: str, p: _Person, q: _Person) -> float:
        if category == "exact":
            return self._last(p.last_compact, SAME_LAST, 2)
        if category == "compound":
            shorter = p if len(p.family) < len(q.family) else q
            return self._last(shorter.last_compact, COMPOUND_LAST, 1)
        if category in ("typo", "typo2"):
            return self._typo("last", category, p.last_compact, q.last_compact)
        return LAST_POINTS[category]

    def _typo(self, part: str, category: str, p: str, q: str) -> float:
        counts = self.first_counts if part == "first" else self.last_counts
        (rarest, _), (commonest, spelling) = sorted(((counts[p], p), (counts[q], q)))
        # One spelling seen once or twice, the other much more often (or both rare):
        # a typo of the commoner one, as telling as that name is rare. Two spellings
        # both in use ("Ross" and "Rossi") are two names.
        if rarest <= 2 and (commonest <= 2 or commonest >= 3 * rarest):
            if part == "first":
                points = max(TYPO_OF_A_RARE_SPELLING[part], self._first(spelling, TYPO, 1))
            else:
                points = max(TYPO_OF_A_RARE_SPELLING[part], self._last(spelling, TYPO, 1))
        else:
            points = TYPO_BETWEEN_COMMON_SPELLINGS
        return points + (SECOND_TYPO if category == "typo2" else 0.0)

    def names(self, p: _Person, q: _Person, first: str) -> _Name:
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
            if first != "middle" and p.middle and q.middle and p.middle != q.middle:
                if len(p.middle) == 1 or len(q.middle) == 1:
                    if p.middle[0] != q.middle[0]:
                        points += MIDDLE_CONFLICT
                elif self.first_category(p.middle, q.middle) == "mismatch":
                    points += MIDDLE_CONFLICT
        else:
            # Which word is the given name is the doubt here: average the two readings.
            points = (
                SWAPPED
                + (
                    self._first(p.first, SAME_FIRST, 1)
                    + self._last(p.last_compact, SAME_LAST, 1)
                    + self._first(q.first, SAME_FIRST, 1)
                    + self._last(q.last_compact, SAME_LAST, 1)
                )
                / 2
            )
        return _Name(points, first, last, how)

    def score(self, p: _Person, q: _Person) -> tuple[float, _Name | None]:
        """The score of a pair, and how their names relate (None when plainly different)."""
        first = self.first_category(p.first, q.first)
        same_profile = bool(p.linkedin) and p.linkedin == q.linkedin
        shared_contact = same_profile or bool(p.emails & q.emails) or bool(p.phones & q.phones)
        if (
            first == "mismatch"
            and not shared_contact
            and p.tokens != q.tokens
            and p.first != q.last_compact
            and p.middle != q.first
            and q.middle != p.first
        ):
            return 0.0, None  # different given names: nothing else can make up for it
        name = self.names(p, q, first)
        if same_profile:
            return 1.0, name
        if shared_contact:
            conflict = name.first == "mismatch" or name.last == "mismatch"
            return (SHARED_CONTACT_DIFFERENT_NAMES if conflict else 1.0), name
        points = self.prior + name.points
        support = 0.0
        shared = p.organizations & q.organizations
        if shared:
            support = max(
                self._evidence(
                    "o", o, self.organization_counts[o] - 2, ORGANIZATION_PRIOR, SAME_ORGANIZATION
                )
                for o in shared
            )
        elif p.organizations and q.organizations:
            points += DIFFERENT_ORGANIZATIONS
        domains = p.domains & q.domains
        if domains:
            domain = max(
                self._evidence("d", d, self.domain_counts[d] - 2, DOMAIN_PRIOR, SAME_DOMAIN)
                for d in domains
            )
            support = max(support, domain) + (SAME_DOMAIN_AND_ORGANIZATION if shared else 0.0)
        if p.roles & q.roles:
            support += SHARED_ROLE_ADDRESS
        points += support
        if p.linkedin and q.linkedin:
            points += DIFFERENT_LINKEDIN
        score = min(MAX_NAME_SCORE, 1.0 / (1.0 + math.exp(-points)))
        if name.first == "initial" and support <= 0:
            score = min(score, UNSUPPORTED_INITIAL_CAP)
        return score, name


# Reasons ----------------------------------------------------------------------------


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


def _first_shown(p: _Person) -> str:
    raw = p.first_raw or p.first
    return f"{raw.upper()}." if len(p.first) == 1 else _title(raw)


def _as_written(p: _Person) -> str:
    """The name without case: differs between two same names only by accents."""
    c = p.candidate
    return unicodedata.normalize("NFC", f"{c.first_name} {c.last_name}").casefold().strip()


def _nickname_reason(p: _Person, q: _Person) -> str:
    shared = sorted(nicknames.groups_of(p.first) & nicknames.groups_of(q.first))
    formal = nicknames.formal_name(shared[0]) if shared else ""
    a, b = _first_shown(p), _first_shown(q)
    if q.first == formal:
        return f"{a} is a nickname of {b}"
    if p.first == formal:
        return f"{b} is a nickname of {a}"
    return f"{a} and {b} are forms of the same name"


def _name_reasons(p: _Person, q: _Person, name: _Name) -> list[str]:
    reasons: list[str] = []
    if name.how == "swapped":
        return ["First and last names are swapped"]
    if name.how == "split":
        return ["Same name, split differently between first and last name"]
    if name.first == "exact" and name.last == "exact":
        if _as_written(p) != _as_written(q):
            reasons.append("Names differ only by accents")
        else:
            reasons.append("Same name")
        return reasons
    first_a, first_b = _first_shown(p), _first_shown(q)
    if name.first == "exact":
        reasons.append(f"Same first name ({first_a})")
    elif name.first == "nickname":
        reasons.append(_nickname_reason(p, q))
    elif name.first == "prefix":
        short, long = (first_a, first_b) if len(p.first) < len(q.first) else (first_b, first_a)
        reasons.append(f"{short} could be short for {long}")
    elif name.first in ("typo", "typo2"):
        reasons.append(f"Similar first names: {first_a} and {first_b}")
    elif name.first == "initial" and p.first == q.first:
        reasons.append(f"Same initial ({first_a})")
    elif name.first == "initial":
        initial, full = (first_a, first_b) if len(p.first) == 1 else (first_b, first_a)
        reasons.append(f"{initial} could be {full}")
    elif name.first == "middle":
        middle = first_b if p.middle == q.first else first_a
        reasons.append(f"{middle} is also a middle name: goes by it?")
    last_a, last_b = p.last_raw, q.last_raw
    if name.last == "exact":
        reasons.append(f"Same last name ({last_a})")
    elif name.last == "compound":
        short, long = (last_a, last_b) if len(p.family) < len(q.family) else (last_b, last_a)
        reasons.append(f"{short} is part of {long}")
    elif name.last in ("typo", "typo2"):
        reasons.append(f"Similar last names: {last_a} and {last_b}")
    elif name.last == "initial":
        reasons.append(f"Last name given only as an initial ({last_a or last_b})")
    return reasons


def _reasons(p: _Person, q: _Person, name: _Name) -> list[str]:
    reasons: list[str] = []
    if p.linkedin and p.linkedin == q.linkedin:
        reasons.append(f"Same LinkedIn profile {p.linkedin}")
    for email in sorted(p.emails & q.emails):
        reasons.append(f"Same e-mail address {email}")
    for phone in sorted(p.phones & q.phones):
        reasons.append(f"Same phone number {phone}")
    if reasons and (name.first == "mismatch" or name.last == "mismatch"):
        reasons.append("But the names are different")
        return reasons
    reasons.extend(_name_reasons(p, q, name))
    names = {**q.candidate.organization_names, **p.candidate.organization_names}
    shared = sorted(p.organizations & q.organizations)
    for key in shared:
        reasons.append(f"Same organization: {names.get(key) or key}")
    domains = sorted(p.domains & q.domains)
    for domain in domains:
        reasons.append(f"Same e-mail domain: {domain}")
    for email in sorted(p.roles & q.roles):
        reasons.append(f"Same shared address {email}")
    if not shared and p.organizations and q.organizations:
        reasons.append("Different organizations on record")
    if p.linkedin and q.linkedin and p.linkedin != q.linkedin:
        reasons.append("Different LinkedIn profiles")
    return reasons


# Finding ----------------------------------------------------------------------------


def _blocks(people: Sequence[_Person]) -> dict[tuple[Any, ...], list[int]]:
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
    left: Sequence[_Person],
    members: list[int],
    right: Sequence[_Person],
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
    left = [_Person(c) for c in people]
    right = [_Person(c) for c in against] if against is not None else left
    everyone = left if against is None else left + right
    scorer = _Scorer(everyone)
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
        matches.append(Match(a, b, round(score, 3), _reasons(p, q, name)))
    matches.sort(key=lambda m: (-m.score, m.a, m.b))
    return matches


# Loading a network -------------------------------------------------------------------


def candidates_for(owner: Any) -> list[Candidate]:
    """Every person of ``owner``'s as a Candidate, in five queries whatever the size."""
    from coffeechat.accounts.models import Profile
    from coffeechat.network.models import EmailAddress, Employment, Person, PhoneNumber

    region = Profile.objects.filter(user=owner).values_list("country", flat=True).first() or "US"
    emails: dict[int, set[str]] = defaultdict(set)
    for person_id, email in EmailAddress.objects.filter(owner=owner).values_list(
        "person_id", "email"
    ):
        if key := email_key(email):
            emails[person_id].add(key)
    phones: dict[int, set[str]] = defaultdict(set)
    for person_id, number in PhoneNumber.objects.filter(owner=owner).values_list(
        "person_id", "number"
    ):
        if key := _phone_key(number, region):
            phones[person_id].add(key)
    organizations: dict[int, dict[str, str]] = defaultdict(dict)
    for person_id, key, name in Employment.objects.filter(owner=owner).values_list(
        "person_id", "organization__name_key", "organization__name"
    ):
        if key:
            organizations[person_id].setdefault(key, name)
    return [
        Candidate(
            id=pk,
            first_name=first,
            last_name=last,
            emails=frozenset(emails.get(pk, ())),
            phones=frozenset(phones.get(pk, ())),
            linkedin=linkedin_key(url) if url else "",
            organizations=frozenset(organizations.get(pk, ())),
            organization_names=organizations.get(pk, {}),
        )
        for pk, first, last, url in Person.objects.filter(owner=owner)
        .order_by("pk")
        .values_list("pk", "first_name", "last_name", "linkedin_url")
    ]


_phone_cache: dict[tuple[str, str], str] = {}


def _phone_key(number: str, region: str) -> str:
    key = (number, region)
    found = _phone_cache.get(key)
    if found is None:
        if len(_phone_cache) > 100_000:
            _phone_cache.clear()
        found = _phone_cache[key] = phone_key(number, region)
    return found


def not_duplicate_pairs(owner: Any) -> set[tuple[int, int]]:
    from coffeechat.network.models import NotDuplicate

    return set(NotDuplicate.objects.filter(owner=owner).values_list("person_a_id", "person_b_id"))


def network_duplicates(owner: Any, *, limit: int | None = None) -> list[Match]:
    """Likely duplicates in ``owner``'s whole network, minus pairs marked "not the same"."""
    matches = find_duplicates(candidates_for(owner), exclude=not_duplicate_pairs(owner))
    return matches if limit is None else matches[:limit]


def duplicates_of(owner: Any, person_id: int) -> list[Match]:
    """Likely duplicates of one person (``a`` is always that person)."""
    candidates = candidates_for(owner)
    person = [c for c in candidates if c.id == person_id]
    if not person:
        return []
    others = [c for c in candidates if c.id != person_id]
    return find_duplicates(person, against=others, exclude=not_duplicate_pairs(owner))
