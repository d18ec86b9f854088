"""Addresses of the pages that show several apps together.

Each list joins its app's own addresses under the app's namespace (see the root
``coffeechat.urls``), so ``network:person-detail`` keeps its name and address while
its view lives here.
"""

from __future__ import annotations

from django.urls import path

from coffeechat.pages import conversations, people, targets, views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
]

network = [
    path("people/<int:person_id>/", people.person_detail, name="person-detail"),
    path(
        "organizations/<int:organization_id>/",
        people.organization_detail,
        name="organization-detail",
    ),
]

targets_pages = [
    path("targets/<int:target_id>/", targets.target_detail, name="target-detail"),
    path("people/<int:person_id>/paths/", targets.person_paths, name="person-paths"),
    path("postings/<int:posting_id>/", targets.posting_detail, name="posting-detail"),
    path(
        "applications/<int:application_id>/",
        targets.application_detail,
        name="application-detail",
    ),
]

conversations_pages = [
    path("conversations/", conversations.conversation_list, name="conversation-list"),
    path(
        "conversations/<int:conversation_id>/",
        conversations.conversation_detail,
        name="conversation-detail",
    ),
    path(
        "conversations/<int:conversation_id>/prep/",
        conversations.conversation_prep,
        name="conversation-prep",
    ),
    path(
        "conversations/<int:conversation_id>/calendar.ics",
        conversations.conversation_ics,
        name="conversation-ics",
    ),
]
