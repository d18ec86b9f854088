"""Merging two records of one person, and remembering two records that are not one.

:func:`merge_people` keeps one record (its id, so everything that points at it
still does) and moves everything of the other onto it: e-mails, phones, jobs,
affiliations, ties, messages, tags, notes, and the rows of any other model that
points at a person — models added later are moved too, without changes here.
:func:`merge_preview` says what the merged person will have, before anything is
written. :func:`mark_not_duplicate` remembers that two people are different, so
that the duplicate finder never proposes them again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from coffeechat.core.scoping import is_derived
from coffeechat.network.models import (
    EmailAddress,
    Employment,
    Interaction,
    Membership,
    NotDuplicate,
    Person,
    PhoneNumber,
    Tie,
)
from coffeechat.network.normalize import email_key, phone_key
from coffeechat.network.services import save_person

# Fields of the kept person that are filled from the other one when empty.
FIELD_LABELS = {
    "last_name": "Last name",
    "linkedin_url": "LinkedIn",
    "location": "Location",
    "time_zone": "Time zone",
    "level": "Level",
    "preferred_channel": "Prefers",
    "last_contacted_on": "Last contacted",
    "do_not_contact": "Do not contact",
    "follow_up_wish": "Follow-up wish",
    "keep_in_touch_days": "Keep in touch every (days)",
    "next_check_in_on": "Next check-in",
}
FILLED_FIELDS = (
    "last_name",
    "linkedin_url",
    "location",
    "time_zone",
    "level",
    "preferred_channel",
    "follow_up_wish",
    "keep_in_touch_days",
    "next_check_in_on",
)


# What merging keeps ----------------------------------------------------------------


def _job_signature(job: Employment) -> tuple[Any, ...]:
    return (job.organization_id, job.title.strip().casefold(), job.start_date, job.end_date)


def _membership_signature(membership: Membership) -> tuple[Any, ...]:
    return (membership.affiliation_id, membership.detail.strip().casefold(), membership.class_year)


def new_emails(kept: Iterable[EmailAddress], other: Iterable[EmailAddress]) -> list[EmailAddress]:
    """The other person's addresses that the kept person does not have yet."""
    seen = {email_key(e.email) for e in kept}
    found = []
    for e in other:
        key = email_key(e.email)
        if key not in seen:
            seen.add(key)
            found.append(e)
    return found


def new_phones(
    kept: Iterable[PhoneNumber], other: Iterable[PhoneNumber], region: str
) -> list[PhoneNumber]:
    """The other person's numbers that the kept person does not have yet."""
    seen = {phone_key(p.number, region) or p.number.strip() for p in kept}
    found = []
    for p in other:
        key = phone_key(p.number, region) or p.number.strip()
        if key not in seen:
            seen.add(key)
            found.append(p)
    return found


def new_jobs(kept: Iterable[Employment], other: Iterable[Employment]) -> list[Employment]:
    """The other person's jobs, less exact repeats (same organization, title and dates)."""
    seen = {_job_signature(job) for job in kept}
    return [job for job in other if _job_signature(job) not in seen]


def new_memberships(kept: Iterable[Membership], other: Iterable[Membership]) -> list[Membership]:
    """The other person's affiliations, less repeats (same group, detail and class year)."""
    seen = {_membership_signature(m) for m in kept}
    return [m for m in other if _membership_signature(m) not in seen]


def merged_fields(keep: Person, other: Person) -> dict[str, Any]:
    """The fields of ``keep`` that change: empty ones filled, dates and flags combined."""
    changes: dict[str, Any] = {}
    for name in FILLED_FIELDS:
        if not getattr(keep, name) and getattr(other, name):
            changes[name] = getattr(other, name)
    contacted = [d for d in (keep.last_contacted_on, other.last_contacted_on) if d]
    if contacted and max(contacted) != keep.last_contacted_on:
        changes["last_contacted_on"] = max(contacted)
    if other.do_not_contact and not keep.do_not_contact:
        changes["do_not_contact"] = True
    if other.notes.strip():
        changes["notes"] = merged_notes(keep, other)
    return changes


def merged_notes(keep: Person, other: Person, on: date | None = None) -> str:
    """Both notes, the other's under a line that names where they came from."""
    day = on or timezone.localdate()
    separator = f"--- From {other.full_name or 'a merged record'} (merged {day:%Y-%m-%d}) ---"
    parts = [keep.notes.rstrip(), separator, other.notes.strip()]
    return "\n\n".join(part for part in parts if part)


# Preview -----------------------------------------------------------------------------


@dataclass
class MergePreview:
    """What the kept person will have after the merge (nothing is written)."""

    keep: Person
    other: Person
    emails: list[str]
    phones: list[str]
    jobs: list[Employment]
    memberships: list[Membership]
    tags: list[str]
    changes: dict[str, Any]
    ties_moved: int
    ties_dropped: int  # the ties between the two, which would become a tie to oneself
    interactions_moved: int
    notes_joined: bool
    dropped: list[str] = field(default_factory=list)  # repeats that are not copied

    @property
    def filled(self) -> list[tuple[str, Any]]:
        """(label, value) of the fields filled in from the other record."""
        labels = []
        for name, value in self.changes.items():
            if name == "notes":
                continue
            display = getattr(self.other, f"get_{name}_display", None)
            shown = display() if display else ("yes" if value is True else value)
            labels.append((FIELD_LABELS[name], shown))
        return labels


def people_for_merge(owner: Any, ids: Sequence[int]) -> dict[int, Person]:
    """The owner's people with what a merge preview shows, in a constant number of queries."""
    queryset = (
        Person.objects.filter(owner=owner, pk__in=list(ids))
        .prefetch_related(
            "email_addresses",
            "phone_numbers",
            "tags",
            models.Prefetch(
                "employments", queryset=Employment.objects.select_related("organization")
            ),
            models.Prefetch(
                "memberships", queryset=Membership.objects.select_related("affiliation")
            ),
        )
        .annotate(
            ties_out_count=_count_of(Tie, "from_person"),
            ties_in_count=_count_of(Tie, "to_person"),
            interaction_count=_count_of(Interaction, "person"),
        )
    )
    return {person.pk: person for person in queryset}


def _count_of(model: type[models.Model], name: str) -> Any:
    """How many rows of ``model`` point at the person through ``name``: a subquery."""
    rows = (
        model._default_manager.filter(**{name: models.OuterRef("pk")})
        .order_by()
        .values(name)
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(rows, output_field=models.IntegerField()), 0)


def merge_preview(owner: Any, keep: Person, other: Person) -> MergePreview:
    """What :func:`merge_people` would make of ``keep`` and ``other``.

    Works best on people from :func:`people_for_merge` (prefetched, with counts).
    """
    region = _region(owner)
    kept_emails = list(keep.email_addresses.all())
    kept_phones = list(keep.phone_numbers.all())
    kept_jobs = list(keep.employments.all())
    kept_memberships = list(keep.memberships.all())
    other_emails = list(other.email_addresses.all())
    other_phones = list(other.phone_numbers.all())
    other_jobs = list(other.employments.all())
    other_memberships = list(other.memberships.all())
    emails = new_emails(kept_emails, other_emails)
    phones = new_phones(kept_phones, other_phones, region)
    jobs = new_jobs(kept_jobs, other_jobs)
    memberships = new_memberships(kept_memberships, other_memberships)
    between = Tie.objects.filter(owner=owner).filter(
        Q(from_person=keep, to_person=other) | Q(from_person=other, to_person=keep)
    )
    ties_between = between.count()
    other_ties = _count(other, "ties_out_count", "ties_out") + _count(
        other, "ties_in_count", "ties_in"
    )
    dropped = [
        f"{len(other_emails) - len(emails)} repeated e-mail address(es)"
        if len(other_emails) > len(emails)
        else "",
        f"{len(other_phones) - len(phones)} repeated phone number(s)"
        if len(other_phones) > len(phones)
        else "",
        f"{len(other_jobs) - len(jobs)} repeated job(s)" if len(other_jobs) > len(jobs) else "",
        f"{len(other_memberships) - len(memberships)} repeated affiliation(s)"
        if len(other_memberships) > len(memberships)
        else "",
    ]
    tags = sorted({t.name for t in keep.tags.all()} | {t.name for t in other.tags.all()})
    return MergePreview(
        keep=keep,
        other=other,
        emails=[e.email for e in kept_emails + emails],
        phones=[p.number for p in kept_phones + phones],
        jobs=kept_jobs + jobs,
        memberships=kept_memberships + memberships,
        tags=tags,
        changes=merged_fields(keep, other),
        ties_moved=other_ties - ties_between,
        ties_dropped=ties_between,
        interactions_moved=_count(other, "interaction_count", "interactions"),
        notes_joined=bool(other.notes.strip()),
        dropped=[d for d in dropped if d],
    )


def _count(person: Person, annotation: str, related: str) -> int:
    value = getattr(person, annotation, None)
    if value is None:
        value = getattr(person, related).count()
    return int(value)


# Merging -----------------------------------------------------------------------------


def _region(owner: Any) -> str:
    from coffeechat.accounts.models import Profile

    country = Profile.objects.filter(user=owner).values_list("country", flat=True).first()
    return country or "US"


def _both(owner: Any, a: Person, b: Person, *, lock: bool = False) -> tuple[Person, Person]:
    """``a`` and ``b`` fresh from the database, refused unless both are ``owner``'s."""
    if a.pk == b.pk:
        raise ValidationError("These are the same person: choose two different people.")
    queryset = Person.objects.filter(owner=owner, pk__in=[a.pk, b.pk])
    if lock:
        queryset = queryset.select_for_update()
    found = {person.pk: person for person in queryset}
    if len(found) != 2:
        raise ValidationError("Both people must be in your network.")
    return found[a.pk], found[b.pk]


@transaction.atomic
def merge_people(owner: Any, keep: Person, other: Person) -> Person:
    """Merge ``other`` into ``keep``: one transaction, ``keep``'s id stays, ``other`` goes.

    Raises ValidationError when they are the same person or not both ``owner``'s.
    """
    keep, other = _both(owner, keep, other, lock=True)
    region = _region(owner)

    _move_emails(keep, other)
    _move_phones(keep, other, region)
    _move_jobs(keep, other)
    _move_memberships(keep, other)
    _move_ties(owner, keep, other)
    _move_interactions(keep, other)
    _move_not_duplicates(owner, keep, other)
    _move_everything_else(keep, other)

    changes = merged_fields(keep, other)
    for name, value in changes.items():
        setattr(keep, name, value)
    save_person(owner, keep)  # the person rules: names, the LinkedIn address
    other.delete()
    keep.refresh_from_db()
    return keep


def _move_emails(keep: Person, other: Person) -> None:
    kept = list(keep.email_addresses.all())
    moving = new_emails(kept, other.email_addresses.all())
    start = max((e.position for e in kept), default=-1) + 1
    for offset, email in enumerate(moving):
        email.person = keep
        email.position = start + offset
    EmailAddress.objects.bulk_update(moving, ["person", "position"])
    # The repeats stay with ``other`` and go with it.


def _move_phones(keep: Person, other: Person, region: str) -> None:
    kept = list(keep.phone_numbers.all())
    moving = new_phones(kept, other.phone_numbers.all(), region)
    start = max((p.position for p in kept), default=-1) + 1
    for offset, phone in enumerate(moving):
        phone.person = keep
        phone.position = start + offset
    PhoneNumber.objects.bulk_update(moving, ["person", "position"])


def _move_jobs(keep: Person, other: Person) -> None:
    kept = list(keep.employments.all())
    others = list(other.employments.all())
    moving = new_jobs(kept, others)
    Employment.objects.filter(pk__in=[job.pk for job in moving]).update(person=keep)
    # A repeated job keeps what only the other record knew.
    by_signature = {_job_signature(job): job for job in kept}
    for job in others:
        twin = by_signature.get(_job_signature(job))
        if twin is None or job in moving:
            continue
        changed = []
        if job.has_hiring_authority and not twin.has_hiring_authority:
            twin.has_hiring_authority = True
            changed.append("has_hiring_authority")
        if job.department and not twin.department:
            twin.department = job.department
            changed.append("department")
        if changed:
            twin.save(update_fields=[*changed, "updated_at"])


def _move_memberships(keep: Person, other: Person) -> None:
    kept = list(keep.memberships.all())
    others = list(other.memberships.all())
    moving = new_memberships(kept, others)
    Membership.objects.filter(pk__in=[m.pk for m in moving]).update(person=keep)
    by_signature = {_membership_signature(m): m for m in kept}
    for membership in others:
        twin = by_signature.get(_membership_signature(membership))
        if twin is None or membership in moving:
            continue
        changed = []
        for name in ("start_year", "end_year"):
            if getattr(membership, name) and not getattr(twin, name):
                setattr(twin, name, getattr(membership, name))
                changed.append(name)
        if changed:
            twin.save(update_fields=[*changed, "updated_at"])


def _move_ties(owner: Any, keep: Person, other: Person) -> None:
    ties = Tie.objects.filter(owner=owner)
    # A tie between the two would become a tie from the person to themselves.
    ties.filter(
        Q(from_person=keep, to_person=other) | Q(from_person=other, to_person=keep)
    ).delete()
    moved = set(ties.filter(Q(from_person=other) | Q(to_person=other)).values_list("pk", flat=True))
    ties.filter(from_person=other).update(from_person=keep)
    ties.filter(to_person=other).update(to_person=keep)
    ties.filter(introduced_by=other).update(introduced_by=keep)
    # Nobody introduces themselves.
    ties.filter(introduced_by=keep).filter(Q(from_person=keep) | Q(to_person=keep)).update(
        introduced_by=None
    )
    if moved:
        _merge_repeated_ties(list(ties.filter(Q(from_person=keep) | Q(to_person=keep))), moved)


def _merge_repeated_ties(ties: list[Tie], moved: set[int]) -> None:
    """Two ties between the same two ends (one of them moved): keep the stronger one."""
    groups: dict[frozenset[int | None], list[Tie]] = defaultdict(list)
    for tie in ties:
        groups[frozenset((tie.from_person_id, tie.to_person_id))].append(tie)
    for group in groups.values():
        if len(group) < 2 or not any(tie.pk in moved for tie in group):
            continue
        # The strongest; between equals, the kept person's own, then the oldest.
        group.sort(key=lambda t: (-t.strength, t.pk in moved, t.pk))
        winner, losers = group[0], group[1:]
        notes = [t.note.strip() for t in group if t.note.strip()]
        winner.note = "\n\n".join(dict.fromkeys(notes))
        dates = [t.since for t in group if t.since]
        winner.since = min(dates) if dates else None
        if winner.introduced_by_id is None:
            winner.introduced_by_id = next(
                (t.introduced_by_id for t in losers if t.introduced_by_id), None
            )
        Tie.objects.filter(pk__in=[t.pk for t in losers]).delete()
        winner.save(update_fields=["note", "since", "introduced_by", "updated_at"])


def _move_interactions(keep: Person, other: Person) -> None:
    # A message imported for both records (same source) is kept once.
    known = set(keep.interactions.exclude(source_key="").values_list("source_key", flat=True))
    other.interactions.filter(source_key__in=known).delete()
    other.interactions.update(person=keep)


def _move_not_duplicates(owner: Any, keep: Person, other: Person) -> None:
    rows = NotDuplicate.objects.filter(owner=owner).filter(Q(person_a=other) | Q(person_b=other))
    pairs = set(rows.values_list("person_a_id", "person_b_id"))
    rows.delete()
    for a, b in pairs:
        third = b if a == other.pk else a
        if third != keep.pk:
            NotDuplicate.objects.get_or_create(
                owner=owner, person_a_id=min(keep.pk, third), person_b_id=max(keep.pk, third)
            )


# Relations handled above; any other foreign key to Person is moved generically.
_HANDLED = {
    (EmailAddress, "person"),
    (PhoneNumber, "person"),
    (Employment, "person"),
    (Membership, "person"),
    (Tie, "from_person"),
    (Tie, "to_person"),
    (Tie, "introduced_by"),
    (Interaction, "person"),
    (NotDuplicate, "person_a"),
    (NotDuplicate, "person_b"),
}


def _move_everything_else(keep: Person, other: Person) -> None:
    """Point every other row that points at ``other`` at ``keep`` (tags included).

    A row that would then repeat one of ``keep``'s under a unique constraint (the
    same tag twice, say) is a repeat: it is deleted instead.
    """
    for relation in Person._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        if relation.many_to_many:
            continue  # its through model's foreign key is in this list too
        model = relation.related_model
        name = relation.field.name  # type: ignore[union-attr]
        if (model, name) in _HANDLED or is_derived(model):
            continue
        _repoint(model, name, keep, other)  # type: ignore[arg-type]


def _repoint(model: type[models.Model], name: str, keep: Person, other: Person) -> None:
    manager = model._default_manager
    theirs = manager.filter(**{name: other})
    for fields in _unique_field_sets(model, name):
        rest = [f for f in fields if f != name]
        if not rest:
            if manager.filter(**{name: keep}).exists():
                theirs.delete()
            continue
        taken = set(manager.filter(**{name: keep}).values_list(*rest))
        repeats = [row[0] for row in theirs.values_list("pk", *rest) if tuple(row[1:]) in taken]
        manager.filter(pk__in=repeats).delete()
    theirs.update(**{name: keep})


def _unique_field_sets(model: type[models.Model], name: str) -> list[tuple[str, ...]]:
    """The unique field combinations of ``model`` that include the field ``name``."""
    sets: list[tuple[str, ...]] = []
    for together in model._meta.unique_together:
        sets.append(tuple(together))
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
        ):
            sets.append(tuple(constraint.fields))
    model_field = model._meta.get_field(name)
    if getattr(model_field, "unique", False):
        sets.append((name,))
    attname = getattr(model_field, "attname", name)
    return [s for s in sets if name in s or attname in s]


# Not the same person ---------------------------------------------------------------------


@transaction.atomic
def mark_not_duplicate(owner: Any, a: Person, b: Person) -> None:
    """Remember that ``a`` and ``b`` are two people: they are never proposed again."""
    a, b = _both(owner, a, b)
    NotDuplicate.objects.get_or_create(
        owner=owner, person_a_id=min(a.pk, b.pk), person_b_id=max(a.pk, b.pk)
    )


@transaction.atomic
def forget_not_duplicate(owner: Any, a: Person, b: Person) -> None:
    """Undo :func:`mark_not_duplicate`: the pair may be proposed again."""
    a, b = _both(owner, a, b)
    NotDuplicate.objects.filter(
        owner=owner, person_a_id=min(a.pk, b.pk), person_b_id=max(a.pk, b.pk)
    ).delete()


def is_marked_not_duplicate(owner: Any, a: Person, b: Person) -> bool:
    return NotDuplicate.objects.filter(
        owner=owner, person_a_id=min(a.pk, b.pk), person_b_id=max(a.pk, b.pk)
    ).exists()
