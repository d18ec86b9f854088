"""API route for the progress figures: the same numbers as the progress page.

No ``from __future__ import annotations`` here: django-ninja reads the types.
"""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Schema
from pydantic import Field

from coffeechat.progress.serialize import progress_data
from coffeechat.progress.services import progress_of
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


def register(api: NinjaAPI) -> None:
    @router.get(
        "/progress",
        response=MyProgressOut,
        url_name="progress",
        summary="The progress figures: funnel, weeks, targets, reply rates, suggestions",
    )
    def progress(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
        return progress_data(progress_of(request.user, query.period))

    api.add_router("", router)
