"""Pages of "my team refers people to me": the team page, referring, the proposals queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from coffeechat.bench import team
from coffeechat.bench.models import LinkStatus, ProposalStatus, TeamLink
from coffeechat.bench.team_forms import InviteForm, ReferForm
from coffeechat.core.pages import apply_form_errors
from coffeechat.core.scoping import form_data, get_owned_or_404


def _first_error(error: ValidationError) -> str:
    return "; ".join(str(m) for messages_ in error.message_dict.values() for m in messages_)


def _act(request: HttpRequest, action: Callable[[], Any], done: str, back: str) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.success(request, done)
    return redirect(back)


@login_required
def team_page(request: HttpRequest) -> HttpResponse:
    """Both sides: the people I invited to refer to me, and the managers I refer to."""
    user = request.user
    links = list(team.links_managed(user))
    invitations = list(team.invitations_for(user).order_by("status", "-created_at", "pk"))
    names = {
        link.owner_id: team.display_name(link.owner)
        for link in invitations
        if link.owner_id is not None
    }
    context = {
        "members": [link for link in links if link.status == LinkStatus.ACTIVE],
        "pending": [link for link in links if link.status == LinkStatus.PENDING],
        "past": [link for link in links if link.status in (LinkStatus.ENDED, LinkStatus.DECLINED)],
        "invitations": [(link, names.get(link.owner_id, "")) for link in invitations],
        "can_refer": any(link.status == LinkStatus.ACTIVE for link in invitations),
        "sent": list(team.sent_by(user).order_by("-created_at", "pk")[:50]),
        "waiting": team.proposals_for(user).filter(status=ProposalStatus.PENDING).count(),
        "invite_form": InviteForm(),
    }
    return render(request, "bench/team/team.html", context)


@login_required
@require_POST
def team_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the e-mail address of their Coffeechat account.")
        return redirect("bench:team")
    return _act(
        request,
        lambda: team.invite(request.user, form.cleaned_data["email"]),
        team.INVITED,
        "bench:team",
    )


@login_required
@require_POST
def link_end(request: HttpRequest, link_id: int) -> HttpResponse:
    link = get_owned_or_404(TeamLink, request.user, pk=link_id)
    return _act(
        request,
        lambda: team.end_link(request.user, link),
        f"Ended: {link.email} can no longer refer people to you.",
        "bench:team",
    )


@login_required
@require_POST
def invitation_accept(request: HttpRequest, invitation_id: int) -> HttpResponse:
    link = team.invitation_or_404(request.user, invitation_id)
    return _act(
        request,
        lambda: team.accept_invitation(request.user, link),
        "Accepted: you can now refer people from your network to them.",
        "bench:team",
    )


@login_required
@require_POST
def invitation_decline(request: HttpRequest, invitation_id: int) -> HttpResponse:
    link = team.invitation_or_404(request.user, invitation_id)
    return _act(
        request,
        lambda: team.decline_invitation(request.user, link),
        "Declined.",
        "bench:team",
    )


@login_required
@require_POST
def invitation_end(request: HttpRequest, invitation_id: int) -> HttpResponse:
    link = team.invitation_or_404(request.user, invitation_id)
    return _act(
        request,
        lambda: team.end_link(request.user, link),
        "Ended: you no longer refer people to them.",
        "bench:team",
    )


@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest) -> HttpResponse:
    form = ReferForm(form_data(request), member=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = team.refer(
                request.user,
                data["link"],
                data["person"],
                why=data["why"],
                share=data["share"],
                skills=data["skills"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"Referred {proposal.full_name}.")
            return redirect("bench:team")
    can_refer = team.active_links_as_member(request.user).exists()
    return render(request, "bench/team/refer.html", {"form": form, "can_refer": can_refer})


# The manager's queue ----------------------------------------------------------------


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    proposals = list(team.proposals_for(request.user).select_related("entry"))
    context = {
        "waiting": [p for p in proposals if p.status == ProposalStatus.PENDING],
        "answered": [p for p in proposals if p.status != ProposalStatus.PENDING][:50],
    }
    return render(request, "bench/team/proposal_list.html", context)


@login_required
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = team.proposal_or_404(request.user, proposal_id)
    return render(request, "bench/team/proposal_detail.html", {"proposal": proposal})


@login_required
@require_POST
def proposal_accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = team.proposal_or_404(request.user, proposal_id)
    try:
        entry = team.accept_proposal(request.user, proposal)
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return redirect(proposal)
    messages.success(request, f"{entry.person.full_name} is on your bench.")
    return redirect(entry)


@login_required
@require_POST
def proposal_decline(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = team.proposal_or_404(request.user, proposal_id)
    return _act(
        request,
        lambda: team.decline_proposal(request.user, proposal),
        "Declined; the details they shared are deleted.",
        "bench:proposal-list",
    )


urlpatterns = [
    path("team/", team_page, name="team"),
    path("team/invite/", team_invite, name="team-invite"),
    path("team/refer/", refer, name="team-refer"),
    path("team/links/<int:link_id>/end/", link_end, name="team-link-end"),
    path(
        "team/invitations/<int:invitation_id>/accept/",
        invitation_accept,
        name="team-invitation-accept",
    ),
    path(
        "team/invitations/<int:invitation_id>/decline/",
        invitation_decline,
        name="team-invitation-decline",
    ),
    path("team/invitations/<int:invitation_id>/end/", invitation_end, name="team-invitation-end"),
    path("proposals/", proposal_list, name="proposal-list"),
    path("proposals/<int:proposal_id>/", proposal_detail, name="proposal-detail"),
    path("proposals/<int:proposal_id>/accept/", proposal_accept, name="proposal-accept"),
    path("proposals/<int:proposal_id>/decline/", proposal_decline, name="proposal-decline"),
]
