"""The debrief after a conversation: notes, fit, learnings and follow-up wishes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coffeechat.conversations import signals
from coffeechat.conversations.models import Conversation, Fit, Learning, Status, Topic
from coffeechat.conversations.services.scheduling import mark_held
from coffeechat.network.models import Channel
from coffeechat.network.services import save_person

FOLLOW_UP_FIELDS = (
    "preferred_channel",
    "follow_up_wish",
    "keep_in_touch_days",
    "next_check_in_on",
    "may_keep_in_touch",
)


@transaction.atomic
def save_debrief(
    owner: Any,
    conversation: Conversation,
    *,
    notes: str = "",
    fit: str = "",
    fit_reason: str = "",
    told_them_fit: bool = False,
    learnings: Sequence[tuple[str, str]] | None = None,
    wishes: Mapping[int, Mapping[str, Any]] | None = None,
) -> Conversation:
    """Notes, fit, learnings by topic, and how each person wants to be followed up.

    ``learnings`` (topic, text) replace the conversation's; ``wishes`` maps a
    participant's id to the follow-up fields stored on the person.
    """
    if fit and fit not in Fit.values:
        raise ValidationError({"fit": f"Unknown fit {fit!r}."})
    if conversation.status == Status.CANCELLED:
        raise ValidationError({"status": "A cancelled conversation has no debrief."})
    if conversation.status == Status.SCHEDULED:
        mark_held(owner, conversation)
    conversation.debrief_notes = notes
    conversation.fit = fit
    conversation.fit_reason = fit_reason
    conversation.told_them_fit = told_them_fit
    conversation.debriefed_at = timezone.now()
    conversation.save(
        update_fields=[
            "debrief_notes",
            "fit",
            "fit_reason",
            "told_them_fit",
            "debriefed_at",
            "updated_at",
        ]
    )
    if learnings is not None:
        rows = []
        for topic, text in learnings:
            if topic not in Topic.values:
                raise ValidationError({"learnings": f"Unknown topic {topic!r}."})
            if text.strip():
                rows.append(
                    Learning(owner=owner, conversation=conversation, topic=topic, text=text.strip())
                )
        Learning.objects.filter(owner=owner, conversation=conversation).delete()
        Learning.objects.bulk_create(rows)
    if wishes:
        people = {p.pk: p for p in conversation.participants.all()}
        for person_id, values in wishes.items():
            person = people.get(int(person_id))
            if person is None:
                raise ValidationError(
                    {"wishes": f"Person {person_id} is not in this conversation."}
                )
            for field in FOLLOW_UP_FIELDS:
                if field in values:
                    setattr(person, field, values[field])
            if person.preferred_channel and person.preferred_channel not in Channel.values:
                raise ValidationError({"preferred_channel": "Unknown channel."})
            save_person(owner, person)
    signals.debrief_saved.send(sender=Conversation, conversation=conversation)
    return conversation
