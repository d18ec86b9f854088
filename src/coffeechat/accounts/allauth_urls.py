"""django-allauth's pages under /accounts/: sign-in, MFA and, when set up, single sign-on.

Like ``allauth.urls``, but the single sign-on routes answer 404 while no OpenID Connect
provider is configured (docs/operations.md, "Single sign-on").
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount import urls as socialaccount_urls
from allauth.socialaccount.providers.openid_connect import urls as openid_connect_urls
from django.urls import include, path

from coffeechat.accounts.sso import only_with_sso

urlpatterns: list[Any] = [
    path("", include("allauth.account.urls")),
    path("2fa/", include("allauth.mfa.urls")),
    path("3rdparty/", include(only_with_sso(socialaccount_urls.urlpatterns))),
    *only_with_sso(openid_connect_urls.urlpatterns),
]
