"""API route for the progress figures: the same numbers as the progress page.

No ``from __future__ import annotations`` here: django-ninja reads the types.
"""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Schema
from pydantic import Field

from coffeechat.api.routers.network import Input
from coffeechat.progress.review import BadWeek, review_of
from coffeechat.progress.serialize import progress_data, review_data
from coffeechat.progress.services import (
    progress_of,
    review_settings_of,
    save_review_settings,
)
from coffeechat.progress.stats import MIN_COUNT

router = Router(tags=["progress"])


class PeriodQuery(Schema):
    period: Literal["30", "90", "365", "all"] = Field(
        "90", description="The last 30, 90 or 365 days (in your time zone), or all time"
    )


class PeriodOut(Schema):
    key: str
    label: str
    first_day: datetime.date | None = Field(description="None for all time")
    last_day: datetime.date


class StepOut(Schema):
    key: str
    label: str
    count: int | None = Field(description="None: not recorded")
    conversion: int | None = Field(description="Percent of the step before")


class WeekOut(Schema):
    first_day: datetime.date = Field(description="The Monday, in your time zone")
    counts: dict[str, int]


class MeasureOut(Schema):
    key: str
    label: str
    target: int | None


class WeeklyOut(Schema):
    measures: list[MeasureOut]
    weeks: list[WeekOut]


class ProgressTargetOut(Schema):
    organization: str
    status: str
    people_talked_to: int
    best_chain_depth: int
    reached_hiring: bool
    last_activity: datetime.date | None
    next_step: str


class ProgressRateOut(Schema):
    key: str
    label: str
    sent: int
    replied: int
    enough: bool = Field(description=f"False: fewer than {MIN_COUNT}, too few to tell")
    percent: int | None
    low: int | None = Field(description="95% Wilson interval, lower end (percent)")
    high: int | None = Field(description="95% Wilson interval, upper end (percent)")


class GroupOut(Schema):
    key: str
    title: str
    rates: list[ProgressRateOut]


class DurationOut(Schema):
    label: str
    median_days: float | None
    count: int


class SuggestionOut(Schema):
    text: str
    dimension: str
    group: str
    replied: int
    sent: int
    others_replied: int
    others_sent: int


class MyProgressOut(Schema):
    period: PeriodOut
    funnel: list[StepOut]
    weekly: WeeklyOut
    targets: list[ProgressTargetOut]
    replies: ProgressRateOut
    reply_rates: list[GroupOut]
    time_to_reply: DurationOut
    note_to_conversation: DurationOut
    suggestions: list[SuggestionOut]
    min_count: int


class WeekQuery(Input):
    week: str = Field(
        "",
        max_length=8,
        description="An ISO week, YYYY-Www (e.g. 2026-W09), Monday to Sunday in your time "
        "zone; empty: the last complete week",
    )


class ReviewWeekOut(Schema):
    key: str = Field(description="YYYY-Www")
    first_day: datetime.date = Field(description="The Monday")
    last_day: datetime.date = Field(description="The Sunday")


class ReviewItemOut(Schema):
    title: str
    url: str = Field(description="The object's page")
    on: datetime.date | None
    detail: str


class ReviewSectionOut(Schema):
    key: str
    label: str
    count: int
    empty: str = Field(description="What the page says when there is nothing")
    items: list[ReviewItemOut]


class ReviewOut(Schema):
    week: ReviewWeekOut
    coming_week: ReviewWeekOut = Field(description="The week after: what is due")
    latest_week: str = Field(description="The last complete week (the latest you may ask for)")
    happened: list[ReviewSectionOut]
    first_notes: int = Field(description="Of the notes sent, first notes")
    due: list[ReviewSectionOut]
    quiet: ReviewSectionOut
    quiet_weeks: int
    stalled: ReviewSectionOut
    counts: dict[str, int] = Field(description="Every section's count, by key")


class ReviewSettingsOut(Schema):
    email_enabled: bool = Field(description="The weekly review comes by e-mail")
    weekday: int = Field(description="0 = Monday … 6 = Sunday: the day it comes, from 08:00")


class ReviewSettingsIn(Input):
    email_enabled: bool
    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")


def _settings(found: Any) -> dict[str, Any]:
    return {"email_enabled": found.email_enabled, "weekday": int(found.weekday)}


def register(api: NinjaAPI) -> None:
    @router.get(
        "/progress",
        response=MyProgressOut,
        url_name="progress",
        summary="The progress figures: funnel, weeks, targets, reply rates, suggestions",
    )
    def progress(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
        return progress_data(progress_of(request.user, query.period))

    @router.get(
        "/progress/review",
        response=ReviewOut,
        url_name="progress-review",
        summary="The weekly review: what happened, what is due, quiet targets, stalled chains",
    )
    def review(request: HttpRequest, query: Query[WeekQuery]) -> Any:
        try:
            return review_data(review_of(request.user, query.week or None))
        except BadWeek as error:
            raise DjangoValidationError({"week": str(error)}) from None

    @router.get(
        "/progress/review/settings",
        response=ReviewSettingsOut,
        url_name="progress-review-settings",
        summary="Whether the weekly review comes by e-mail, and on which day",
    )
    def get_review_settings(request: HttpRequest) -> Any:
        return _settings(review_settings_of(request.user))

    @router.put(
        "/progress/review/settings",
        response=ReviewSettingsOut,
        url_name="progress-review-settings-set",
        summary="Turn the weekly review e-mail on or off, and choose its day",
    )
    def set_review_settings(request: HttpRequest, payload: ReviewSettingsIn) -> Any:
        return _settings(
            save_review_settings(
                request.user, email_enabled=payload.email_enabled, weekday=payload.weekday
            )
        )

    api.add_router("", router)
