"""API routes for a coach, with consent: invitations, scope, comments, the coach's figures.

The coached user's side: ``/coaching/links`` (invite, change what the coach sees, end)
and ``/coaching/comments`` (read, dismiss). The coach's side: ``/coaching/invitations``
(accept, decline, stop), ``/coaching/people`` (the figures, within the chosen scope) and
``POST /coaching/comments`` (leave one). Anything outside a user's own side is a 404;
an ended link is a 404 for the coach at once.

No ``from __future__ import annotations`` here: django-ninja reads the types.
"""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Schema, Status
from pydantic import Field

from coffeechat.api.routers.network import Input, ObjectId
from coffeechat.api.routers.progress import MyProgressOut, PeriodQuery, StepOut
from coffeechat.coaching import figures, services
from coffeechat.coaching.models import CoachComment, CoachLink
from coffeechat.core.scoping import get_owned_or_404
from coffeechat.progress.serialize import progress_data

router = Router(tags=["coaching"])

ScopeName = Literal["progress", "targets", "notes"]
SCOPE_HELP = (
    "progress (progress only), targets (plus targets and conversations), notes (plus notes)"
)


class CoachInviteIn(Input):
    email: str = Field(min_length=1, max_length=254, description="Your coach's address")
    scope: ScopeName = Field("progress", description=SCOPE_HELP)
    show_names: bool = Field(False, description="Show the names of people in my network")


class CoachScopeIn(Input):
    scope: ScopeName | None = Field(None, description=SCOPE_HELP)
    show_names: bool | None = None


class CoachLinkOut(Schema):
    id: int
    email: str
    status: str = Field(description="pending, active, declined or ended")
    scope: str = Field(description=SCOPE_HELP)
    show_names: bool
    mailed: bool = Field(description="Whether the invitation e-mail went out")
    created_at: datetime.datetime
    responded_at: datetime.datetime | None
    ended_at: datetime.datetime | None


class CoachInvitedOut(CoachLinkOut):
    detail: str = Field(description="The same answer whether or not the address has an account")


class CoachInvitationOut(Schema):
    """A link where I am (invited as) the coach."""

    id: int
    person: str = Field(description="The name and address of the person who invited me")
    status: str = Field(description="pending, active, declined or ended")
    scope: str = Field(description=SCOPE_HELP)
    show_names: bool
    created_at: datetime.datetime
    responded_at: datetime.datetime | None
    ended_at: datetime.datetime | None

    @staticmethod
    def resolve_person(obj: CoachLink) -> str:
        return figures.coachee_name(obj)


class CoachCommentIn(Input):
    coaching_id: ObjectId = Field(description="The active link of a person I coach")
    text: str = Field(min_length=1, max_length=services.MAX_COMMENT)


class CoachCommentOut(Schema):
    id: int
    coach_name: str
    text: str
    created_at: datetime.datetime
    dismissed: bool


class CoachEventOut(Schema):
    day: datetime.date
    what: str
    organization: str = Field(description="Empty unless targets and conversations are shared")
    people: list[str] = Field(description="Names, or labels such as 'Contact 3' when hidden")


class CoachAttentionOut(Schema):
    key: str = Field(description="stalled, overdue or hiring_soon")
    text: str


class CoacheeOut(Schema):
    id: int = Field(description="The coaching link (coaching_id)")
    person: str
    scope: str = Field(description=SCOPE_HELP)
    show_names: bool
    funnel: list[StepOut] = Field(description="Last 90 days, as on their Progress page")
    last_activity: datetime.date | None
    overdue_follow_ups: int
    recent_activity: list[CoachEventOut]
    attention: list[CoachAttentionOut]


class CoachConversationOut(Schema):
    day: datetime.date
    status: str
    organization: str
    people: list[str]
    with_someone_who_hires: bool
    notes: str = Field(description="Empty unless notes are shared")
    learnings: list[str] = Field(description="Empty unless notes are shared")


class CoacheeDetailOut(CoacheeOut):
    progress: MyProgressOut = Field(description="Targets are empty with 'progress only'")
    conversations: list[CoachConversationOut] | None = Field(
        description="None unless targets and conversations are shared"
    )


def _overview_data(found: figures.Overview) -> dict[str, Any]:
    link = found.link
    return {
        "id": link.pk,
        "person": found.name,
        "scope": link.scope,
        "show_names": link.show_names,
        "funnel": found.funnel,
        "last_activity": found.last_activity,
        "overdue_follow_ups": found.overdue,
        "recent_activity": found.events,
        "attention": found.attention,
    }


def _comment(obj: CoachComment) -> dict[str, Any]:
    return {
        "id": obj.pk,
        "coach_name": obj.coach_name,
        "text": obj.text,
        "created_at": obj.created_at,
        "dismissed": obj.dismissed,
    }


def _my_link(request: HttpRequest, coach_link_id: int) -> CoachLink:
    return get_owned_or_404(CoachLink, request.user, pk=coach_link_id)


# The coached user's side ---------------------------------------------------------------


@router.get("/coaching/links", response=list[CoachLinkOut], url_name="coach-link-list")
def list_links(request: HttpRequest) -> Any:
    return list(services.my_coaches(request.user))


@router.post("/coaching/links", response={201: CoachInvitedOut}, url_name="coach-link-list")
def invite(request: HttpRequest, payload: CoachInviteIn) -> Any:
    link = services.invite(
        request.user, payload.email, scope=payload.scope, show_names=payload.show_names
    )
    return Status(
        201,
        {
            **CoachLinkOut.model_validate(link, from_attributes=True).model_dump(),
            "detail": services.INVITED,
        },
    )


@router.get(
    "/coaching/links/{int:coach_link_id}", response=CoachLinkOut, url_name="coach-link-detail"
)
def get_link(request: HttpRequest, coach_link_id: int) -> Any:
    return _my_link(request, coach_link_id)


@router.patch(
    "/coaching/links/{int:coach_link_id}", response=CoachLinkOut, url_name="coach-link-detail"
)
def change_scope(request: HttpRequest, coach_link_id: int, payload: CoachScopeIn) -> Any:
    link = _my_link(request, coach_link_id)
    return services.change_scope(
        request.user, link, scope=payload.scope, show_names=payload.show_names
    )


@router.post(
    "/coaching/links/{int:coach_link_id}/end", response=CoachLinkOut, url_name="coach-link-end"
)
def end_link(request: HttpRequest, coach_link_id: int) -> Any:
    return services.end(request.user, _my_link(request, coach_link_id))


@router.get("/coaching/comments", response=list[CoachCommentOut], url_name="coach-comment-list")
def list_comments(request: HttpRequest) -> Any:
    return [_comment(c) for c in services.comments_for(request.user)]


@router.post("/coaching/comments", response={201: CoachCommentOut}, url_name="coach-comment-list")
def create_comment(request: HttpRequest, payload: CoachCommentIn) -> Any:
    """As a coach: a comment for a person I coach (they see it on their Today page)."""
    link = services.coached_or_404(request.user, payload.coaching_id)
    return Status(201, _comment(services.comment(request.user, link, payload.text)))


@router.get(
    "/coaching/comments/{int:comment_id}", response=CoachCommentOut, url_name="coach-comment-detail"
)
def get_comment(request: HttpRequest, comment_id: int) -> Any:
    return _comment(services.comment_or_404(request.user, comment_id))


@router.post(
    "/coaching/comments/{int:comment_id}/dismiss",
    response=CoachCommentOut,
    url_name="coach-comment-dismiss",
)
def dismiss_comment(request: HttpRequest, comment_id: int) -> Any:
    found = services.comment_or_404(request.user, comment_id)
    return _comment(services.dismiss(request.user, found))


# The coach's side -----------------------------------------------------------------------


@router.get(
    "/coaching/invitations", response=list[CoachInvitationOut], url_name="coach-invitation-list"
)
def list_invitations(request: HttpRequest) -> Any:
    return list(services.invitations_for(request.user).order_by("pk"))


@router.get(
    "/coaching/invitations/{int:coaching_id}",
    response=CoachInvitationOut,
    url_name="coach-invitation-detail",
)
def get_invitation(request: HttpRequest, coaching_id: int) -> Any:
    return services.invitation_or_404(request.user, coaching_id)


@router.post(
    "/coaching/invitations/{int:coaching_id}/accept",
    response=CoachInvitationOut,
    url_name="coach-invitation-accept",
)
def accept_invitation(request: HttpRequest, coaching_id: int) -> Any:
    return services.accept(request.user, services.invitation_or_404(request.user, coaching_id))


@router.post(
    "/coaching/invitations/{int:coaching_id}/decline",
    response=CoachInvitationOut,
    url_name="coach-invitation-decline",
)
def decline_invitation(request: HttpRequest, coaching_id: int) -> Any:
    return services.decline(request.user, services.invitation_or_404(request.user, coaching_id))


@router.post(
    "/coaching/invitations/{int:coaching_id}/end",
    response=CoachInvitationOut,
    url_name="coach-invitation-end",
)
def end_invitation(request: HttpRequest, coaching_id: int) -> Any:
    return services.end(request.user, services.invitation_or_404(request.user, coaching_id))


@router.get("/coaching/people", response=list[CoacheeOut], url_name="coachee-list")
def list_people(request: HttpRequest) -> Any:
    """The people I coach now, with the figures of my Coaching page (at most 100)."""
    links = services.coached_by(request.user).order_by("pk")[:100]
    return [_overview_data(found) for found in figures.overviews(links)]


@router.get(
    "/coaching/people/{int:coaching_id}", response=CoacheeDetailOut, url_name="coachee-detail"
)
def get_person(request: HttpRequest, coaching_id: int, query: Query[PeriodQuery]) -> Any:
    """One person I coach: exactly what they chose to share (the same numbers as the page)."""
    link = services.coached_or_404(request.user, coaching_id)
    found = figures.detail(link, query.period)
    return {
        **_overview_data(found.overview),
        "progress": progress_data(found.progress),
        "conversations": found.conversations,
    }


def register(api: NinjaAPI) -> None:
    api.add_router("", router)
