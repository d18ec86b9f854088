from __future__ import annotations

from django.urls import path

from coffeechat.network import duplicates_views, views

app_name = "network"

urlpatterns = [
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/search/", views.person_search, name="person-search"),
    path("people/duplicates/", duplicates_views.duplicate_list, name="duplicates"),
    path(
        "people/<int:person_id>/duplicates/",
        duplicates_views.person_duplicates,
        name="person-duplicates",
    ),
    path(
        "people/<int:person_id>/merge/<int:other_id>/",
        duplicates_views.person_merge,
        name="person-merge",
    ),
    path(
        "people/<int:person_id>/not-duplicate/<int:other_id>/",
        duplicates_views.person_not_duplicate,
        name="person-not-duplicate",
    ),
    path("people/<int:person_id>/edit/", views.person_update, name="person-update"),
    path("people/<int:person_id>/delete/", views.person_delete, name="person-delete"),
    path("people/<int:person_id>/jobs/new/", views.employment_create, name="employment-create"),
    path("jobs/<int:employment_id>/edit/", views.employment_update, name="employment-update"),
    path("jobs/<int:employment_id>/delete/", views.employment_delete, name="employment-delete"),
    path(
        "people/<int:person_id>/affiliations/new/",
        views.membership_create,
        name="membership-create",
    ),
    path(
        "memberships/<int:membership_id>/edit/",
        views.membership_update,
        name="membership-update",
    ),
    path(
        "memberships/<int:membership_id>/delete/",
        views.membership_delete,
        name="membership-delete",
    ),
    path("people/<int:person_id>/ties/new/", views.tie_create, name="tie-create"),
    path("ties/<int:tie_id>/edit/", views.tie_update, name="tie-update"),
    path("ties/<int:tie_id>/delete/", views.tie_delete, name="tie-delete"),
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/names/", views.organization_names, name="organization-names"),
    path("organizations/new/", views.organization_create, name="organization-create"),
    path(
        "organizations/<int:organization_id>/edit/",
        views.organization_update,
        name="organization-update",
    ),
    path(
        "organizations/<int:organization_id>/delete/",
        views.organization_delete,
        name="organization-delete",
    ),
    path("affiliations/", views.affiliation_list, name="affiliation-list"),
    path("affiliations/new/", views.affiliation_create, name="affiliation-create"),
    path(
        "affiliations/<int:affiliation_id>/",
        views.affiliation_detail,
        name="affiliation-detail",
    ),
    path(
        "affiliations/<int:affiliation_id>/edit/",
        views.affiliation_update,
        name="affiliation-update",
    ),
    path(
        "affiliations/<int:affiliation_id>/delete/",
        views.affiliation_delete,
        name="affiliation-delete",
    ),
    path("profile/affiliations/new/", views.my_affiliation_create, name="my-affiliation-create"),
    path(
        "profile/affiliations/<int:my_affiliation_id>/edit/",
        views.my_affiliation_update,
        name="my-affiliation-update",
    ),
    path(
        "profile/affiliations/<int:my_affiliation_id>/delete/",
        views.my_affiliation_delete,
        name="my-affiliation-delete",
    ),
]
