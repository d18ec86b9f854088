from __future__ import annotations

from django.urls import path

from coffeechat.conversations import views

app_name = "conversations"

urlpatterns = [
    path("conversations/new/", views.conversation_create, name="conversation-create"),
    path(
        "conversations/<int:conversation_id>/edit/",
        views.conversation_update,
        name="conversation-update",
    ),
    path(
        "conversations/<int:conversation_id>/reschedule/",
        views.conversation_reschedule,
        name="conversation-reschedule",
    ),
    path(
        "conversations/<int:conversation_id>/cancel/",
        views.conversation_cancel,
        name="conversation-cancel",
    ),
    path(
        "conversations/<int:conversation_id>/invite/",
        views.conversation_invite,
        name="conversation-invite",
    ),
    path(
        "conversations/<int:conversation_id>/delete/",
        views.conversation_delete,
        name="conversation-delete",
    ),
    path(
        "conversations/<int:conversation_id>/questions/",
        views.conversation_questions,
        name="conversation-questions",
    ),
    path(
        "conversations/<int:conversation_id>/hold/",
        views.conversation_hold,
        name="conversation-hold",
    ),
    path(
        "conversations/<int:conversation_id>/debrief/",
        views.conversation_debrief,
        name="conversation-debrief",
    ),
    path(
        "conversations/<int:conversation_id>/referrals/new/",
        views.referral_create,
        name="referral-create",
    ),
    path(
        "conversations/<int:conversation_id>/promises/new/",
        views.promise_create,
        name="promise-create",
    ),
    path("referrals/<int:referral_id>/edit/", views.referral_update, name="referral-update"),
    path("referrals/<int:referral_id>/delete/", views.referral_delete, name="referral-delete"),
    path("promises/<int:promise_id>/done/", views.promise_done, name="promise-done"),
    path("stories/", views.story_list, name="story-list"),
    path("stories/new/", views.story_create, name="story-create"),
    path("stories/<int:story_id>/edit/", views.story_update, name="story-update"),
    path("stories/<int:story_id>/delete/", views.story_delete, name="story-delete"),
    path("questions/", views.question_list, name="question-list"),
    path("questions/new/", views.question_create, name="question-create"),
    path("questions/<int:question_id>/edit/", views.question_update, name="question-update"),
    path("questions/<int:question_id>/delete/", views.question_delete, name="question-delete"),
    path(
        "people/<int:person_id>/referral-chain/",
        views.person_referral_chain,
        name="person-chain",
    ),
    path(
        "organizations/<int:organization_id>/conversation-tree/",
        views.organization_conversation_tree,
        name="organization-tree",
    ),
]
