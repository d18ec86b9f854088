"""The public request page of a front door: no login; the secret link is the key."""

from __future__ import annotations

from django.urls import path

from coffeechat.bench import front_door_views

app_name = "front-door"

urlpatterns = [
    path("<str:token>/", front_door_views.ask, name="ask"),
]
