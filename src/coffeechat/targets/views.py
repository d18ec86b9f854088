"""Pages for targets, postings, applications, warm paths and the network map."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from coffeechat.core.pages import apply_form_errors, confirm_delete, form_page, paginate
from coffeechat.core.scoping import form_data, get_owned_or_404, owned
from coffeechat.network.models import Organization
from coffeechat.targets import services
from coffeechat.targets.forms import (
    ApplicationForm,
    ApplicationStatusForm,
    BulkTargetsForm,
    PostingForm,
    TargetForm,
    TargetQuickForm,
)
from coffeechat.targets.map import build_map
from coffeechat.targets.models import (
    Application,
    ApplicationStatus,
    Posting,
    PostingStatus,
    Target,
)
from coffeechat.targets.outcomes import application_outcomes

# Targets ------------------------------------------------------------------------------


def _ranking_context(
    request: HttpRequest, bound: dict[int, TargetQuickForm] | None = None
) -> dict[str, Any]:
    ranked = services.rank_targets(request.user)
    rows = []
    for item in ranked:
        pk = item.target.pk
        form = (bound or {}).get(pk) or TargetQuickForm(
            instance=item.target, owner=request.user, prefix=f"t{pk}"
        )
        rows.append((item, form))
    return {
        "rows": [row for row in rows if row[0].is_ranked],
        "not_fit": [row for row in rows if not row[0].is_ranked],
        "bulk_form": BulkTargetsForm(),
    }


@login_required
@vary_on_headers("HX-Request")
def target_list(request: HttpRequest) -> HttpResponse:
    return render(request, "targets/target_list.html", _ranking_context(request))


@login_required
@require_http_methods(["GET", "POST"])
def target_bulk_add(request: HttpRequest) -> HttpResponse:
    form = BulkTargetsForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = services.add_targets(request.user, form.cleaned_data["names"])
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, result.summary())
            return redirect("targets:target-list")
    return render(request, "targets/target_bulk.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def target_for_organization(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_owned_or_404(Organization, request.user, pk=organization_id)
    existing = owned(Target, request.user).filter(organization=organization).first()
    if request.method == "POST":
        target, created = services.target_for_organization(request.user, organization)
        if created:
            messages.success(request, f"{organization.name} is now a target.")
        return redirect(target)
    return render(
        request,
        "targets/target_confirm.html",
        {"organization": organization, "existing": existing},
    )


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def target_quick(request: HttpRequest, target_id: int) -> HttpResponse:
    """The inline edit of one row of the target list (htmx swaps the whole ranking)."""
    target = get_owned_or_404(
        Target.objects.select_related("organization"), request.user, pk=target_id
    )
    form = TargetQuickForm(
        form_data(request), instance=target, owner=request.user, prefix=f"t{target.pk}"
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_target(request.user, form.instance)
            except ValidationError as error:
                apply_form_errors(form, error)
        if form.is_valid() and not form.errors:
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, f"Saved {target.organization.name}.")
                return redirect("targets:target-list")
            return render(request, "targets/target_list.html#ranking", _ranking_context(request))
        context = _ranking_context(request, {target.pk: form})
        template = "targets/target_list.html"
        if request.htmx:  # type: ignore[attr-defined]
            template += "#ranking"
        return render(request, template, context, status=422 if not request.htmx else 200)  # type: ignore[attr-defined]
    return render(request, "targets/target_quick.html", {"form": form, "target": target})


@login_required
@require_http_methods(["GET", "POST"])
def target_update(request: HttpRequest, target_id: int) -> HttpResponse:
    target = get_owned_or_404(
        Target.objects.select_related("organization"), request.user, pk=target_id
    )
    form = TargetForm(form_data(request), instance=target, owner=request.user)
    return form_page(
        request,
        form,
        "targets/target_form.html",
        success=f"Saved {target.organization.name}.",
        save=lambda: services.save_target(request.user, form.instance),
        back=target,
        extra={"target": target},
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, target_id: int) -> HttpResponse:
    target = get_owned_or_404(
        Target.objects.select_related("organization"), request.user, pk=target_id
    )
    return confirm_delete(
        request,
        target,
        f"the target {target.organization.name} (the organization stays)",
        "targets:target-list",
        kind="target",
    )


# Postings -----------------------------------------------------------------------------


@login_required
def posting_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    postings = (
        owned(Posting, request.user)
        .select_related("organization", "contact")
        .order_by("-seen_on", "-pk")
    )
    if status in PostingStatus.values:
        postings = postings.filter(status=status)
    return render(
        request,
        "targets/posting_list.html",
        {"page": paginate(request, postings), "status": status, "statuses": PostingStatus.choices},
    )


def _posting_form_page(
    request: HttpRequest, form: PostingForm, posting: Posting | None
) -> HttpResponse:
    return form_page(
        request,
        form,
        "targets/posting_form.html",
        success="Saved the posting.",
        save=lambda: services.save_posting(
            request.user, form.instance, form.cleaned_data["organization_name"]
        ),
        extra={
            "posting": posting,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def posting_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    organization = _organization_from_query(request)
    if organization is not None:
        initial["organization_name"] = organization.name
    form = PostingForm(form_data(request), owner=request.user, initial=initial)
    return _posting_form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def posting_update(request: HttpRequest, posting_id: int) -> HttpResponse:
    posting = get_owned_or_404(
        Posting.objects.select_related("organization"), request.user, pk=posting_id
    )
    form = PostingForm(form_data(request), instance=posting, owner=request.user)
    return _posting_form_page(request, form, posting)


@login_required
@require_http_methods(["GET", "POST"])
def posting_delete(request: HttpRequest, posting_id: int) -> HttpResponse:
    posting = get_owned_or_404(
        Posting.objects.select_related("organization"), request.user, pk=posting_id
    )
    return confirm_delete(request, posting, str(posting), "targets:posting-list", kind="posting")


def _organization_from_query(request: HttpRequest) -> Organization | None:
    raw = request.GET.get("organization", "")
    if not raw.isdigit():
        return None
    return owned(Organization, request.user).filter(pk=int(raw)).first()


# Applications -------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    applications = (
        owned(Application, request.user)
        .select_related("organization", "posting", "referred_by")
        .order_by("-applied_on", "-pk")
    )
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "targets/application_list.html",
        {
            "page": paginate(request, applications),
            "status": status,
            "statuses": ApplicationStatus.choices,
            "outcomes": application_outcomes(request.user),
        },
    )


def _application_form_page(
    request: HttpRequest, form: ApplicationForm, application: Application | None
) -> HttpResponse:
    return form_page(
        request,
        form,
        "targets/application_form.html",
        success="Saved the application.",
        save=lambda: services.save_application(
            request.user,
            form.instance,
            organization_name=form.cleaned_data.get("organization_name") or None,
        ),
        extra={
            "application": application,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    organization = _organization_from_query(request)
    if organization is not None:
        initial["organization_name"] = organization.name
    raw = request.GET.get("posting", "")
    if raw.isdigit():
        posting = owned(Posting, request.user).filter(pk=int(raw)).first()
        if posting is not None:
            initial.update(posting=posting.pk, role_title=posting.title)
    form = ApplicationForm(form_data(request), owner=request.user, initial=initial)
    return _application_form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def application_update(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_owned_or_404(
        Application.objects.select_related("organization"), request.user, pk=application_id
    )
    form = ApplicationForm(form_data(request), instance=application, owner=request.user)
    return _application_form_page(request, form, application)


@login_required
@require_http_methods(["GET", "POST"])
def application_status(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_owned_or_404(
        Application.objects.select_related("organization"), request.user, pk=application_id
    )
    form = ApplicationStatusForm(form_data(request), initial={"status": application.status})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_application_status(
                request.user, application, data["status"], on=data["on"], note=data["note"]
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"Status: {application.get_status_display().lower()}.")
            return redirect(application)
    return render(
        request,
        "targets/application_status.html",
        {"application": application, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_delete(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_owned_or_404(
        Application.objects.select_related("organization"), request.user, pk=application_id
    )
    return confirm_delete(
        request, application, str(application), "targets:application-list", kind="application"
    )


# The network map ----------------------------------------------------------------------


@login_required
@vary_on_headers("HX-Request")
def network_map(request: HttpRequest) -> HttpResponse:
    network = build_map(request.user, request.GET)
    template = "targets/map.html"
    if request.htmx and request.htmx.target == "map-area":  # type: ignore[attr-defined]
        template += "#area"
    return render(request, template, {"map": network})
