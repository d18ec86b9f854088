"""The one place that decides which rows a request may see.

Every queryset that serves a request starts from :func:`owned`; every lookup of
a single object goes through :func:`get_owned_or_404`. Another user's object is
a 404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, QueryDict

# The largest id a row can have (a signed 64-bit integer, in every supported database).
# A larger number would overflow the query: it is refused as input (422 in the API,
# through ``coffeechat.api.ids.ObjectId``), or not found when it is a path's id.
MAX_ID = 2**63 - 1


def can_own(user: Any) -> bool:
    """Whether ``user`` is someone who has rows (an anonymous user or None has none)."""
    return user is not None and bool(getattr(user, "is_authenticated", False))


def owned[M: models.Model](model: type[M], user: Any) -> models.QuerySet[M]:
    """The rows of ``model`` that belong to ``user`` (none for an anonymous user)."""
    manager = model._default_manager
    if not can_own(user):
        return manager.none()
    return manager.filter(owner=user)


def get_owned_or_404[M: models.Model](
    model: type[M] | models.QuerySet[M], user: Any, **lookup: Any
) -> M:
    """One of ``user``'s rows, or 404. ``model`` may be a queryset with joins."""
    if isinstance(model, models.QuerySet):
        queryset = model.filter(owner=user) if user.is_authenticated else model.none()
    else:
        queryset = owned(model, user)
    if any(_out_of_range(key, value) for key, value in lookup.items()):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.")
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from None


def check_references_owned(instance: models.Model, owner: Any) -> None:
    """Refuse a row that points at another user's row through any foreign key.

    Raises ``ValidationError`` naming the field, so forms and the API can show it.
    """
    errors: dict[str, str] = {}
    for field in instance._meta.get_fields():
        if not isinstance(field, models.ForeignKey) or field.name == "owner":
            continue
        related = field.related_model
        if not isinstance(related, type) or not _has_owner(related):
            continue
        value_id = getattr(instance, field.attname)
        if value_id is None:
            continue
        if not related._default_manager.filter(pk=value_id, owner=owner).exists():
            errors[field.name] = f"There is no {related._meta.verbose_name} with id {value_id}."
    if errors:
        raise ValidationError(errors)


def save_owned[M: models.Model](owner: Any, instance: M) -> M:
    """Validate and save a row of ``owner``'s, refusing references to other users' rows."""
    instance.owner = owner  # type: ignore[attr-defined]
    check_references_owned(instance, owner)
    instance.full_clean()
    instance.save()
    return instance


def delete_owned(instance: models.Model) -> None:
    with transaction.atomic():
        instance.delete()


def _out_of_range(key: str, value: Any) -> bool:
    is_id = key == "pk" or key == "id" or key.endswith("_id")
    return is_id and isinstance(value, int) and not 0 <= value <= MAX_ID


def _has_owner(model: type[models.Model]) -> bool:
    return any(f.name == "owner" for f in model._meta.get_fields())


def form_data(request: HttpRequest) -> QueryDict | None:
    """The posted data to bind a form to, or None on GET (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None


def is_derived(model: Any) -> bool:
    """Rows rebuilt from other rows (the search index, marked ``derived_data = True``):
    they are never "something else that points at" a row, never moved by a merge and
    never backed up."""
    return bool(getattr(model, "derived_data", False))
