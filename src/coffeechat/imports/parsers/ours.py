"""Reading what only Coffeechat's own exports carry: the tie to you and the groups.

The CSV export and the vCard export write the same things in their own syntax
(:mod:`coffeechat.imports.writers`); both readers hand the parts to these functions,
so a value is accepted, or reported, the same way in both. A value that cannot be
placed is a :class:`Problem` on the record (naming the field), never a silent loss.
"""

from __future__ import annotations

from coffeechat.imports.records import Connection, GroupRecord, Problem
from coffeechat.imports.writers import NO_CONNECTION
from coffeechat.network.models import AffiliationKind, TieKind

TIE_KINDS = {kind.value: kind.value for kind in TieKind} | {
    str(kind.label).lower(): kind.value for kind in TieKind
}
GROUP_KINDS = {kind.value: kind.value for kind in AffiliationKind} | {
    str(kind.label).lower(): kind.value for kind in AffiliationKind
}
DEFAULT_GROUP_KIND = AffiliationKind.COMMUNITY.value
DEFAULT_STRENGTH = 3
MIN_YEAR, MAX_YEAR = 1900, 2200


def parse_connection(
    kind: str, strength: str, note: str, line: int, field: str, problems: list[Problem]
) -> Connection | None:
    """The tie an export describes; None when the file does not say (an empty cell)."""
    text = " ".join(kind.split()).lower()
    if not text:
        return None
    if text == NO_CONNECTION:
        return Connection("")
    tie_kind = TIE_KINDS.get(text)
    if tie_kind is None:
        tie_kind = TieKind.ACQUAINTANCE.value
        problems.append(
            Problem(
                line,
                field,
                f"“{kind[:40]}” is not a kind of connection "
                f"({', '.join(k.value for k in TieKind)}); imported as an acquaintance",
                skipped=False,
            )
        )
    value: int | None = None
    strength = strength.strip()
    if strength:
        if strength.isdigit() and 1 <= int(strength) <= 5:
            value = int(strength)
        else:
            problems.append(
                Problem(
                    line,
                    field,
                    f"“{strength[:20]}” is not a strength from 1 to 5; {DEFAULT_STRENGTH} is used",
                    skipped=False,
                )
            )
    return Connection(tie_kind, value or DEFAULT_STRENGTH, note.strip())


def _year(
    text: str, what: str, name: str, line: int, field: str, problems: list[Problem]
) -> int | None:
    text = text.strip()
    if not text:
        return None
    if text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    problems.append(
        Problem(line, field, f"{name}: “{text[:20]}” is not a {what}; left out", skipped=False)
    )
    return None


def parse_group(
    parts: list[str], line: int, field: str, problems: list[Problem]
) -> GroupRecord | None:
    """A membership from its parts: name, kind, detail, class year, start year, end year."""
    if len(parts) > 6:
        problems.append(
            Problem(
                line,
                field,
                f"“{' | '.join(parts)[:80]}” has more than six parts; the group was left out",
                skipped=False,
            )
        )
        return None
    name, kind, detail, class_year, start_year, end_year = (parts + [""] * 6)[:6]
    name = " ".join(name.split())[:200]
    if not name:
        if any(parts):
            problems.append(Problem(line, field, "a group without a name; left out", skipped=False))
        return None
    group_kind = GROUP_KINDS.get(" ".join(kind.split()).lower(), "") if kind.strip() else ""
    if kind.strip() and not group_kind:
        problems.append(
            Problem(
                line,
                field,
                f"{name}: “{kind[:40]}” is not a kind of group "
                f"({', '.join(k.value for k in AffiliationKind)}); "
                "a new group is made a community",
                skipped=False,
            )
        )
    return GroupRecord(
        name=name,
        kind=group_kind,
        detail=" ".join(detail.split())[:200],
        class_year=_year(class_year, "class year", name, line, field, problems),
        start_year=_year(start_year, "start year", name, line, field, problems),
        end_year=_year(end_year, "end year", name, line, field, problems),
    )
