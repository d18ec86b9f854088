"""The no-reply policy: when to try another person, when to nudge, when to stop.

The one place that turns "sent on this day, nudged this often" into dates. The
message page, the message list, the etiquette checks, the API and the follow-ups
(the today list, the calendar feed) all read these dates, so they agree.

The user adjusts the numbers on the rules page; they are kept on the profile
(``try_another_after_days``, ``nudge_after_days``, ``max_nudges``), so every app can
read them without asking a higher one. Business days skip weekends and the public
holidays of the user's country.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import get_profile, save_profile
from coffeechat.core.calendar import add_business_days, user_country, user_zone


@dataclass(frozen=True, slots=True)
class NoReplyPolicy:
    try_another_after_days: int
    nudge_after_days: int
    max_nudges: int


def _default(name: str) -> int:
    field = Profile._meta.get_field(name)
    value = getattr(field, "default", None)
    assert isinstance(value, int), name
    return value


DEFAULT = NoReplyPolicy(
    try_another_after_days=_default("try_another_after_days"),
    nudge_after_days=_default("nudge_after_days"),
    max_nudges=_default("max_nudges"),
)


def policy_of(user: Any) -> NoReplyPolicy:
    """The user's policy (from their profile), the defaults without a profile."""
    profile = getattr(user, "profile", None)
    if profile is None:
        return DEFAULT
    return NoReplyPolicy(
        profile.try_another_after_days, profile.nudge_after_days, profile.max_nudges
    )


@dataclass(frozen=True, slots=True)
class NoReplyStep:
    kind: str  # "try_another", "nudge" or "stop"
    on: datetime.date
    number: int = 0  # the nudge's number (1, 2…) for a nudge


def steps(
    sent_on: datetime.date,
    policy: NoReplyPolicy = DEFAULT,
    *,
    nudges_sent: int = 0,
    country: str = "",
) -> list[NoReplyStep]:
    """What to do if a message sent on ``sent_on`` (a local date) gets no reply.

    ``nudges_sent`` is how many nudges the thread had before this message (0 for the
    first message, 1 for the first nudge…). The first message: suggest another person
    at the same organization after ``try_another_after_days`` business days, and nudge
    after ``nudge_after_days``. Each nudge: the next nudge ``nudge_after_days`` business
    days later, until ``max_nudges`` went unanswered; then stop (try someone else).
    """
    found: list[NoReplyStep] = []
    if nudges_sent == 0:
        found.append(
            NoReplyStep(
                "try_another", add_business_days(sent_on, policy.try_another_after_days, country)
            )
        )
    later = add_business_days(sent_on, policy.nudge_after_days, country)
    if nudges_sent < policy.max_nudges:
        found.append(NoReplyStep("nudge", later, nudges_sent + 1))
    else:
        found.append(NoReplyStep("stop", later))
    return found


def steps_for(user: Any, sent_at: datetime.datetime, *, nudges_sent: int = 0) -> list[NoReplyStep]:
    """:func:`steps` for a message ``user`` sent at ``sent_at``, by their policy,
    calendar and time zone."""
    return steps(
        sent_at.astimezone(user_zone(user)).date(),
        policy_of(user),
        nudges_sent=nudges_sent,
        country=user_country(user),
    )


@dataclass(frozen=True, slots=True)
class NoReplyDates:
    """The dates a sent message shows: when to write to someone else, when to nudge."""

    try_another_on: datetime.date | None
    nudge_on: datetime.date | None


def dates_for(user: Any, sent_at: datetime.datetime, *, nudges_sent: int = 0) -> NoReplyDates:
    """``try_another_on``: the first message's "try another person" date, or after the
    last unanswered nudge, the day to stop and try someone else; ``nudge_on``: the
    next nudge, None after the last one."""
    found = {step.kind: step.on for step in steps_for(user, sent_at, nudges_sent=nudges_sent)}
    return NoReplyDates(found.get("try_another") or found.get("stop"), found.get("nudge"))


def set_policy(user: Any, policy: NoReplyPolicy) -> NoReplyPolicy:
    """Save ``user``'s policy; ValidationError when a number is out of range or the
    nudge does not come after "try another person". Applies to messages sent from now on."""
    profile = get_profile(user)
    profile.try_another_after_days = policy.try_another_after_days
    profile.nudge_after_days = policy.nudge_after_days
    profile.max_nudges = policy.max_nudges
    save_profile(profile)
    user.profile = profile
    return policy_of(user)
