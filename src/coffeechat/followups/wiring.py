"""The signal receivers through which outreach and conversations reach the follow-ups.

The lower apps send signals (they cannot call followups); each receiver here is a
one-line adapter into a plain function of reactions.py, where the rules live (see
docs/decisions/0006-cross-app-effects.md). Connected once, from FollowupsConfig.ready().
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete

from coffeechat.conversations import signals as conversation_signals
from coffeechat.conversations.models import Conversation
from coffeechat.followups import reactions
from coffeechat.followups.models import FollowUp
from coffeechat.outreach import purposes
from coffeechat.outreach import signals as outreach_signals
from coffeechat.outreach.models import Message


def on_message_sent(sender: Any, message: Message, **kwargs: Any) -> None:
    reactions.after_message_sent(message, awaits_reply=message.purpose in purposes.AWAITS_REPLY)


def on_message_replied(sender: Any, message: Message, **kwargs: Any) -> None:
    reactions.after_message_replied(message)


def on_status_changed(sender: Any, message: Message, old: str, new: str, **kwargs: Any) -> None:
    reactions.after_message_status_changed(message, old, new)


def on_conversation_scheduled(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    reactions.after_conversation_scheduled(conversation)


def on_conversation_rescheduled(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    reactions.after_conversation_rescheduled(conversation)


def on_conversation_cancelled(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    reactions.after_conversation_cancelled(conversation)


def on_conversation_held(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    reactions.after_conversation_held(conversation)


def on_debrief_saved(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    reactions.after_debrief_saved(conversation)


def on_participant_answered(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    reactions.after_participant_answered(conversation, kwargs["participant"])


def on_feed_item_deleted(sender: Any, instance: Conversation | FollowUp, **kwargs: Any) -> None:
    reactions.after_feed_item_deleted(instance.owner_id)


def connect() -> None:
    post_delete.connect(on_feed_item_deleted, sender=Conversation, dispatch_uid="followups.feed-c")
    post_delete.connect(on_feed_item_deleted, sender=FollowUp, dispatch_uid="followups.feed-f")
    outreach_signals.message_sent.connect(on_message_sent, dispatch_uid="followups.sent")
    outreach_signals.message_replied.connect(on_message_replied, dispatch_uid="followups.replied")
    outreach_signals.message_status_changed.connect(
        on_status_changed, dispatch_uid="followups.status"
    )
    conversation_signals.conversation_scheduled.connect(
        on_conversation_scheduled, dispatch_uid="followups.scheduled"
    )
    conversation_signals.conversation_rescheduled.connect(
        on_conversation_rescheduled, dispatch_uid="followups.rescheduled"
    )
    conversation_signals.conversation_cancelled.connect(
        on_conversation_cancelled, dispatch_uid="followups.cancelled"
    )
    conversation_signals.conversation_held.connect(
        on_conversation_held, dispatch_uid="followups.held"
    )
    conversation_signals.debrief_saved.connect(on_debrief_saved, dispatch_uid="followups.debrief")
    conversation_signals.participant_answered.connect(
        on_participant_answered, dispatch_uid="followups.answered"
    )
