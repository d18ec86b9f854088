"""Every write to follow-ups goes through one of these; pages, API, CLI and the tick share them."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from coffeechat.core.calendar import local_today
from coffeechat.core.scoping import save_owned
from coffeechat.followups.models import ACTIVE, FollowUp, FollowUpSettings, Status
from coffeechat.network.models import Person
from coffeechat.network.services import organization_named
from coffeechat.outreach.situations.wording import compose_url

SNOOZE_CHOICES = {1: "1 day", 3: "3 days", 7: "1 week"}
FEED_TOKEN_PREFIX = "cf_"


def draft_url(person: Person, purpose: str, **params: Any) -> str:
    """Where "open the prefilled draft" goes: the outreach composer for this person
    and purpose (``params`` add to its query: ``conversation``, ``nudge_of``…)."""
    return compose_url(person.pk, purpose=purpose, **params)


def settings_for(owner: Any) -> FollowUpSettings:
    """The user's rule settings, created with the defaults on first use."""
    found, _created = FollowUpSettings.objects.get_or_create(owner=owner)
    return found


def settings_by_owner(owner_ids: Iterable[int]) -> dict[int, FollowUpSettings]:
    """Settings for many users in one query; users without a row get the defaults."""
    ids = set(owner_ids)
    found = {s.owner_id: s for s in FollowUpSettings.objects.filter(owner_id__in=ids)}
    return {pk: found.get(pk) or FollowUpSettings(owner_id=pk) for pk in ids}


# Creating ---------------------------------------------------------------------------


@dataclass
class Wanted:
    """A follow-up a rule wants to exist (identified by its ``rule_key``)."""

    owner_id: int
    rule: str
    rule_key: str
    kind: str
    title: str
    due_on: datetime.date
    due_at: datetime.datetime | None = None
    person_id: int | None = None
    organization_id: int | None = None
    channel: str = ""
    note: str = ""
    action_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def build(self) -> FollowUp:
        return FollowUp(
            owner_id=self.owner_id,
            rule=self.rule,
            rule_key=self.rule_key,
            kind=self.kind,
            title=self.title[:200],
            due_on=self.due_on,
            due_at=self.due_at,
            person_id=self.person_id,
            organization_id=self.organization_id,
            channel=self.channel,
            note=self.note,
            action_url=self.action_url,
            **self.extra,
        )


def ensure(owner: Any, rule_key: str, **fields: Any) -> tuple[FollowUp, bool]:
    """The follow-up with this ``rule_key``, created if it does not exist yet.

    Idempotent: calling it again (another tick, another worker) returns the same
    row and changes nothing, and a follow-up already done or skipped is never
    brought back. Returns (follow-up, created).
    """
    if not rule_key:
        raise ValueError("ensure() needs a rule_key")
    person = fields.get("person")
    if person is not None and not fields.get("channel"):
        fields["channel"] = person.preferred_channel
    existing = FollowUp.objects.filter(owner=owner, rule_key=rule_key).first()
    if existing is not None:
        return existing, False
    item = FollowUp(owner=owner, rule_key=rule_key, **fields)
    item.rule = item.rule or rule_key.split(":", 1)[0]
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # Another worker created it between our look and our insert.
        return FollowUp.objects.get(owner=owner, rule_key=rule_key), False
    return item, True


def ensure_many(wanted: Iterable[Wanted]) -> int:
    """Create the wanted follow-ups that do not exist yet, in a few queries; returns how many."""
    by_key = {(w.owner_id, w.rule_key): w for w in wanted}
    if not by_key:
        return 0
    keys = {key for _owner, key in by_key}
    existing: set[tuple[int, str]] = set()
    key_list = sorted(keys)
    for start in range(0, len(key_list), 500):
        existing |= set(
            FollowUp.objects.filter(rule_key__in=key_list[start : start + 500]).values_list(
                "owner_id", "rule_key"
            )
        )
    new = [w.build() for pair, w in by_key.items() if pair not in existing]
    FollowUp.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def save_follow_up(owner: Any, item: FollowUp, organization_name: str | None = None) -> FollowUp:
    """Save a follow-up added or edited by hand (the person's channel by default).

    ``organization_name``, when given, names its organization (found by name, or added
    with it; empty: none)."""
    if item.person_id is not None and not item.channel:
        person = Person.objects.filter(pk=item.person_id, owner=owner).first()
        item.channel = person.preferred_channel if person else ""
    if item.status == Status.OPEN:
        item.snoozed_until = None
    with transaction.atomic():
        if organization_name is not None:
            name = organization_name.strip()
            item.organization = organization_named(owner, name) if name else None
        return save_owned(owner, item)


# Closing ----------------------------------------------------------------------------


def _closing(
    owner: Any, rule_key: str, prefix: str, exclude_prefix: str = ""
) -> QuerySet[FollowUp]:
    if not rule_key and not prefix:
        raise ValueError("Closing needs a rule_key or a prefix")
    match = Q(rule_key=rule_key) if rule_key else Q(rule_key__startswith=prefix)
    rows = FollowUp.objects.filter(match, owner=owner, status__in=ACTIVE).exclude(rule_key="")
    if exclude_prefix:
        rows = rows.exclude(rule_key__startswith=exclude_prefix)
    return rows


def complete(
    owner: Any,
    rule_key: str = "",
    *,
    prefix: str = "",
    reason: str,
    when: datetime.datetime | None = None,
) -> int:
    """Mark done the active follow-ups with this ``rule_key`` (or every key starting with
    ``prefix``): the action they asked for happened, and ``reason`` says what it was
    ("You sent the thank-you on 3 March."). Returns how many were closed."""
    return _closing(owner, rule_key, prefix).update(
        status=Status.DONE,
        done_at=when or timezone.now(),
        closed_reason=reason[:300],
        updated_at=timezone.now(),
    )


def retire(
    owner: Any,
    rule_key: str = "",
    *,
    prefix: str = "",
    reason: str,
    exclude_prefix: str = "",
) -> int:
    """Retire the active follow-ups with this ``rule_key`` (or ``prefix``): their reason is
    gone ("Dana replied on 3 March.", "The conversation took place on 5 March."), though
    nobody did what they asked. They leave the lists, with ``reason`` kept."""
    return retire_rows(_closing(owner, rule_key, prefix, exclude_prefix), reason)


def retire_rows(rows: QuerySet[FollowUp], reason: str) -> int:
    """Retire the active follow-ups among ``rows`` with ``reason`` (see :func:`retire`)."""
    return rows.filter(status__in=ACTIVE).update(
        status=Status.RETIRED, closed_reason=reason[:300], updated_at=timezone.now()
    )


def done(item: FollowUp, when: datetime.datetime | None = None) -> FollowUp:
    """The user marks it done by hand."""
    item.status = Status.DONE
    item.done_at = when or timezone.now()
    item.closed_reason = "You marked it done."
    item.save(update_fields=["status", "done_at", "closed_reason", "updated_at"])
    return item


def snooze(item: FollowUp, days: int, now: datetime.datetime | None = None) -> FollowUp:
    """Put it off for ``days`` days counted from today (the user's today)."""
    if days < 1 or days > 365:
        raise ValidationError({"days": "Snooze for 1 to 365 days."})
    today = local_today(item.owner, now)
    item.status = Status.SNOOZED
    item.snoozed_until = today + datetime.timedelta(days=days)
    item.save(update_fields=["status", "snoozed_until", "updated_at"])
    item.refresh_from_db(fields=["remind_on"])
    return item


def skip(item: FollowUp, reason: str) -> FollowUp:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"skip_reason": "Say why you skip it."})
    item.status = Status.SKIPPED
    item.skip_reason = reason[:300]
    item.save(update_fields=["status", "skip_reason", "updated_at"])
    return item


def reopen(item: FollowUp) -> FollowUp:
    item.status = Status.OPEN
    item.snoozed_until = None
    item.done_at = None
    item.closed_reason = ""
    item.save(update_fields=["status", "snoozed_until", "done_at", "closed_reason", "updated_at"])
    item.refresh_from_db(fields=["remind_on"])
    return item


# The calendar feed token --------------------------------------------------------------


def hash_feed_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_feed_token(owner: Any) -> str:
    """Make (or replace) the user's private feed token; the old link stops working.

    Only its hash is stored; the raw token is returned for the page to show.
    """
    raw = FEED_TOKEN_PREFIX + secrets.token_urlsafe(32)
    found = settings_for(owner)
    found.feed_token_hash = hash_feed_token(raw)
    found.feed_token_prefix = raw[:10]
    found.feed_token_created_at = timezone.now()
    found.save(update_fields=["feed_token_hash", "feed_token_prefix", "feed_token_created_at"])
    return raw


def revoke_feed_token(owner: Any) -> None:
    FollowUpSettings.objects.filter(owner=owner).update(
        feed_token_hash="", feed_token_prefix="", feed_token_created_at=None
    )


def owner_for_feed_token(raw: str) -> Any | None:
    if not raw.startswith(FEED_TOKEN_PREFIX) or len(raw) > 100:
        return None
    found = (
        FollowUpSettings.objects.select_related("owner", "owner__profile")
        .filter(feed_token_hash=hash_feed_token(raw))
        .exclude(feed_token_hash="")
        .first()
    )
    if found is None or not found.owner.is_active:
        return None
    return found.owner
