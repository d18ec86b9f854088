"""How you are connected to the person, said to them: the connection sentence of a draft."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coffeechat.network.connections import introducers
from coffeechat.network.models import AffiliationKind, Person, Source, TieKind
from coffeechat.outreach.models import ConnectionKind
from coffeechat.targets.paths import Link, Path, paths_to_person


@dataclass(frozen=True, slots=True)
class Connection:
    sentence: str
    kind: str
    introducer: str = ""


NO_CONNECTION = Connection("", ConnectionKind.COLD)

_TIE_SENTENCES: dict[str, tuple[str, str]] = {
    TieKind.FRIEND: ("I hope you are doing well.", ConnectionKind.FRIEND),
    TieKind.FAMILY: ("I hope you are doing well.", ConnectionKind.FRIEND),
    TieKind.COLLEAGUE: (
        "We have worked together, so I hope you will not mind a question.",
        ConnectionKind.FORMER_COLLEAGUE,
    ),
    TieKind.CLASSMATE: (
        "We studied together, so I hope you will not mind a question.",
        ConnectionKind.ALUMNI,
    ),
    TieKind.ACQUAINTANCE: (
        "We have met before, and I hope you remember me.",
        ConnectionKind.FRIEND,
    ),
}
_SOURCE_SENTENCES: dict[str, tuple[str, str]] = {
    Source.LINKEDIN: ("We are connected on LinkedIn.", ConnectionKind.LINKEDIN),
    Source.ALUMNI_DIRECTORY: ("I found your name in our alumni directory.", ConnectionKind.ALUMNI),
    Source.ASSOCIATION_DIRECTORY: (
        "I found your name in our association's member directory.",
        ConnectionKind.ASSOCIATION,
    ),
    Source.REFERRAL: (
        "Your name was passed on to me as someone worth asking.",
        ConnectionKind.INTRODUCED,
    ),
    Source.FRIEND: ("We have met before, and I hope you remember me.", ConnectionKind.FRIEND),
}
_KNOWS_YOU: dict[str, str] = {
    TieKind.FRIEND: "is a friend of yours",
    TieKind.FAMILY: "is related to you",
    TieKind.COLLEAGUE: "has worked with you",
    TieKind.CLASSMATE: "studied with you",
}


def _direct(link: Link) -> Connection:
    reason = link.reason
    if reason.kind == "tie":
        if reason.tie_kind in {TieKind.INTRODUCED, TieKind.REFERRED} or reason.introduced_by:
            if reason.introduced_by is not None:
                name = reason.introduced_by.name
                return Connection(
                    f"{name} suggested I get in touch with you.", ConnectionKind.INTRODUCED, name
                )
            return Connection("We were introduced by a mutual contact.", ConnectionKind.INTRODUCED)
        sentence, kind = _TIE_SENTENCES.get(
            reason.tie_kind, ("We have met before.", ConnectionKind.FRIEND)
        )
        return Connection(sentence, kind)
    if reason.kind == "affiliation":
        name = reason.affiliation
        if reason.affiliation_kind == AffiliationKind.SCHOOL:
            year = f" (I graduated in {reason.my_year})" if reason.my_year else ""
            return Connection(f"We both studied at {name}{year}.", ConnectionKind.ALUMNI)
        if reason.affiliation_kind == AffiliationKind.FORMER_EMPLOYER:
            place = reason.organization or name
            when = ", around the same time" if reason.same_time else ""
            return Connection(f"We both worked at {place}{when}.", ConnectionKind.FORMER_COLLEAGUE)
        if reason.affiliation_kind == AffiliationKind.ASSOCIATION:
            return Connection(f"We are both members of {name}.", ConnectionKind.ASSOCIATION)
        return Connection(f"We are both part of {name}.", ConnectionKind.ASSOCIATION)
    if reason.kind == "introducer":
        return Connection(
            f"You introduced me to {reason.introduced}, and I hope you will not mind another "
            "question.",
            ConnectionKind.FRIEND,
        )
    if reason.kind == "contact":
        sentence, kind = _SOURCE_SENTENCES.get(reason.source, ("", ConnectionKind.COLD))
        return Connection(sentence, kind)
    return NO_CONNECTION


def connection_from_path(path: Path) -> Connection:
    """How the recipient and I are connected, said to them, from a warm path.

    A path through someone I do not know (network.connections decides: a directory row,
    a shared group only) names nobody: it gives no connection at all.
    """
    links = path.links
    if len(links) == 1:
        return _direct(links[0])
    if not path.first_is_known:
        return NO_CONNECTION
    middle = links[-2].person.name
    last = links[-1].reason
    verb = (
        "works with you" if last.kind == "coworker" else _KNOWS_YOU.get(last.tie_kind, "knows you")
    )
    if len(links) == 2:
        return Connection(
            f"We have a connection in common: {middle}, who {verb}.",
            ConnectionKind.FRIEND_OF_FRIEND,
        )
    return Connection(
        f"We are connected through {links[0].person.name} and {middle}, who {verb}.",
        ConnectionKind.FRIEND_OF_FRIEND,
    )


def connection_for(owner: Any, person: Person, *, path_key: str = "") -> Connection:
    """The connection sentence: a chosen warm path; else who introduced us; else the warmest.

    Only a path that may be named honestly is used: one through someone I do not know
    gives way to the warmest path that can be.
    """
    if not path_key:
        names = introducers(owner, person)
        if names:
            return Connection(
                f"{names[0]} suggested I get in touch with you.",
                ConnectionKind.INTRODUCED,
                names[0],
            )
    warm = paths_to_person(owner, person, per_person=10)
    paths = warm.ranked(limit=None, per_person=10)
    chosen = next((p for p in paths if p.key == path_key), None) if path_key else None
    for path in ([chosen] if chosen is not None else []) + paths:
        connection = connection_from_path(path)
        if connection.sentence:
            return connection
    return NO_CONNECTION
