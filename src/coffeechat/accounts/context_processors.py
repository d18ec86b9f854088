from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from coffeechat.accounts.adapter import signup_is_open
from coffeechat.accounts.sso import sso_enabled


def instance(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "SITE_NAME": "Coffeechat",
        # Asked only of visitors who are not signed in (one query on those pages).
        "SIGNUP_OPEN": (not signed_in) and signup_is_open(),
        "SSO_ENABLED": sso_enabled(),
    }
