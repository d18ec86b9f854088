"""What the outreach and conversations apps call when something happens.

These take plain values (ids, people, dates), not the Message or Conversation
models, so that the receivers of ``coffeechat.outreach.signals`` and
``coffeechat.conversations.signals`` are a few lines each (see docs/follow-ups.md).
Every function is idempotent: the same event twice creates nothing new.

Rule keys (all per owner):

- ``no_reply:message:<thread>:try_another`` / ``:nudge:<n>`` / ``:stop``
- ``thank_you:conversation:<id>:person:<id>``
- ``debrief:conversation:<id>``
- ``prepare:conversation:<id>``
- ``promise:conversation:<id>:<n>``
- ``declined:conversation:<id>:person:<id>:<sequence>:<answered at>``
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from coffeechat.core.calendar import user_zone
from coffeechat.followups import schedule
from coffeechat.followups.models import FollowUp, Kind
from coffeechat.followups.services import complete, draft_url, ensure, retire, settings_for
from coffeechat.network.models import Organization, Person
from coffeechat.outreach import policy


def _thread_prefix(thread_id: int | str) -> str:
    return f"no_reply:message:{thread_id}:"


def local_day(owner: Any, when: datetime.datetime) -> datetime.date:
    return when.astimezone(user_zone(owner)).date()


def on_day(owner: Any, when: datetime.datetime) -> str:
    """ "3 March": the user's local date of ``when``, for a closing reason."""
    local = when.astimezone(user_zone(owner)).date()
    return f"{local.day} {local:%B %Y}"


def message_sent(
    owner: Any,
    *,
    thread_id: int | str,
    person: Person,
    sent_at: datetime.datetime,
    organization: Organization | None = None,
    nudges_sent: int = 0,
    action_url: str = "",
    reason: str = "",
) -> list[FollowUp]:
    """An outreach message (``nudges_sent`` = 0) or its n-th nudge went out (``reason``
    says how, when it was not from Coffeechat).

    Closes the previous step's follow-ups of this thread and schedules the next
    ones in business days of the user's country: try another person, nudge, and
    after the last unanswered nudge stop (the person is then marked as not
    responding by the ``not_responding`` rule).
    """
    prefix = _thread_prefix(thread_id)
    if nudges_sent:
        # The nudge asked for went out; the rest of the old plan gives way to the new one.
        said = reason or f"You nudged {person.full_name} on {on_day(owner, sent_at)}."
        complete(owner, prefix=f"{prefix}nudge:", reason=said, when=sent_at)
        retire(owner, prefix=prefix, reason=said)
    # The same dates the message page shows: the no-reply policy owns them.
    max_nudges = policy.policy_of(owner).max_nudges
    steps = policy.steps_for(owner, sent_at, nudges_sent=nudges_sent)
    at = f" at {organization.name}" if organization else ""
    created = []
    for step in steps:
        if step.kind == "try_another":
            key, kind, rule = f"{prefix}try_another", Kind.TRY_ANOTHER, "no_reply"
            title = f"No reply from {person.full_name} yet: try another person{at}"
            url = organization.get_absolute_url() if organization else ""
        elif step.kind == "nudge":
            key, kind, rule = f"{prefix}nudge:{step.number}", Kind.NUDGE, "no_reply"
            title = f"Nudge {person.full_name} (nudge {step.number} of {max_nudges})"
            url = action_url or draft_url(person, "nudge")
        else:
            key, kind, rule = f"{prefix}stop", Kind.TRY_ANOTHER, "no_reply_stop"
            title = (
                f"{person.full_name} did not answer {nudges_sent} nudges: try another person{at}"
            )
            url = organization.get_absolute_url() if organization else ""
        item, _created = ensure(
            owner,
            key,
            rule=rule,
            kind=kind,
            title=title,
            due_on=step.on,
            person=person,
            organization=organization,
            action_url=url,
        )
        created.append(item)
    return created


def message_replied(
    owner: Any, *, thread_id: int | str, when: datetime.datetime, who: str = "They"
) -> int:
    """A reply came: nothing more to nudge in this thread, and no need to try another
    person. The thread's follow-ups are retired, saying who replied and when."""
    return retire(
        owner, prefix=_thread_prefix(thread_id), reason=f"{who} replied on {on_day(owner, when)}."
    )


def conversation_scheduled(
    owner: Any,
    *,
    conversation_id: int,
    people: Iterable[Person],
    starts_at: datetime.datetime,
    organization: Organization | None = None,
    prep_url: str = "",
) -> FollowUp | None:
    """Preparation the day before (when the user wants it). Rescheduling moves nothing
    already created; call conversation_rescheduled for that."""
    if not settings_for(owner).prepare_day_before:
        return None
    names = ", ".join(p.full_name for p in people)
    due = schedule.prepare_due(starts_at, user_zone(owner))
    item, _created = ensure(
        owner,
        f"prepare:conversation:{conversation_id}",
        kind=Kind.PREPARE,
        title=f"Prepare for the conversation with {names}",
        due_on=due.on,
        organization=organization,
        action_url=prep_url,
    )
    return item


def conversation_rescheduled(
    owner: Any, *, conversation_id: int, starts_at: datetime.datetime
) -> int:
    due = schedule.prepare_due(starts_at, user_zone(owner))
    return FollowUp.objects.filter(
        owner=owner, rule_key=f"prepare:conversation:{conversation_id}", status="open"
    ).update(due_on=due.on)


@dataclass(frozen=True)
class Participant:
    person: Person
    thank_you_url: str = ""


def conversation_held(
    owner: Any,
    *,
    conversation_id: int,
    participants: Iterable[Participant],
    ended_at: datetime.datetime,
    organization: Organization | None = None,
    notes_empty: bool = True,
    debrief_url: str = "",
) -> list[FollowUp]:
    """A thank-you to every participant, and a debrief reminder if no notes yet."""
    prefs = settings_for(owner)
    zone = user_zone(owner)
    retire(
        owner,
        f"prepare:conversation:{conversation_id}",
        reason=f"The conversation took place on {on_day(owner, ended_at)}.",
    )
    made = []
    thanks = schedule.thank_you_due(
        ended_at, zone, timing=prefs.thank_you_timing, morning_hour=prefs.thank_you_hour
    )
    for participant in participants:
        person = participant.person
        item, _created = ensure(
            owner,
            f"thank_you:conversation:{conversation_id}:person:{person.pk}",
            kind=Kind.THANK_YOU,
            title=f"Thank {person.full_name}",
            due_on=thanks.on,
            due_at=thanks.at,
            person=person,
            organization=organization,
            action_url=participant.thank_you_url or draft_url(person, "thank_you"),
        )
        made.append(item)
    if notes_empty:
        due = schedule.debrief_due(ended_at, zone, minutes=prefs.debrief_delay_minutes)
        item, _created = ensure(
            owner,
            f"debrief:conversation:{conversation_id}",
            kind=Kind.DEBRIEF,
            title="Write the debrief while it is fresh",
            due_on=due.on,
            due_at=due.at,
            organization=organization,
            action_url=debrief_url,
        )
        made.append(item)
    return made


@dataclass(frozen=True)
class Promise:
    title: str
    said_on: datetime.date
    due_on: datetime.date | None = None
    person: Person | None = None


def debrief_saved(
    owner: Any,
    *,
    conversation_id: int,
    when: datetime.datetime,
    promises: Iterable[Promise] = (),
    organization: Organization | None = None,
) -> list[FollowUp]:
    """The debrief is written: close its reminder, add each promise as a follow-up."""
    complete(
        owner,
        f"debrief:conversation:{conversation_id}",
        reason=f"You wrote the debrief on {on_day(owner, when)}.",
        when=when,
    )
    made = []
    for number, promise in enumerate(promises, start=1):
        item, _created = ensure(
            owner,
            f"promise:conversation:{conversation_id}:{number}",
            kind=Kind.PROMISED,
            title=promise.title,
            due_on=schedule.promise_due(promise.said_on, promise.due_on),
            person=promise.person,
            organization=organization,
        )
        made.append(item)
    return made


def thank_you_sent(
    owner: Any, *, conversation_id: int, person_id: int, when: datetime.datetime, reason: str = ""
) -> int:
    said = reason or f"You sent the thank-you on {on_day(owner, when)}."
    return sum(
        complete(
            owner,
            f"{kind}:conversation:{conversation_id}:person:{person_id}",
            reason=said,
            when=when,
        )
        for kind in ("thank_you", "thank_introducer")
    )


@dataclass(frozen=True)
class Introducer:
    """Someone on the way to a conversation: they introduced or referred you onward."""

    person: Person
    chain: str  # "Rosa Ortiz introduced you to Marco Rossi, who referred you to Lena Berg."
    draft_url: str = ""


def introducers_to_thank(
    owner: Any,
    *,
    conversation_id: int,
    talked_with: str,
    introducers: Iterable[Introducer],
    ended_at: datetime.datetime,
    organization: Organization | None = None,
) -> list[FollowUp]:
    """A thank-you to each introducer on the way to a held conversation, telling them how
    it went; due when the participants' thank-yous are."""
    prefs = settings_for(owner)
    due = schedule.thank_you_due(
        ended_at, user_zone(owner), timing=prefs.thank_you_timing, morning_hour=prefs.thank_you_hour
    )
    made = []
    for introducer in introducers:
        person = introducer.person
        item, _created = ensure(
            owner,
            f"thank_introducer:conversation:{conversation_id}:person:{person.pk}",
            rule="thank_introducer",
            kind=Kind.THANK_YOU,
            title=f"Thank {person.full_name} and say how the conversation with {talked_with} went",
            note=introducer.chain,
            due_on=due.on,
            due_at=due.at,
            person=person,
            organization=organization,
            action_url=introducer.draft_url or draft_url(person, "thank_you"),
        )
        made.append(item)
    return made


def invitation_declined(
    owner: Any,
    *,
    key: str,
    person: Person,
    when: datetime.datetime,
    organization: Organization | None = None,
    reschedule_url: str = "",
) -> FollowUp:
    """A participant declined the invitation: propose another time, today."""
    item, _created = ensure(
        owner,
        key,
        rule="declined",
        kind=Kind.RESCHEDULE,
        title=f"{person.full_name} declined — propose another time?",
        due_on=when.astimezone(user_zone(owner)).date(),
        person=person,
        organization=organization,
        action_url=reschedule_url,
    )
    return item
