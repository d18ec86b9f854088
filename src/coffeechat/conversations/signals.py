"""Signals sent by the conversation services, for apps that hook in (follow-ups).

Each is sent with ``sender=Conversation`` and the keyword ``conversation``, after the
change is saved. Receivers must not hold business logic the conversation needs: the
services do the work; the signals only tell.

``invitations_due`` carries ``conversation``, ``deliveries`` (a list of
:class:`~coffeechat.conversations.invitations.Delivery`) and ``requested`` (the user
asked to e-mail now, rather than an update after an invitation went out). Outreach
sends them and answers what happened, in words.

``participant_answered`` carries ``conversation`` and ``participant`` (the
:class:`~coffeechat.conversations.models.Participant` row with its new ``answer``): a
participant accepted, declined or said tentative (an iTIP REPLY).
"""

from __future__ import annotations

from django.dispatch import Signal

conversation_scheduled = Signal()
conversation_rescheduled = Signal()
conversation_cancelled = Signal()
conversation_held = Signal()
debrief_saved = Signal()
invitations_due = Signal()
participant_answered = Signal()
