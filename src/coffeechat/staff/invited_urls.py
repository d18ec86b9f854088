"""The invitation link's page (under /invited/): the link's secret is the key."""

from __future__ import annotations

from django.urls import path

from coffeechat.staff import invited

app_name = "invitations"

urlpatterns = [path("<str:key>/", invited.signup, name="signup")]
