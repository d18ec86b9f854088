from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse

from coffeechat.accounts.services import get_profile

# Set at every sign-in: did this session sign in through single sign-on? (MFA policy)
SSO_SESSION_KEY = "coffeechat_signed_in_with_sso"


def signup_is_open() -> bool:
    """Sign-up is open when the instance says so, and always for the very first account."""
    return settings.SIGNUP_OPEN or not get_user_model()._default_manager.exists()


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed sign-ins count per address AND client address together.

        allauth counts them per e-mail address alone, so five wrong passwords typed by
        anyone lock the owner of a known address out. Counted per pair, a stranger only
        locks themselves out; the per-IP limit still stops one client guessing many
        accounts (``COFFEECHAT_LOGIN_RATE_LIMIT``, docs/configuration.md).
        """
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{self.get_client_ip(request)}"

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return signup_is_open()

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            get_profile(user)
        return user

    def post_login(
        self,
        request: HttpRequest,
        user: Any,
        *,
        email_verification: str,
        signal_kwargs: dict[str, Any] | None,
        email: str | None,
        signup: bool,
        redirect_url: str | None,
    ) -> HttpResponse:
        request.session[SSO_SESSION_KEY] = bool((signal_kwargs or {}).get("sociallogin"))
        return super().post_login(
            request,
            user,
            email_verification=email_verification,
            signal_kwargs=signal_kwargs,
            email=email,
            signup=signup,
            redirect_url=redirect_url,
        )
