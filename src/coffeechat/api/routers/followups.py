"""API routes for follow-ups and the today list.

The actions take their few parameters in the query string (``?days=3``,
``?reason=…``), so that the follow-up is looked up (404 for another user's) before
anything about the request is judged.

No ``from __future__ import annotations`` here: django-ninja reads the types.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Schema
from pydantic import Field

from coffeechat.api.routers.network import Input, ObjectId, crud, filter_by_fields
from coffeechat.core.scoping import get_owned_or_404
from coffeechat.followups import services
from coffeechat.followups.models import FollowUp
from coffeechat.followups.today import today_list


class FollowUpFields(Schema):
    title: str = Field(min_length=1, max_length=200)
    kind: str = Field(
        "custom",
        description="thank_you, nudge, try_another, keep_in_touch, promised, prepare, "
        "debrief, supervisor_check_in, reschedule or custom",
    )
    due_on: datetime.date = Field(description="The day, in your time zone")
    due_at: datetime.datetime | None = Field(None, description="A time too, when it matters")
    person_id: ObjectId | None = None
    organization_id: ObjectId | None = None
    channel: str = Field(
        "", description="email, phone, linkedin, text, video, in_person; empty: the person's"
    )
    note: str = ""
    action_url: str = Field("", max_length=500, description="A link inside Coffeechat (/…)")


class FollowUpIn(FollowUpFields, Input):
    pass


class FollowUpOut(FollowUpFields):
    id: int
    status: str = Field(description="open, done, snoozed, skipped or retired (no longer needed)")
    snoozed_until: datetime.date | None
    remind_on: datetime.date = Field(description="The day it shows on the today list")
    skip_reason: str
    closed_reason: str = Field(description="What closed it (done) or why it is no longer needed")
    done_at: datetime.datetime | None
    rule: str = Field(description="The rule that added it; empty when added by hand")
    rule_key: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class FollowUpFilters(Input):
    status: str | None = None
    kind: str | None = None
    person_id: ObjectId | None = None
    organization_id: ObjectId | None = None


class SnoozeIn(Input):
    days: int = Field(1, ge=1, le=365, description="1, 3 or 7 on the page; up to 365")


class SkipIn(Input):
    reason: str = Field("", max_length=300, description="Why you skip it (required)")


class ProgressOut(Schema):
    name: str
    label: str
    done: int
    target: int


class TodayOut(Schema):
    today: datetime.date
    overdue: list[FollowUpOut]
    due_today: list[FollowUpOut]
    upcoming: list[FollowUpOut]
    progress: list[ProgressOut]


def save_follow_up(owner: Any, item: FollowUp, data: dict[str, Any]) -> FollowUp:
    for key, value in data.items():
        setattr(item, key, value)
    return services.save_follow_up(owner, item)


def register(api: NinjaAPI) -> None:
    router = Router(tags=["follow-ups"])

    @router.get(
        "/today",
        response=TodayOut,
        url_name="today",
        summary="Overdue, today and the next seven days, with this week's progress",
    )
    def today(request: HttpRequest) -> Any:
        result = today_list(request.user)
        return {
            "today": result.today,
            "overdue": result.overdue,
            "due_today": result.due_today,
            "upcoming": result.upcoming,
            "progress": [
                {"name": p.name, "label": p.label, "done": p.done, "target": p.target}
                for p in result.progress
            ],
        }

    def fetch(request: HttpRequest, follow_up_id: int) -> FollowUp:
        return get_owned_or_404(
            FollowUp.objects.select_related("owner__profile"), request.user, pk=follow_up_id
        )

    @router.post(
        "/follow-ups/{int:follow_up_id}/done",
        response=FollowUpOut,
        url_name="follow-up-done",
        summary="Mark a follow-up done",
    )
    def mark_done(request: HttpRequest, follow_up_id: int) -> Any:
        return services.done(fetch(request, follow_up_id))

    @router.post(
        "/follow-ups/{int:follow_up_id}/snooze",
        response=FollowUpOut,
        url_name="follow-up-snooze",
        summary="Put a follow-up off for some days",
    )
    def snooze(request: HttpRequest, follow_up_id: int, query: Query[SnoozeIn]) -> Any:
        return services.snooze(fetch(request, follow_up_id), query.days)

    @router.post(
        "/follow-ups/{int:follow_up_id}/skip",
        response=FollowUpOut,
        url_name="follow-up-skip",
        summary="Skip a follow-up, with a reason",
    )
    def skip(request: HttpRequest, follow_up_id: int, query: Query[SkipIn]) -> Any:
        return services.skip(fetch(request, follow_up_id), query.reason)

    crud(
        router,
        name="follow_up",
        plural="follow-ups",
        model=FollowUp,
        schema_in=FollowUpIn,
        schema_out=FollowUpOut,
        filters=FollowUpFilters,
        apply_filters=filter_by_fields,
        save=save_follow_up,
    )
    api.add_router("", router)
