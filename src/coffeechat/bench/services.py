"""Every write to the bench goes through one of these; pages, API and CLI share them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coffeechat.bench.models import (
    BenchContact,
    BenchEntry,
    BenchSettings,
    BenchSkill,
    Opening,
    OpeningOutcome,
    OpeningSkill,
    OpeningStatus,
    Outcome,
    SkillLevel,
)
from coffeechat.core.calendar import local_today
from coffeechat.core.scoping import owned, save_owned
from coffeechat.followups import services as followups
from coffeechat.followups.models import ACTIVE, FollowUp, Kind
from coffeechat.network import services as network
from coffeechat.network.models import Person
from coffeechat.outreach.models import Purpose
from coffeechat.outreach.purposes import rule_of

# The purpose of the keep-warm drafts, and of the "something has opened up" ones.
DRAFT_PURPOSE = Purpose.KEEP_IN_TOUCH
OPENING_PURPOSE = Purpose.OPENING
# The rule of the follow-ups for the people picked for an opening; a message of the
# opening purpose closes them (outreach's purposes table says so, followups acts on it).
OPENING_RULE = rule_of(Purpose.OPENING).closes_follow_up
# Why a keep-warm note is written, and its subject (the composer's variables): a
# manager writes to someone on their bench because they came to mind.
KEEP_WARM_WHY = "You came to mind the other day, and it has been a while since we were in touch."
KEEP_WARM_SUBJECT = "Thinking of you"


@dataclass(frozen=True)
class SkillIn:
    name: str
    level: int = SkillLevel.WORKING


def parse_skills(text: str) -> list[SkillIn]:
    """``"python:4, sql, statistics:3"`` → skills with levels (2 when none is given)."""
    skills: dict[str, SkillIn] = {}
    for raw in text.replace("\n", ",").split(","):
        name, _, level = raw.partition(":")
        name = " ".join(name.split())[:60]
        if not name:
            continue
        try:
            value = int(level) if level.strip() else SkillLevel.WORKING
        except ValueError:
            raise ValidationError({"skills": f"{raw.strip()!r}: the level is 1 to 4."}) from None
        if value not in SkillLevel.values:
            raise ValidationError({"skills": f"{raw.strip()!r}: the level is 1 to 4."})
        skills[name.casefold()] = SkillIn(name, value)
    return list(skills.values())


def skills_text(skills: Iterable[BenchSkill]) -> str:
    return ", ".join(f"{skill.name}:{skill.level}" for skill in skills)


def skill_key(name: str) -> str:
    return " ".join(name.split()).casefold()


# Settings -----------------------------------------------------------------------------


def settings_for(owner: Any) -> BenchSettings:
    """The user's bench settings (the defaults until they change them; nothing is written)."""
    found = BenchSettings.objects.filter(owner=owner).first()
    return found or BenchSettings(owner=owner)


_UNCHANGED: Any = object()


def save_settings(
    owner: Any, keep_warm_days: int, forget_after_months: int | None = _UNCHANGED
) -> BenchSettings:
    """Change my default keep-warm cadence (people already benched keep theirs) and,
    when given, my retention setting (None: off; see bench/retention.py)."""
    found = settings_for(owner)
    found.keep_warm_days = keep_warm_days
    if forget_after_months is not _UNCHANGED:
        found.forget_after_months = forget_after_months
    found.full_clean()
    found.save()
    return found


# Entries ------------------------------------------------------------------------------


def _keep_warm(owner: Any, entry: BenchEntry, default_days: int) -> None:
    """Give the person a keep-in-touch cadence, unless they said how often (never more often)."""
    person = entry.person
    if person.keep_in_touch_days is not None or not person.may_keep_in_touch:
        return
    if person.do_not_contact:
        return
    network.save_fields(owner, person, {"keep_in_touch_days": default_days})
    entry.keep_warm_days = default_days
    entry.save(update_fields=["keep_warm_days"])


def _let_go_cold(owner: Any, entry: BenchEntry) -> None:
    """Take back the cadence the bench gave, if the person still has exactly that one."""
    person = entry.person
    if entry.keep_warm_days is not None and person.keep_in_touch_days == entry.keep_warm_days:
        network.save_fields(owner, person, {"keep_in_touch_days": None})
    if entry.keep_warm_days is not None:
        entry.keep_warm_days = None
        entry.save(update_fields=["keep_warm_days"])


def _set_skills(owner: Any, entry: BenchEntry, skills: Iterable[SkillIn]) -> None:
    entry.skills.all().delete()
    BenchSkill.objects.bulk_create(
        BenchSkill(owner=owner, entry=entry, name=skill.name, level=skill.level) for skill in skills
    )


@transaction.atomic
def save_entry(
    owner: Any,
    entry: BenchEntry,
    *,
    skills: Iterable[SkillIn] | None = None,
) -> BenchEntry:
    """Put a person on my bench, or change their entry (skills replace when given).

    A new entry gives the person my keep-warm cadence (:func:`settings_for`, 90 days
    by default) unless they asked for their own, so the follow-ups keep-in-touch rule
    puts them on Today.
    """
    creating = entry.pk is None
    if creating and owned(BenchEntry, owner).filter(person_id=entry.person_id).exists():
        raise ValidationError({"person": "This person is already on your bench."})
    if entry.referred_by_id is not None and entry.referred_by_id == entry.person_id:
        raise ValidationError({"referred_by": "A person cannot refer themselves."})
    if entry.availability != "from_date":
        entry.available_from = None
    elif entry.available_from is None:
        raise ValidationError({"available_from": "Give the date they are available from."})
    save_owned(owner, entry)
    if skills is not None:
        _set_skills(owner, entry, skills)
    if creating:
        _keep_warm(owner, entry, settings_for(owner).keep_warm_days)
    return entry


@transaction.atomic
def remove_entry(owner: Any, entry: BenchEntry) -> None:
    """Take a person off my bench with its history (skills, contacts, outcomes)."""
    _let_go_cold(owner, entry)
    entry.delete()


@transaction.atomic
def log_contact(
    owner: Any, entry: BenchEntry, on: datetime.date, *, channel: str = "", note: str = ""
) -> BenchContact:
    """I was in touch with a benched person: logged, and their "last contacted" moves."""
    contact = save_owned(
        owner, BenchContact(entry=entry, on=on, channel=channel[:20], note=note[:500])
    )
    network.record_contact(owner, [entry.person], on)
    _close_opening_follow_ups(owner, entry.person_id, on)
    return contact


def _opening_key(opening_id: int, person_id: int) -> str:
    return f"{OPENING_RULE}:{opening_id}:person:{person_id}"


def _close_opening_follow_ups(owner: Any, person_id: int, on: datetime.date) -> int:
    """Mark done the person's open "tell them about the opening" follow-ups made on or
    before ``on`` (a contact logged from before I picked them closes nothing)."""
    keys = FollowUp.objects.filter(
        owner=owner, person_id=person_id, rule=OPENING_RULE, status__in=ACTIVE, due_on__lte=on
    ).values_list("rule_key", flat=True)
    reason = f"You were in touch with them on {on.day} {on:%B %Y}."
    return sum(followups.complete(owner, key, reason=reason) for key in list(keys))


# Openings -----------------------------------------------------------------------------


@transaction.atomic
def save_opening(
    owner: Any,
    opening: Opening,
    *,
    required: Iterable[str] | None = None,
    nice_to_have: Iterable[str] | None = None,
) -> Opening:
    """Create or change an opening; the lists of skills replace when given."""
    save_owned(owner, opening)
    if required is not None or nice_to_have is not None:
        wanted: dict[str, OpeningSkill] = {}
        for names, is_required in ((nice_to_have or []), False), ((required or []), True):
            for name in names:
                clean = " ".join(name.split())[:60]
                if clean:
                    wanted[skill_key(clean)] = OpeningSkill(
                        owner=owner, opening=opening, name=clean, required=is_required
                    )
        opening.skills.all().delete()
        OpeningSkill.objects.bulk_create(wanted.values())
    return opening


@transaction.atomic
def close_opening(
    owner: Any,
    opening: Opening,
    *,
    hired: Iterable[BenchEntry] = (),
    approached: Iterable[BenchEntry] = (),
    today: datetime.date | None = None,
) -> Opening:
    """Close an opening, recording who was hired and who was approached.

    The people hired leave keep-warm (they work with me now); everyone else stays on it.
    """
    if opening.status == OpeningStatus.CLOSED:
        raise ValidationError({"status": "This opening is already closed."})
    hired = list(hired)
    outcomes = {entry.pk: (entry, Outcome.APPROACHED) for entry in approached}
    outcomes.update({entry.pk: (entry, Outcome.HIRED) for entry in hired})
    for entry, _outcome in outcomes.values():
        if entry.owner_id != owner.pk:
            raise ValidationError({"hired": f"There is no bench entry with id {entry.pk}."})
    opening.outcomes.all().delete()
    OpeningOutcome.objects.bulk_create(
        OpeningOutcome(owner=owner, opening=opening, entry=entry, outcome=outcome)
        for entry, outcome in outcomes.values()
    )
    for entry in hired:
        _let_go_cold(owner, entry)
    for entry, outcome in outcomes.values():
        followups.complete(
            owner,
            _opening_key(opening.pk, entry.person_id),
            reason=f"Recorded as {outcome.label.lower()} when “{opening.title}” closed.",
        )
    followups.retire(
        owner,
        prefix=f"{OPENING_RULE}:{opening.pk}:person:",
        reason=f"“{opening.title}” was closed without them; they stay on keep-warm.",
    )
    opening.status = OpeningStatus.CLOSED
    opening.closed_on = today or local_today(owner)
    return save_owned(owner, opening)


def draft_url(person: Person) -> str:
    """The composer with a short keep-warm note ("you came to mind"), in their preferred
    channel (the composer picks it)."""
    return followups.draft_url(
        person, DRAFT_PURPOSE, why_i_write=KEEP_WARM_WHY, update_subject=KEEP_WARM_SUBJECT
    )


def opening_draft_url(person: Person, opening: Opening) -> str:
    """The composer with the "something has opened up" draft for ``opening`` (its title
    and start date, when given), in the person's preferred channel."""
    return followups.draft_url(
        person,
        OPENING_PURPOSE,
        opening_title=opening.title,
        opening_start=opening.start_on.isoformat() if opening.start_on else "",
    )


def follow_up_picked(
    owner: Any, opening: Opening, people: Iterable[Person], today: datetime.date | None = None
) -> list[FollowUp]:
    """A follow-up today for each person I picked for this opening (once per person).

    It closes when I log a contact with them on the bench, when a "something has opened
    up" message to them is sent or marked sent (followups.reactions), or when the
    opening closes (:func:`close_opening`)."""
    due = today or local_today(owner)
    made = []
    for person in people:
        item, _created = followups.ensure(
            owner,
            _opening_key(opening.pk, person.pk),
            rule=OPENING_RULE,
            kind=Kind.CUSTOM,
            title=f"Tell {person.full_name} about {opening.title}"[:200],
            due_on=due,
            person=person,
            action_url=opening_draft_url(person, opening),
        )
        made.append(item)
    return made
