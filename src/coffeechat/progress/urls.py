from __future__ import annotations

from django.urls import path

from coffeechat.progress import views

app_name = "progress"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("review/", views.review, name="review"),
    path("review/settings/", views.review_settings, name="review-settings"),
]
