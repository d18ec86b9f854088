from __future__ import annotations

from django.urls import path

from coffeechat.mailbox import views

app_name = "mailbox"

urlpatterns = [
    path("", views.mailbox_settings, name="mailbox-settings"),
    path("tests/<int:check_id>/", views.mailbox_check, name="mailbox-check"),
    path("stored/", views.record_list, name="record-list"),
    path("stored/<int:record_id>/delete/", views.record_delete, name="record-delete"),
]
