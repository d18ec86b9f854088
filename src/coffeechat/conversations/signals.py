"""Signals sent by the conversation services, for apps that hook in (follow-ups).

Each is sent with ``sender=Conversation`` and the keyword ``conversation``, after the
change is saved. Receivers must not hold business logic the conversation needs: the
services do the work; the signals only tell.
"""

from __future__ import annotations

from django.dispatch import Signal

conversation_scheduled = Signal()
conversation_rescheduled = Signal()
conversation_cancelled = Signal()
conversation_held = Signal()
debrief_saved = Signal()
