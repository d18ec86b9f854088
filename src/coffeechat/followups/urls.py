from __future__ import annotations

from django.urls import path

from coffeechat.followups import views

app_name = "followups"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("follow-ups/", views.follow_up_list, name="follow-up-list"),
    path("follow-ups/new/", views.follow_up_create, name="follow-up-create"),
    path("follow-ups/settings/", views.follow_up_settings, name="settings"),
    path("follow-ups/settings/feed/", views.feed_token, name="feed-token"),
    path("follow-ups/<int:follow_up_id>/", views.follow_up_update, name="follow-up-update"),
    path("follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow-up-done"),
    path("follow-ups/<int:follow_up_id>/snooze/", views.follow_up_snooze, name="follow-up-snooze"),
    path("follow-ups/<int:follow_up_id>/skip/", views.follow_up_skip, name="follow-up-skip"),
    path("follow-ups/<int:follow_up_id>/reopen/", views.follow_up_reopen, name="follow-up-reopen"),
    path("feed/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
