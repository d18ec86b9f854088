"""API routes for the network: people, organizations, jobs, affiliations, ties.

This module builds its routes with a factory, so it does not use
``from __future__ import annotations``: django-ninja needs the real types.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field, create_model

from coffeechat.core.scoping import get_owned_or_404, owned
from coffeechat.network import services
from coffeechat.network.models import (
    Affiliation,
    Employment,
    Membership,
    Organization,
    Person,
    Tie,
)

# Schemas ---------------------------------------------------------------------


class PersonIn(Schema):
    first_name: str = Field(min_length=1, max_length=150)
    last_name: str = ""
    emails: list[str] = []
    phones: list[str] = []
    linkedin_url: str = ""
    location: str = ""
    time_zone: str = ""
    level: str = Field("", description="staff, manager, executive, hr, recruiter or empty")
    preferred_channel: str = Field(
        "", description="email, phone, linkedin, text, video, in_person or empty"
    )
    do_not_contact: bool = False
    source: str = Field(
        "manual",
        description="manual, linkedin, alumni_directory, association_directory, friend, referral",
    )
    notes: str = ""
    tags: list[str] = []


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    emails: list[str]
    phones: list[str]
    linkedin_url: str
    location: str
    time_zone: str
    level: str
    preferred_channel: str
    do_not_contact: bool
    source: str
    notes: str
    tags: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_emails(obj: Person) -> list[str]:
        return [item.email for item in obj.email_addresses.all()]

    @staticmethod
    def resolve_phones(obj: Person) -> list[str]:
        return [item.number for item in obj.phone_numbers.all()]

    @staticmethod
    def resolve_tags(obj: Person) -> list[str]:
        return [tag.name for tag in obj.tags.all()]


class OrganizationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    website: str = ""
    domain: str = ""
    industry: str = ""
    location: str = ""
    notes: str = ""


class OrganizationOut(OrganizationIn):
    id: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class EmploymentIn(Schema):
    person_id: int
    organization_id: int
    title: str = ""
    department: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    is_current: bool = True
    has_hiring_authority: bool = False


class EmploymentOut(EmploymentIn):
    id: int


class AffiliationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(description="school, association, former_employer or community")
    organization_id: int | None = None
    notes: str = ""


class AffiliationOut(AffiliationIn):
    id: int


class MembershipIn(Schema):
    person_id: int
    affiliation_id: int
    detail: str = ""
    class_year: int | None = None
    start_year: int | None = None
    end_year: int | None = None


class MembershipOut(MembershipIn):
    id: int


class TieIn(Schema):
    from_person_id: int | None = Field(None, description="Empty for a tie between you and them.")
    to_person_id: int
    kind: str = Field(
        description="friend, family, colleague, classmate, introduced, referred, acquaintance"
    )
    strength: int = 3
    introduced_by_id: int | None = None
    since: datetime.date | None = None
    note: str = ""


class TieOut(TieIn):
    id: int


class Message(Schema):
    detail: str


# Filters ----------------------------------------------------------------------


class PersonFilters(Schema):
    q: str = Field("", description="Words matched against name, e-mail, organization, title, tag")
    level: str = ""
    source: str = ""
    tag: str = ""
    organization_id: int | None = None


class NameFilters(Schema):
    q: str = Field("", description="Words matched against the name")


class PersonLinkFilters(Schema):
    person_id: int | None = None


class EmploymentFilters(Schema):
    person_id: int | None = None
    organization_id: int | None = None
    is_current: bool | None = None


class MembershipFilters(Schema):
    person_id: int | None = None
    affiliation_id: int | None = None


def filter_people(queryset: QuerySet[Person], filters: PersonFilters) -> QuerySet[Person]:
    queryset = services.search_people(queryset, filters.q)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag)
    if filters.organization_id is not None:
        queryset = queryset.filter(employments__organization_id=filters.organization_id).distinct()
    return queryset


def filter_by_name(queryset: QuerySet[Any], filters: NameFilters) -> QuerySet[Any]:
    for word in filters.q.split():
        queryset = queryset.filter(name__icontains=word)
    return queryset


def filter_by_fields(queryset: QuerySet[Any], filters: Schema) -> QuerySet[Any]:
    wanted = {key: value for key, value in filters.dict().items() if value is not None}
    return queryset.filter(**wanted)


def save_plain(owner: Any, instance: models.Model, data: dict[str, Any]) -> models.Model:
    for key, value in data.items():
        setattr(instance, key, value)
    return services.save_owned(owner, instance)


def save_person(owner: Any, person: Person, data: dict[str, Any]) -> Person:
    extras = {key: data.pop(key) for key in ("emails", "phones", "tags") if key in data}
    for key, value in data.items():
        setattr(person, key, value)
    return services.save_person(owner, person, **extras)


# The factory -----------------------------------------------------------------


def crud(
    router: Router,
    *,
    name: str,
    plural: str,
    model: type[models.Model],
    schema_in: type[Schema],
    schema_out: type[Schema],
    filters: type[Schema],
    apply_filters: Callable[[QuerySet[Any], Any], QuerySet[Any]],
    save: Callable[[Any, Any, dict[str, Any]], models.Model],
    queryset: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda qs: qs,
) -> None:
    """Register list, create, read, update (PUT and PATCH) and delete for one model."""
    id_name = f"{name}_id"
    item_path = f"/{plural}/{{int:{id_name}}}"
    schema_patch = partial(schema_in)
    label = model._meta.verbose_name

    def scoped(request: HttpRequest) -> QuerySet[Any]:
        return queryset(owned(model, request.user))

    def fetch(request: HttpRequest, object_id: int) -> Any:
        return get_owned_or_404(scoped(request), request.user, pk=object_id)

    @router.get(
        f"/{plural}",
        response=list[schema_out],
        operation_id=f"list_{plural}",
        url_name=f"{name}-list",
        summary=f"List {model._meta.verbose_name_plural}",
    )
    @paginate(LimitOffsetPagination)
    def list_items(request: HttpRequest, filters: Query[filters]) -> Any:  # type: ignore[valid-type]
        return apply_filters(scoped(request), filters)

    @router.post(
        f"/{plural}",
        response={201: schema_out},
        operation_id=f"create_{name}",
        url_name=f"{name}-create",
        summary=f"Create a {label}",
    )
    def create_item(request: HttpRequest, payload: schema_in) -> Any:  # type: ignore[valid-type]
        with transaction.atomic():
            item = save(request.user, model(), payload.dict())
        return 201, fetch(request, item.pk)

    def read_item(request: HttpRequest, **kwargs: int) -> Any:
        return fetch(request, kwargs[id_name])

    def replace_item(request: HttpRequest, payload: schema_in, **kwargs: int) -> Any:  # type: ignore[valid-type]
        item = fetch(request, kwargs[id_name])
        with transaction.atomic():
            save(request.user, item, payload.dict())
        return fetch(request, item.pk)

    def update_item(request: HttpRequest, payload: schema_patch, **kwargs: int) -> Any:  # type: ignore[valid-type]
        item = fetch(request, kwargs[id_name])
        with transaction.atomic():
            save(request.user, item, payload.dict(exclude_unset=True))
        return fetch(request, item.pk)

    def delete_item(request: HttpRequest, **kwargs: int) -> Any:
        services.delete_owned(fetch(request, kwargs[id_name]))
        return 204, None

    # django-ninja reads the path parameter from the signature: give each view its own name.
    for view in (read_item, replace_item, update_item, delete_item):
        _add_path_param(view, id_name)
    router.get(
        item_path, response=schema_out, operation_id=f"get_{name}",
        url_name=f"{name}-detail", summary=f"Read a {label}",
    )(read_item)
    router.put(
        item_path, response=schema_out, operation_id=f"replace_{name}",
        summary=f"Replace a {label}",
    )(replace_item)
    router.patch(
        item_path, response=schema_out, operation_id=f"update_{name}",
        summary=f"Change some fields of a {label}",
    )(update_item)
    router.delete(
        item_path, response={204: None}, operation_id=f"delete_{name}",
        summary=f"Delete a {label}",
    )(delete_item)


def partial(schema: type[Schema]) -> type[Schema]:
    """The same schema with every field optional, for PATCH."""
    fields: dict[str, Any] = {
        name: (field.annotation | None, None) for name, field in schema.model_fields.items()
    }
    return create_model(f"{schema.__name__}Patch", __base__=Schema, **fields)


def _add_path_param(view: Callable[..., Any], id_name: str) -> None:
    import inspect

    signature = inspect.signature(view)
    params = [p for p in signature.parameters.values() if p.kind != p.VAR_KEYWORD]
    params.append(inspect.Parameter(id_name, inspect.Parameter.KEYWORD_ONLY, annotation=int))
    view.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]


def register(api: NinjaAPI) -> None:
    router = Router(tags=["network"])
    crud(
        router, name="person", plural="people", model=Person,
        schema_in=PersonIn, schema_out=PersonOut, filters=PersonFilters,
        apply_filters=filter_people, save=save_person,
        queryset=lambda qs: qs.prefetch_related("email_addresses", "phone_numbers", "tags"),
    )
    crud(
        router, name="organization", plural="organizations", model=Organization,
        schema_in=OrganizationIn, schema_out=OrganizationOut, filters=NameFilters,
        apply_filters=filter_by_name, save=save_plain,
    )
    crud(
        router, name="employment", plural="employments", model=Employment,
        schema_in=EmploymentIn, schema_out=EmploymentOut, filters=EmploymentFilters,
        apply_filters=filter_by_fields, save=save_plain,
    )
    crud(
        router, name="affiliation", plural="affiliations", model=Affiliation,
        schema_in=AffiliationIn, schema_out=AffiliationOut, filters=NameFilters,
        apply_filters=filter_by_name, save=save_plain,
    )
    crud(
        router, name="membership", plural="memberships", model=Membership,
        schema_in=MembershipIn, schema_out=MembershipOut, filters=MembershipFilters,
        apply_filters=filter_by_fields, save=save_plain,
    )
    crud(
        router, name="tie", plural="ties", model=Tie,
        schema_in=TieIn, schema_out=TieOut, filters=PersonLinkFilters,
        apply_filters=filter_ties, save=save_plain,
    )
    api.add_router("", router)


def filter_ties(queryset: QuerySet[Tie], filters: PersonLinkFilters) -> QuerySet[Tie]:
    if filters.person_id is not None:
        queryset = queryset.filter(
            models.Q(from_person_id=filters.person_id) | models.Q(to_person_id=filters.person_id)
        )
    return queryset
