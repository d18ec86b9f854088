"""The receivers through which the import (below conversations) hands over a calendar
file. Each is one line into a plain function (docs/decisions/0006-cross-app-effects.md);
connected once, from ConversationsConfig.ready()."""

from __future__ import annotations

from typing import Any

from coffeechat.conversations.services.incoming import invitation_file_taken
from coffeechat.imports import signals as import_signals
from coffeechat.imports.signals import CalendarFileTaken


def on_calendar_file(
    sender: Any, owner: Any, name: str, data: bytes, **kwargs: Any
) -> CalendarFileTaken:
    return invitation_file_taken(owner, data, name)


def connect() -> None:
    import_signals.calendar_file_given.connect(on_calendar_file, dispatch_uid="conversations.ics")
