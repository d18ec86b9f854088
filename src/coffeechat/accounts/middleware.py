"""The MFA policy: who must set up a second factor before using Coffeechat.

``COFFEECHAT_MFA_REQUIRED`` (docs/operations.md, "MFA policy") is ``none``, ``staff`` or
``all``. A person the policy covers who signed in with a password and has no
authenticator app or security key yet is sent to the MFA setup pages: every other page
answers with a redirect there, and the session-authenticated API with a 403. Only
/accounts/ (sign-in, e-mail, password, MFA), static files and /health/ stay open.

Requests with an API token carry no session and are not affected. Sessions signed in
through single sign-on are not covered: a second factor there is the identity
provider's to require.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from coffeechat.accounts.adapter import SSO_SESSION_KEY

OPEN_PREFIXES = ("/accounts/", "/static/", "/health/")
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
ENROL_FIRST = "Set up two-factor authentication to continue: this Coffeechat requires it{who}."


def covered_by_policy(user: Any, policy: str) -> bool:
    if policy == "all":
        return True
    if policy == "staff":
        return bool(user.is_staff or user.is_superuser)
    return False


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def must_enrol(request: HttpRequest) -> bool:
    """Does the policy require this session's user to set up MFA before anything else?"""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.session.get(SSO_SESSION_KEY):
        return False
    return covered_by_policy(user, settings.MFA_REQUIRED) and not has_second_factor(user)


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.MFA_REQUIRED == "none" or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if not must_enrol(request):
            return self.get_response(request)
        who = " for staff accounts" if settings.MFA_REQUIRED == "staff" else ""
        message = ENROL_FIRST.format(who=who)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        setup = reverse("mfa_index")
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": setup})
        if request.method == "GET":
            messages.warning(request, message)
        return redirect(setup)
