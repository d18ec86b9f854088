from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from coffeechat.accounts.services import get_profile


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
