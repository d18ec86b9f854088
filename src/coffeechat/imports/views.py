"""Pages for importing files, watching an import run, undoing it, and exporting people."""

from __future__ import annotations

import tempfile
from io import TextIOWrapper

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from coffeechat.core import throttle
from coffeechat.core.pages import apply_form_errors, paginate
from coffeechat.core.scoping import get_owned_or_404, owned
from coffeechat.imports import services, stale
from coffeechat.imports.calendar_files import take_calendar_file
from coffeechat.imports.export import EXPORT_FORMATS, export_people
from coffeechat.imports.forms import MappingForm, UploadForm
from coffeechat.imports.models import ImportBatch, Status
from coffeechat.imports.records import Format
from coffeechat.imports.undo import start_undo, undo_report
from coffeechat.imports.upload_types import is_calendar
from coffeechat.imports.writers import VCARD_VERSIONS


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        if is_calendar(upload.name or ""):
            try:
                taken = take_calendar_file(user, upload.name, upload)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, taken.message)
                return redirect(taken.url or "imports:batch-list")
            batches = paginate(request, owned(ImportBatch, user))
            return render(request, "imports/batch_list.html", {"form": form, "page": batches})
        try:
            batch = services.create_batch(
                user,
                upload,
                upload.name or "upload",
                requested_format=data["format"],
                affiliation=data["affiliation"],
                new_affiliation_name=data["new_affiliation_name"],
                new_affiliation_kind=data["new_affiliation_kind"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            services.start_preview(batch)
            return redirect(batch)
    batches = paginate(request, owned(ImportBatch, user))
    return render(request, "imports/batch_list.html", {"form": form, "page": batches})


def _batch_context(batch: ImportBatch) -> dict[str, object]:
    batch = services.live_progress(batch)
    elapsed = None
    rate = None
    remaining = None
    if batch.is_running and batch.started_at:
        elapsed = max((timezone.now() - batch.started_at).total_seconds(), 0.001)
        if batch.rows_done:
            rate = batch.rows_done / elapsed
            left = max(batch.rows_total - batch.rows_done, 0)
            remaining = left / rate if rate else None
    percent = min(100, round(100 * batch.rows_done / batch.rows_total)) if batch.rows_total else 0
    return {
        "batch": batch,
        "percent": percent,
        "rate": rate,
        "remaining": remaining,
        "problems": batch.problems[:200],
        "more_problems": max(len(batch.problems) - 200, 0),
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_owned_or_404(ImportBatch, request.user, pk=batch_id)
    context = _batch_context(batch)
    mapping_form = None
    if batch.status == Status.PREVIEWED and batch.format == Format.CSV and batch.header:
        from coffeechat.imports.parsers import MAPPABLE_FIELDS

        mapping_form = MappingForm(
            header=batch.header, mapping=services.mapping_of(batch), fields=MAPPABLE_FIELDS
        )
    context["mapping_form"] = mapping_form
    return render(request, "imports/batch_detail.html", context)


@login_required
@require_GET
def batch_progress(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The live progress panel; when the run has ended, htmx reloads the whole page."""
    batch = get_owned_or_404(ImportBatch, request.user, pk=batch_id)
    response = render(request, "imports/_progress.html", _batch_context(batch))
    if not batch.is_running:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def batch_mapping(request: HttpRequest, batch_id: int) -> HttpResponse:
    from coffeechat.imports.parsers import MAPPABLE_FIELDS

    batch = get_owned_or_404(ImportBatch, request.user, pk=batch_id)
    if batch.status != Status.PREVIEWED or not batch.header:
        messages.error(request, "The columns of this file can no longer be changed.")
        return redirect(batch)
    form = MappingForm(
        request.POST,
        header=batch.header,
        mapping=services.mapping_of(batch),
        fields=MAPPABLE_FIELDS,
    )
    if not form.is_valid():
        context = _batch_context(batch)
        context["mapping_form"] = form
        return render(request, "imports/batch_detail.html", context, status=400)
    services.save_mapping(batch, form.mapping(), remember=form.cleaned_data["remember"])
    services.start_preview(batch)
    messages.success(request, "Columns updated; here is the new preview.")
    return redirect(batch)


@login_required
@require_POST
def batch_commit(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_owned_or_404(ImportBatch, request.user, pk=batch_id)
    if batch.status != Status.PREVIEWED:
        messages.error(request, "This file is not waiting to be imported.")
        return redirect(batch)
    services.start_commit(batch)
    batch.refresh_from_db()
    if batch.status == Status.IMPORTED:
        summary = batch.summary
        messages.success(
            request,
            f"Imported {batch.original_name}: {summary.get('new', 0)} new, "
            f"{summary.get('changed', 0)} updated.",
        )
    elif batch.status == Status.PREVIEWED and batch.error:
        messages.error(request, batch.error)
    return redirect(batch)


@login_required
@require_POST
def batch_cancel(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_owned_or_404(ImportBatch, request.user, pk=batch_id)
    if batch.is_running:
        # A run whose process died is failed now rather than at the worker's next tick.
        stale.fail_stale(batch)
    if batch.is_running:
        messages.error(request, f"{batch.original_name} is still running; wait for it to end.")
        return redirect(batch)
    if batch.status == Status.IMPORTED:
        messages.error(request, f"{batch.original_name} was imported; undo it instead.")
        return redirect(batch)
    services.cancel(batch)
    messages.success(request, f"Cancelled {batch.original_name}; nothing was imported.")
    return redirect("imports:batch-list")


@login_required
@require_http_methods(["GET", "POST"])
def batch_undo(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_owned_or_404(ImportBatch, request.user, pk=batch_id)
    if batch.status != Status.IMPORTED:
        messages.error(request, "Only an imported file can be undone.")
        return redirect(batch)
    if request.method == "POST":
        delete_touched = request.POST.get("touched") == "delete"
        try:
            result = start_undo(batch, delete_touched=delete_touched)
        except ValueError:  # another tab or the command line started undoing it first
            messages.error(request, f"{batch.original_name} is already being undone.")
            return redirect(batch)
        if result is None:  # a large import: the worker undoes it, the page follows
            messages.info(request, f"Undoing {batch.original_name}: its progress shows below.")
            return redirect(batch)
        removed = result.get("network.Person", 0)
        text = f"Undid {batch.original_name}: removed {removed} people"
        if result.get("restored"):
            text += f", restored {result['restored']} changed rows"
        if result.get("kept_people"):
            text += f", kept {result['kept_people']} people you have worked on since"
        messages.success(request, text + ".")
        return redirect(batch)
    return render(
        request, "imports/batch_undo.html", {"batch": batch, "report": undo_report(batch)}
    )


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such export format.")
    if not throttle.allow("export", request.user.pk):
        return throttle.too_many(request, "exports", "export")
    content_type, extension = EXPORT_FORMATS[fmt]
    version = request.GET.get("version", "4.0")
    if fmt == "vcard" and version not in VCARD_VERSIONS:
        raise Http404("No such vCard version: choose 4.0 or 3.0.")
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    text = TextIOWrapper(spool, encoding="utf-8", newline="")
    export_people(request.user, fmt, text, vcard_version=version)
    text.flush()
    text.detach()
    spool.seek(0)
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"coffeechat-people-{stamp}.{extension}",
        content_type=f"{content_type}; charset=utf-8",
    )
