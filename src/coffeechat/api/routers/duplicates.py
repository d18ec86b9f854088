"""API routes for duplicates: the proposals, merging two people, "not the same person".

Both people of a pair are in the path (``/people/{person_id}/merge/{other_id}``), so
that every object the route touches is looked up, and answers 404 when it is not the
caller's, before anything else happens. Like routers/network.py, this module does not
use ``from __future__ import annotations``: django-ninja reads the real types.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from coffeechat.api.routers.network import Input, ObjectId, Pagination, PersonOut
from coffeechat.core.scoping import get_owned_or_404, owned
from coffeechat.network.duplicates import duplicates_of, network_duplicates
from coffeechat.network.merge import (
    forget_not_duplicate,
    is_marked_not_duplicate,
    mark_not_duplicate,
    merge_people,
    merge_preview,
    people_for_merge,
)
from coffeechat.network.models import Person


class DuplicateOut(Schema):
    a: int = Field(description="One person's id (the older record when listing the network).")
    b: int = Field(description="The other person's id.")
    score: float = Field(description="0 to 1; 1.0 for the same e-mail, phone or LinkedIn URL.")
    reasons: list[str] = Field(description='Why they look alike: "Bill is a nickname of …".')


class DuplicateFilters(Input):
    person_id: ObjectId | None = Field(None, description="Only the duplicates of this person.")


class MergePreviewOut(Schema):
    keep_id: int
    other_id: int
    emails: list[str]
    phones: list[str]
    tags: list[str]
    jobs: int = Field(description="How many jobs the kept person will have.")
    memberships: int = Field(description="How many affiliations the kept person will have.")
    filled: dict[str, Any] = Field(description="Empty fields of the kept person filled in.")
    ties_moved: int
    ties_dropped: int = Field(description="Ties between the two, which would tie one to oneself.")
    interactions_moved: int
    notes_joined: bool


class NotDuplicateOut(Schema):
    person_id: int
    other_id: int
    not_duplicate: bool = Field(description="True when marked as two different people.")


def _pair(request: HttpRequest, person_id: int, other_id: int) -> tuple[Person, Person]:
    """Both people, each the caller's (404 otherwise), as merge_preview wants them."""
    get_owned_or_404(Person, request.user, pk=person_id)
    get_owned_or_404(Person, request.user, pk=other_id)
    if person_id == other_id:
        raise DjangoValidationError("These are the same person: choose two different people.")
    people = people_for_merge(request.user, [person_id, other_id])
    return people[person_id], people[other_id]


def _person_out(request: HttpRequest, person_id: int) -> Person:
    queryset = owned(Person, request.user).prefetch_related(
        "email_addresses", "phone_numbers", "tags"
    )
    return get_owned_or_404(queryset, request.user, pk=person_id)


router = Router(tags=["duplicates"])


@router.get(
    "/duplicates",
    response=list[DuplicateOut],
    operation_id="list_duplicates",
    url_name="duplicate-list",
    summary="List likely duplicates, the likeliest first",
)
@paginate(Pagination)
def list_duplicates(request: HttpRequest, filters: Query[DuplicateFilters]) -> Any:
    if filters.person_id is not None:
        get_owned_or_404(Person, request.user, pk=filters.person_id)
        return duplicates_of(request.user, filters.person_id)
    return network_duplicates(request.user)


@router.get(
    "/people/{int:person_id}/merge/{int:other_id}",
    response=MergePreviewOut,
    operation_id="preview_merge",
    url_name="person-merge",
    summary="Preview merging other_id into person_id (nothing is written)",
)
def preview_merge(request: HttpRequest, person_id: int, other_id: int) -> Any:
    keep, other = _pair(request, person_id, other_id)
    preview = merge_preview(request.user, keep, other)
    return {
        "keep_id": keep.pk,
        "other_id": other.pk,
        "emails": preview.emails,
        "phones": preview.phones,
        "tags": preview.tags,
        "jobs": len(preview.jobs),
        "memberships": len(preview.memberships),
        "filled": {k: v for k, v in preview.changes.items() if k != "notes"},
        "ties_moved": preview.ties_moved,
        "ties_dropped": preview.ties_dropped,
        "interactions_moved": preview.interactions_moved,
        "notes_joined": preview.notes_joined,
    }


@router.post(
    "/people/{int:person_id}/merge/{int:other_id}",
    response=PersonOut,
    operation_id="merge_people",
    summary="Merge other_id into person_id: person_id is kept, other_id is deleted",
)
def merge(request: HttpRequest, person_id: int, other_id: int) -> Any:
    keep, other = _pair(request, person_id, other_id)
    merged = merge_people(request.user, keep, other)
    return _person_out(request, merged.pk)


@router.get(
    "/people/{int:person_id}/not-duplicate/{int:other_id}",
    response=NotDuplicateOut,
    operation_id="get_not_duplicate",
    url_name="person-not-duplicate",
    summary="Whether two people are marked as not the same person",
)
def get_not_duplicate(request: HttpRequest, person_id: int, other_id: int) -> Any:
    person, other = _pair(request, person_id, other_id)
    marked = is_marked_not_duplicate(request.user, person, other)
    return {"person_id": person.pk, "other_id": other.pk, "not_duplicate": marked}


@router.post(
    "/people/{int:person_id}/not-duplicate/{int:other_id}",
    response=NotDuplicateOut,
    operation_id="mark_not_duplicate",
    summary="Mark two people as not the same person: never proposed again",
)
def post_not_duplicate(request: HttpRequest, person_id: int, other_id: int) -> Any:
    person, other = _pair(request, person_id, other_id)
    mark_not_duplicate(request.user, person, other)
    return {"person_id": person.pk, "other_id": other.pk, "not_duplicate": True}


@router.delete(
    "/people/{int:person_id}/not-duplicate/{int:other_id}",
    response={204: None},
    operation_id="forget_not_duplicate",
    summary="Forget a not-the-same-person mark: the pair may be proposed again",
)
def delete_not_duplicate(request: HttpRequest, person_id: int, other_id: int) -> Any:
    person, other = _pair(request, person_id, other_id)
    forget_not_duplicate(request.user, person, other)
    return Status(204, None)


def register(api: NinjaAPI) -> None:
    api.add_router("", router)
