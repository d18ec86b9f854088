"""API routes of the staff pages and the career-centre figures: staff tokens only.

A token of an account that is not staff answers 404 on every route here, as for a
route that does not exist; staff see accounts and counts, never an account's content.

No ``from __future__ import annotations`` here: django-ninja reads the types.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth
from pydantic import Field

from coffeechat.accounts.models import User
from coffeechat.accounts.services import user_for_token
from coffeechat.api.ids import ObjectId
from coffeechat.api.routers.network import Input, Pagination
from coffeechat.staff import career, services
from coffeechat.staff.figures import usage, users_for_staff
from coffeechat.staff.models import Invitation, StaffAction


def _staff(user: Any) -> Any:
    if user is None:
        return None
    if not services.is_staff_member(user):
        raise Http404("Not Found")
    return user


class StaffBearer(HttpBearer):
    """``Authorization: Bearer cc_…``: a token of a staff account."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = _staff(user_for_token(token))
        if user is not None:
            request.user = user
        return user


class StaffHeader(APIKeyHeader):
    """``X-API-Key: cc_…``: a token of a staff account."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = _staff(user_for_token(key or ""))
        if user is not None:
            request.user = user
        return user


class StaffSession(SessionAuth):
    """A signed-in staff member's session (with its CSRF token for changes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _staff(super().authenticate(request, key))


router = Router(tags=["staff"], auth=[StaffBearer(), StaffHeader(), StaffSession()])


class UsageOut(Schema):
    accounts: int
    active_accounts: int = Field(description="Not deactivated")
    active_this_week: int = Field(description="Signed in or used a token in the last 7 days")
    conversations_held: int


class StaffUserOut(Schema):
    id: int
    email: str
    joined: datetime.datetime = Field(alias="date_joined")
    last_login: datetime.datetime | None
    is_active: bool
    is_staff: bool
    people: int = Field(
        alias="people_count", description="How many people are in their network (a count only)"
    )
    conversations_held: int


class UserQuery(Input):
    q: str = Field("", max_length=254, description="E-mail contains")


class StaffInvitationIn(Input):
    email: str = Field(max_length=254)


class StaffInvitationOut(Schema):
    id: int
    email: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class SessionsOut(Schema):
    sessions_ended: int


class ActionOut(Schema):
    created_at: datetime.datetime
    actor: str = Field(alias="actor_label", description="The staff member's e-mail, or cli")
    action: str = Field(alias="kind")
    subject: str = Field(alias="subject_label")
    detail: str


class FigureOut(Schema):
    value: float | None = Field(description=f"None: {career.TOO_FEW}")
    shown: bool


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM (UTC), or all for every month together")
    conversations_held: FigureOut
    with_someone_who_hires: FigureOut
    median_days_to_conversation: FigureOut


class CareerCentreOut(Schema):
    consenting: int | None = Field(description=f"None: fewer than {career.MIN_USERS}")
    min_users: int
    months: list[MonthOut]
    all_time: MonthOut


def _subject(user_id: int) -> User:
    user = users_for_staff().filter(pk=user_id).first()
    if user is None:
        raise Http404("Not Found")
    return user


def _figure(figure: career.Figure) -> dict[str, Any]:
    return {"value": figure.value, "shown": figure.shown and figure.value is not None}


def _month(key: str, month: career.Month) -> dict[str, Any]:
    return {
        "month": key,
        "conversations_held": _figure(month.conversations_held),
        "with_someone_who_hires": _figure(month.with_someone_who_hires),
        "median_days_to_conversation": _figure(month.days_to_conversation),
    }


def _act(request: HttpRequest, user_id: int, action: Any) -> Any:
    try:
        action(request.user, _subject(user_id))
    except DjangoValidationError as error:
        raise DjangoValidationError({"user_id": error.messages}) from None
    return _subject(user_id)


@router.get("/staff/usage", response=UsageOut, url_name="staff-usage", summary="Usage counts")
def get_usage(request: HttpRequest) -> Any:
    return usage(timezone.now())


@router.get(
    "/staff/users",
    response=list[StaffUserOut],
    url_name="staff-user-list",
    summary="Accounts with their counts (never their content)",
)
@paginate(Pagination)
def list_users(request: HttpRequest, filters: Query[UserQuery]) -> Any:
    return users_for_staff(filters.q)


@router.post(
    "/staff/users/{int:user_id}/deactivate",
    response=StaffUserOut,
    url_name="staff-user-deactivate",
    summary="Deactivate: end their sessions, revoke their API tokens",
)
def deactivate(request: HttpRequest, user_id: ObjectId) -> Any:
    return _act(request, user_id, services.deactivate)


@router.post(
    "/staff/users/{int:user_id}/reactivate",
    response=StaffUserOut,
    url_name="staff-user-reactivate",
    summary="Reactivate an account",
)
def reactivate(request: HttpRequest, user_id: ObjectId) -> Any:
    return _act(request, user_id, services.reactivate)


@router.post(
    "/staff/users/{int:user_id}/end-sessions",
    response=SessionsOut,
    url_name="staff-user-end-sessions",
    summary="Sign an account out of every browser",
)
def end_sessions(request: HttpRequest, user_id: ObjectId) -> Any:
    ended = services.end_user_sessions(request.user, _subject(user_id))  # type: ignore[arg-type]
    return {"sessions_ended": ended}


@router.post(
    "/staff/invitations",
    response={201: StaffInvitationOut},
    url_name="staff-invitations",
    summary="E-mail a single-use sign-up link",
)
def invite(request: HttpRequest, payload: StaffInvitationIn) -> Any:
    return Status(201, services.invite(request.user, payload.email))  # type: ignore[arg-type]


@router.get(
    "/staff/invitations",
    response=list[StaffInvitationOut],
    url_name="staff-invitations",
    summary="Invitations sent, newest first",
)
@paginate(Pagination)
def list_invitations(request: HttpRequest) -> Any:
    return Invitation.objects.all()


def _on_invitation(request: HttpRequest, staff_invitation_id: int, action: Any) -> Any:
    invitation = services.invitation_or_404(staff_invitation_id)
    try:
        return action(request.user, invitation)
    except DjangoValidationError as error:
        raise DjangoValidationError({"staff_invitation_id": error.messages}) from None


@router.post(
    "/staff/invitations/{int:staff_invitation_id}/resend",
    response=StaffInvitationOut,
    url_name="staff-invitation-resend",
    summary="E-mail the invitation again with a new link (the old one stops working)",
)
def resend_invitation(request: HttpRequest, staff_invitation_id: ObjectId) -> Any:
    return _on_invitation(request, staff_invitation_id, services.resend)


@router.post(
    "/staff/invitations/{int:staff_invitation_id}/revoke",
    response=StaffInvitationOut,
    url_name="staff-invitation-revoke",
    summary="Withdraw an invitation: its link stops working",
)
def revoke_invitation(request: HttpRequest, staff_invitation_id: ObjectId) -> Any:
    return _on_invitation(request, staff_invitation_id, services.revoke)


@router.get(
    "/staff/actions",
    response=list[ActionOut],
    url_name="staff-action-list",
    summary="The staff action log, newest first",
)
@paginate(Pagination)
def list_actions(request: HttpRequest) -> Any:
    return StaffAction.objects.all()


@router.get(
    "/staff/career-centre",
    response=CareerCentreOut,
    url_name="staff-career-centre",
    summary="Anonymous figures over consenting users, per month",
)
def career_centre(request: HttpRequest) -> Any:
    figures = career.career_centre(timezone.now().astimezone(datetime.UTC).date())
    return {
        "consenting": figures.consenting if figures.enough_users else None,
        "min_users": career.MIN_USERS,
        "months": [_month(f"{m.first_day:%Y-%m}", m) for m in figures.months],
        "all_time": _month("all", figures.total),
    }


consent_router = Router(tags=["career centre"])


class ConsentIO(Input):
    counted: bool = Field(
        description="Count me in my career centre's anonymous figures (off by default)"
    )


@consent_router.get(
    "/career-centre/consent",
    response=ConsentIO,
    url_name="career-centre-consent",
    summary="Whether I am counted in the career centre's anonymous figures",
)
def get_consent(request: HttpRequest) -> Any:
    return {"counted": career.is_counted(request.user)}


@consent_router.put(
    "/career-centre/consent",
    response=ConsentIO,
    url_name="career-centre-consent",
    summary="Opt in to (or out of) the career centre's anonymous figures",
)
def put_consent(request: HttpRequest, payload: ConsentIO) -> Any:
    career.set_counted(request.user, payload.counted)
    return {"counted": career.is_counted(request.user)}


def register(api: NinjaAPI) -> None:
    api.add_router("", router)
    api.add_router("", consent_router)
