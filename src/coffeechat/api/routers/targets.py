"""API routes for targets, postings, applications, warm paths and situations.

No ``from __future__ import annotations`` here either: django-ninja reads the types.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Schema, Status
from pydantic import Field

from coffeechat.api.routers.network import Input, ObjectId, crud, filter_by_fields
from coffeechat.core.scoping import get_owned_or_404
from coffeechat.network.models import Organization, Person
from coffeechat.outreach.situations import (
    Situation,
    situations_for_application,
    situations_for_organization,
    situations_for_person,
)
from coffeechat.targets import services
from coffeechat.targets.models import Application, Posting, Target
from coffeechat.targets.outcomes import application_outcomes
from coffeechat.targets.paths import (
    HiringContact,
    Path,
    WarmPaths,
    hiring_authority,
    paths_to_organization,
    paths_to_person,
)

# Targets ------------------------------------------------------------------------------


class TargetFields(Schema):
    organization_id: ObjectId
    why: str = ""
    motivation: int = Field(3, ge=1, le=5, description="1 = mildly curious, 5 = top choice")
    hiring_signal: str = Field("unknown", description="open_posting, none_seen or unknown")
    status: str = Field("exploring", description="exploring, active, paused or not_a_fit")
    status_reason: str = Field("", description="Required for not_a_fit: why it is not a fit.")
    what_they_do_done: bool = False
    what_they_do_notes: str = ""
    recent_news_done: bool = False
    recent_news_notes: str = ""
    teams_done: bool = False
    teams_notes: str = ""
    culture_done: bool = False
    culture_notes: str = ""
    who_hires_done: bool = False
    who_hires_notes: str = ""


class TargetIn(TargetFields, Input):
    pass


class TargetOut(TargetFields):
    id: int
    organization_name: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_organization_name(obj: Target) -> str:
        return obj.organization.name


class TargetFilters(Input):
    status: str = ""


def filter_targets(queryset: QuerySet[Target], filters: TargetFilters) -> QuerySet[Target]:
    return queryset.filter(status=filters.status) if filters.status else queryset


def save_target(owner: Any, target: Target, data: dict[str, Any]) -> Target:
    for key, value in data.items():
        setattr(target, key, value)
    return services.save_target(owner, target)


class BulkIn(Input):
    names: list[str] = Field(
        description="Organization names; matched to yours by name key, new ones created."
    )


class BulkOut(Schema):
    new_organizations: list[str]
    existing_organizations: list[str]
    already_targets: list[str]
    targets: list[TargetOut]


# Paths --------------------------------------------------------------------------------


class JobOut(Schema):
    organization_id: ObjectId
    organization: str
    title: str
    department: str
    is_current: bool
    has_hiring_authority: bool


class PersonRefOut(Schema):
    id: int
    name: str


class LinkOut(Schema):
    person: PersonRefOut
    kind: str = Field(description="tie, affiliation, introducer, contact or coworker")
    weight: float


class PathOut(Schema):
    score: int = Field(description="Warmth, 0-100")
    warmth: str = Field(description="warm, lukewarm or cool")
    hops: int
    explanation: str = Field(description="One sentence: how you reach the last person")
    route: str
    links: list[LinkOut]
    end_job: JobOut | None


class HiringOut(Schema):
    person: PersonRefOut
    job: JobOut
    flagged: bool = Field(description="Marked as having hiring authority; else suggested")
    hint: str
    hops: int | None
    route: str
    path: PathOut | None


class PathsOut(Schema):
    organization_id: ObjectId | None = None
    organization: str = ""
    person_id: ObjectId | None = None
    reached: int
    advocacy: int
    paths: list[PathOut]
    hiring_authority: list[HiringOut] = []


def path_out(path: Path) -> dict[str, Any]:
    job = path.job
    return {
        "score": path.score,
        "warmth": path.warmth,
        "hops": path.hops,
        "explanation": path.explain(),
        "route": " → ".join(["you", *(p.name for p in path.people)]),
        "links": [
            {
                "person": {"id": link.person.id, "name": link.person.name},
                "kind": link.reason.kind,
                "weight": round(link.weight, 3),
            }
            for link in path.links
        ],
        "end_job": None
        if job is None
        else {
            "organization_id": job.organization_id,
            "organization": job.organization,
            "title": job.title,
            "department": job.department,
            "is_current": job.is_current,
            "has_hiring_authority": job.has_hiring_authority,
        },
    }


def hiring_out(contact: HiringContact) -> dict[str, Any]:
    job = contact.job
    return {
        "person": {"id": contact.person.id, "name": contact.person.name},
        "job": {
            "organization_id": job.organization_id,
            "organization": job.organization,
            "title": job.title,
            "department": job.department,
            "is_current": job.is_current,
            "has_hiring_authority": job.has_hiring_authority,
        },
        "flagged": contact.flagged,
        "hint": contact.hint,
        "hops": contact.hops,
        "route": contact.route,
        "path": path_out(contact.path) if contact.path else None,
    }


class PathQuery(Input):
    limit: int = Field(10, ge=1, le=200)
    per_person: int = Field(2, ge=1, le=10, description="At most this many paths to one person")


def organization_paths_out(organization: Organization, warm: WarmPaths, query: PathQuery) -> Any:
    return {
        "organization_id": organization.pk,
        "organization": organization.name,
        "reached": warm.reached,
        "advocacy": warm.advocacy,
        "paths": [path_out(p) for p in warm.ranked(query.limit, query.per_person)],
        "hiring_authority": [hiring_out(c) for c in hiring_authority(warm)],
    }


# Situations and outcomes --------------------------------------------------------------


class SituationOut(Schema):
    kind: str = Field(description="applied_there, apply_now or ask_for_feedback")
    title: str
    advice: str
    organization_id: ObjectId
    organization: str
    person_id: ObjectId | None
    person: str
    application_id: ObjectId | None
    posting_id: ObjectId | None
    purpose: str = Field(description="the purpose of the message the situation calls for")
    action: str = Field(description="what its one-click action does")
    action_url: str = Field(description="the composer, prefilled (or the page to look at)")


def situations_out(found: list[Situation]) -> list[dict[str, Any]]:
    return [
        {
            "kind": s.kind,
            "title": s.title,
            "advice": s.advice,
            "organization_id": s.organization_id,
            "organization": s.organization,
            "person_id": s.person_id,
            "person": s.person,
            "application_id": s.application_id,
            "posting_id": s.posting_id,
            "purpose": s.purpose,
            "action": s.action,
            "action_url": s.action_url,
        }
        for s in found
    ]


class ChannelOut(Schema):
    label: str
    sent: int
    interviews: int
    offers: int
    interview_rate: int | None
    offer_rate: int | None


class OutcomesOut(Schema):
    cold: ChannelOut
    referral: ChannelOut
    summary: str


class FactorOut(Schema):
    key: str
    label: str
    value: str
    points: float
    max_points: int


class RankedOut(Schema):
    rank: int = Field(description="0 for a target marked not a fit (not ranked)")
    priority: int
    target: TargetOut
    factors: list[FactorOut]
    why: str
    hiring_signal: str = Field(description="The signal that counts: open postings win")
    reached: int
    advocacy: int
    best_path: PathOut | None


# Postings and applications ------------------------------------------------------------


class PostingFields(Schema):
    organization_id: ObjectId
    title: str = Field(min_length=1, max_length=200)
    url: str = ""
    seen_on: datetime.date | None = None
    contact_id: ObjectId | None = Field(None, description="The posting's listed contact person")
    status: str = Field("open", description="open or closed")
    notes: str = ""


class PostingIn(PostingFields, Input):
    pass


class PostingOut(PostingFields):
    id: int


class PostingFilters(Input):
    organization_id: ObjectId | None = None
    contact_id: ObjectId | None = None
    status: str | None = None


class ApplicationFields(Schema):
    organization_id: ObjectId | None = Field(None, description="Taken from the posting if empty")
    posting_id: ObjectId | None = None
    role_title: str = Field(min_length=1, max_length=200)
    applied_on: datetime.date | None = None
    channel: str = Field("job_board", description="job_board, referral or direct")
    referred_by_id: ObjectId | None = Field(None, description="Who referred you (referral only)")
    status: str = Field(
        "preparing",
        description="preparing, applied, interviewing, rejected, offer or withdrawn; "
        "a change is added to the dated history",
    )
    notes: str = ""


class ApplicationIn(ApplicationFields, Input):
    status_on: datetime.date | None = Field(
        None, description="When the new status happened (default today)"
    )
    status_note: str = Field("", max_length=300, description="A note for the history")


class EventOut(Schema):
    status: str
    on: datetime.date
    note: str


class ApplicationOut(ApplicationFields):
    id: int
    organization_id: ObjectId | None
    history: list[EventOut]

    @staticmethod
    def resolve_history(obj: Application) -> list[dict[str, Any]]:
        return [{"status": e.status, "on": e.on, "note": e.note} for e in obj.events.all()]


class ApplicationFilters(Input):
    organization_id: ObjectId | None = None
    posting_id: ObjectId | None = None
    status: str | None = None
    channel: str | None = None


def save_posting(owner: Any, posting: Posting, data: dict[str, Any]) -> Posting:
    for key, value in data.items():
        setattr(posting, key, value)
    return services.save_posting(owner, posting)


def save_application(owner: Any, application: Application, data: dict[str, Any]) -> Application:
    on = data.pop("status_on", None)
    note = data.pop("status_note", None) or ""
    for key, value in data.items():
        setattr(application, key, value)
    return services.save_application(owner, application, on=on, note=note)


# Registration -------------------------------------------------------------------------


def register(api: NinjaAPI) -> None:
    router = Router(tags=["targets"])

    @router.get(
        "/targets/ranked",
        response=list[RankedOut],
        url_name="target-ranking",
        summary="Targets in priority order, with each factor and why",
    )
    def ranked_targets(request: HttpRequest) -> Any:
        return [
            {
                "rank": item.rank,
                "priority": item.priority,
                "target": item.target,
                "factors": [
                    {
                        "key": f.key,
                        "label": f.label,
                        "value": f.value,
                        "points": round(f.points, 1),
                        "max_points": f.max_points,
                    }
                    for f in item.factors
                ],
                "why": item.why,
                "hiring_signal": item.hiring_signal,
                "reached": item.warm.reached,
                "advocacy": item.warm.advocacy,
                "best_path": path_out(item.best_path) if item.best_path else None,
            }
            for item in services.rank_targets(request.user)
        ]

    @router.post(
        "/targets/bulk",
        response={201: BulkOut},
        url_name="target-bulk",
        summary="Make targets of a list of organization names",
    )
    def bulk_add(request: HttpRequest, payload: BulkIn) -> Any:
        result = services.add_targets(request.user, payload.names)
        return Status(
            201,
            {
                "new_organizations": result.new_organizations,
                "existing_organizations": result.existing_organizations,
                "already_targets": result.already_targets,
                "targets": result.targets,
            },
        )

    @router.get(
        "/targets/{int:target_id}/paths",
        response=PathsOut,
        url_name="target-paths",
        summary="Warm paths into a target, with explanations and hiring authority",
    )
    def target_paths(request: HttpRequest, target_id: int, query: Query[PathQuery]) -> Any:
        target = get_owned_or_404(
            Target.objects.select_related("organization"), request.user, pk=target_id
        )
        organization = target.organization
        warm = paths_to_organization(request.user, organization, per_person=query.per_person)
        return organization_paths_out(organization, warm, query)

    @router.get(
        "/organizations/{int:organization_id}/paths",
        response=PathsOut,
        url_name="organization-paths",
        summary="Warm paths into any organization",
    )
    def organization_paths(
        request: HttpRequest, organization_id: int, query: Query[PathQuery]
    ) -> Any:
        organization = get_owned_or_404(Organization, request.user, pk=organization_id)
        warm = paths_to_organization(request.user, organization, per_person=query.per_person)
        return organization_paths_out(organization, warm, query)

    @router.get(
        "/people/{int:person_id}/paths",
        response=PathsOut,
        url_name="person-paths",
        summary="Warm paths to one person",
    )
    def person_paths(request: HttpRequest, person_id: int, query: Query[PathQuery]) -> Any:
        person = get_owned_or_404(Person, request.user, pk=person_id)
        warm = paths_to_person(request.user, person, per_person=max(query.per_person, 10))
        return {
            "person_id": person.pk,
            "reached": warm.reached,
            "advocacy": warm.advocacy,
            "paths": [path_out(p) for p in warm.ranked(query.limit, max(query.per_person, 10))],
        }

    @router.get(
        "/people/{int:person_id}/situations",
        response=list[SituationOut],
        url_name="person-situations",
        summary="What to keep in mind before contacting a person",
    )
    def person_situations(request: HttpRequest, person_id: int) -> Any:
        person = get_owned_or_404(Person, request.user, pk=person_id)
        return situations_out(situations_for_person(request.user, person))

    @router.get(
        "/organizations/{int:organization_id}/situations",
        response=list[SituationOut],
        url_name="organization-situations",
        summary="Situations at an organization (applications, postings, rejections)",
    )
    def organization_situations(request: HttpRequest, organization_id: int) -> Any:
        organization = get_owned_or_404(Organization, request.user, pk=organization_id)
        return situations_out(situations_for_organization(request.user, organization))

    @router.get(
        "/applications/{int:application_id}/situations",
        response=list[SituationOut],
        url_name="application-situations",
        summary="Situations around one application",
    )
    def application_situations(request: HttpRequest, application_id: int) -> Any:
        application = get_owned_or_404(
            Application.objects.select_related("organization", "posting", "posting__contact"),
            request.user,
            pk=application_id,
        )
        return situations_out(situations_for_application(request.user, application))

    @router.get(
        "/applications/outcomes",
        response=OutcomesOut,
        url_name="application-outcomes",
        summary="Applications sent cold and through a referral, with their results",
    )
    def outcomes(request: HttpRequest) -> Any:
        found = application_outcomes(request.user)
        return {
            "cold": found.cold,
            "referral": found.referral,
            "summary": found.summary,
        }

    crud(
        router,
        name="target",
        plural="targets",
        model=Target,
        schema_in=TargetIn,
        schema_out=TargetOut,
        filters=TargetFilters,
        apply_filters=filter_targets,
        save=save_target,
        queryset=lambda qs: qs.select_related("organization"),
    )
    crud(
        router,
        name="posting",
        plural="postings",
        model=Posting,
        schema_in=PostingIn,
        schema_out=PostingOut,
        filters=PostingFilters,
        apply_filters=filter_by_fields,
        save=save_posting,
    )
    crud(
        router,
        name="application",
        plural="applications",
        model=Application,
        schema_in=ApplicationIn,
        schema_out=ApplicationOut,
        filters=ApplicationFilters,
        apply_filters=filter_by_fields,
        save=save_application,
        queryset=lambda qs: qs.prefetch_related("events"),
    )
    api.add_router("", router)
