"""The progress page: the funnel, weekly activity, targets, reply rates, suggestions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coffeechat.progress import charts
from coffeechat.progress.period import CHOICES
from coffeechat.progress.services import progress_of
from coffeechat.progress.stats import MIN_COUNT


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    figures = progress_of(request.user, request.GET.get("period"))
    weekly = figures.weekly
    return render(
        request,
        "progress/overview.html",
        {
            "figures": figures,
            "periods": CHOICES.items(),
            "min_count": MIN_COUNT,
            "funnel_chart": charts.funnel_chart(figures.funnel),
            "weekly_charts": [
                (measure, charts.weekly_chart(weekly, measure.key, measure.target))
                for measure in weekly.measures
            ],
            "weekly_rows": [
                (week, [week.counts.get(m.key, 0) for m in weekly.measures])
                for week in weekly.weeks
            ],
            "rate_groups": [
                (group, charts.rates_chart(group.rates)) for group in figures.replies.groups
            ],
        },
    )
