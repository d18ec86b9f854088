"""The page an invitation link opens: choose a password, and the account exists.

It is the link that lets the visitor in, so it works when sign-up is closed
(``COFFEECHAT_SIGNUP_OPEN``); once used, or after 7 days, it is a 404.
"""

from __future__ import annotations

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from coffeechat.core.pages import apply_form_errors
from coffeechat.staff import services
from coffeechat.staff.forms import InvitedSignupForm


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest, key: str) -> HttpResponse:
    invitation = services.open_invitation(key)
    if invitation is None:
        raise Http404("This invitation link has been used or has expired.")
    if request.user.is_authenticated:
        return render(
            request, "staff/invited_signup.html", {"invitation": invitation, "signed_in": True}
        )
    form = InvitedSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                key, form.cleaned_data["password1"], full_name=form.cleaned_data["full_name"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_form_errors(form, error)
            else:
                form.add_error("password1", error)
        else:
            login(request, user, backend="coffeechat.accounts.backends.ModelBackend")
            return redirect("pages:home")
    return render(request, "staff/invited_signup.html", {"invitation": invitation, "form": form})
