"""The demo's invented data, read from the TOML files in ``data/`` beside this module.

Organizations, groups, names, titles, texts, targets and stories are data, not code: the builder
(:mod:`coffeechat.demo.network` and the planning modules) reads them here, as typed
records, once per process. The order of every list is part of the demo: the builder
picks from them with a seeded random generator, so the same seed gives the same
network only with the same files.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

DATA = files("coffeechat.demo") / "data"


# --------------------------------------------------------------------------------------
# Organizations and jobs (organizations.toml, jobs.toml)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrganizationSpec:
    name: str
    kind: str
    industry: str
    location: str
    domain: str
    target: bool = False
    departments: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True)
class LevelSpec:
    level: str
    weight: int
    graduated: tuple[int, int]  # the first and last year people of this level graduated


@dataclass(frozen=True, slots=True)
class KindSpec:
    weight: float
    departments: tuple[str, ...]
    executive_titles: tuple[str, ...]
    recruiter_titles: tuple[str, ...]
    hr_department: str


@dataclass(frozen=True, slots=True)
class DepartmentSpec:
    staff: tuple[str, ...]
    managers: tuple[str, ...]
    data: bool = False  # a data team


@dataclass(frozen=True, slots=True)
class Jobs:
    levels: tuple[LevelSpec, ...]
    kinds: dict[str, KindSpec]
    departments: dict[str, DepartmentSpec]
    executive_department: str
    recruiting_department: str
    hr_titles: tuple[str, ...]


# --------------------------------------------------------------------------------------
# Groups (groups.toml)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupSpec:
    name: str
    kind: str
    organization: str = ""
    degree: str = ""  # every member's degree, for a school that gives only one
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Members:
    degrees: tuple[str, ...]
    graduate_degrees: tuple[str, ...]
    chapters: tuple[str, ...]
    community_roles: tuple[str, ...]


# --------------------------------------------------------------------------------------
# People (people.toml)
# --------------------------------------------------------------------------------------

FEMININE = "f"
MASCULINE = "m"


@dataclass(frozen=True, slots=True)
class City:
    name: str
    time_zone: str
    area_codes: tuple[str, ...]
    weight: int


@dataclass(frozen=True, slots=True)
class Tags:
    """The demo's tags, in the order they are created; each field names its use."""

    target: str
    hiring: str
    alumni: str
    former_employer: str
    recruiting: str
    healthcare: str
    public: str
    nonprofit: str
    data: str
    mentor: str
    follow_up: str
    met: str
    warm: str
    family: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(getattr(self, field.name) for field in fields(self))


@dataclass(frozen=True, slots=True)
class People:
    feminine_names: tuple[str, ...]
    masculine_names: tuple[str, ...]
    first_names: tuple[str, ...]  # feminine, masculine, then neutral names
    gender_of: dict[str, str]  # FEMININE or MASCULINE; neutral names are missing
    last_names: tuple[str, ...]
    personal_domains: tuple[str, ...]
    cities: tuple[City, ...]
    channels: tuple[tuple[str, int], ...]  # (channel, weight)
    sources: tuple[tuple[str, int], ...]  # (source, weight)
    tags: Tags


# --------------------------------------------------------------------------------------
# The demo user (me.toml)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MyGroup:
    group: str
    detail: str
    class_year: int | None = None
    start_year: int | None = None
    end_year: int | None = None
    organization: str = ""


@dataclass(frozen=True, slots=True)
class Me:
    family_name: str
    city: str
    profile: dict[str, str]
    school: MyGroup
    former_employer: MyGroup
    association: MyGroup
    community: MyGroup

    @property
    def full_name(self) -> str:
        return self.profile["full_name"]

    @property
    def groups(self) -> tuple[MyGroup, ...]:
        return (self.school, self.former_employer, self.association, self.community)


# --------------------------------------------------------------------------------------
# Texts (notes.toml)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Relative:
    relation: str
    note: str
    strength: int
    since: date


@dataclass(frozen=True, slots=True)
class ChainLink:
    label: str
    kind: str
    low: int  # strength of the tie
    high: int
    gender: str = ""  # the gender the label implies, or "" for either


@dataclass(frozen=True, slots=True)
class ReferralTexts:
    colleagues: str
    suggested: str
    put_in_touch: str
    introduced_to_manager: str
    referrer_notes: str
    manager_notes: str
    manager_not_reached_notes: str


@dataclass(frozen=True, slots=True)
class ChainTexts:
    link: str
    works_at: str
    first_step: str
    step: str
    step_separator: str
    at: str
    notes: str
    introduced_at: str


@dataclass(frozen=True, slots=True)
class Notes:
    family: tuple[Relative, ...]
    aunt_and_cousin: str
    mother_and_aunt: str
    my_ties: dict[str, tuple[str, ...]]  # tie kind -> notes
    referral: ReferralTexts
    chain: ChainTexts
    links: tuple[ChainLink, ...]
    final_links: tuple[ChainLink, ...]
    occasions: tuple[str, ...]
    events: tuple[str, ...]
    topics: tuple[str, ...]
    questions: tuple[str, ...]
    months: tuple[str, ...]
    employed: tuple[str, ...]  # notes on people with a job
    other: tuple[str, ...]  # notes on the others
    do_not_contact: tuple[str, ...]
    no_school: tuple[str, str]  # (school, degree) when nobody says
    no_previous_employer: str


# --------------------------------------------------------------------------------------
# Targets and stories (targets.toml, stories.toml)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetPlan:
    motivation: int
    hiring_signal: str
    status: str = "exploring"
    reason: str = ""
    research: int = 0  # how many checklist items are done


@dataclass(frozen=True, slots=True)
class Targets:
    plans: tuple[TargetPlan, ...]  # in the order of the target organizations
    research: tuple[tuple[str, str], ...]  # (checklist item, note), in the order done


@dataclass(frozen=True, slots=True)
class Story:
    title: str
    situation: str
    action: str
    result: str
    skills: str


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Catalog:
    me: Me
    organizations: tuple[OrganizationSpec, ...]
    jobs: Jobs
    groups: tuple[GroupSpec, ...]
    members: Members
    people: People
    notes: Notes
    targets: Targets
    stories: tuple[Story, ...]


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def _strings(values: list[str]) -> tuple[str, ...]:
    return tuple(values)


def _organizations(data: dict[str, Any]) -> tuple[OrganizationSpec, ...]:
    return tuple(
        OrganizationSpec(**{**row, "departments": _strings(row.get("departments", []))})
        for row in data["organization"]
    )


def _jobs(data: dict[str, Any]) -> Jobs:
    shared = data["shared"]
    return Jobs(
        levels=tuple(
            LevelSpec(row["level"], row["weight"], (row["graduated"][0], row["graduated"][1]))
            for row in data["levels"]
        ),
        kinds={
            kind: KindSpec(
                weight=row["weight"],
                departments=_strings(row["departments"]),
                executive_titles=_strings(row["executive_titles"]),
                recruiter_titles=_strings(row["recruiter_titles"]),
                hr_department=row["hr_department"],
            )
            for kind, row in data["kind"].items()
        },
        departments={
            name: DepartmentSpec(
                _strings(row["staff"]), _strings(row["managers"]), row.get("data", False)
            )
            for name, row in data["department"].items()
        },
        executive_department=shared["executive_department"],
        recruiting_department=shared["recruiting_department"],
        hr_titles=_strings(shared["hr_titles"]),
    )


def _people(data: dict[str, Any]) -> People:
    names = data["names"]
    feminine, masculine = _strings(names["feminine"]), _strings(names["masculine"])
    return People(
        feminine_names=feminine,
        masculine_names=masculine,
        first_names=feminine + masculine + _strings(names["neutral"]),
        gender_of={**dict.fromkeys(feminine, FEMININE), **dict.fromkeys(masculine, MASCULINE)},
        last_names=_strings(names["last"]),
        personal_domains=_strings(data["email"]["personal_domains"]),
        cities=tuple(
            City(row["name"], row["time_zone"], _strings(row["area_codes"]), row["weight"])
            for row in data["places"]["cities"]
        ),
        channels=tuple((row["channel"], row["weight"]) for row in data["reach"]["channels"]),
        sources=tuple((row["source"], row["weight"]) for row in data["reach"]["sources"]),
        tags=Tags(**data["tags"]),
    )


def _me(data: dict[str, Any]) -> Me:
    return Me(
        family_name=data["family_name"],
        city=data["city"],
        profile=dict(data["profile"]),
        school=MyGroup(**data["school"]),
        former_employer=MyGroup(**data["former_employer"]),
        association=MyGroup(**data["association"]),
        community=MyGroup(**data["community"]),
    )


def _links(rows: list[dict[str, Any]]) -> tuple[ChainLink, ...]:
    return tuple(
        ChainLink(
            label=row["label"],
            kind=row["kind"],
            low=row["strength"][0],
            high=row["strength"][1],
            gender=row.get("gender", ""),
        )
        for row in rows
    )


def _notes(data: dict[str, Any]) -> Notes:
    words, person_notes, unknown = data["words"], data["person_notes"], data["unknown"]
    return Notes(
        family=tuple(Relative(**row) for row in data["family"]),
        aunt_and_cousin=data["family_ties"]["aunt_and_cousin"],
        mother_and_aunt=data["family_ties"]["mother_and_aunt"],
        my_ties={kind: _strings(notes) for kind, notes in data["my_ties"].items()},
        referral=ReferralTexts(**data["referral"]),
        chain=ChainTexts(**data["chain"]),
        links=_links(data["links"]["middle"]),
        final_links=_links(data["links"]["final"]),
        occasions=_strings(words["occasions"]),
        events=_strings(words["events"]),
        topics=_strings(words["topics"]),
        questions=_strings(words["questions"]),
        months=_strings(words["months"]),
        employed=_strings(person_notes["employed"]),
        other=_strings(person_notes["other"]),
        do_not_contact=_strings(person_notes["do_not_contact"]),
        no_school=(unknown["school"], unknown["degree"]),
        no_previous_employer=unknown["previous_employer"],
    )


@cache
def catalog() -> Catalog:
    """The demo's data, read from ``data/*.toml`` on first use."""
    groups, targets = _read("groups.toml"), _read("targets.toml")
    return Catalog(
        me=_me(_read("me.toml")),
        organizations=_organizations(_read("organizations.toml")),
        jobs=_jobs(_read("jobs.toml")),
        groups=tuple(GroupSpec(**row) for row in groups["group"]),
        members=Members(**{key: _strings(value) for key, value in groups["members"].items()}),
        people=_people(_read("people.toml")),
        notes=_notes(_read("notes.toml")),
        targets=Targets(
            plans=tuple(TargetPlan(**row) for row in targets["plan"]),
            research=tuple(targets["research"].items()),
        ),
        stories=tuple(Story(**row) for row in _read("stories.toml")["story"]),
    )
