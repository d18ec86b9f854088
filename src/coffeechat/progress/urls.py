from __future__ import annotations

from django.urls import path

from coffeechat.progress import views

app_name = "progress"

urlpatterns = [
    path("", views.overview, name="overview"),
]
