"""The reasons shown beside a proposed pair, in plain words."""

from __future__ import annotations

import unicodedata

from coffeechat.network import nicknames
from coffeechat.network.duplicates.people import PreparedPerson
from coffeechat.network.duplicates.scoring import NameAgreement


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


def _first_shown(p: PreparedPerson) -> str:
    raw = p.first_raw or p.first
    return f"{raw.upper()}." if len(p.first) == 1 else _title(raw)


def _as_written(p: PreparedPerson) -> str:
    """The name without case: differs between two same names only by accents."""
    c = p.candidate
    return unicodedata.normalize("NFC", f"{c.first_name} {c.last_name}").casefold().strip()


def _nickname_reason(p: PreparedPerson, q: PreparedPerson) -> str:
    shared = sorted(nicknames.groups_of(p.first) & nicknames.groups_of(q.first))
    formal = nicknames.formal_name(shared[0]) if shared else ""
    a, b = _first_shown(p), _first_shown(q)
    if q.first == formal:
        return f"{a} is a nickname of {b}"
    if p.first == formal:
        return f"{b} is a nickname of {a}"
    return f"{a} and {b} are forms of the same name"


def _name_reasons(p: PreparedPerson, q: PreparedPerson, name: NameAgreement) -> list[str]:
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


def reasons_for(p: PreparedPerson, q: PreparedPerson, name: NameAgreement) -> list[str]:
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
