"""What the person page shows about outreach: their messages, one click to mark a reply."""

from __future__ import annotations

from typing import Any

from coffeechat.core.scoping import owned
from coffeechat.network.models import Person
from coffeechat.outreach.models import Message

PANEL_MESSAGES = 10


def person_messages(owner: Any, person: Person) -> dict[str, Any]:
    """One query, whatever the number of messages."""
    rows = list(
        owned(Message, owner)
        .filter(person=person)
        .order_by("-created_at", "-pk")[: PANEL_MESSAGES + 1]
    )
    return {
        "outreach_messages": rows[:PANEL_MESSAGES],
        "more_outreach_messages": len(rows) > PANEL_MESSAGES,
    }
