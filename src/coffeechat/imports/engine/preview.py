"""What a preview adds to the plan: the new people who look like someone already there."""

from __future__ import annotations

from typing import Any

from coffeechat.imports.engine.planner import Planner
from coffeechat.imports.engine.plans import MAX_SAMPLES
from coffeechat.network.normalize import email_key, linkedin_key, phone_key


class DuplicateFinder:
    """A preview's chunk hook: new people who look like someone already in the network.

    Exact matches were merged already; these are the fuzzy ones (a nickname, an
    initial, accents) that the duplicate review will propose after the import.
    ``count`` is how many new people have one; ``shown`` the best pairs to show.
    """

    def __init__(self, owner: Any, *, limit: int = MAX_SAMPLES) -> None:
        self.owner = owner
        self.limit = limit
        self.count = 0
        self.shown: list[dict[str, Any]] = []
        self._existing: list[Any] | None = None

    def __call__(self, plan: Planner) -> None:
        from coffeechat.network.duplicates import Candidate, candidates_for, find_duplicates

        new = [p for p in plan.people if p.is_new]
        if not new:
            return
        if self._existing is None:
            self._existing = candidates_for(self.owner)
        existing = self._existing
        if not existing:
            return
        region = plan.index.region
        candidates = [
            Candidate(
                id=-(index + 1),
                first_name=p.first_name,
                last_name=p.last_name,
                emails=frozenset(email_key(e) for e in p.new_emails),
                phones=frozenset(k for k in (phone_key(n, region) for n in p.new_phones) if k),
                linkedin=linkedin_key(p.linkedin_url),
                organizations=frozenset([p.job.organization_key]) if p.job else frozenset(),
                organization_names=(
                    {p.job.organization_key: p.job.organization_name} if p.job else {}
                ),
            )
            for index, p in enumerate(new)
        ]
        matches = find_duplicates(candidates, against=existing)
        names = {c.id: f"{c.first_name} {c.last_name}".strip() for c in existing}
        seen: set[int] = set()
        for match in matches:
            seen.add(match.a)
            planned = new[-match.a - 1]
            self.shown.append(
                {
                    "line": planned.line,
                    "name": planned.full_name,
                    "other_id": match.b,
                    "other_name": names.get(match.b, ""),
                    "score": round(match.score, 2),
                    "reasons": match.reasons,
                }
            )
        self.count += len(seen)
        self.shown.sort(key=lambda pair: (-pair["score"], pair["line"]))
        del self.shown[self.limit :]
