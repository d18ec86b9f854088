from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.urls import include, path

from coffeechat.api.urls import api_urls
from coffeechat.conversations import urls as conversations_urls
from coffeechat.network import urls as network_urls
from coffeechat.pages import urls as pages_urls
from coffeechat.server.metrics import metrics_view
from coffeechat.targets import urls as targets_urls


def joined(app_urls: Any, extra: list[Any]) -> tuple[list[Any], str]:
    """An app's addresses plus the composed pages that keep its namespace."""
    return app_urls.urlpatterns + extra, app_urls.app_name


urlpatterns = [
    path("", include("coffeechat.pages.urls")),
    path("", include(joined(network_urls, pages_urls.network))),
    path("", include("coffeechat.imports.urls")),
    path("", include(joined(targets_urls, pages_urls.targets_pages))),
    path("", include("coffeechat.followups.urls")),
    path("", include(joined(conversations_urls, pages_urls.conversations_pages))),
    path("outreach/", include("coffeechat.outreach.urls")),
    path("bench/", include("coffeechat.bench.urls")),
    path("progress/", include("coffeechat.progress.urls")),
    path("coaching/", include("coffeechat.coaching.urls")),
    path("ask/", include("coffeechat.bench.ask_urls")),
    path("profile/mailbox/", include("coffeechat.mailbox.urls")),
    path("profile/", include("coffeechat.accounts.urls")),
    path("profile/", include("coffeechat.mydata.urls")),
    path("profile/career-centre/", include("coffeechat.staff.consent_urls")),
    path("staff/", include("coffeechat.staff.urls")),
    path("invited/", include("coffeechat.staff.invited_urls")),
    path("accounts/", include("coffeechat.accounts.allauth_urls")),
    path("api/v1/", api_urls()),
    path("admin/", admin.site.urls),
    path("metrics", metrics_view, name="metrics"),
]
