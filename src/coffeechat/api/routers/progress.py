"""API route for the progress figures: the same numbers as the progress page.

No ``from __future__ import annotations`` here: django-ninja reads the types.
"""

import datetime
from dataclasses import asdict
from typing import Any, Literal

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Schema
from pydantic import Field

from coffeechat.progress.services import progress_of
from coffeechat.progress.stats import MIN_COUNT, Rate

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


class TargetOut(Schema):
    organization: str
    status: str
    people_talked_to: int
    best_chain_depth: int
    reached_hiring: bool
    last_activity: datetime.date | None
    next_step: str


class RateOut(Schema):
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
    rates: list[RateOut]


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


class ProgressOut(Schema):
    period: PeriodOut
    funnel: list[StepOut]
    weekly: WeeklyOut
    targets: list[TargetOut]
    replies: RateOut
    reply_rates: list[GroupOut]
    time_to_reply: DurationOut
    note_to_conversation: DurationOut
    suggestions: list[SuggestionOut]
    min_count: int


def _rate(rate: Rate) -> dict[str, Any]:
    return {
        **asdict(rate),
        "enough": rate.enough,
        "percent": rate.percent,
        "low": rate.low,
        "high": rate.high,
    }


def register(api: NinjaAPI) -> None:
    @router.get(
        "/progress",
        response=ProgressOut,
        url_name="progress",
        summary="The progress figures: funnel, weeks, targets, reply rates, suggestions",
    )
    def progress(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
        figures = progress_of(request.user, query.period)
        replies = figures.replies
        return {
            "period": {
                "key": figures.period.key,
                "label": figures.period.label,
                "first_day": figures.period.first_day,
                "last_day": figures.period.last_day,
            },
            "funnel": [asdict(step) for step in figures.funnel],
            "weekly": {
                "measures": [asdict(m) for m in figures.weekly.measures],
                "weeks": [
                    {"first_day": w.first_day, "counts": w.counts} for w in figures.weekly.weeks
                ],
            },
            "targets": [asdict(t) for t in figures.targets],
            "replies": _rate(replies.total),
            "reply_rates": [
                {"key": g.key, "title": g.title, "rates": [_rate(r) for r in g.rates]}
                for g in replies.groups
            ],
            "time_to_reply": asdict(replies.time_to_reply),
            "note_to_conversation": asdict(replies.note_to_conversation),
            "suggestions": [asdict(s) for s in replies.suggestions],
            "min_count": MIN_COUNT,
        }

    api.add_router("", router)
