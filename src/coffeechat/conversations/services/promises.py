"""Promises made in a conversation, mine and theirs."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from coffeechat.conversations.models import Conversation, Participant, Promise, PromiseDirection
from coffeechat.core.scoping import check_references_owned, save_owned
from coffeechat.network.models import Person


def add_promise(
    owner: Any,
    conversation: Conversation,
    *,
    direction: str,
    text: str,
    person: Person | None = None,
    due_on: date | None = None,
) -> Promise:
    return save_promise(
        owner,
        Promise(
            conversation=conversation,
            direction=direction,
            text=text,
            person=person,
            due_on=due_on,
        ),
    )


def record_follow_up_request(
    owner: Any,
    conversation: Conversation,
    *,
    about: str,
    person: Person | None = None,
    due_on: date | None = None,
) -> Promise:
    """ "They asked me to follow up on X by Y", noted during the call: a promise of mine.

    The debrief lists it; saving the debrief makes it a follow-up on Today.
    """
    about = " ".join(about.split())
    if not about:
        raise ValidationError({"about": "Say what they asked you to follow up on."})
    text = about if re.match(r"follow[- ]?up\b", about, re.I) else f"Follow up on {about}"
    return add_promise(
        owner,
        conversation,
        direction=PromiseDirection.MINE,
        text=text,
        person=person,
        due_on=due_on,
    )


def save_promise(owner: Any, promise: Promise) -> Promise:
    """Create or change a promise; whoever made it (or is owed it) is in the conversation.

    The page, the API and the CLI all come here: a person who is not one of the
    conversation's participants is refused, naming the field ``person``.
    """
    if promise.direction not in PromiseDirection.values:
        raise ValidationError({"direction": "Say who promised: mine or theirs."})
    check_references_owned(promise, owner)  # another user's conversation or person: none
    if (
        promise.person_id is not None
        and not Participant.objects.filter(
            owner=owner, conversation_id=promise.conversation_id, person_id=promise.person_id
        ).exists()
    ):
        raise ValidationError(
            {
                "person": f"Person {promise.person_id} is not one of this conversation's "
                "participants."
            }
        )
    promise.text = " ".join(promise.text.split())[:500]
    return save_owned(owner, promise)


def set_promise_done(owner: Any, promise: Promise, done: bool = True) -> Promise:
    promise.done = done
    promise.save(update_fields=["done", "updated_at"])
    return promise
