"""API routes for the manager's bench: entries, openings and the ranking of an opening.

The actions (log a contact, close an opening) take their few parameters in the query
string, so that the entry or opening is looked up (404 for another user's) before
anything about the request is judged.

No ``from __future__ import annotations`` here: django-ninja reads the types.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Schema, Status
from pydantic import Field

from coffeechat.api.ids import ObjectId
from coffeechat.api.routers.network import Input
from coffeechat.bench import ranking, retention, services
from coffeechat.bench.models import FORGET_CHOICES, BenchEntry, Opening
from coffeechat.core.calendar import local_today
from coffeechat.core.scoping import get_owned_or_404, owned

router = Router(tags=["bench"])


class SkillSchema(Schema):
    name: str = Field(min_length=1, max_length=60)
    level: int = Field(2, ge=1, le=4, description="1 basic, 2 working, 3 strong, 4 expert")


class EntryFields(Schema):
    role_fit: str = Field("", max_length=200, description="A role or project they would fit")
    fit: str = Field("good", description="strong, good, possible or weak")
    fit_reason: str = Field("", max_length=300)
    availability: str = Field("now", description="now, from_date or not_looking")
    available_from: datetime.date | None = Field(None, description="With from_date")
    notice_weeks: int | None = Field(None, ge=0, le=104)
    referred_by_id: ObjectId | None = None
    met_where: str = Field("", max_length=200)
    data_source: str = Field(
        "conversation", description="conversation, they_told_me, cv, referrer or my_notes"
    )
    data_note: str = Field("", max_length=300)
    skills: list[SkillSchema] = []


class EntryIn(EntryFields, Input):
    person_id: ObjectId


class EntryUpdate(EntryFields, Input):
    pass


class ContactOut(Schema):
    on: datetime.date
    channel: str
    note: str


class EntryOut(EntryFields):
    id: int
    person_id: ObjectId
    person_name: str
    preferred_channel: str
    keep_in_touch_days: int | None = Field(description="The cadence on Today (theirs or yours)")
    contacts: list[ContactOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_person_name(obj: BenchEntry) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_preferred_channel(obj: BenchEntry) -> str:
        return obj.person.preferred_channel

    @staticmethod
    def resolve_keep_in_touch_days(obj: BenchEntry) -> int | None:
        return obj.person.keep_in_touch_days

    @staticmethod
    def resolve_skills(obj: BenchEntry) -> list[dict[str, Any]]:
        return [{"name": s.name, "level": s.level} for s in obj.skills.all()]

    @staticmethod
    def resolve_contacts(obj: BenchEntry) -> list[dict[str, Any]]:
        return [{"on": c.on, "channel": c.channel, "note": c.note} for c in obj.contacts.all()]


class ContactIn(Input):
    on: datetime.date | None = Field(None, description="Default: today")
    channel: str = Field("", max_length=20)
    note: str = Field("", max_length=500)


class OpeningFields(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    start_on: datetime.date | None = None
    internal: bool = True
    required_skills: list[str] = []
    nice_to_have_skills: list[str] = []


class OpeningIn(OpeningFields, Input):
    pass


class OutcomeOut(Schema):
    entry_id: ObjectId
    outcome: str


class OpeningOut(OpeningFields):
    id: int
    status: str = Field(description="open or closed")
    closed_on: datetime.date | None
    outcomes: list[OutcomeOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_required_skills(obj: Opening) -> list[str]:
        return [s.name for s in obj.skills.all() if s.required]

    @staticmethod
    def resolve_nice_to_have_skills(obj: Opening) -> list[str]:
        return [s.name for s in obj.skills.all() if not s.required]

    @staticmethod
    def resolve_outcomes(obj: Opening) -> list[dict[str, Any]]:
        return [{"entry_id": o.entry_id, "outcome": o.outcome} for o in obj.outcomes.all()]


class CloseIn(Input):
    hired: list[int] = Field([], description="Bench entry ids")
    approached: list[int] = Field([], description="Bench entry ids")


class MatchOut(Schema):
    name: str
    required: bool
    level: int = Field(description="Their level, 0 when they do not have it")


class BenchRankedOut(Schema):
    entry_id: ObjectId
    person_id: ObjectId
    person_name: str
    total: int = Field(description="0-100, the weighted mean of the scores")
    scores: dict[str, int] = Field(description="skills, fit, availability, recency, vouched")
    matches: list[MatchOut]
    ready_on: datetime.date | None = Field(description="First day they could start")
    last_contact: datetime.date | None
    ties: int
    referred_by_id: ObjectId | None
    team_referrer: str | None = Field(
        None, description="The team member whose referral I accepted (counts as a vouch)"
    )
    preferred_channel: str
    draft_url: str = Field(description="The composer with the draft to them")


class RankingOut(Schema):
    opening_id: ObjectId
    weights: dict[str, int]
    ranked: list[BenchRankedOut]


def _entries(request: HttpRequest) -> Any:
    return (
        owned(BenchEntry, request.user)
        .select_related("person")
        .prefetch_related("skills", "contacts")
    )


def _openings(request: HttpRequest) -> Any:
    return owned(Opening, request.user).prefetch_related("skills", "outcomes")


def _entry(request: HttpRequest, entry_id: int) -> BenchEntry:
    return get_owned_or_404(_entries(request), request.user, pk=entry_id)


def _opening(request: HttpRequest, opening_id: int) -> Opening:
    return get_owned_or_404(_openings(request), request.user, pk=opening_id)


def _save_entry(request: HttpRequest, entry: BenchEntry, data: dict[str, Any]) -> BenchEntry:
    skills = data.pop("skills", None)
    for key, value in data.items():
        setattr(entry, key, value)
    with transaction.atomic():
        services.save_entry(
            request.user,
            entry,
            skills=None if skills is None else [services.SkillIn(**s) for s in skills],
        )
    return _entry(request, entry.pk)


def _save_opening(request: HttpRequest, opening: Opening, data: dict[str, Any]) -> Opening:
    required = data.pop("required_skills", None)
    nice = data.pop("nice_to_have_skills", None)
    for key, value in data.items():
        setattr(opening, key, value)
    if required is not None and nice is None:
        nice = [s.name for s in opening.skills.all() if not s.required] if opening.pk else []
    if nice is not None and required is None:
        required = [s.name for s in opening.skills.all() if s.required] if opening.pk else []
    services.save_opening(request.user, opening, required=required, nice_to_have=nice)
    return _opening(request, opening.pk)


@router.get("/bench/entries", response=list[EntryOut], url_name="bench-entry-list")
def list_entries(request: HttpRequest) -> Any:
    return list(_entries(request))


@router.post("/bench/entries", response={201: EntryOut}, url_name="bench-entry-list")
def create_entry(request: HttpRequest, payload: EntryIn) -> Any:
    person_id = payload.person_id
    data = payload.dict(exclude={"person_id"})
    entry = BenchEntry(person_id=person_id)
    return Status(201, _save_entry(request, entry, data))


@router.get("/bench/entries/{int:entry_id}", response=EntryOut, url_name="bench-entry-detail")
def get_entry(request: HttpRequest, entry_id: int) -> Any:
    return _entry(request, entry_id)


@router.put("/bench/entries/{int:entry_id}", response=EntryOut, url_name="bench-entry-detail")
def put_entry(request: HttpRequest, entry_id: int, payload: EntryUpdate) -> Any:
    return _save_entry(request, _entry(request, entry_id), payload.dict())


@router.patch("/bench/entries/{int:entry_id}", response=EntryOut, url_name="bench-entry-detail")
def patch_entry(request: HttpRequest, entry_id: int, payload: EntryUpdate) -> Any:
    return _save_entry(request, _entry(request, entry_id), payload.dict(exclude_unset=True))


@router.delete("/bench/entries/{int:entry_id}", response={204: None}, url_name="bench-entry-detail")
def delete_entry(request: HttpRequest, entry_id: int) -> Any:
    services.remove_entry(request.user, _entry(request, entry_id))
    return Status(204, None)


@router.post(
    "/bench/entries/{int:entry_id}/contacts",
    response={201: EntryOut},
    url_name="bench-entry-contacts",
)
def log_contact(request: HttpRequest, entry_id: int, payload: Query[ContactIn]) -> Any:
    entry = _entry(request, entry_id)
    on = payload.on or local_today(request.user)
    services.log_contact(request.user, entry, on, channel=payload.channel, note=payload.note)
    return Status(201, _entry(request, entry_id))


@router.get("/bench/openings", response=list[OpeningOut], url_name="bench-opening-list")
def list_openings(request: HttpRequest) -> Any:
    return list(_openings(request))


@router.post("/bench/openings", response={201: OpeningOut}, url_name="bench-opening-list")
def create_opening(request: HttpRequest, payload: OpeningIn) -> Any:
    opening = Opening()
    data = payload.dict()
    data.setdefault("required_skills", [])
    return Status(201, _save_opening(request, opening, data))


@router.get(
    "/bench/openings/{int:opening_id}", response=OpeningOut, url_name="bench-opening-detail"
)
def get_opening(request: HttpRequest, opening_id: int) -> Any:
    return _opening(request, opening_id)


@router.put(
    "/bench/openings/{int:opening_id}", response=OpeningOut, url_name="bench-opening-detail"
)
def put_opening(request: HttpRequest, opening_id: int, payload: OpeningIn) -> Any:
    return _save_opening(request, _opening(request, opening_id), payload.dict())


@router.patch(
    "/bench/openings/{int:opening_id}", response=OpeningOut, url_name="bench-opening-detail"
)
def patch_opening(request: HttpRequest, opening_id: int, payload: OpeningIn) -> Any:
    return _save_opening(request, _opening(request, opening_id), payload.dict(exclude_unset=True))


@router.delete(
    "/bench/openings/{int:opening_id}", response={204: None}, url_name="bench-opening-detail"
)
def delete_opening(request: HttpRequest, opening_id: int) -> Any:
    _opening(request, opening_id).delete()
    return Status(204, None)


@router.post(
    "/bench/openings/{int:opening_id}/close",
    response=OpeningOut,
    url_name="bench-opening-close",
)
def close_opening(request: HttpRequest, opening_id: int, payload: Query[CloseIn]) -> Any:
    opening = _opening(request, opening_id)
    ids = set(payload.hired) | set(payload.approached)
    entries = {e.pk: e for e in owned(BenchEntry, request.user).filter(pk__in=ids)}
    missing = sorted(ids - set(entries))
    if missing:
        raise DjangoValidationError({"hired": f"There is no bench entry with id {missing[0]}."})
    services.close_opening(
        request.user,
        opening,
        hired=[entries[pk] for pk in payload.hired],
        approached=[entries[pk] for pk in payload.approached],
    )
    return _opening(request, opening_id)


@router.get(
    "/bench/openings/{int:opening_id}/ranking",
    response=RankingOut,
    url_name="bench-opening-ranking",
)
def opening_ranking(request: HttpRequest, opening_id: int) -> Any:
    opening = _opening(request, opening_id)
    ranked = ranking.rank(request.user, opening, local_today(request.user))
    return {
        "opening_id": opening.pk,
        "weights": ranking.WEIGHTS,
        "ranked": [
            {
                "entry_id": r.entry.pk,
                "person_id": r.person.pk,
                "person_name": r.person.full_name,
                "total": r.total,
                "scores": r.scores,
                "matches": [vars(m) for m in r.matches],
                "ready_on": r.ready_on,
                "last_contact": r.last_contact,
                "ties": r.ties,
                "referred_by_id": r.entry.referred_by_id,
                "team_referrer": getattr(r.entry, "team_referrer", None),
                "preferred_channel": r.person.preferred_channel,
                "draft_url": r.draft_url,
            }
            for r in ranked
        ],
    }


class SettingsIn(Input):
    keep_warm_days: int | None = Field(
        None, ge=7, le=730, description="The keep-in-touch cadence, in days, for people benched"
    )
    forget_after_months: int | None = Field(
        None,
        description="Forget candidates not in touch for this many months "
        f"({', '.join(str(m) for m, _label in FORGET_CHOICES)}); null: never",
    )


class ForgottenSoonOut(Schema):
    entry_id: int
    person_id: int
    person_name: str
    last_in_touch: datetime.date
    forget_on: datetime.date


class SettingsOut(Schema):
    keep_warm_days: int
    forget_after_months: int | None
    forgotten_soon: list[ForgottenSoonOut] = Field(
        description=f"Who the worker takes off the bench within {retention.SOON_DAYS} days"
    )


def _settings_out(request: HttpRequest) -> dict[str, Any]:
    found = services.settings_for(request.user)
    soon = retention.forgotten_soon(request.user, found.forget_after_months)
    return {
        "keep_warm_days": found.keep_warm_days,
        "forget_after_months": found.forget_after_months,
        "forgotten_soon": [
            {
                "entry_id": stale.entry.pk,
                "person_id": stale.entry.person_id,
                "person_name": stale.entry.person.full_name,
                "last_in_touch": stale.last_touch,
                "forget_on": stale.forget_on,
            }
            for stale in soon
        ],
    }


@router.get("/bench/settings", response=SettingsOut, url_name="bench-settings")
def get_settings(request: HttpRequest) -> Any:
    return _settings_out(request)


@router.patch("/bench/settings", response=SettingsOut, url_name="bench-settings")
def patch_settings(request: HttpRequest, payload: SettingsIn) -> Any:
    data = payload.dict(exclude_unset=True)
    current = services.settings_for(request.user)
    keep_warm_days = data.get("keep_warm_days") or current.keep_warm_days
    if "forget_after_months" in data:
        services.save_settings(request.user, keep_warm_days, data["forget_after_months"])
    else:
        services.save_settings(request.user, keep_warm_days)
    return _settings_out(request)


def register(api: NinjaAPI) -> None:
    from coffeechat.api.routers import bench_requests  # the front door's queue

    api.add_router("", router)
    api.add_router("", bench_requests.router)
