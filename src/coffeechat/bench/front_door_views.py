"""Pages of the front door: my settings and the queue (signed in), the public request page.

The public page (``/ask/<token>/``) needs no login and knows only the front door the
link opens: it shows the owner's display name and intro, and posting it creates one
request (:func:`coffeechat.bench.front_door.submit_request`). An unknown or closed
link is the same 404 page. Its size check runs before the body is read, so the CSRF
check is applied inside the view (``csrf_protect``), after it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from coffeechat.bench import front_door
from coffeechat.bench.front_door_forms import AcceptForm, AskForm, DeclineForm, DoorForm
from coffeechat.bench.models import ConversationRequest, RequestStatus
from coffeechat.core.pages import apply_form_errors, confirm_delete, paginate
from coffeechat.core.scoping import form_data, get_owned_or_404

# Signed in: my front door and its queue ------------------------------------------------


def _request(request: HttpRequest, request_id: int) -> ConversationRequest:
    return get_owned_or_404(front_door.queue(request.user), request.user, pk=request_id)


@login_required
@require_http_methods(["GET", "POST"])
def door_settings(request: HttpRequest) -> HttpResponse:
    door = front_door.door_for(request.user)
    form = DoorForm(form_data(request), instance=door)
    if request.method == "POST" and form.is_valid():
        try:
            front_door.save_door(request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            state = "open" if form.cleaned_data["enabled"] else "closed"
            messages.success(request, f"Saved: your front door is {state}.")
            return redirect("bench:front-door")
    context = {
        "form": form,
        "door": door,
        "saved": door.pk is not None,
        "url": front_door.door_url(door) if door.pk else "",
    }
    return render(request, "bench/front_door_settings.html", context)


@login_required
@require_POST
def door_regenerate(request: HttpRequest) -> HttpResponse:
    front_door.regenerate(request.user)
    messages.success(request, "A new link: the old one no longer opens the page.")
    return redirect("bench:front-door")


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    front_door.forget_declined()
    status = request.GET.get("status", RequestStatus.PENDING)
    if status not in RequestStatus.values and status != "all":
        status = RequestStatus.PENDING
    rows = front_door.queue(request.user)
    if status != "all":
        rows = rows.filter(status=status)
    page = paginate(request, rows)
    found = front_door.referrers(request.user, page.object_list)
    context: dict[str, Any] = {
        "page": page,
        "requests": [(asked, found.get(asked.pk)) for asked in page.object_list],
        "status": status,
        "statuses": RequestStatus.choices,
        "door": front_door.door_for(request.user),
    }
    return render(request, "bench/request_list.html", context)


@login_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    asked = _request(request, request_id)
    context = {
        "asked": asked,
        "referrer": front_door.referrers(request.user, [asked]).get(asked.pk),
        "accept_form": AcceptForm(),
    }
    return render(request, "bench/request_detail.html", context)


@login_required
@require_POST
def request_accept(request: HttpRequest, request_id: int) -> HttpResponse:
    asked = _request(request, request_id)
    form = AcceptForm(request.POST)
    bench_them = form.is_valid() and form.cleaned_data["bench"]
    try:
        person = front_door.accept(request.user, asked, bench_them=bench_them)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(asked)
    messages.success(
        request,
        f"{person.full_name} is in your network. Propose a time: the invitation goes "
        "out when you schedule.",
    )
    return redirect(front_door.schedule_url(person))


@login_required
@require_http_methods(["GET", "POST"])
def request_decline(request: HttpRequest, request_id: int) -> HttpResponse:
    asked = _request(request, request_id)
    subject, body = front_door.decline_draft(request.user, asked)
    form = DeclineForm(form_data(request), initial={"subject": subject, "body": body})
    if request.method == "POST" and form.is_valid():
        try:
            front_door.decline(request.user, asked, **form.cleaned_data)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"Declined: your answer went to {asked.email}.")
            return redirect("bench:request-list")
    return render(request, "bench/request_decline.html", {"asked": asked, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_delete(request: HttpRequest, request_id: int) -> HttpResponse:
    asked = _request(request, request_id)

    def delete() -> str:
        front_door.delete_request(request.user, asked)
        return f"The request of {asked.name} is deleted."

    return confirm_delete(
        request,
        asked,
        f"the request of {asked.name}",
        "bench:request-list",
        kind="request",
        delete=delete,
    )


# Public: the request page --------------------------------------------------------------


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/ask_not_found.html", status=404)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/ask_too_many.html", status=429)


def _body_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return front_door.MAX_BODY_BYTES + 1


@never_cache
@csrf_exempt  # checked by _ask below, once the size is known to be reasonable
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, token: str) -> HttpResponse:
    door = front_door.open_door(token)
    if door is None:
        return _not_found(request)
    if request.method == "POST" and _body_size(request) > front_door.MAX_BODY_BYTES:
        too_long = (
            "Your request is too long to be accepted. Please shorten what you would "
            "like to learn (a few sentences are plenty) and send it again."
        )
        context = {"door": door, "form": AskForm(), "too_long": too_long}
        return render(request, "bench/ask_form.html", context, status=413)
    return _ask(request, door)


@csrf_protect
def _ask(request: HttpRequest, door: Any) -> HttpResponse:
    form = AskForm(form_data(request))
    if request.method == "POST":
        try:
            front_door.note_post(front_door.client_ip(request))
            if form.is_valid():
                front_door.note_sender(form.cleaned_data["email"])
        except front_door.RateLimited:
            return _too_many(request)
        if form.is_valid():
            if not form.is_robot:
                try:
                    front_door.submit_request(door, form.cleaned_data)
                except ValidationError as error:
                    apply_form_errors(form, error)
            if not form.errors:
                return render(request, "bench/ask_thanks.html", {"door": door})
    return render(request, "bench/ask_form.html", {"door": door, "form": form})
