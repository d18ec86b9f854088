"""Signals the outreach services send, so that other apps (follow-ups) can react.

- ``message_sent``: kwargs ``message`` (just marked sent, by hand or by e-mail).
- ``message_replied``: kwargs ``message`` (the person answered).
- ``message_status_changed``: kwargs ``message``, ``old`` and ``new`` (status values);
  sent for every change of status, beside the two above.

They are sent by :mod:`coffeechat.outreach.services` after the change is saved and
inside its transaction. Receivers must not hold business logic the services need.
"""

from __future__ import annotations

from django.dispatch import Signal

message_sent = Signal()
message_replied = Signal()
message_status_changed = Signal()
