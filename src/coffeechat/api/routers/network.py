"""API routes for the network: people, organizations, jobs, affiliations, ties.

This module builds its routes with a factory, so it does not use
``from __future__ import annotations``: django-ninja needs the real types.
"""

import datetime
import inspect
import types
from collections.abc import Callable
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field, StringConstraints, create_model, field_validator

from coffeechat.api.ids import ObjectId
from coffeechat.core.scoping import delete_owned, get_owned_or_404, owned
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

# Larger numbers in a page offset would overflow the database's integer (ids: api/ids.py).
MAX_OFFSET = 2**62
MAX_LIMIT = 1000

Email = Annotated[str, StringConstraints(max_length=254)]
Phone = Annotated[str, StringConstraints(max_length=40)]


def _refuse_null_characters(value: Any) -> Any:
    """PostgreSQL cannot store NUL; Django's forms refuse it, and so does the API."""
    items = value if isinstance(value, list) else [value]
    if any(isinstance(item, str) and "\x00" in item for item in items):
        raise ValueError("Null characters are not allowed.")
    return value


class Input(Schema):
    """Base of every request body and filter: no string may contain a NUL character."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_null_characters(cls, value: Any) -> Any:
        return _refuse_null_characters(value)


class PersonIn(Input):
    first_name: str = Field(min_length=1, max_length=150)
    last_name: str = ""
    emails: list[Email] = []
    phones: list[Phone] = []
    linkedin_url: str = ""
    location: str = ""
    time_zone: str = ""
    level: str = Field("", description="staff, manager, executive, hr, recruiter or empty")
    preferred_channel: str = Field(
        "", description="email, phone, linkedin, text, video, in_person or empty"
    )
    do_not_contact: bool = False
    follow_up_wish: str = Field("", max_length=300)
    keep_in_touch_days: int | None = Field(None, ge=1, le=3650)
    next_check_in_on: datetime.date | None = None
    may_keep_in_touch: bool = True
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
    follow_up_wish: str
    keep_in_touch_days: int | None
    next_check_in_on: datetime.date | None
    may_keep_in_touch: bool
    not_responding_since: datetime.date | None
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


class OrganizationFields(Schema):
    name: str = Field(min_length=1, max_length=200)
    website: str = ""
    domain: str = ""
    industry: str = ""
    location: str = ""
    notes: str = ""


class OrganizationIn(OrganizationFields, Input):
    pass


class OrganizationOut(OrganizationFields):
    id: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class EmploymentFields(Schema):
    person_id: ObjectId
    organization_id: ObjectId
    title: str = ""
    department: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    is_current: bool = True
    has_hiring_authority: bool = False


class EmploymentIn(EmploymentFields, Input):
    pass


class EmploymentOut(EmploymentFields):
    id: int


class AffiliationFields(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(description="school, association, former_employer or community")
    organization_id: ObjectId | None = None
    notes: str = ""


class AffiliationIn(AffiliationFields, Input):
    pass


class AffiliationOut(AffiliationFields):
    id: int


class MembershipFields(Schema):
    person_id: ObjectId
    affiliation_id: ObjectId
    detail: str = ""
    class_year: int | None = None
    start_year: int | None = None
    end_year: int | None = None


class MembershipIn(MembershipFields, Input):
    pass


class MembershipOut(MembershipFields):
    id: int


class TieFields(Schema):
    from_person_id: ObjectId | None = Field(
        None, description="Empty for a tie between you and them."
    )
    to_person_id: ObjectId
    kind: str = Field(
        description="friend, family, colleague, classmate, introduced, referred, acquaintance"
    )
    strength: int = Field(3, description="1 = barely know each other, 5 = very close.")
    introduced_by_id: ObjectId | None = None
    since: datetime.date | None = None
    note: str = ""


class TieIn(TieFields, Input):
    pass


class TieOut(TieFields):
    id: int


# Filters ----------------------------------------------------------------------


class PersonFilters(Input):
    q: str = Field("", description="Words matched against name, e-mail, organization, title, tag")
    level: str = ""
    source: str = ""
    tag: str = ""
    organization_id: ObjectId | None = None


class NameFilters(Input):
    q: str = Field("", description="Words matched against the name")


class PersonLinkFilters(Input):
    person_id: ObjectId | None = None


class EmploymentFilters(Input):
    person_id: ObjectId | None = None
    organization_id: ObjectId | None = None
    is_current: bool | None = None


class MembershipFilters(Input):
    person_id: ObjectId | None = None
    affiliation_id: ObjectId | None = None


def filter_people(queryset: QuerySet[Person], filters: PersonFilters) -> Any:
    """The people the filters keep, then searched for ``q`` (a :class:`Hits`, best first)."""
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag)
    if filters.organization_id is not None:
        queryset = queryset.filter(employments__organization_id=filters.organization_id).distinct()
    return services.searched(queryset, filters.q)


def filter_by_name(queryset: QuerySet[Any], filters: NameFilters) -> QuerySet[Any]:
    for word in filters.q.split():
        queryset = queryset.filter(name__icontains=word)
    return queryset


def filter_by_fields(queryset: QuerySet[Any], filters: Schema) -> QuerySet[Any]:
    wanted = {key: value for key, value in filters.dict().items() if value is not None}
    return queryset.filter(**wanted)


def save_plain(owner: Any, instance: models.Model, data: dict[str, Any]) -> models.Model:
    return services.save_fields(owner, instance, data)


def save_organization(owner: Any, organization: Organization, data: dict[str, Any]) -> Any:
    """A name another organization has already is a 409 that names it (and where it is)."""
    try:
        return services.save_organization(owner, organization, data)
    except services.OrganizationExists as exc:
        where = reverse("api-1:organization-detail", args=[exc.existing.pk])
        raise HttpError(409, f"{exc} It is {where} (id {exc.existing.pk}).") from None


def save_person(owner: Any, person: Person, data: dict[str, Any]) -> Person:
    extras = {key: data.pop(key) for key in ("emails", "phones", "tags") if key in data}
    for key, value in data.items():
        setattr(person, key, value)
    return services.save_person(owner, person, **extras)


class Pagination(LimitOffsetPagination):
    """``limit`` and ``offset``, bounded so that no number overflows the database."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


def with_api_field_names(exc: DjangoValidationError, schema: type[Schema]) -> DjangoValidationError:
    """Name the fields of a model's error as the API does: ``person`` is ``person_id``."""
    if not hasattr(exc, "error_dict"):
        return exc
    renamed: dict[str, Any] = {}
    for key, errors in exc.error_dict.items():
        api_name = f"{key}_id"
        if key not in schema.model_fields and api_name in schema.model_fields:
            key = api_name
        renamed.setdefault(key, []).extend(errors)
    return DjangoValidationError(renamed)


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
    delete: Callable[[Any, Any, dict[str, Any]], None] | None = None,
    delete_options: type[Schema] | None = None,
) -> None:
    """Register list, create, read, update (PUT and PATCH) and delete for one model.

    ``delete`` replaces the plain delete with a service (owner, item, options), where
    the options are the query parameters of ``delete_options``; it runs in one
    transaction, and a ValidationError from it is a 422 naming the option.
    """
    id_name = f"{name}_id"
    item_path = f"/{plural}/{{int:{id_name}}}"
    schema_patch = partial(schema_in)
    noun = str(model._meta.verbose_name)
    label = ("an " if noun[0] in "aeiou" else "a ") + noun

    def scoped(request: HttpRequest) -> QuerySet[Any]:
        return queryset(owned(model, request.user))

    def fetch(request: HttpRequest, object_id: int) -> Any:
        return get_owned_or_404(scoped(request), request.user, pk=object_id)

    def write(request: HttpRequest, item: models.Model, data: dict[str, Any]) -> models.Model:
        try:
            with transaction.atomic():
                return save(request.user, item, data)
        except DjangoValidationError as exc:
            raise with_api_field_names(exc, schema_in) from None

    @router.get(
        f"/{plural}",
        response=types.GenericAlias(list, (schema_out,)),
        operation_id=f"list_{plural}",
        url_name=f"{name}-list",
        summary=f"List {model._meta.verbose_name_plural}",
    )
    @paginate(Pagination)
    def list_items(request: HttpRequest, filters: Query[filters]) -> Any:  # type: ignore[valid-type]
        return apply_filters(scoped(request), filters)

    def create_item(request: HttpRequest, payload: Schema) -> Any:
        item = write(request, model(), payload.dict())
        return Status(201, fetch(request, item.pk))

    def read_item(request: HttpRequest, **kwargs: int) -> Any:
        return fetch(request, kwargs[id_name])

    def replace_item(request: HttpRequest, payload: Schema, **kwargs: int) -> Any:
        item = fetch(request, kwargs[id_name])
        write(request, item, payload.dict())
        return fetch(request, item.pk)

    def update_item(request: HttpRequest, payload: Schema, **kwargs: int) -> Any:
        item = fetch(request, kwargs[id_name])
        write(request, item, payload.dict(exclude_unset=True))
        return fetch(request, item.pk)

    def delete_item(request: HttpRequest, options: Any = None, **kwargs: int) -> Any:
        item = fetch(request, kwargs[id_name])
        if delete is None:
            delete_owned(item)
            return Status(204, None)
        try:
            with transaction.atomic():
                delete(request.user, item, options.dict() if options is not None else {})
        except DjangoValidationError as exc:
            raise with_api_field_names(exc, delete_options or schema_in) from None
        return Status(204, None)

    # django-ninja reads the body schema and the path parameter from the signature:
    # give each view its real schema, and its own name for the id.
    _set_signature(create_item, payload=schema_in)
    _set_signature(read_item, id_name=id_name)
    _set_signature(replace_item, payload=schema_in, id_name=id_name)
    _set_signature(update_item, payload=schema_patch, id_name=id_name)
    _set_signature(
        delete_item,
        id_name=id_name,
        options=Query[delete_options] if delete_options is not None else None,  # type: ignore[misc,valid-type]
    )
    router.post(
        f"/{plural}",
        response={201: schema_out},
        operation_id=f"create_{name}",
        url_name=f"{name}-create",
        summary=f"Create {label}",
    )(create_item)
    router.get(
        item_path,
        response=schema_out,
        operation_id=f"get_{name}",
        url_name=f"{name}-detail",
        summary=f"Read {label}",
    )(read_item)
    router.put(
        item_path,
        response=schema_out,
        operation_id=f"replace_{name}",
        summary=f"Replace {label}",
    )(replace_item)
    router.patch(
        item_path,
        response=schema_out,
        operation_id=f"update_{name}",
        summary=f"Change some fields of {label}",
    )(update_item)
    router.delete(
        item_path,
        response={204: None},
        operation_id=f"delete_{name}",
        summary=f"Delete {label}",
    )(delete_item)


def partial(schema: type[Schema]) -> type[Schema]:
    """The same schema with every field optional, for PATCH.

    A field left out keeps its value; ``null`` is accepted only where the full schema
    accepts it, and the other constraints (lengths, descriptions) stay.
    """
    fields: dict[str, Any] = {}
    for name, field in schema.model_fields.items():
        annotation: Any = field.annotation
        if field.metadata:
            annotation = Annotated[annotation, *field.metadata]
        fields[name] = (annotation, Field(None, description=field.description))
    base = Input if issubclass(schema, Input) else Schema
    return create_model(f"{schema.__name__}Patch", __base__=base, **fields)


def _set_signature(
    view: Callable[..., Any],
    *,
    payload: type[Schema] | None = None,
    id_name: str = "",
    options: Any = None,
) -> None:
    signature = inspect.signature(view)
    params = []
    for param in signature.parameters.values():
        if param.kind == param.VAR_KEYWORD:
            continue
        if param.name == "options":
            if options is None:
                continue
            param = param.replace(annotation=options)
        if param.name == "payload" and payload is not None:
            param = param.replace(annotation=payload)
        params.append(param)
    if id_name:
        params.append(inspect.Parameter(id_name, inspect.Parameter.KEYWORD_ONLY, annotation=int))
    view.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]


def register(api: NinjaAPI) -> None:
    router = Router(tags=["network"])
    crud(
        router,
        name="person",
        plural="people",
        model=Person,
        schema_in=PersonIn,
        schema_out=PersonOut,
        filters=PersonFilters,
        apply_filters=filter_people,
        save=save_person,
        queryset=lambda qs: qs.prefetch_related("email_addresses", "phone_numbers", "tags"),
    )
    crud(
        router,
        name="organization",
        plural="organizations",
        model=Organization,
        schema_in=OrganizationIn,
        schema_out=OrganizationOut,
        filters=NameFilters,
        apply_filters=filter_by_name,
        save=save_organization,
    )
    crud(
        router,
        name="employment",
        plural="employments",
        model=Employment,
        schema_in=EmploymentIn,
        schema_out=EmploymentOut,
        filters=EmploymentFilters,
        apply_filters=filter_by_fields,
        save=save_plain,
    )
    crud(
        router,
        name="affiliation",
        plural="affiliations",
        model=Affiliation,
        schema_in=AffiliationIn,
        schema_out=AffiliationOut,
        filters=NameFilters,
        apply_filters=filter_by_name,
        save=save_plain,
    )
    crud(
        router,
        name="membership",
        plural="memberships",
        model=Membership,
        schema_in=MembershipIn,
        schema_out=MembershipOut,
        filters=MembershipFilters,
        apply_filters=filter_by_fields,
        save=save_plain,
    )
    crud(
        router,
        name="tie",
        plural="ties",
        model=Tie,
        schema_in=TieIn,
        schema_out=TieOut,
        filters=PersonLinkFilters,
        apply_filters=filter_ties,
        save=save_plain,
    )
    api.add_router("", router)


def filter_ties(queryset: QuerySet[Tie], filters: PersonLinkFilters) -> QuerySet[Tie]:
    if filters.person_id is not None:
        queryset = queryset.filter(
            models.Q(from_person_id=filters.person_id) | models.Q(to_person_id=filters.person_id)
        )
    return queryset
