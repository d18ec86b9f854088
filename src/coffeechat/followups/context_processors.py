"""Navigation counts and the health banner: two queries on every signed-in page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from coffeechat.followups import health
from coffeechat.followups.today import due_counts


def follow_ups(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace.startswith("api"):
        return {}
    counts = due_counts(user)
    total = counts["overdue"] + counts["today"]
    return {
        "FOLLOW_UPS_DUE": {**counts, "total": total} if total else None,
        "WORKER_WARNINGS": health.current().warnings,
    }
