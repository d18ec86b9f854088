"""The progress figures as plain data: what the API and ``coffeechat progress --json`` give."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from coffeechat.progress.review import QUIET_WEEKS, Review, Section, Week
from coffeechat.progress.services import Progress
from coffeechat.progress.stats import MIN_COUNT, Rate


def rate_data(rate: Rate) -> dict[str, Any]:
    return {
        **asdict(rate),
        "enough": rate.enough,
        "percent": rate.percent,
        "low": rate.low,
        "high": rate.high,
    }


def progress_data(figures: Progress) -> dict[str, Any]:
    """Every figure, with dates as ``date`` objects (the caller encodes them)."""
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
                {"first_day": w.first_day, "counts": dict(w.counts)} for w in figures.weekly.weeks
            ],
        },
        "targets": [asdict(t) for t in figures.targets],
        "replies": rate_data(replies.total),
        "reply_rates": [
            {"key": g.key, "title": g.title, "rates": [rate_data(r) for r in g.rates]}
            for g in replies.groups
        ],
        "time_to_reply": asdict(replies.time_to_reply),
        "note_to_conversation": asdict(replies.note_to_conversation),
        "suggestions": [asdict(s) for s in replies.suggestions],
        "min_count": MIN_COUNT,
    }


def _week(week: Week) -> dict[str, Any]:
    return {"key": week.key, "first_day": week.first_day, "last_day": week.last_day}


def _section(section: Section) -> dict[str, Any]:
    return {
        "key": section.key,
        "label": section.label,
        "count": section.count,
        "empty": section.empty,
        "items": [asdict(item) for item in section.items],
    }


def review_data(review: Review) -> dict[str, Any]:
    """The weekly review, as the API and ``coffeechat progress --review --json`` give it."""
    return {
        "week": _week(review.week),
        "coming_week": _week(review.coming),
        "latest_week": review.latest.key,
        "happened": [_section(s) for s in review.happened],
        "first_notes": review.first_notes,
        "due": [_section(s) for s in review.due],
        "quiet": _section(review.quiet),
        "quiet_weeks": QUIET_WEEKS,
        "stalled": _section(review.stalled),
        "counts": review.counts,
    }
