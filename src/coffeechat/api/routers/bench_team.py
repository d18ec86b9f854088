"""API routes for "my team refers people to me": team links, referrals and proposals.

The manager's side: ``/bench/team/links`` (invite, end) and ``/bench/proposals`` (the
queue; accept, decline). The member's side: ``/bench/team/invitations`` (accept,
decline, end) and ``/bench/team/referrals`` (refer someone, see what became of it).
Each side sees only its own rows; anything else is a 404.

No ``from __future__ import annotations`` here: django-ninja reads the types.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema, Status
from pydantic import Field

from coffeechat.api.routers.network import Input, ObjectId
from coffeechat.bench import team
from coffeechat.bench.models import TeamLink, TeamProposal
from coffeechat.core.scoping import get_owned_or_404, owned
from coffeechat.network.models import Person

router = Router(tags=["bench team"])


class InviteIn(Input):
    email: str = Field(min_length=1, max_length=254, description="Their Coffeechat address")


class InviteOut(Schema):
    id: int
    email: str
    status: str = Field(description="pending, active, declined or ended")
    detail: str = Field(description="The same answer whether or not the address has an account")


class TeamLinkOut(Schema):
    id: int
    email: str
    status: str = Field(description="pending, active, declined or ended")
    created_at: datetime.datetime
    responded_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    ended_by: str = Field(description="manager, member or empty")


class InvitationOut(Schema):
    id: int
    manager: str = Field(description="The manager's name and address")
    status: str = Field(description="pending, active, declined or ended")
    created_at: datetime.datetime
    responded_at: datetime.datetime | None
    ended_at: datetime.datetime | None

    @staticmethod
    def resolve_manager(obj: TeamLink) -> str:
        return team.display_name(obj.owner)


class ReferIn(Input):
    invitation_id: ObjectId = Field(description="The active team link (my invitation) to use")
    person_id: ObjectId = Field(description="A person of my own network")
    why: str = Field(min_length=1, max_length=2000)
    share: list[str] = Field(
        [], description="What else travels besides the name: email, phone, job, linkedin"
    )
    skills: str = Field("", max_length=500, description="Free text, e.g. python:3, teaching")


class SentOut(Schema):
    """A referral I sent, as I see it: whom, to whom, and what became of it."""

    id: int
    name: str
    to: str | None = Field(description="The manager's address (empty once the link is gone)")
    status: str = Field(description="pending, accepted or declined")
    created_at: datetime.datetime

    @staticmethod
    def resolve_name(obj: TeamProposal) -> str:
        return obj.full_name

    @staticmethod
    def resolve_to(obj: TeamProposal) -> str | None:
        return obj.link.owner.email if obj.link else None


class ProposalOut(Schema):
    """A proposal in my queue: only what the referrer chose to share."""

    id: int
    referrer_name: str
    why: str
    first_name: str
    last_name: str
    email: str
    phone: str
    job_title: str
    organization: str
    skills: str
    linkedin_url: str
    status: str = Field(description="pending, accepted or declined")
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    person_id: int | None = Field(description="The person in my network, once accepted")
    entry_id: int | None = Field(description="The bench entry, once accepted")


def _link(request: HttpRequest, link_id: int) -> TeamLink:
    return get_owned_or_404(TeamLink, request.user, pk=link_id)


def _proposal(request: HttpRequest, proposal_id: int) -> TeamProposal:
    return team.proposal_or_404(request.user, proposal_id)


# The manager's side -------------------------------------------------------------------


@router.get("/bench/team/links", response=list[TeamLinkOut], url_name="bench-team-link-list")
def list_links(request: HttpRequest) -> Any:
    return list(team.links_managed(request.user))


@router.post("/bench/team/links", response={201: InviteOut}, url_name="bench-team-link-list")
def invite(request: HttpRequest, payload: InviteIn) -> Any:
    link = team.invite(request.user, payload.email)
    return Status(
        201, {"id": link.pk, "email": link.email, "status": link.status, "detail": team.INVITED}
    )


@router.get(
    "/bench/team/links/{int:link_id}", response=TeamLinkOut, url_name="bench-team-link-detail"
)
def get_link(request: HttpRequest, link_id: int) -> Any:
    return _link(request, link_id)


@router.post(
    "/bench/team/links/{int:link_id}/end", response=TeamLinkOut, url_name="bench-team-link-end"
)
def end_link(request: HttpRequest, link_id: int) -> Any:
    return team.end_link(request.user, _link(request, link_id))


@router.get("/bench/proposals", response=list[ProposalOut], url_name="bench-proposal-list")
def list_proposals(request: HttpRequest) -> Any:
    return list(team.proposals_for(request.user))


@router.get(
    "/bench/proposals/{int:proposal_id}", response=ProposalOut, url_name="bench-proposal-detail"
)
def get_proposal(request: HttpRequest, proposal_id: int) -> Any:
    return _proposal(request, proposal_id)


@router.post(
    "/bench/proposals/{int:proposal_id}/accept",
    response=ProposalOut,
    url_name="bench-proposal-accept",
)
def accept_proposal(request: HttpRequest, proposal_id: int) -> Any:
    proposal = _proposal(request, proposal_id)
    team.accept_proposal(request.user, proposal)
    return _proposal(request, proposal_id)


@router.post(
    "/bench/proposals/{int:proposal_id}/decline",
    response=ProposalOut,
    url_name="bench-proposal-decline",
)
def decline_proposal(request: HttpRequest, proposal_id: int) -> Any:
    return team.decline_proposal(request.user, _proposal(request, proposal_id))


# The member's side --------------------------------------------------------------------


@router.get(
    "/bench/team/invitations", response=list[InvitationOut], url_name="bench-team-invitation-list"
)
def list_invitations(request: HttpRequest) -> Any:
    return list(team.invitations_for(request.user).order_by("pk"))


@router.get(
    "/bench/team/invitations/{int:invitation_id}",
    response=InvitationOut,
    url_name="bench-team-invitation-detail",
)
def get_invitation(request: HttpRequest, invitation_id: int) -> Any:
    return team.invitation_or_404(request.user, invitation_id)


@router.post(
    "/bench/team/invitations/{int:invitation_id}/accept",
    response=InvitationOut,
    url_name="bench-team-invitation-accept",
)
def accept_invitation(request: HttpRequest, invitation_id: int) -> Any:
    link = team.invitation_or_404(request.user, invitation_id)
    return team.accept_invitation(request.user, link)


@router.post(
    "/bench/team/invitations/{int:invitation_id}/decline",
    response=InvitationOut,
    url_name="bench-team-invitation-decline",
)
def decline_invitation(request: HttpRequest, invitation_id: int) -> Any:
    link = team.invitation_or_404(request.user, invitation_id)
    return team.decline_invitation(request.user, link)


@router.post(
    "/bench/team/invitations/{int:invitation_id}/end",
    response=InvitationOut,
    url_name="bench-team-invitation-end",
)
def end_invitation(request: HttpRequest, invitation_id: int) -> Any:
    link = team.invitation_or_404(request.user, invitation_id)
    return team.end_link(request.user, link)


@router.get("/bench/team/referrals", response=list[SentOut], url_name="bench-team-referral-list")
def list_sent(request: HttpRequest) -> Any:
    return list(team.sent_by(request.user).order_by("pk"))


@router.post("/bench/team/referrals", response={201: SentOut}, url_name="bench-team-referral-list")
def refer(request: HttpRequest, payload: ReferIn) -> Any:
    link = team.invitation_or_404(request.user, payload.invitation_id)
    person = owned(Person, request.user).filter(pk=payload.person_id).first()
    if person is None:
        raise DjangoValidationError(
            {"person_id": f"There is no person with id {payload.person_id}."}
        )
    proposal = team.refer(
        request.user, link, person, why=payload.why, share=payload.share, skills=payload.skills
    )
    return Status(201, team.sent_or_404(request.user, proposal.pk))


@router.get(
    "/bench/team/referrals/{int:sent_id}", response=SentOut, url_name="bench-team-referral-detail"
)
def get_sent(request: HttpRequest, sent_id: int) -> Any:
    return team.sent_or_404(request.user, sent_id)


def register(api: NinjaAPI) -> None:
    api.add_router("", router)
