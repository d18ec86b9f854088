"""The progress page: the funnel, weekly activity, targets, reply rates, suggestions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from coffeechat.core.scoping import form_data
from coffeechat.progress import charts
from coffeechat.progress.forms import ReviewSettingsForm
from coffeechat.progress.period import CHOICES
from coffeechat.progress.review import QUIET_WEEKS, WRITE_WITHIN_DAYS, BadWeek, review_of
from coffeechat.progress.services import (
    progress_of,
    review_settings_of,
    save_review_settings,
)
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


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    problem = ""
    try:
        figures = review_of(request.user, request.GET.get("week"))
    except BadWeek as error:
        problem = str(error)
        figures = review_of(request.user)
    return render(
        request,
        "progress/review.html",
        {
            "review": figures,
            "problem": problem,
            "quiet_weeks": QUIET_WEEKS,
            "write_within_days": WRITE_WITHIN_DAYS,
            "email_settings": review_settings_of(request.user),
        },
        status=400 if problem else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_settings(request: HttpRequest) -> HttpResponse:
    form = ReviewSettingsForm(form_data(request), instance=review_settings_of(request.user))
    if request.method == "POST" and form.is_valid():
        save_review_settings(
            request.user,
            email_enabled=form.cleaned_data["email_enabled"],
            weekday=form.cleaned_data["weekday"],
        )
        messages.success(request, "Weekly review e-mail settings saved.")
        return redirect("progress:review")
    return render(
        request,
        "progress/review_settings.html",
        {"form": form, "email_configured": settings.EMAIL_CONFIGURED},
    )
