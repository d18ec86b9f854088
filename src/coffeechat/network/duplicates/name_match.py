"""How two names relate: exact, by nickname, a typo, an initial, a compound…"""

from __future__ import annotations

from rapidfuzz.distance import OSA

from coffeechat.network import nicknames


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
    groups = nicknames.groups_of(a)
    others = nicknames.groups_of(b)
    if not groups.isdisjoint(others):
        return "nickname"
    # Two names both in the table and in no common group are different names
    # ("Alexander" and "Alexandra", "Maria" and "Mario"), however close they look.
    if groups and others:  # both known (every known name has a group)
        return "mismatch"
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    # A clipped form not in the table ("Fede" for "Federico"); longer shared beginnings
    # are more often two names ("Daniel" and "Danielle").
    if 3 <= len(shorter) <= 4 and longer.startswith(shorter):
        return "prefix"
    return _typo(a, b) or "mismatch"


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
