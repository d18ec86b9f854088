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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import OSA

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


# Points (log-odds) ---------------------------------------------------------------

PRIOR = -5.0  # two people picked from one block are usually not the same person

FIRST_POINTS = {
    "exact": 3.0,
    "nickname": 2.5,
    "typo": 2.0,
    "prefix": 1.5,
    "typo2": 1.0,
    "initial": 0.5,
    "missing": 0.0,
    "mismatch": -4.0,
}
LAST_POINTS = {
    "exact": 4.0,
    "compound": 2.5,
    "typo": 2.5,
    "typo2": 1.5,
    "initial": 0.0,
    "missing": -0.5,
    "mismatch": -5.0,
}
SWAPPED = -0.5  # "Smith John" for "John Smith": a small doubt
MIDDLE_CONFLICT = -2.0  # "Jean-Pierre" against "Jean-Paul"
RARE_LAST = 1.5  # only these two have this last name
UNCOMMON_LAST = 0.75
COMMON_LAST = -1.0  # "Smith", "García": a shared last name says less
COMMON_FIRST = -0.5
SAME_ORGANIZATION = 3.0
DIFFERENT_ORGANIZATIONS = -1.5  # both have jobs on record, none shared
SAME_DOMAIN = 2.0  # a work e-mail domain
SAME_DOMAIN_AND_ORGANIZATION = 1.0
SHARED_ROLE_ADDRESS = 1.5  # info@, office@: shared by several people
DIFFERENT_LINKEDIN = -4.0

# A score for an e-mail or phone shared by people whose names disagree.
SHARED_CONTACT_DIFFERENT_NAMES = 0.85
MAX_NAME_SCORE = 0.99  # 1.0 is kept for exact identifiers

# Blocks larger than this are skipped: a placeholder e-mail shared by hundreds of
# rows, or a name block so common that it would not say much anyway.
MAX_IDENTIFIER_BLOCK = 25
MAX_NAME_BLOCK = 300

FREE_MAIL = frozenset(
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
    """.split()
)
ROLE_ADDRESSES = frozenset(
    """
    info contact office hello admin hr jobs careers career recruiting talent team
    sales support service mail post kontakt bureau buero secretariat reception
    """.split()
)
HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof sir dame herr frau sr jr ii iii iv phd md mba esq dipl ing".split()
)
PARTICLES = frozenset(
    "van von der den de del della dei di da das do dos du la le les y e ten ter bin ibn al el".split()
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


def _words(text: str) -> list[tuple[str, str]]:
    """(as written, folded) for each word of a name; words that fold to nothing dropped."""
    words = []
    for raw in _WORD.findall(text):
        folded = _NOT_ALNUM.sub("", fold(raw))
        if folded:
            words.append((raw, folded))
    return words


def _drop_honorifics(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    kept = [word for word in words if word[1] not in HONORIFICS]
    return kept or words


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
        "accented",
    )

    def __init__(self, candidate: Candidate) -> None:
        self.candidate = candidate
        given = _drop_honorifics(_words(candidate.first_name))
        family = _drop_honorifics(_words(candidate.last_name))
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
        self.emails = frozenset(e for e in candidate.emails if e.partition("@")[0] not in ROLE_ADDRESSES)
        self.roles = candidate.emails - self.emails
        self.domains = frozenset(
            domain
            for e in candidate.emails
            if (domain := email_domain(e)) and domain not in FREE_MAIL
        )
        self.phones = candidate.phones
        self.linkedin = candidate.linkedin
        self.organizations = candidate.organizations
        # The name as written, without case: differs from the folded name only by accents.
        self.accented = unicodedata.normalize(
            "NFC", f"{candidate.first_name} {candidate.last_name}"
        ).casefold()

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
        if len(self.family) > 1:  # "García Márquez" meets "García"
            for word in self.family:
                yield ("li", word, initial)
        for group in self.groups:
            yield ("lg", self.last_compact, group)
        sound = soundex(self.last_compact)
        tail = self.last_compact[-3:]
        for first in (self.first, *self.groups):
            yield ("fs", first, sound)  # a typo in the last name keeps its sound…
            yield ("ft", first, tail)  # …or its ending
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
    if a == b:
        return "exact" if a else "missing"
    if not a or not b:
        return "missing"
    if len(a) == 1 or len(b) == 1:
        return "initial" if a[0] == b[0] else "mismatch"
    if nicknames.groups_of(a) & nicknames.groups_of(b):
        return "nickname"
    # Two names both in the table and in no common group are different names
    # ("Alexander" and "Alexandra", "Maria" and "Mario"), however close they look.
    known_apart = nicknames.is_known(a) and nicknames.is_known(b)
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 3 and longer.startswith(shorter) and not known_apart:
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
    if family_a and family_b and (family_a < family_b or family_b < family_a):
        return "compound"
    return _typo(a.replace(" ", ""), b.replace(" ", "")) or "mismatch"


@dataclass(slots=True)
class _Name:
    points: float
    first: str  # category of the given names
    last: str  # category of the last names
    how: str  # "straight", "swapped" or "split"


class _Scorer:
    def __init__(self, people: Sequence[_Person]) -> None:
        self.last_counts = Counter(p.last_compact for p in people if p.last_compact)
        self.first_counts = Counter(p.first for p in people if p.first)
        size = len(people)
        self.common_last = max(10, size // 250)
        self.common_first = max(10, size // 100)
        self._firsts: dict[tuple[str, str], str] = {}
        self._lasts: dict[tuple[str, str], str] = {}

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

    def names(self, p: _Person, q: _Person) -> _Name:
        first = self.first_category(p.first, q.first)
        last = self.last_category(p, q)
        name = _Name(FIRST_POINTS[first] + LAST_POINTS[last], first, last, "straight")
        if first == "exact" and last == "exact":
            pass
        elif p.first and p.last and q.first and q.last:
            if p.first == q.last_compact and p.last_compact == q.first:
                name = _Name(FIRST_POINTS["exact"] + LAST_POINTS["exact"] + SWAPPED, "exact", "exact", "swapped")
            elif p.tokens == q.tokens:
                name = _Name(FIRST_POINTS["exact"] + LAST_POINTS["exact"] + SWAPPED, "exact", "exact", "split")
        if name.how == "straight" and p.middle and q.middle and p.middle != q.middle:
            if len(p.middle) == 1 or len(q.middle) == 1:
                if p.middle[0] != q.middle[0]:
                    name.points += MIDDLE_CONFLICT
            elif self.first_category(p.middle, q.middle) == "mismatch":
                name.points += MIDDLE_CONFLICT
        if name.last in ("exact", "compound", "typo", "typo2"):
            count = max(self.last_counts[p.last_compact], self.last_counts[q.last_compact])
            if count <= 2:
                name.points += RARE_LAST
            elif count <= 5:
                name.points += UNCOMMON_LAST
            elif count >= self.common_last:
                name.points += COMMON_LAST
        if name.first in ("exact", "nickname") and (
            max(self.first_counts[p.first], self.first_counts[q.first]) >= self.common_first
        ):
            name.points += COMMON_FIRST
        return name

    def score(self, p: _Person, q: _Person) -> tuple[float, _Name]:
        name = self.names(p, q)
        if p.linkedin and p.linkedin == q.linkedin:
            return 1.0, name
        if (p.emails & q.emails) or (p.phones & q.phones):
            conflict = name.first == "mismatch" or name.last == "mismatch"
            return (SHARED_CONTACT_DIFFERENT_NAMES if conflict else 1.0), name
        points = PRIOR + name.points
        shared_organizations = p.organizations & q.organizations
        if shared_organizations:
            points += SAME_ORGANIZATION
        elif p.organizations and q.organizations:
            points += DIFFERENT_ORGANIZATIONS
        if p.domains & q.domains:
            points += SAME_DOMAIN_AND_ORGANIZATION if shared_organizations else SAME_DOMAIN
        if p.roles & q.roles:
            points += SHARED_ROLE_ADDRESS
        if p.linkedin and q.linkedin:
            points += DIFFERENT_LINKEDIN
        return min(MAX_NAME_SCORE, 1.0 / (1.0 + math.exp(-points))), name


# Reasons ----------------------------------------------------------------------------


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


def _first_shown(p: _Person) -> str:
    raw = p.first_raw or p.first
    return f"{raw.upper()}." if len(p.first) == 1 else _title(raw)


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
        if p.accented != q.accented and fold(p.accented) == fold(q.accented):
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
    elif name.first == "initial":
        initial, full = (first_a, first_b) if len(p.first) == 1 else (first_b, first_a)
        reasons.append(f"{initial} could be {full}")
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
            for position, i in enumerate(members):
                for j in members[position + 1 :]:
                    pairs.add(i * size + j)
    else:
        right_blocks = _blocks(right)
        for key, members in left_blocks.items():
            others = right_blocks.get(key)
            if not others or _too_big(key, len(members) + len(others)):
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
        if score < threshold:
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

    region = (
        Profile.objects.filter(user=owner).values_list("country", flat=True).first() or "US"
    )
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

    return set(
        NotDuplicate.objects.filter(owner=owner).values_list("person_a_id", "person_b_id")
    )


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
