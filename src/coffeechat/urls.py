from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from coffeechat.api.api import api

urlpatterns = [
    path("", include("coffeechat.core.urls")),
    path("", include("coffeechat.network.urls")),
    path("", include("coffeechat.imports.urls")),
    path("", include("coffeechat.targets.urls")),
    path("", include("coffeechat.followups.urls")),
    path("", include("coffeechat.conversations.urls")),
    path("outreach/", include("coffeechat.outreach.urls")),
    path("profile/", include("coffeechat.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
