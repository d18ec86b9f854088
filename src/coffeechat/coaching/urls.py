from __future__ import annotations

from django.urls import path

from coffeechat.coaching import views

app_name = "coaching"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("invite/", views.invite, name="invite"),
    path("links/<int:coach_link_id>/scope/", views.link_scope, name="link-scope"),
    path("links/<int:coach_link_id>/end/", views.link_end, name="link-end"),
    path("comments/<int:comment_id>/dismiss/", views.comment_dismiss, name="comment-dismiss"),
    path("people/", views.coachee_list, name="coachee-list"),
    path("people/<int:coaching_id>/", views.coachee_detail, name="coachee-detail"),
    path("people/<int:coaching_id>/comments/", views.comment_create, name="comment-create"),
    path(
        "invitations/<int:coaching_id>/accept/", views.invitation_accept, name="invitation-accept"
    ),
    path(
        "invitations/<int:coaching_id>/decline/",
        views.invitation_decline,
        name="invitation-decline",
    ),
    path("invitations/<int:coaching_id>/end/", views.invitation_end, name="invitation-end"),
]
