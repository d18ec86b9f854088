"""API routes for the front door's queue: requests for a conversation, accept, decline.

Mounted by :mod:`coffeechat.api.routers.bench` (same tag). The actions take their few
parameters in the query string, so that the request is looked up (404 for another
user's) before anything about the call is judged. The public request page has no API.

No ``from __future__ import annotations`` here: django-ninja reads the types.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from coffeechat.api.routers.network import Input
from coffeechat.bench import front_door
from coffeechat.bench.models import ConversationRequest, RequestStatus
from coffeechat.core.links import absolute_url
from coffeechat.core.scoping import get_owned_or_404

router = Router(tags=["bench"])


class ReferrerOut(Schema):
    name: str
    email: str
    person_id: int | None = Field(description="The person in your network it names, if sure")


class RequestOut(Schema):
    id: int
    name: str
    email: str
    connection: str = Field(description="referred, met, shared_group or none")
    referrer: ReferrerOut | None = Field(description="With a referral")
    connection_note: str
    wants_to_learn: str
    cv_url: str
    status: str = Field(description="pending, accepted or declined")
    decided_at: datetime.datetime | None
    person_id: int | None = Field(description="Who the request became in your network")
    created_at: datetime.datetime


class StatusFilter(Input):
    status: str = Field("", description="pending, accepted or declined; empty for all")


class AcceptIn(Input):
    bench: bool = Field(False, description="Also put them on your bench")


class AcceptOut(Schema):
    request: RequestOut
    person_id: int
    schedule_url: str = Field(description="The schedule form, prefilled with the person")


class DeclineIn(Input):
    subject: str = Field("", max_length=200, description="Default: the kind answer's")
    body: str = Field("", max_length=5000, description="Default: the kind answer")


def _out(asked: ConversationRequest, referrers: dict[int, Any]) -> dict[str, Any]:
    referrer = None
    if asked.connection == "referred" and asked.referrer_name:
        found = referrers.get(asked.pk)
        referrer = {
            "name": asked.referrer_name,
            "email": asked.referrer_email,
            "person_id": found.person.pk if found and found.person else None,
        }
    return {
        "id": asked.pk,
        "name": asked.name,
        "email": asked.email,
        "connection": asked.connection,
        "referrer": referrer,
        "connection_note": asked.connection_note,
        "wants_to_learn": asked.wants_to_learn,
        "cv_url": asked.cv_url,
        "status": asked.status,
        "decided_at": asked.decided_at,
        "person_id": asked.person_id,
        "created_at": asked.created_at,
    }


def _one(request: HttpRequest, asked: ConversationRequest) -> dict[str, Any]:
    return _out(asked, front_door.referrers(request.user, [asked]))


def _request(request: HttpRequest, request_id: int) -> ConversationRequest:
    return get_owned_or_404(front_door.queue(request.user), request.user, pk=request_id)


@router.get("/bench/requests", response=list[RequestOut], url_name="bench-request-list")
def list_requests(request: HttpRequest, filters: Query[StatusFilter]) -> Any:
    rows = front_door.queue(request.user)
    if filters.status in RequestStatus.values:
        rows = rows.filter(status=filters.status)
    found = list(rows)
    referrers = front_door.referrers(request.user, found)
    return [_out(asked, referrers) for asked in found]


@router.get(
    "/bench/requests/{int:request_id}", response=RequestOut, url_name="bench-request-detail"
)
def get_request(request: HttpRequest, request_id: int) -> Any:
    return _one(request, _request(request, request_id))


@router.delete(
    "/bench/requests/{int:request_id}", response={204: None}, url_name="bench-request-detail"
)
def delete_request(request: HttpRequest, request_id: int) -> Any:
    front_door.delete_request(request.user, _request(request, request_id))
    return Status(204, None)


@router.post(
    "/bench/requests/{int:request_id}/accept",
    response=AcceptOut,
    url_name="bench-request-accept",
)
def accept_request(request: HttpRequest, request_id: int, payload: Query[AcceptIn]) -> Any:
    asked = _request(request, request_id)
    person = front_door.accept(request.user, asked, bench_them=payload.bench)
    return {
        "request": _one(request, asked),
        "person_id": person.pk,
        "schedule_url": absolute_url(front_door.schedule_url(person)),
    }


@router.post(
    "/bench/requests/{int:request_id}/decline",
    response=RequestOut,
    url_name="bench-request-decline",
)
def decline_request(request: HttpRequest, request_id: int, payload: Query[DeclineIn]) -> Any:
    asked = _request(request, request_id)
    subject, body = front_door.decline_draft(request.user, asked)
    front_door.decline(
        request.user, asked, subject=payload.subject or subject, body=payload.body or body
    )
    return _one(request, asked)
