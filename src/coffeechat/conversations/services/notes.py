"""What you bring to a conversation and jot down in it: quick notes, questions, stories."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from coffeechat.conversations.models import ChosenQuestion, Conversation, Question, Story
from coffeechat.conversations.questions import BY_KEY, propose
from coffeechat.core.scoping import save_owned
from coffeechat.network.normalize import organization_key


@transaction.atomic
def save_quick_notes(
    owner: Any,
    conversation: Conversation,
    notes: str,
    *,
    asked: Iterable[int] | None = None,
    closing: Mapping[str, bool] | None = None,
) -> Conversation:
    """The autosave of the "in conversation" page: notes, ticked questions, closing three."""
    conversation.quick_notes = notes
    conversation.notes_saved_at = timezone.now()
    fields = ["quick_notes", "notes_saved_at", "updated_at"]
    for name, value in (closing or {}).items():
        if name in {"said_interested", "asked_who_else", "asked_follow_up"}:
            setattr(conversation, name, bool(value))
            fields.append(name)
    conversation.save(update_fields=fields)
    if asked is not None:
        ids = set(asked)
        chosen = ChosenQuestion.objects.filter(owner=owner, conversation=conversation)
        chosen.filter(pk__in=ids).update(asked=True)
        chosen.exclude(pk__in=ids).update(asked=False)
    return conversation


# Questions ----------------------------------------------------------------------------


def choose_proposed_questions(owner: Any, conversation: Conversation, level: str) -> None:
    """Replace the questions not asked yet by the list proposed for ``level`` and purpose."""
    chosen = ChosenQuestion.objects.filter(owner=owner, conversation=conversation)
    chosen.filter(asked=False).delete()
    kept = set(chosen.values_list("builtin_key", flat=True))
    start = (chosen.aggregate(Max("position"))["position__max"] or 0) + 1
    ChosenQuestion.objects.bulk_create(
        ChosenQuestion(
            owner=owner,
            conversation=conversation,
            builtin_key=question.key,
            text=question.text,
            position=start + index,
        )
        for index, question in enumerate(
            q for q in propose(level, conversation.purpose) if q.key not in kept
        )
    )


def _next_position(conversation: Conversation) -> int:
    found = conversation.chosen_questions.aggregate(Max("position"))["position__max"]
    return 0 if found is None else found + 1


def add_builtin_question(owner: Any, conversation: Conversation, key: str) -> ChosenQuestion:
    question = BY_KEY.get(key)
    if question is None:
        raise ValidationError({"key": f"There is no built-in question {key!r}."})
    existing = conversation.chosen_questions.filter(builtin_key=key).first()
    if existing is not None:
        return existing
    return ChosenQuestion.objects.create(
        owner=owner,
        conversation=conversation,
        builtin_key=key,
        text=question.text,
        position=_next_position(conversation),
    )


def add_own_question(
    owner: Any,
    conversation: Conversation | None,
    text: str,
    *,
    topic: str = "advice",
    keep: bool = True,
    question: Question | None = None,
) -> ChosenQuestion | None:
    """Add a question of my own to a conversation; ``keep`` it in my bank too."""
    text = " ".join(text.split())
    if question is None:
        if not text:
            raise ValidationError({"text": "Write the question."})
        if keep:
            question = save_owned(owner, Question(text=text[:500], topic=topic))
    if conversation is None:
        return None
    return ChosenQuestion.objects.create(
        owner=owner,
        conversation=conversation,
        question=question,
        text=question.text if question is not None else text[:500],
        position=_next_position(conversation),
    )


def remove_chosen(owner: Any, chosen: ChosenQuestion) -> None:
    chosen.delete()


@transaction.atomic
def move_chosen(owner: Any, chosen: ChosenQuestion, step: int) -> None:
    """Move one question up (``step`` < 0) or down the conversation's list."""
    rows = list(ChosenQuestion.objects.filter(owner=owner, conversation_id=chosen.conversation_id))
    index = next(i for i, row in enumerate(rows) if row.pk == chosen.pk)
    target = max(0, min(len(rows) - 1, index + (1 if step > 0 else -1)))
    rows.insert(target, rows.pop(index))
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
    ChosenQuestion.objects.bulk_update(rows, ["position"])


@transaction.atomic
def set_chosen_order(owner: Any, conversation: Conversation, ids: Sequence[int]) -> None:
    """Put the conversation's questions in the order of ``ids`` (others after)."""
    rows = list(ChosenQuestion.objects.filter(owner=owner, conversation=conversation))
    rank = {pk: i for i, pk in enumerate(ids)}
    rows.sort(key=lambda r: (rank.get(r.pk, len(rank)), r.position, r.pk))
    for position, row in enumerate(rows):
        row.position = position
    ChosenQuestion.objects.bulk_update(rows, ["position"])


# Stories ------------------------------------------------------------------------------


def _words(*texts: str) -> set[str]:
    found: set[str] = set()
    for text in texts:
        for word in organization_key(text or "").split():
            if len(word) > 2:
                found.add(word)
    return found


def suggest_stories(
    stories: Sequence[Story], context: Iterable[str], limit: int = 3
) -> list[Story]:
    """Two or three stories whose skills and tags best match the organization and role."""
    wanted = _words(*context)

    def score(story: Story) -> int:
        own = _words(story.title, story.skills, story.tags, story.result)
        return len(own & wanted)

    ranked = sorted(stories, key=lambda s: (-score(s), s.title))
    matching = [s for s in ranked if score(s) > 0]
    return (matching or ranked)[:limit]
