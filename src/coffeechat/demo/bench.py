"""The demo user's bench: a few people from their own network, one open opening, and a
front door with one request waiting.

Called by :func:`coffeechat.demo.network.build_demo_network` last, after the rest of
the network exists. What each entry says (skills with levels, fit, availability, where
we met, the contact log) and the opening are data (``data/bench.toml``); the people are
the demo user's own ties that are not family and may be contacted, in order, so a seed
always benches the same people. An entry marked ``referred`` gets a referrer: someone
in the network tied to the person, else another of the user's ties. Everything goes
through the bench's services, as a user's would, so the ranking page shows real
numbers. It draws nothing from the demo's random generator: the rest of the demo is
the same with or without it.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from coffeechat.bench import front_door, services
from coffeechat.bench.models import BenchEntry, Opening
from coffeechat.core.calendar import local_today
from coffeechat.demo.catalog import DATA
from coffeechat.network.models import Person, Tie, TieKind

# My ties that make sense on a bench (not my mother).
BENCH_TIE_KINDS = (
    TieKind.COLLEAGUE,
    TieKind.CLASSMATE,
    TieKind.ACQUAINTANCE,
    TieKind.FRIEND,
    TieKind.INTRODUCED,
    TieKind.REFERRED,
)


@dataclass(frozen=True, slots=True)
class ContactSpec:
    days_ago: int
    channel: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class EntrySpec:
    skills: str
    role_fit: str = ""
    fit: str = "good"
    fit_reason: str = ""
    availability: str = "now"
    available_in_days: int | None = None
    notice_weeks: int | None = None
    referred: bool = False
    met_where: str = ""
    data_source: str = "conversation"
    data_note: str = ""
    contacts: tuple[ContactSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class OpeningSpec:
    title: str
    description: str = ""
    internal: bool = True
    start_in_days: int | None = None
    required: tuple[str, ...] = ()
    nice_to_have: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestSpec:
    name: str
    email: str
    connection: str
    referrer_entry: int | None = None
    connection_note: str = ""
    wants_to_learn: str = ""
    cv_url: str = ""


@dataclass(frozen=True, slots=True)
class BenchData:
    entries: tuple[EntrySpec, ...]
    opening: OpeningSpec
    door_name: str
    door_intro: str
    requests: tuple[RequestSpec, ...]


@cache
def bench_data() -> BenchData:
    """``data/bench.toml``, read once per process."""
    data = tomllib.loads((DATA / "bench.toml").read_text(encoding="utf-8"))
    entries = tuple(
        EntrySpec(
            **{
                **row,
                "contacts": tuple(ContactSpec(**contact) for contact in row.get("contacts", [])),
            }
        )
        for row in data["entry"]
    )
    opening = data["opening"]
    return BenchData(
        door_name=data["front_door"]["display_name"],
        door_intro=data["front_door"]["intro"],
        requests=tuple(RequestSpec(**row) for row in data.get("request", [])),
        entries=entries,
        opening=OpeningSpec(
            **{
                **opening,
                "required": tuple(opening.get("required", [])),
                "nice_to_have": tuple(opening.get("nice_to_have", [])),
            }
        ),
    )


def _candidates(owner: Any) -> list[Person]:
    """My own ties that may go on a bench, in the order they were made."""
    ties = (
        Tie.objects.filter(
            owner=owner,
            from_person__isnull=True,
            kind__in=BENCH_TIE_KINDS,
            to_person__do_not_contact=False,
        )
        .select_related("to_person")
        .order_by("pk")
    )
    seen: dict[int, Person] = {}
    for tie in ties:
        seen.setdefault(tie.to_person_id, tie.to_person)
    return list(seen.values())


def _referrer(owner: Any, person: Person, taken: set[int], spare: list[Person]) -> Person | None:
    tied = (
        Tie.objects.filter(owner=owner, to_person=person, from_person__isnull=False)
        .exclude(from_person_id__in=taken)
        .select_related("from_person")
        .order_by("pk")
        .first()
    )
    if tied is not None and tied.from_person is not None:
        return tied.from_person
    return next((p for p in spare if p.pk not in taken), None)


def build_demo_bench(owner: Any) -> dict[str, int]:
    """Bench a few of the demo user's people, log contacts, record one open opening."""
    data = bench_data()
    today = local_today(owner)
    people = _candidates(owner)
    chosen, spare = people[: len(data.entries)], people[len(data.entries) :]
    taken = {p.pk for p in chosen}
    entries = 0
    benched: list[Person] = []
    for spec, person in zip(data.entries, chosen, strict=False):
        benched.append(person)
        referrer = _referrer(owner, person, taken, spare) if spec.referred else None
        available_from = (
            today + datetime.timedelta(days=spec.available_in_days)
            if spec.available_in_days is not None
            else None
        )
        entry = services.save_entry(
            owner,
            BenchEntry(
                person=person,
                role_fit=spec.role_fit,
                fit=spec.fit,
                fit_reason=spec.fit_reason,
                availability=spec.availability,
                available_from=available_from,
                notice_weeks=spec.notice_weeks,
                referred_by=referrer,
                met_where=spec.met_where,
                data_source=spec.data_source,
                data_note=spec.data_note,
            ),
            skills=services.parse_skills(spec.skills),
        )
        for contact in sorted(spec.contacts, key=lambda c: -c.days_ago):
            services.log_contact(
                owner,
                entry,
                today - datetime.timedelta(days=contact.days_ago),
                channel=contact.channel,
                note=contact.note,
            )
        entries += 1
    wanted = data.opening
    services.save_opening(
        owner,
        Opening(
            title=wanted.title,
            description=wanted.description,
            internal=wanted.internal,
            start_on=(
                today + datetime.timedelta(days=wanted.start_in_days)
                if wanted.start_in_days is not None
                else None
            ),
        ),
        required=wanted.required,
        nice_to_have=wanted.nice_to_have,
    )
    door = front_door.save_door(
        owner, enabled=True, display_name=data.door_name, intro=data.door_intro
    )
    for request in data.requests:
        referrer = (
            benched[request.referrer_entry - 1]
            if request.referrer_entry and request.referrer_entry <= len(benched)
            else None
        )
        front_door.submit_request(
            door,
            {
                "name": request.name,
                "email": request.email,
                "connection": request.connection,
                "referrer_name": referrer.full_name if referrer else "",
                "connection_note": request.connection_note,
                "wants_to_learn": request.wants_to_learn,
                "cv_url": request.cv_url,
            },
        )
    return {
        "bench_entries": entries,
        "bench_openings": 1,
        "bench_requests": len(data.requests),
    }
