"""Signals the import sends, for the apps above it that read what it cannot.

``calendar_file_given`` is sent by the import page and ``coffeechat import`` when the
file is a calendar (``.ics``), with ``owner``, ``name`` and ``data`` (its bytes).
Conversations (above the import) turns an invitation into a conversation: its receiver
answers a :class:`CalendarFileTaken`, or raises a ValidationError naming the file, line
and field, having written nothing (docs/decisions/0006-cross-app-effects.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.dispatch import Signal

calendar_file_given = Signal()


@dataclass(frozen=True, slots=True)
class CalendarFileTaken:
    message: str  # what happened, in words
    url: str = ""  # the page to go to: the conversation, when there is one
    conversation_ids: list[int] = field(default_factory=list)
