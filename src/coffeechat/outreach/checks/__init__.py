"""Etiquette checks: what a careful friend would point out before you press send.

:func:`load_context` (module ``context``) reads what the checks need about the person in
a fixed number of queries; :func:`run_checks` (module ``rules``, one small function per
check, in a listed order) is a pure function of that context and the text, so the live
check (as the user types) and the saved message agree. ``patterns`` holds the words
they look for. Each check explains itself in a sentence and can be dismissed for one
message (``Message.dismissed_checks``).
"""

from __future__ import annotations

from coffeechat.outreach.checks.context import CheckContext, load_context
from coffeechat.outreach.checks.rules import (
    CHECKS,
    Check,
    checks_for_message,
    run_checks,
    split_dismissed,
)

__all__ = [
    "CHECKS",
    "Check",
    "CheckContext",
    "checks_for_message",
    "load_context",
    "run_checks",
    "split_dismissed",
]
