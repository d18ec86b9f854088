"""The conversations list: the calendar's rows with the requests waiting to be scheduled
(which outreach owns)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coffeechat.conversations import services
from coffeechat.conversations.models import Status
from coffeechat.core.pages import paginate
from coffeechat.outreach.requests import one_per_person, to_schedule


@login_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    base = services.conversations_for_list(user)
    upcoming = base.upcoming(now).order_by("starts_at", "pk")  # type: ignore[attr-defined]
    due = base.debrief_due(now).order_by("-starts_at", "pk")  # type: ignore[attr-defined]
    status = request.GET.get("status", "")
    everything = base.order_by("-starts_at", "-pk")
    if status in Status.values:
        everything = everything.filter(status=status)
    return render(
        request,
        "conversations/conversation_list.html",
        {
            "upcoming": list(upcoming[:20]),
            "due": list(due[:20]),
            "to_schedule": one_per_person(to_schedule(user, now=now), 20),
            "page": paginate(request, everything),
            "status": status,
            "statuses": Status.choices,
        },
    )
