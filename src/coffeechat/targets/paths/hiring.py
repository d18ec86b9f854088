"""Who hires at an organization: flagged people first, then people whose title says so."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coffeechat.network.models import Level
from coffeechat.targets.paths.model import Job, Path, PersonRef
from coffeechat.targets.paths.search import WarmPaths

HIRING_WORDS = re.compile(
    r"\b(manager|director|head|vp|vice president|lead|chief|principal|founder|owner|"
    r"cto|ceo|coo|cfo|supervisor)\b",
    re.IGNORECASE,
)

# "Product manager" or "account manager" manage a product or accounts, not a team.
NOT_HIRING_WORDS = re.compile(
    r"\b(product|project|program|programme|account|community|social media|case|office)\s+"
    r"manager\b|\bassociate\b|\bassistant\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class HiringContact:
    person: PersonRef
    job: Job
    flagged: bool  # has_hiring_authority; otherwise suggested from title, department or level
    hint: str  # why they are suggested
    path: Path | None  # the warmest path to them
    hops: int | None  # links from you to them (None: no known way)
    via: Path | None  # your warmest contact there, when going through them is shorter

    @property
    def route(self) -> str:
        if self.path is not None and (self.via is None or self.path.hops <= self.via.hops + 1):
            return " → ".join(["you", *(p.name for p in self.path.people)])
        if self.via is not None:
            names = [p.name for p in self.via.people]
            return " → ".join(["you", *names, self.person.name])
        return ""


def suggestion_hint(job: Job, level: str) -> str:
    """Why someone may hire, from their title, department or level ("" if nothing says so)."""
    for text in (job.title, job.department):
        match = HIRING_WORDS.search(text or "")
        if match and not NOT_HIRING_WORDS.search(text or ""):
            return f"“{match.group(0)}” in {'title' if text == job.title else 'department'}"
    if level in {Level.MANAGER, Level.EXECUTIVE}:
        return f"{Level(level).label.lower()} level"
    return ""


def hiring_authority(warm: WarmPaths) -> list[HiringContact]:
    """The people who hire at the organization (flagged first, then suggested), with hops."""
    best_current = next(
        (
            path
            for path in warm.ranked(limit=None, per_person=1)
            if path.job and path.job.is_current
        ),
        None,
    )
    contacts: list[HiringContact] = []
    for person_id, job in warm.jobs.items():
        person = warm.people.get(person_id)
        if person is None or not job.is_current:
            continue
        hint = "" if job.has_hiring_authority else suggestion_hint(job, person.level)
        if not job.has_hiring_authority and not hint:
            continue
        found = warm.by_person.get(person_id, [])
        path = found[0] if found else None
        via = (
            best_current if best_current is not None and best_current.end.id != person_id else None
        )
        hops_options = [p.hops for p in (path,) if p is not None]
        if via is not None:
            hops_options.append(via.hops + 1)
        contacts.append(
            HiringContact(
                person,
                job,
                job.has_hiring_authority,
                hint,
                path,
                min(hops_options) if hops_options else None,
                via if via is not None and (path is None or via.hops + 1 < path.hops) else None,
            )
        )
    contacts.sort(
        key=lambda c: (
            not c.flagged,
            c.hops if c.hops is not None else 99,
            -(c.path.score if c.path else 0),
            c.person.name,
        )
    )
    return contacts
