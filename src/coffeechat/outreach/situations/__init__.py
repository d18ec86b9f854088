"""Situations the method asks the user to handle well, recognised from their data.

1. *Applied there*: you applied to an organization and are about to contact someone
   there: say so upfront.
2. *Apply now*: a conversation with someone is upcoming or requested, and they are the
   listed contact of an open posting at their organization: apply now and tell them,
   keeping the conversation informational.
3. *Ask for feedback*: you were rejected after interviewing: ask the manager (the
   person with hiring authority there) for a short feedback conversation.

Each situation carries the purpose of the message it calls for and its one-click
action (the composer, prefilled). :func:`situations_for` gives them for any page's
subject, :func:`open_situations` those still waiting for the Today list, and
:func:`lead_situation` the one whose purpose the composer proposes. Each function runs
a fixed number of queries whatever the size of the data.

- ``facts``: what they read from the data (applications, coming conversations, managers);
- ``wording``: a situation, its sentences and its one-click action;
- ``subjects``: the situations of each kind of page, the composer's, and Today's.
"""

from __future__ import annotations

from coffeechat.outreach.situations.facts import (
    PENDING_GRACE_HOURS,
    applications_at,
    managers_at,
    pending_conversations,
)
from coffeechat.outreach.situations.subjects import (
    FEEDBACK_WINDOW_DAYS,
    lead_situation,
    leading,
    open_situations,
    situations_for,
    situations_for_application,
    situations_for_conversation,
    situations_for_organization,
    situations_for_person,
    situations_for_posting,
)
from coffeechat.outreach.situations.wording import (
    APPLIED_THERE,
    APPLY_NOW,
    ASK_FOR_FEEDBACK,
    PRECEDENCE,
    Situation,
    compose_url,
)

__all__ = [
    "APPLIED_THERE",
    "APPLY_NOW",
    "ASK_FOR_FEEDBACK",
    "FEEDBACK_WINDOW_DAYS",
    "PENDING_GRACE_HOURS",
    "PRECEDENCE",
    "Situation",
    "applications_at",
    "compose_url",
    "lead_situation",
    "leading",
    "managers_at",
    "open_situations",
    "pending_conversations",
    "situations_for",
    "situations_for_application",
    "situations_for_conversation",
    "situations_for_organization",
    "situations_for_person",
    "situations_for_posting",
]
