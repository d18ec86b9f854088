from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from coffeechat.accounts import services
from coffeechat.accounts.forms import (
    ApiTokenForm,
    ProfileForm,
)
from coffeechat.accounts.models import ApiToken, MyAffiliation
from coffeechat.core import throttle
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


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    if not throttle.allow("api-token", request.user.pk):
        return throttle.too_many(request, "new API tokens", "api-token")
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
@require_POST
def token_revoke_all(request: HttpRequest) -> HttpResponse:
    count = services.revoke_all_api_tokens(request.user)
    messages.success(request, f"Revoked {count} token{'s' if count != 1 else ''}.")
    return redirect("accounts:profile")
