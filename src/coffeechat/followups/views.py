"""The today list, follow-up pages, the settings page and the private calendar feed."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django.views.decorators.vary import vary_on_headers

from coffeechat.accounts.services import get_profile
from coffeechat.core.links import absolute_url
from coffeechat.core.pages import apply_form_errors, form_page, next_url, paginate
from coffeechat.core.scoping import form_data, get_owned_or_404, owned
from coffeechat.followups import feed, services
from coffeechat.followups.forms import FollowUpForm, FollowUpSettingsForm, SkipForm, SnoozeForm
from coffeechat.followups.models import ACTIVE, FollowUp, Status
from coffeechat.followups.today import today_list
from coffeechat.outreach.forms import NoReplyPolicyForm
from coffeechat.outreach.policy import NoReplyPolicy, set_policy
from coffeechat.outreach.requests import one_per_person, to_schedule
from coffeechat.outreach.situations import open_situations

REPLIED_SHOWN = 10  # "Lena replied — schedule the conversation?" rows on Today


def _fetch(request: HttpRequest, follow_up_id: int) -> FollowUp:
    return get_owned_or_404(
        FollowUp.objects.select_related("owner__profile"), request.user, pk=follow_up_id
    )


def _after_action(request: HttpRequest, message: str) -> HttpResponse:
    """htmx: the refreshed today list; otherwise back where the user came from."""
    if request.htmx:  # type: ignore[attr-defined]
        context = {"today": today_list(request.user), "flash": message}
        return render(request, "followups/today.html#list", context)
    messages.success(request, message)
    return redirect(next_url(request, reverse("followups:today")))


@login_required
@vary_on_headers("HX-Request")
def today(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"today": today_list(request.user)}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "followups/today.html#list", context)
    context["situations"] = open_situations(request.user)
    context["replied"] = one_per_person(to_schedule(request.user), REPLIED_SHOWN)
    return render(request, "followups/today.html", context)


@login_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "active")
    rows = owned(FollowUp, request.user).select_related("person", "organization")
    if status == "active":
        rows = rows.filter(status__in=ACTIVE)
    elif status in Status.values:
        rows = rows.filter(status=status)
    else:
        status = "all"
    rows = rows.order_by("remind_on", "due_at", "pk")
    statuses = [("active", "To do"), *((s.value, s.label) for s in Status if s != Status.OPEN)]
    return render(
        request,
        "followups/followup_list.html",
        {"page": paginate(request, rows), "status": status, "statuses": statuses},
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    for key in ("person", "organization", "due_on", "title", "kind"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = FollowUpForm(form_data(request), owner=request.user, initial=initial)
    return form_page(
        request,
        form,
        "followups/followup_form.html",
        success="Follow-up added.",
        save=lambda: services.save_follow_up(
            request.user, form.instance, form.cleaned_data["organization_name"]
        ),
        back="followups:today",
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_update(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    item = _fetch(request, follow_up_id)
    form = FollowUpForm(form_data(request), instance=item, owner=request.user)
    return form_page(
        request,
        form,
        "followups/followup_form.html",
        success="Follow-up saved.",
        save=lambda: services.save_follow_up(
            request.user, form.instance, form.cleaned_data["organization_name"]
        ),
        back="followups:follow-up-list",
        extra={"item": item},
    )


@login_required
@require_POST
def follow_up_done(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    item = services.done(_fetch(request, follow_up_id))
    return _after_action(request, f"Done: {item.title}.")


@login_required
@require_POST
def follow_up_snooze(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    item = _fetch(request, follow_up_id)
    form = SnoozeForm(request.POST)
    days = form.cleaned_data["days"] if form.is_valid() else 1
    services.snooze(item, days)
    return _after_action(request, f"Snoozed until {item.snoozed_until:%-d %B}: {item.title}.")


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_skip(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    item = _fetch(request, follow_up_id)
    form = SkipForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.skip(item, form.cleaned_data["reason"])
        return _after_action(request, f"Skipped: {item.title}.")
    return render(request, "followups/followup_skip.html", {"item": item, "form": form})


@login_required
@require_POST
def follow_up_reopen(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    item = services.reopen(_fetch(request, follow_up_id))
    return _after_action(request, f"Open again: {item.title}.")


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_settings(request: HttpRequest) -> HttpResponse:
    current = services.settings_for(request.user)
    form = FollowUpSettingsForm(form_data(request), instance=current)
    # The no-reply policy is outreach's (kept on the profile); it is set here with the rest.
    policy_form = NoReplyPolicyForm(form_data(request), instance=get_profile(request.user))  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid() and policy_form.is_valid():
        try:
            form.instance.full_clean()
            with transaction.atomic():
                form.save()
                set_policy(request.user, NoReplyPolicy(**policy_form.cleaned_data))
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Follow-up settings saved.")
            return redirect("followups:settings")
    feed_url = request.session.pop("new_feed_url", "")
    return render(
        request,
        "followups/settings.html",
        {"form": form, "policy_form": policy_form, "settings": current, "feed_url": feed_url},
    )


@login_required
@require_POST
def feed_token(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "revoke":
        services.revoke_feed_token(request.user)
        messages.success(request, "The calendar feed link no longer works.")
    else:
        raw = services.new_feed_token(request.user)
        # Shown once, on the next page; only its hash is kept.
        request.session["new_feed_url"] = absolute_url(
            reverse("followups:calendar-feed", kwargs={"token": raw})
        )
        messages.success(request, "New calendar feed link made; the old one no longer works.")
    return redirect("followups:settings")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: the token is the only key; a wrong or revoked one is a 404.

    GET and HEAD; ``If-None-Match`` (the ETag is the body's hash) and
    ``If-Modified-Since`` get a 304 when nothing changed.
    """
    owner = services.owner_for_feed_token(token)
    if owner is None:
        raise Http404("No such calendar feed.")
    built = feed.build_feed(owner, todo=request.GET.get("todo") == "1")
    response = HttpResponse(built.body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="coffeechat.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    etag = f'"{hashlib.sha256(built.body).hexdigest()[:32]}"'
    response["ETag"] = etag
    modified = int(built.last_modified.timestamp())
    response["Last-Modified"] = http_date(modified)
    return (
        get_conditional_response(request, etag=etag, last_modified=modified, response=response)
        or response
    )
