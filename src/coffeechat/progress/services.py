"""The progress figures, for the page, the API and the CLI alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from coffeechat.progress.funnel import Step, funnel
from coffeechat.progress.models import Weekday, WeeklyReviewSettings
from coffeechat.progress.organizations import TargetProgress, target_progress
from coffeechat.progress.period import Period, period_for
from coffeechat.progress.rates import Replies, replies
from coffeechat.progress.weekly import Weekly, weekly


@dataclass(frozen=True, slots=True)
class Progress:
    period: Period
    funnel: list[Step]
    weekly: Weekly
    targets: list[TargetProgress]
    replies: Replies


def progress_of(
    user: Any,
    period: str | None = None,
    *,
    rename: Callable[[dict[int, str]], dict[int, str]] | None = None,
) -> Progress:
    """Every figure of the progress page for ``user`` over the period named ``period``
    (``30``, ``90``, ``365`` or ``all``). Only ``user``'s rows are read. ``rename`` changes
    the names of people in the targets' next steps (see ``target_progress``)."""
    chosen = period_for(user, period)
    return Progress(
        chosen,
        funnel(user, chosen),
        weekly(user),
        target_progress(user, timezone.now(), rename),
        replies(user, chosen),
    )


def review_settings_of(user: Any) -> WeeklyReviewSettings:
    """The user's weekly review e-mail settings (the defaults, unsaved, when never set:
    off, on Monday)."""
    found = WeeklyReviewSettings.objects.filter(owner=user).first()
    return found or WeeklyReviewSettings(owner=user)


def save_review_settings(user: Any, *, email_enabled: bool, weekday: int) -> WeeklyReviewSettings:
    """Turn the weekly review e-mail on or off and choose its day (0 = Monday … 6 =
    Sunday). ValidationError for another day; nothing is saved then."""
    if weekday not in Weekday.values:
        raise ValidationError({"weekday": "Choose a day of the week (0 = Monday … 6 = Sunday)."})
    found, _created = WeeklyReviewSettings.objects.update_or_create(
        owner=user, defaults={"email_enabled": email_enabled, "weekday": weekday}
    )
    return found
