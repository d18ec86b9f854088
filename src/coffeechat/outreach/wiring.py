"""Outreach's receivers of other apps' signals: each one line into a plain function."""

from __future__ import annotations

from typing import Any

from coffeechat.conversations import signals as conversation_signals
from coffeechat.outreach.invitations import deliver_invitations


def on_invitations_due(
    sender: Any, *, conversation: Any, deliveries: Any, requested: bool, **_: Any
) -> str:
    return deliver_invitations(conversation, deliveries, requested=requested)


def connect() -> None:
    conversation_signals.invitations_due.connect(
        on_invitations_due, dispatch_uid="outreach.invitations_due"
    )
