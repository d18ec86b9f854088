from __future__ import annotations

from django.urls import path

from coffeechat.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("affiliations/new/", views.my_affiliation_create, name="my-affiliation-create"),
    path(
        "affiliations/<int:my_affiliation_id>/edit/",
        views.my_affiliation_update,
        name="my-affiliation-update",
    ),
    path(
        "affiliations/<int:my_affiliation_id>/delete/",
        views.my_affiliation_delete,
        name="my-affiliation-delete",
    ),
    path("export/", views.export_all, name="export-all"),
    path("delete/", views.account_delete, name="account-delete"),
    path("deleted/", views.account_deleted, name="account-deleted"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
