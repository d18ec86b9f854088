from __future__ import annotations

from django.urls import path

from coffeechat.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("users/", views.user_list, name="user-list"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:user_id>/reactivate/", views.user_reactivate, name="user-reactivate"),
    path("users/<int:user_id>/end-sessions/", views.user_end_sessions, name="user-end-sessions"),
    path("invitations/", views.invitation_create, name="invitation-create"),
    path(
        "invitations/<int:staff_invitation_id>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "invitations/<int:staff_invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("actions/", views.action_list, name="action-list"),
    path("career-centre/", views.career_centre, name="career-centre"),
]
