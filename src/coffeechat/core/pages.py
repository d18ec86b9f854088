"""The few shapes every page of the app shares: a list page, a form page, a delete page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from coffeechat.core.scoping import delete_owned, save_owned


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go after an action: a local ``next`` if one was given, else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def paginate(request: HttpRequest, queryset: Any) -> Page[Any]:
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def apply_form_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form instead of crashing."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_page(
    request: HttpRequest,
    form: BaseForm,
    template: str,
    *,
    success: str | Callable[[Any], str],
    save: Callable[[], Model] | None = None,
    back: Any = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show ``form``; on a valid POST save it and go ``back`` (or to what was saved).

    ``save`` defaults to saving the model form's instance as the user's own row.
    A ValidationError from the save is shown on the form; nothing is half-written.
    """
    if request.method == "POST" and form.is_valid():
        try:
            saved: Any = save() if save else save_owned(request.user, form.instance)  # type: ignore[attr-defined]
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, success(saved) if callable(success) else success)
            return redirect(back if back is not None else saved)
    return render(request, template, {"form": form, **(extra or {})})


def confirm_delete(
    request: HttpRequest,
    obj: Model,
    label: str,
    next_url: str,
    *,
    kind: str = "",
    delete: Callable[[], str] | None = None,
    template: str = "core/confirm_delete.html",
    extra: dict[str, Any] | None = None,
    **next_kwargs: Any,
) -> HttpResponse:
    """Ask first (GET), delete on POST, then go to ``next_url``.

    ``delete`` replaces the plain delete (a service that also tidies up what the row
    made) and returns the message to show; a ValidationError from it is shown on the
    page again and nothing is deleted.
    """
    context = {"object": obj, "label": label, "kind": kind or obj._meta.verbose_name}
    if request.method == "POST":
        try:
            if delete is not None:
                done = delete()
            else:
                delete_owned(obj)
                done = f"Deleted {label}."
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
            return redirect(next_url, **next_kwargs)
    return render(request, template, {**context, **(extra or {})})
