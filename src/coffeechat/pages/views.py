from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from coffeechat.core.scoping import owned
from coffeechat.followups.health import current
from coffeechat.mailbox.sync import health_summary
from coffeechat.network.models import Affiliation, Organization, Person, Tie


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = {
        "people": owned(Person, user).count(),
        "organizations": owned(Organization, user).count(),
        "affiliations": owned(Affiliation, user).count(),
        "ties": owned(Tie, user).count(),
    }
    recent = owned(Person, user).order_by("-updated_at", "-pk")[:8]
    return render(request, "pages/home.html", {"counts": counts, "recent": recent})


def health(request: HttpRequest) -> JsonResponse:
    """Whether the database answers, the background worker runs, e-mail gets through and
    mailboxes are synced (HTTP 200 whenever the database answers: read ``ok``; 503 when
    it does not). Says when, never what: no user data, no error text."""
    try:
        state = current().as_json()
        mailboxes = health_summary()
    except DatabaseError:
        # Only the fact: the error text could name hosts or users.
        state = {"status": "down", "ok": False, "database": {"ok": False}}
        response = JsonResponse(state, status=503)
    else:
        state["mailbox_syncs"] = mailboxes
        if mailboxes["stalled"]:  # connected mailboxes the worker has not synced for long
            state["ok"], state["status"] = False, "degraded"
        response = JsonResponse(state)
    response["Cache-Control"] = "no-store"
    return response
