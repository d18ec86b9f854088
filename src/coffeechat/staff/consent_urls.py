"""Every user's own setting for the career-centre figures (under /profile/)."""

from __future__ import annotations

from django.urls import path

from coffeechat.staff import views

app_name = "career_centre"

urlpatterns = [path("", views.consent, name="consent")]
