"""Pages of a coach, with consent: mine (my coaches, their comments) and the coach's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from coffeechat.coaching import figures, services
from coffeechat.coaching.forms import CommentForm, InviteForm, ScopeForm
from coffeechat.coaching.models import CoachLink, LinkStatus, Scope
from coffeechat.core.scoping import get_owned_or_404
from coffeechat.followups.invitations import LIVE
from coffeechat.progress import charts
from coffeechat.progress.period import CHOICES
from coffeechat.progress.stats import MIN_COUNT

PER_PAGE = 20


def _first_error(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(str(m) for found in error.message_dict.values() for m in found)
    return "; ".join(error.messages)


def _act(request: HttpRequest, action: Callable[[], Any], done: str, back: str) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.success(request, done)
    return redirect(back)


# My side: my coaches ---------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    links = list(services.my_coaches(request.user))
    return render(
        request,
        "coaching/mine.html",
        {
            "live": [
                (link, ScopeForm(initial={"scope": link.scope, "show_names": link.show_names}))
                for link in links
                if link.status in LIVE
            ],
            "past": [link for link in links if link.status not in LIVE],
            "comments": list(services.comments_for(request.user)[:100]),
            "invite_form": InviteForm(),
        },
    )


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write your coach's e-mail address and choose what they see.")
        return redirect("coaching:mine")
    data = form.cleaned_data
    return _act(
        request,
        lambda: services.invite(
            request.user, data["email"], scope=data["scope"], show_names=data["show_names"]
        ),
        services.INVITED,
        "coaching:mine",
    )


@login_required
@require_POST
def link_scope(request: HttpRequest, coach_link_id: int) -> HttpResponse:
    link = get_owned_or_404(CoachLink, request.user, pk=coach_link_id)
    form = ScopeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what your coach sees.")
        return redirect("coaching:mine")
    data = form.cleaned_data
    return _act(
        request,
        lambda: services.change_scope(
            request.user, link, scope=data["scope"], show_names=data["show_names"]
        ),
        f"Saved: {link.email} now sees {Scope(data['scope']).label.lower()}"
        f"{', with names' if data['show_names'] else ', names hidden'}.",
        "coaching:mine",
    )


@login_required
@require_POST
def link_end(request: HttpRequest, coach_link_id: int) -> HttpResponse:
    link = get_owned_or_404(CoachLink, request.user, pk=coach_link_id)
    return _act(
        request,
        lambda: services.end(request.user, link),
        f"Ended: {link.email} no longer sees anything of yours.",
        "coaching:mine",
    )


@login_required
@require_POST
def comment_dismiss(request: HttpRequest, comment_id: int) -> HttpResponse:
    found = services.comment_or_404(request.user, comment_id)
    services.dismiss(request.user, found)
    messages.success(request, "Dismissed.")
    return redirect("coaching:mine")


# The coach's side --------------------------------------------------------------------------


@login_required
@require_GET
def coachee_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = Paginator(services.coached_by(user).order_by("pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    invitations = list(
        services.invitations_for(user).filter(status=LinkStatus.PENDING).order_by("-created_at")
    )
    return render(
        request,
        "coaching/coachee_list.html",
        {
            "page": page,
            "people": figures.overviews(page.object_list),
            "invitations": [(link, figures.coachee_name(link)) for link in invitations],
            "stalled_days": figures.STALLED_DAYS,
            "many_overdue": figures.MANY_OVERDUE,
            "soon_days": figures.SOON_DAYS,
        },
    )


@login_required
@require_GET
def coachee_detail(request: HttpRequest, coaching_id: int) -> HttpResponse:
    link = services.coached_or_404(request.user, coaching_id)
    found = figures.detail(link, request.GET.get("period"))
    progress = found.progress
    return render(
        request,
        "coaching/coachee_detail.html",
        {
            "link": link,
            "found": found,
            "person": found.overview,
            "figures": progress,
            "periods": CHOICES.items(),
            "min_count": MIN_COUNT,
            "funnel_chart": charts.funnel_chart(progress.funnel),
            "comments": list(services.comments_by(request.user).filter(link=link)[:50]),
            "comment_form": CommentForm(),
        },
    )


def _answer(request: HttpRequest, coaching_id: int, action: str) -> HttpResponse:
    link = services.invitation_or_404(request.user, coaching_id)
    done = {
        "accept": "Accepted: they are now on your list.",
        "decline": "Declined.",
        "end": "You no longer coach them.",
    }[action]
    call = {"accept": services.accept, "decline": services.decline, "end": services.end}[action]
    return _act(request, lambda: call(request.user, link), done, "coaching:coachee-list")


@login_required
@require_POST
def invitation_accept(request: HttpRequest, coaching_id: int) -> HttpResponse:
    return _answer(request, coaching_id, "accept")


@login_required
@require_POST
def invitation_decline(request: HttpRequest, coaching_id: int) -> HttpResponse:
    return _answer(request, coaching_id, "decline")


@login_required
@require_POST
def invitation_end(request: HttpRequest, coaching_id: int) -> HttpResponse:
    return _answer(request, coaching_id, "end")


@login_required
@require_POST
def comment_create(request: HttpRequest, coaching_id: int) -> HttpResponse:
    link = services.coached_or_404(request.user, coaching_id)
    form = CommentForm(request.POST)
    back = reverse("coaching:coachee-detail", kwargs={"coaching_id": link.pk})
    if not form.is_valid():
        messages.error(request, "Write the comment (up to 2,000 characters).")
        return redirect(back)
    return _act(
        request,
        lambda: services.comment(request.user, link, form.cleaned_data["text"]),
        "Comment left: they see it on their Today page.",
        back,
    )
