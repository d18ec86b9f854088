"""Export all my data, delete my account."""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from coffeechat.core import throttle
from coffeechat.core.scoping import form_data
from coffeechat.mydata import services
from coffeechat.mydata.forms import DeleteAccountForm


@login_required
@require_GET
@never_cache
def export_all(request: HttpRequest) -> HttpResponseBase:
    """Everything of the account as one ZIP file (see mydata.services)."""
    if not throttle.allow("export", request.user.pk):
        return throttle.too_many(request, "exports", "export")
    handle = services.export_to_temporary_file(request.user)  # type: ignore[arg-type]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=services.export_filename(),
        content_type="application/zip",
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Explain what goes, offer the export, and delete once the e-mail address is typed."""
    form = DeleteAccountForm(form_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(request.user)  # type: ignore[arg-type]
        logout(request)
        request.session["account_deleted"] = True
        return redirect("mydata:account-deleted")
    return render(
        request,
        "mydata/account_delete.html",
        {"form": form, "summary": services.data_summary(request.user)},  # type: ignore[arg-type]
    )


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    """The goodbye page, shown once, right after the deletion."""
    if not request.session.pop("account_deleted", False):
        return redirect("pages:home")
    return render(request, "mydata/account_deleted.html")
