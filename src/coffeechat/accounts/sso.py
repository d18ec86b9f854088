"""Single sign-on through one OpenID Connect provider (django-allauth's socialaccount).

The rules (docs/operations.md, "Single sign-on"):

- a person whose provider account is already linked signs in;
- otherwise, an existing Coffeechat account with the same e-mail address is linked only
  when the provider says the address is verified (``email_verified`` true);
- otherwise a new account is made only for a verified address in one of
  ``COFFEECHAT_OIDC_ALLOWED_DOMAINS``, even when the instance's sign-up is closed; with
  no domain listed, new SSO accounts follow ``COFFEECHAT_SIGNUP_OPEN``.

Providers come from the environment only: apps saved in the database are ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver

from coffeechat.accounts.adapter import signup_is_open
from coffeechat.accounts.models import Profile, User


def sso_enabled() -> bool:
    return bool(settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS"))


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def may_sign_up(email: str) -> bool:
    """May the provider's (verified) address start a new Coffeechat account?"""
    allowed = settings.SSO_ALLOWED_DOMAINS
    if allowed:
        return email_domain(email) in allowed
    return signup_is_open()


def provider_email(sociallogin: SocialLogin) -> tuple[str, bool]:
    """The address the provider gave and whether it says the address is verified."""
    for address in sociallogin.email_addresses:
        if address.primary or len(sociallogin.email_addresses) == 1:
            return address.email.strip(), bool(address.verified)
    return (sociallogin.user.email or "").strip() if sociallogin.user else "", False


def refuse(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    messages.error(request, message)
    return ImmediateHttpResponse(redirect("account_login"))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest, provider: Any = None, client_id: Any = None
    ) -> list[SocialApp]:
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        return [app for app in apps if app.pk is None]

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.is_existing:
            return  # linked before, or linked now by a verified address (allauth's lookup)
        email, verified = provider_email(sociallogin)
        if not email:
            raise refuse(
                request,
                "Your identity provider did not share an e-mail address, so Coffeechat "
                "cannot sign you in with it.",
            )
        if User.objects.filter(email__iexact=email).exists():
            if verified:  # allauth would have linked it, unless the account is closed
                raise refuse(
                    request,
                    f"The account for {email} cannot be signed in to through single sign-on.",
                )
            raise refuse(
                request,
                f"An account for {email} exists, but your identity provider has not "
                "confirmed that this address is yours, so single sign-on cannot be linked "
                "to it. Sign in with your password instead.",
            )
        if not verified:
            raise refuse(
                request,
                f"Your identity provider has not confirmed that {email} is yours, so no "
                "account can be made with it.",
            )
        if not may_sign_up(email):
            raise refuse(
                request,
                f"Single sign-on cannot make new accounts for {email_domain(email)} addresses "
                "on this Coffeechat. Ask whoever runs it for an invitation.",
            )

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # pre_social_login has refused every address that may not sign up.
        email, verified = provider_email(sociallogin)
        return verified and may_sign_up(email)

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form=form)
        data = sociallogin.account.extra_data or {}
        claims = data.get("userinfo") or data.get("id_token") or data
        Profile.objects.get_or_create(
            user=user, defaults={"full_name": str(claims.get("name") or "")[:200]}
        )
        return user


def requires_sso(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A single sign-on page that does not exist while SSO is not set up."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso_enabled():
            raise Http404("Single sign-on is not set up on this instance.")
        return view(request, *args, **kwargs)

    return guarded


def only_with_sso(patterns: list[Any]) -> list[Any]:
    """The same URL patterns, each view answering 404 while SSO is not set up."""
    guarded: list[Any] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            guarded.append(
                URLResolver(
                    entry.pattern,
                    only_with_sso(entry.url_patterns),
                    entry.default_kwargs,
                    entry.app_name,
                    entry.namespace,
                )
            )
        elif isinstance(entry, URLPattern):
            guarded.append(
                URLPattern(
                    entry.pattern, requires_sso(entry.callback), entry.default_args, entry.name
                )
            )
    return guarded
