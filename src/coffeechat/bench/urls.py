from __future__ import annotations

from django.urls import path

from coffeechat.bench import front_door_views, team_views, views

app_name = "bench"

urlpatterns = [
    path("", views.entry_list, name="entry-list"),
    path("new/", views.entry_create, name="entry-create"),
    path("settings/", views.bench_settings, name="settings"),
    path("<int:entry_id>/", views.entry_detail, name="entry-detail"),
    path("<int:entry_id>/edit/", views.entry_update, name="entry-update"),
    path("<int:entry_id>/contacts/", views.entry_contact, name="entry-contact"),
    path("<int:entry_id>/remove/", views.entry_delete, name="entry-delete"),
    path("openings/", views.opening_list, name="opening-list"),
    path("openings/new/", views.opening_create, name="opening-create"),
    path("openings/<int:opening_id>/", views.opening_detail, name="opening-detail"),
    path("openings/<int:opening_id>/edit/", views.opening_update, name="opening-update"),
    path("openings/<int:opening_id>/close/", views.opening_close, name="opening-close"),
    path(
        "openings/<int:opening_id>/follow-ups/",
        views.opening_follow_ups,
        name="opening-follow-ups",
    ),
    # The front door (bench/front_door_views.py).
    path("front-door/", front_door_views.door_settings, name="front-door"),
    path("front-door/new-link/", front_door_views.door_regenerate, name="front-door-regenerate"),
    path("requests/", front_door_views.request_list, name="request-list"),
    path("requests/<int:request_id>/", front_door_views.request_detail, name="request-detail"),
    path(
        "requests/<int:request_id>/accept/",
        front_door_views.request_accept,
        name="request-accept",
    ),
    path(
        "requests/<int:request_id>/decline/",
        front_door_views.request_decline,
        name="request-decline",
    ),
    path(
        "requests/<int:request_id>/delete/",
        front_door_views.request_delete,
        name="request-delete",
    ),
]
urlpatterns += team_views.urlpatterns
