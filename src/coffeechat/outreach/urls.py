from __future__ import annotations

from django.urls import path

from coffeechat.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.message_list, name="message-list"),
    path("compose/", views.compose, name="compose"),
    path("checks/", views.live_checks, name="checks"),
    path("messages/<int:message_id>/", views.message_detail, name="message-detail"),
    path("messages/<int:message_id>/edit/", views.message_update, name="message-update"),
    path("messages/<int:message_id>/send/", views.message_send, name="message-send"),
    path("messages/<int:message_id>/sent/", views.message_mark_sent, name="message-mark-sent"),
    path("messages/<int:message_id>/replied/", views.message_replied, name="message-replied"),
    path("messages/<int:message_id>/status/", views.message_status, name="message-status"),
    path("messages/<int:message_id>/queue/", views.message_queue, name="message-queue"),
    path("messages/<int:message_id>/eml/", views.message_eml, name="message-eml"),
    path("messages/<int:message_id>/delete/", views.message_delete, name="message-delete"),
    path("templates/", views.template_list, name="template-list"),
    path("templates/new/", views.template_create, name="template-create"),
    path("templates/<int:template_id>/", views.template_update, name="template-update"),
    path("templates/<int:template_id>/delete/", views.template_delete, name="template-delete"),
    path("insights/", views.insights, name="insights"),
    path("settings/", views.smtp_settings, name="smtp-settings"),
    path("settings/tests/<int:check_id>/", views.smtp_check, name="smtp-check"),
]
