from __future__ import annotations

from django.urls import path

from coffeechat.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/revoke-all/", views.token_revoke_all, name="token-revoke-all"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
