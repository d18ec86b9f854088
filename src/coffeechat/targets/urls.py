from __future__ import annotations

from django.urls import path

from coffeechat.targets import views

app_name = "targets"

urlpatterns = [
    path("targets/", views.target_list, name="target-list"),
    path("targets/add/", views.target_bulk_add, name="target-bulk-add"),
    path("targets/<int:target_id>/edit/", views.target_update, name="target-update"),
    path("targets/<int:target_id>/quick/", views.target_quick, name="target-quick"),
    path("targets/<int:target_id>/delete/", views.target_delete, name="target-delete"),
    path(
        "organizations/<int:organization_id>/target/",
        views.target_for_organization,
        name="target-for-organization",
    ),
    path("postings/", views.posting_list, name="posting-list"),
    path("postings/new/", views.posting_create, name="posting-create"),
    path("postings/<int:posting_id>/edit/", views.posting_update, name="posting-update"),
    path("postings/<int:posting_id>/delete/", views.posting_delete, name="posting-delete"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/new/", views.application_create, name="application-create"),
    path(
        "applications/<int:application_id>/edit/",
        views.application_update,
        name="application-update",
    ),
    path(
        "applications/<int:application_id>/status/",
        views.application_status,
        name="application-status",
    ),
    path(
        "applications/<int:application_id>/delete/",
        views.application_delete,
        name="application-delete",
    ),
    path("map/", views.network_map, name="network-map"),
]
