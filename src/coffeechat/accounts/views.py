from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coffeechat.accounts import mydata, services
from coffeechat.accounts.forms import (
    ApiTokenForm,
    DeleteAccountForm,
    MyAffiliationForm,
    ProfileForm,
)
from coffeechat.accounts.models import ApiToken, MyAffiliation
from coffeechat.core.pages import confirm_delete, form_page
from coffeechat.core.scoping import form_data, get_owned_or_404, owned


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    profile = services.get_profile(request.user)  # type: ignore[arg-type]
    form = ProfileForm(form_data(request), instance=profile)
    if request.method == "POST" and form.is_valid():
        services.save_profile(form.instance)
        messages.success(request, "Saved your profile.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "my_affiliations": owned(MyAffiliation, request.user).select_related("affiliation"),
            "tokens": services.tokens_of(request.user),
            "token_form": ApiTokenForm(),
            "new_token": request.session.pop("new_api_token", None),
        },
    )


def _my_affiliation_page(request: HttpRequest, form: MyAffiliationForm) -> HttpResponse:
    return form_page(
        request,
        form,
        "accounts/myaffiliation_form.html",
        success="Saved your affiliation.",
        save=lambda: services.save_my_affiliation(
            request.user,
            form.instance,
            new_name=form.cleaned_data.get("new_name", ""),
            new_kind=form.cleaned_data.get("new_kind", ""),
        ),
        back="accounts:profile",
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_affiliation_create(request: HttpRequest) -> HttpResponse:
    return _my_affiliation_page(request, MyAffiliationForm(form_data(request), owner=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def my_affiliation_update(request: HttpRequest, my_affiliation_id: int) -> HttpResponse:
    item = get_owned_or_404(MyAffiliation, request.user, pk=my_affiliation_id)
    form = MyAffiliationForm(form_data(request), instance=item, owner=request.user)
    return _my_affiliation_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def my_affiliation_delete(request: HttpRequest, my_affiliation_id: int) -> HttpResponse:
    item = get_owned_or_404(
        MyAffiliation.objects.select_related("affiliation"), request.user, pk=my_affiliation_id
    )
    return confirm_delete(
        request,
        item,
        f"{item.affiliation} from your affiliations",
        "accounts:profile",
        kind="affiliation of yours",
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        _token, raw = services.create_api_token(request.user, form.cleaned_data["name"])
        request.session["new_api_token"] = raw
        messages.success(request, "Created a token. Copy it now: it is shown only once.")
    else:
        messages.error(request, "A token needs a name.")
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_owned_or_404(ApiToken, request.user, pk=token_id)
    services.revoke_api_token(token)
    messages.success(request, f"Revoked {token.name}.")
    return redirect("accounts:profile")


@login_required
@require_GET
@never_cache
def export_all(request: HttpRequest) -> FileResponse:
    """Everything of the account as one ZIP file (see accounts.mydata)."""
    handle = mydata.export_to_temporary_file(request.user)  # type: ignore[arg-type]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=mydata.export_filename(),
        content_type="application/zip",
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Explain what goes, offer the export, and delete once the e-mail address is typed."""
    form = DeleteAccountForm(form_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        mydata.delete_account(request.user)  # type: ignore[arg-type]
        logout(request)
        request.session["account_deleted"] = True
        return redirect("accounts:account-deleted")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "summary": mydata.data_summary(request.user)},  # type: ignore[arg-type]
    )


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    """The goodbye page, shown once, right after the deletion."""
    if not request.session.pop("account_deleted", False):
        return redirect("core:home")
    return render(request, "accounts/account_deleted.html")
