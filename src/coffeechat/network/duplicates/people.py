"""One person as the finder sees them: a :class:`Candidate`, and prepared for comparing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from coffeechat.network import nicknames
from coffeechat.network.duplicates.points import word_set
from coffeechat.network.names import family_fillers, not_name_words
from coffeechat.network.normalize import fold


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


FREE_MAIL = word_set(
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
ROLE_ADDRESSES = word_set(
    """
    info contact office hello admin hr jobs careers career recruiting talent team
    sales support service mail post kontakt bureau buero secretariat reception
    """
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NO_WORDS: frozenset[str] = frozenset()


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(key for word in words if (key := _NOT_ALNUM.sub("", fold(word))))


# From the name splitter's lists: words that are no part of a name (honorifics,
# degrees), and words of a family name that tell no family apart (particles, "y").
NOT_NAME_WORDS = _folded(not_name_words())
FAMILY_FILLERS = _folded(family_fillers())


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[tuple[str, str], ...]:
    """(as written, folded) for each word of a name, honorifics, degrees and words
    folding to nothing dropped."""
    words = []
    for raw in _WORD.findall(text):
        folded = _NOT_ALNUM.sub("", raw.lower() if raw.isascii() else fold(raw))
        if folded:
            words.append((raw, folded))
    kept = [word for word in words if word[1] not in NOT_NAME_WORDS]
    return tuple(kept or words)


def email_domain(email: str) -> str:
    return email.rpartition("@")[2]


class PreparedName:
    """A name ready for comparing, and the name blocks it belongs to (shared by namesakes)."""

    __slots__ = (
        "first",
        "first_raw",
        "middle",
        "last",
        "last_raw",
        "last_compact",
        "family",
        "tokens",
        "groups",
        "keys",
    )

    def __init__(self, first_name: str, last_name: str) -> None:
        given = _words(first_name)
        family = _words(last_name)
        if not family and len(given) > 1:  # "John Smith" typed into the first name
            given, family = given[:-1], given[-1:]
        elif not given and len(family) > 1:
            given, family = family[:1], family[1:]
        self.first = first = given[0][1] if given else ""
        self.first_raw = given[0][0] if given else ""
        self.middle = given[1][1] if len(given) > 1 else ""
        if len(family) == 1:  # the common case, without joins
            self.last_raw, self.last = family[0]
            self.last_compact = self.last
            self.family = _NO_WORDS if self.last in FAMILY_FILLERS else frozenset((self.last,))
        else:
            self.last = " ".join(folded for _, folded in family)
            self.last_raw = " ".join(raw for raw, _ in family)
            self.last_compact = self.last.replace(" ", "")
            self.family = frozenset(folded for _, folded in family) - FAMILY_FILLERS
        self.tokens: tuple[str, ...]
        if len(given) == 1 and len(family) == 1:
            other = self.last
            self.tokens = (first, other) if first <= other else (other, first)
        else:
            self.tokens = tuple(sorted(folded for _, folded in given + family))
        self.groups = nicknames.groups_of(first)
        self.keys = self._keys() if first and self.last else ()

    def _keys(self) -> tuple[str, ...]:
        """The name blocks: see :func:`coffeechat.network.duplicates.finding._blocks`.

        Strings rather than tuples: a string keeps its hash, and namesakes share them.
        Folded words have no spaces, so a space separates the parts.
        """
        initial = self.first[0]
        last = self.last_compact
        keys = [f"i{last} {initial}", "n" + " ".join(self.tokens)]
        if self.middle and self.middle[0] != initial:
            keys.append(f"i{last} {self.middle[0]}")  # goes by the middle name
        compound = " " in self.last
        if compound:  # "García Márquez" meets "García", "van den Berg" meets "Berg"
            keys.extend(f"i{word} {initial}" for word in self.family)
        for group in self.groups:
            keys.append(f"g{last} {group}")
            if compound:  # "Chayo Patterson" for "Rosario Patterson Díaz"
                keys.extend(f"g{word} {group}" for word in self.family)
        return tuple(keys)


@lru_cache(maxsize=65536)
def prepared_name(first_name: str, last_name: str) -> PreparedName:
    return PreparedName(first_name, last_name)


class PreparedPerson:
    __slots__ = (
        "candidate",
        "name",
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
        self.name = name = prepared_name(candidate.first_name, candidate.last_name)
        # The name's parts are copied onto the person: scoring reads them for every pair,
        # and one attribute lookup instead of two is measurable at 30,000 people.
        self.first = name.first
        self.first_raw = name.first_raw
        self.middle = name.middle
        self.last = name.last
        self.last_raw = name.last_raw
        self.last_compact = name.last_compact
        self.family = name.family
        self.tokens = name.tokens
        self.groups = name.groups
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
