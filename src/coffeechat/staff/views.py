"""Staff pages (``/staff/``): accounts, invitations, usage, the action log and the
career-centre figures. Anyone else gets a 404, as for a page that does not exist."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coffeechat.accounts.models import User
from coffeechat.core.pages import apply_form_errors, paginate
from coffeechat.core.scoping import MAX_ID
from coffeechat.staff import career, services
from coffeechat.staff.figures import usage, users_for_staff
from coffeechat.staff.forms import ConsentForm, InviteForm
from coffeechat.staff.models import Invitation, StaffAction

View = Callable[..., HttpResponse]


def staff_only(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.is_staff_member(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def _user_or_404(user_id: int) -> User:
    user = User.objects.accounts().filter(pk=user_id).first() if 0 < user_id <= MAX_ID else None
    if user is None:
        raise Http404("No such account.")
    return user


@staff_only
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/overview.html", {"usage": usage(timezone.now())})


@staff_only
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:254]
    page = paginate(request, users_for_staff(search))
    template = "staff/user_list.html#rows" if request.htmx else "staff/user_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": page, "q": search})


def _act(
    request: HttpRequest, user_id: int, action: Callable[[User, User], Any], done: str
) -> HttpResponse:
    subject = _user_or_404(user_id)
    actor = request.user
    assert isinstance(actor, User)
    try:
        action(actor, subject)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(email=subject.email))
    return redirect("staff:user-list")


@staff_only
@require_POST
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _act(
        request,
        user_id,
        services.deactivate,
        "{email} is deactivated: signed out everywhere, API tokens revoked.",
    )


@staff_only
@require_POST
def user_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _act(request, user_id, services.reactivate, "{email} can sign in again.")


@staff_only
@require_POST
def user_end_sessions(request: HttpRequest, user_id: int) -> HttpResponse:
    return _act(
        request, user_id, services.end_user_sessions, "{email} is signed out of every browser."
    )


@staff_only
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = request.user
        assert isinstance(actor, User)
        try:
            invitation = services.invite(actor, form.cleaned_data["email"])
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("staff:invitation-create")
    invitations = Invitation.objects.order_by("-created_at", "-pk")[:20]
    return render(
        request,
        "staff/invitation_form.html",
        {"form": form, "invitations": invitations, "now": timezone.now()},
    )


def _on_invitation(
    request: HttpRequest, invitation_id: int, action: Callable[..., Any], done: str
) -> HttpResponse:
    invitation = services.invitation_or_404(invitation_id)
    try:
        action(request.user, invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(email=invitation.email))
    return redirect("staff:invitation-create")


@staff_only
@require_POST
def invitation_resend(request: HttpRequest, staff_invitation_id: int) -> HttpResponse:
    return _on_invitation(
        request, staff_invitation_id, services.resend, "Sent again to {email}, with a new link."
    )


@staff_only
@require_POST
def invitation_revoke(request: HttpRequest, staff_invitation_id: int) -> HttpResponse:
    return _on_invitation(
        request,
        staff_invitation_id,
        services.revoke,
        "Withdrawn: the link sent to {email} no longer works.",
    )


@staff_only
@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "staff/action_list.html", {"page": paginate(request, StaffAction.objects.all())}
    )


@staff_only
@require_GET
def career_centre(request: HttpRequest) -> HttpResponse:
    figures = career.career_centre(timezone.now().astimezone(datetime.UTC).date())
    return render(
        request,
        "staff/career_centre.html",
        {"figures": figures, "min_users": career.MIN_USERS, "too_few": career.TOO_FEW},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    """Any user's own setting: whether they are counted in the career-centre figures."""
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            counted = form.cleaned_data["counted"]
            career.set_counted(request.user, counted)
            messages.success(
                request,
                "You are counted in the career centre's anonymous figures."
                if counted
                else "You are no longer counted in the career centre's figures.",
            )
            return redirect("career_centre:consent")
    else:
        form = ConsentForm(initial={"counted": career.is_counted(request.user)})
    return render(request, "staff/consent_form.html", {"form": form})
