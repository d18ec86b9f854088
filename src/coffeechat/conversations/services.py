"""Every write on conversations is one function here; views, API and CLI call them."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from coffeechat.conversations import signals
from coffeechat.conversations.ics import CANCEL, REQUEST
from coffeechat.conversations.invitations import send_invitation
from coffeechat.conversations.models import (
    ChosenQuestion,
    Conversation,
    Fit,
    Learning,
    Participant,
    Promise,
    PromiseDirection,
    Question,
    Referral,
    Status,
    Story,
    Topic,
)
from coffeechat.conversations.questions import BY_KEY, propose
from coffeechat.core.calendar import add_business_days, local_today, user_country, user_zone
from coffeechat.core.scoping import check_references_owned, owned, save_owned
from coffeechat.network.duplicates import Candidate, candidates_for, find_duplicates
from coffeechat.network.models import (
    Channel,
    EmailAddress,
    Employment,
    Interaction,
    InteractionKind,
    Person,
    Source,
    Tie,
    TieKind,
)
from coffeechat.network.names import greeting_name, split_name
from coffeechat.network.normalize import email_key, name_key, organization_key
from coffeechat.network.services import (
    NewJob,
    create_person,
    organization_named,
    record_contact,
    record_job,
    save_person,
    validate_emails,
)

# Business days to write to a referral yourself, or to check the introduction happened.
WRITE_YOURSELF_DAYS = 2
CHECK_INTRODUCTION_DAYS = 5


def source_key(conversation: Conversation) -> str:
    """The timeline key of a conversation's interactions (one per participant)."""
    return f"conversations:conversation:{conversation.pk}"


# Reading ------------------------------------------------------------------------------


def with_people(queryset: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Conversations with their organization, posting and participants (with e-mails)."""
    return queryset.select_related("organization", "posting", "owner__profile").prefetch_related(
        Prefetch(
            "participants",
            queryset=Person.objects.order_by("participations__position", "pk").prefetch_related(
                "email_addresses"
            ),
        )
    )


def conversations_for_list(owner: Any) -> QuerySet[Conversation]:
    return with_people(owned(Conversation, owner))


def aware(day: date, at: time, zone_name: str) -> datetime:
    """``day`` at ``at`` in the named zone, as an aware datetime (UTC is stored)."""
    try:
        zone = zoneinfo.ZoneInfo(zone_name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"time_zone": f"Unknown time zone {zone_name!r}."}) from None
    return datetime.combine(day, at, tzinfo=zone)


@dataclass(frozen=True, slots=True)
class LocalTime:
    label: str
    zone: str
    at: datetime

    @property
    def text(self) -> str:
        """The time as shown in its own zone (templates would convert it to mine)."""
        return f"{self.at:%a} {self.at.day} {self.at:%b %Y, %H:%M}"


def local_times(conversation: Conversation, user: Any) -> list[LocalTime]:
    """The start in my zone and in each participant's zone that differs from mine."""
    mine = user_zone(user)
    found = [LocalTime("your time", str(mine), conversation.starts_at.astimezone(mine))]
    seen = {str(mine)}
    for person in conversation.participants.all():
        if not person.time_zone or person.time_zone in seen:
            continue
        try:
            zone = zoneinfo.ZoneInfo(person.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
        seen.add(person.time_zone)
        found.append(
            LocalTime(
                f"{person.first_name}'s time",
                person.time_zone,
                conversation.starts_at.astimezone(zone),
            )
        )
    return found


# Scheduling ---------------------------------------------------------------------------


def _check_people(owner: Any, people: Sequence[Person]) -> list[Person]:
    unique = list({p.pk: p for p in people}.values())
    if not unique:
        raise ValidationError({"people": "Choose at least one person to talk with."})
    ids = {p.pk for p in unique}
    if owned(Person, owner).filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"people": "There is no such person in your network."})
    return unique


def _default_organization(owner: Any, conversation: Conversation, people: Sequence[Person]) -> None:
    if conversation.organization_id is None and conversation.posting_id is not None:
        conversation.organization_id = conversation.posting.organization_id  # type: ignore[union-attr]
    if conversation.organization_id is None:
        job = (
            owned(Employment, owner)
            .filter(person_id=people[0].pk, is_current=True)
            .order_by("-start_date", "pk")
            .first()
        )
        if job is not None:
            conversation.organization_id = job.organization_id


def _notify(report: str, conversation: Conversation) -> None:
    conversation.invitation_report = report  # type: ignore[attr-defined]


@transaction.atomic
def schedule_conversation(
    owner: Any,
    conversation: Conversation,
    people: Sequence[Person],
    *,
    invite: bool = False,
    organization_name: str = "",
) -> Conversation:
    """Save a new conversation with ``people``, propose questions, and maybe invite them.

    ``organization_name`` finds (or creates) the organization by name; left empty, the
    organization is the posting's, or the first person's current employer.
    """
    people = _check_people(owner, people)
    if organization_name.strip():
        conversation.organization = organization_named(owner, organization_name)
    _default_organization(owner, conversation, people)
    conversation.status = Status.SCHEDULED
    save_owned(owner, conversation)
    Participant.objects.bulk_create(
        Participant(owner=owner, conversation=conversation, person=person, position=index)
        for index, person in enumerate(people)
    )
    choose_proposed_questions(owner, conversation, people[0].level)
    signals.conversation_scheduled.send(sender=Conversation, conversation=conversation)
    _notify(send_invitation(fresh(owner, conversation), REQUEST) if invite else "", conversation)
    return conversation


def fresh(owner: Any, conversation: Conversation) -> Conversation:
    """The conversation again, with its people, for calendar files and messages."""
    return conversations_for_list(owner).get(pk=conversation.pk)


@transaction.atomic
def update_conversation(
    owner: Any,
    conversation: Conversation,
    people: Sequence[Person] | None = None,
    *,
    organization_name: str = "",
    invite: bool | None = None,
) -> Conversation:
    """Save changed details; a changed time or length is a reschedule (SEQUENCE + 1)."""
    before = Conversation.objects.filter(pk=conversation.pk).values(
        "starts_at", "duration_minutes", "status"
    )[0]
    if organization_name.strip():
        conversation.organization = organization_named(owner, organization_name)
    moved = (
        before["starts_at"] != conversation.starts_at
        or before["duration_minutes"] != conversation.duration_minutes
    )
    if moved and before["status"] == Status.CANCELLED:
        raise ValidationError({"starts_at": "A cancelled conversation cannot be moved."})
    if moved:
        conversation.sequence += 1
    save_owned(owner, conversation)
    if people is not None:
        people = _check_people(owner, people)
        Participant.objects.filter(conversation=conversation).exclude(
            person_id__in=[p.pk for p in people]
        ).delete()
        existing = set(
            Participant.objects.filter(conversation=conversation).values_list(
                "person_id", flat=True
            )
        )
        for index, person in enumerate(people):
            if person.pk in existing:
                Participant.objects.filter(conversation=conversation, person=person).update(
                    position=index
                )
            else:
                Participant.objects.create(
                    owner=owner, conversation=conversation, person=person, position=index
                )
    report = ""
    if moved:
        signals.conversation_rescheduled.send(sender=Conversation, conversation=conversation)
        if invite or (invite is None and conversation.invitation_sent_at is not None):
            report = send_invitation(fresh(owner, conversation), REQUEST)
    elif invite:
        report = send_invitation(fresh(owner, conversation), REQUEST)
    _notify(report, conversation)
    return conversation


def reschedule_conversation(
    owner: Any,
    conversation: Conversation,
    starts_at: datetime,
    duration_minutes: int | None = None,
    *,
    time_zone: str | None = None,
    invite: bool | None = None,
) -> Conversation:
    """Move the conversation; an invitation already sent is sent again, updated."""
    if conversation.status == Status.CANCELLED:
        raise ValidationError({"starts_at": "A cancelled conversation cannot be moved."})
    conversation.starts_at = starts_at
    if duration_minutes is not None:
        conversation.duration_minutes = duration_minutes
    if time_zone is not None:
        conversation.time_zone = time_zone
    return update_conversation(owner, conversation, invite=invite)


@transaction.atomic
def cancel_conversation(
    owner: Any, conversation: Conversation, *, notify: bool | None = None
) -> Conversation:
    """Call it off; when an invitation went out (or ``notify``), send METHOD:CANCEL."""
    if conversation.status == Status.CANCELLED:
        return conversation
    if conversation.status == Status.HELD:
        raise ValidationError({"status": "This conversation already took place."})
    conversation.status = Status.CANCELLED
    conversation.sequence += 1
    conversation.save(update_fields=["status", "sequence", "updated_at"])
    signals.conversation_cancelled.send(sender=Conversation, conversation=conversation)
    report = ""
    if notify or (notify is None and conversation.invitation_sent_at is not None):
        report = send_invitation(fresh(owner, conversation), CANCEL)
    _notify(report, conversation)
    return conversation


def invite(owner: Any, conversation: Conversation) -> str:
    """Send (again) the invitation of a scheduled conversation, or its cancellation."""
    method = CANCEL if conversation.status == Status.CANCELLED else REQUEST
    return send_invitation(fresh(owner, conversation), method)


@transaction.atomic
def mark_held(owner: Any, conversation: Conversation) -> Conversation:
    """It took place: on each person's timeline, and their "last contacted" day."""
    if conversation.status == Status.CANCELLED:
        raise ValidationError({"status": "A cancelled conversation did not take place."})
    if conversation.status == Status.HELD:
        return conversation
    conversation.status = Status.HELD
    conversation.save(update_fields=["status", "updated_at"])
    people = list(conversation.participants.all())
    key = source_key(conversation)
    Interaction.objects.filter(owner=owner, source_key=key).delete()
    Interaction.objects.bulk_create(
        Interaction(
            owner=owner,
            person=person,
            occurred_at=conversation.starts_at,
            kind=InteractionKind.CONVERSATION,
            subject=f"{conversation.get_purpose_display()} conversation",
            source_key=key,
        )
        for person in people
    )
    record_contact(owner, people, conversation.starts_at.astimezone(user_zone(owner)).date())
    signals.conversation_held.send(sender=Conversation, conversation=conversation)
    return conversation


# During the conversation --------------------------------------------------------------


@transaction.atomic
def save_quick_notes(
    owner: Any,
    conversation: Conversation,
    notes: str,
    *,
    asked: Iterable[int] | None = None,
    closing: Mapping[str, bool] | None = None,
) -> Conversation:
    """The autosave of the "in conversation" page: notes, ticked questions, closing three."""
    conversation.quick_notes = notes
    conversation.notes_saved_at = timezone.now()
    fields = ["quick_notes", "notes_saved_at", "updated_at"]
    for name, value in (closing or {}).items():
        if name in {"said_interested", "asked_who_else", "asked_follow_up"}:
            setattr(conversation, name, bool(value))
            fields.append(name)
    conversation.save(update_fields=fields)
    if asked is not None:
        ids = set(asked)
        chosen = ChosenQuestion.objects.filter(owner=owner, conversation=conversation)
        chosen.filter(pk__in=ids).update(asked=True)
        chosen.exclude(pk__in=ids).update(asked=False)
    return conversation


# Questions ----------------------------------------------------------------------------


def choose_proposed_questions(owner: Any, conversation: Conversation, level: str) -> None:
    """Replace the questions not asked yet by the list proposed for ``level`` and purpose."""
    chosen = ChosenQuestion.objects.filter(owner=owner, conversation=conversation)
    chosen.filter(asked=False).delete()
    kept = set(chosen.values_list("builtin_key", flat=True))
    start = (chosen.aggregate(Max("position"))["position__max"] or 0) + 1
    ChosenQuestion.objects.bulk_create(
        ChosenQuestion(
            owner=owner,
            conversation=conversation,
            builtin_key=question.key,
            text=question.text,
            position=start + index,
        )
        for index, question in enumerate(
            q for q in propose(level, conversation.purpose) if q.key not in kept
        )
    )


def _next_position(conversation: Conversation) -> int:
    found = conversation.chosen_questions.aggregate(Max("position"))["position__max"]
    return 0 if found is None else found + 1


def add_builtin_question(owner: Any, conversation: Conversation, key: str) -> ChosenQuestion:
    question = BY_KEY.get(key)
    if question is None:
        raise ValidationError({"key": f"There is no built-in question {key!r}."})
    existing = conversation.chosen_questions.filter(builtin_key=key).first()
    if existing is not None:
        return existing
    return ChosenQuestion.objects.create(
        owner=owner,
        conversation=conversation,
        builtin_key=key,
        text=question.text,
        position=_next_position(conversation),
    )


def add_own_question(
    owner: Any,
    conversation: Conversation | None,
    text: str,
    *,
    topic: str = "advice",
    keep: bool = True,
    question: Question | None = None,
) -> ChosenQuestion | None:
    """Add a question of my own to a conversation; ``keep`` it in my bank too."""
    text = " ".join(text.split())
    if question is None:
        if not text:
            raise ValidationError({"text": "Write the question."})
        if keep:
            question = save_owned(owner, Question(text=text[:500], topic=topic))
    if conversation is None:
        return None
    return ChosenQuestion.objects.create(
        owner=owner,
        conversation=conversation,
        question=question,
        text=question.text if question is not None else text[:500],
        position=_next_position(conversation),
    )


def remove_chosen(owner: Any, chosen: ChosenQuestion) -> None:
    chosen.delete()


@transaction.atomic
def move_chosen(owner: Any, chosen: ChosenQuestion, step: int) -> None:
    """Move one question up (``step`` < 0) or down the conversation's list."""
    rows = list(ChosenQuestion.objects.filter(owner=owner, conversation_id=chosen.conversation_id))
    index = next(i for i, row in enumerate(rows) if row.pk == chosen.pk)
    target = max(0, min(len(rows) - 1, index + (1 if step > 0 else -1)))
    rows.insert(target, rows.pop(index))
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
    ChosenQuestion.objects.bulk_update(rows, ["position"])


@transaction.atomic
def set_chosen_order(owner: Any, conversation: Conversation, ids: Sequence[int]) -> None:
    """Put the conversation's questions in the order of ``ids`` (others after)."""
    rows = list(ChosenQuestion.objects.filter(owner=owner, conversation=conversation))
    rank = {pk: i for i, pk in enumerate(ids)}
    rows.sort(key=lambda r: (rank.get(r.pk, len(rank)), r.position, r.pk))
    for position, row in enumerate(rows):
        row.position = position
    ChosenQuestion.objects.bulk_update(rows, ["position"])


# Stories ------------------------------------------------------------------------------


def _words(*texts: str) -> set[str]:
    found: set[str] = set()
    for text in texts:
        for word in organization_key(text or "").split():
            if len(word) > 2:
                found.add(word)
    return found


def suggest_stories(
    stories: Sequence[Story], context: Iterable[str], limit: int = 3
) -> list[Story]:
    """Two or three stories whose skills and tags best match the organization and role."""
    wanted = _words(*context)

    def score(story: Story) -> int:
        own = _words(story.title, story.skills, story.tags, story.result)
        return len(own & wanted)

    ranked = sorted(stories, key=lambda s: (-score(s), s.title))
    matching = [s for s in ranked if score(s) > 0]
    return (matching or ranked)[:limit]


# Debrief ------------------------------------------------------------------------------


FOLLOW_UP_FIELDS = (
    "preferred_channel",
    "follow_up_wish",
    "keep_in_touch_days",
    "next_check_in_on",
    "may_keep_in_touch",
)


@transaction.atomic
def save_debrief(
    owner: Any,
    conversation: Conversation,
    *,
    notes: str = "",
    fit: str = "",
    fit_reason: str = "",
    told_them_fit: bool = False,
    learnings: Sequence[tuple[str, str]] | None = None,
    wishes: Mapping[int, Mapping[str, Any]] | None = None,
) -> Conversation:
    """Notes, fit, learnings by topic, and how each person wants to be followed up.

    ``learnings`` (topic, text) replace the conversation's; ``wishes`` maps a
    participant's id to the follow-up fields stored on the person.
    """
    if fit and fit not in Fit.values:
        raise ValidationError({"fit": f"Unknown fit {fit!r}."})
    if conversation.status == Status.CANCELLED:
        raise ValidationError({"status": "A cancelled conversation has no debrief."})
    if conversation.status == Status.SCHEDULED:
        mark_held(owner, conversation)
    conversation.debrief_notes = notes
    conversation.fit = fit
    conversation.fit_reason = fit_reason
    conversation.told_them_fit = told_them_fit
    conversation.debriefed_at = timezone.now()
    conversation.save(
        update_fields=[
            "debrief_notes",
            "fit",
            "fit_reason",
            "told_them_fit",
            "debriefed_at",
            "updated_at",
        ]
    )
    if learnings is not None:
        rows = []
        for topic, text in learnings:
            if topic not in Topic.values:
                raise ValidationError({"learnings": f"Unknown topic {topic!r}."})
            if text.strip():
                rows.append(
                    Learning(owner=owner, conversation=conversation, topic=topic, text=text.strip())
                )
        Learning.objects.filter(owner=owner, conversation=conversation).delete()
        Learning.objects.bulk_create(rows)
    if wishes:
        people = {p.pk: p for p in conversation.participants.all()}
        for person_id, values in wishes.items():
            person = people.get(int(person_id))
            if person is None:
                raise ValidationError(
                    {"wishes": f"Person {person_id} is not in this conversation."}
                )
            for field in FOLLOW_UP_FIELDS:
                if field in values:
                    setattr(person, field, values[field])
            if person.preferred_channel and person.preferred_channel not in Channel.values:
                raise ValidationError({"preferred_channel": "Unknown channel."})
            save_person(owner, person)
    signals.debrief_saved.send(sender=Conversation, conversation=conversation)
    return conversation


# Referrals ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonMatch:
    person: Person
    reason: str


def match_person(
    owner: Any, first_name: str, last_name: str, email: str = "", organization_name: str = ""
) -> PersonMatch | None:
    """The person already in the network that this name (and e-mail) most likely is."""
    if email:
        address = (
            EmailAddress.objects.filter(owner=owner, email__iexact=email.strip())
            .select_related("person")
            .first()
        )
        if address is not None:
            return PersonMatch(address.person, f"same e-mail address {address.email}")
    candidates = candidates_for(owner)
    new = Candidate(
        id=-1,
        first_name=first_name,
        last_name=last_name,
        emails=frozenset({email_key(email)} if email else ()),
        organizations=frozenset({organization_key(organization_name)} if organization_name else ()),
        organization_names={organization_key(organization_name): organization_name}
        if organization_name
        else {},
    )
    matches = find_duplicates([new], against=candidates)
    if matches:
        best = matches[0]
        return PersonMatch(owned(Person, owner).get(pk=best.b), "; ".join(best.reasons))
    key = name_key(first_name, last_name)
    same = [c for c in candidates if name_key(c.first_name, c.last_name) == key]
    if organization_name:
        org = organization_key(organization_name)
        at_org = [c for c in same if org in c.organizations]
        same = at_org or same
    if len(same) == 1:
        return PersonMatch(owned(Person, owner).get(pk=same[0].id), "the same name")
    return None


@transaction.atomic
def add_referral(
    owner: Any,
    conversation: Conversation,
    *,
    referred_by: Person,
    name: str = "",
    person: Person | None = None,
    email: str = "",
    organization_name: str = "",
    title: str = "",
    has_hiring_authority: bool = False,
    will_introduce: bool = False,
    note: str = "",
    follow_up_on: date | None = None,
) -> Referral:
    """A name received in a conversation: matched to a person or created, with a tie.

    A new person is created by the network's :func:`create_person`, with the same
    name, e-mail and LinkedIn rules as everywhere, and their job (``title``, and
    whether they hire) at ``organization_name``; a matched person gets that job
    recorded or completed. The tie is yours to the new person, of kind "referred",
    introduced by the person who gave the name, so warm paths and referral chains
    see the new link. The follow-up date defaults to two business days (write
    yourself) or five (check that the introduction happened).
    """
    if not conversation.participants.filter(pk=referred_by.pk).exists():
        raise ValidationError({"referred_by": "Only someone in this conversation can refer you."})
    emails = validate_emails([email], field="email")
    job = NewJob(organization_name, title=title, has_hiring_authority=has_hiring_authority)
    matched = False
    reason = ""
    if person is None:
        parts = split_name(name)
        if not parts.first:
            raise ValidationError({"name": "Write the name you were given."})
        found = match_person(
            owner, parts.first, parts.last, emails[0] if emails else "", organization_name
        )
        if found is not None:
            person, matched, reason = found.person, True, found.reason
        else:
            person = create_person(
                owner,
                first_name=parts.first,
                last_name=parts.last,
                emails=emails,
                job=job,
                source=Source.REFERRAL,
                notes=f"Referred by {referred_by.full_name}.",
            )
    else:
        matched = True
        if person.owner_id != owner.pk:
            raise ValidationError({"person": "There is no such person in your network."})
    if person.pk == referred_by.pk:
        raise ValidationError({"name": "That is the person who referred you."})
    if matched:
        record_job(owner, person, job)
    if follow_up_on is None:
        days = CHECK_INTRODUCTION_DAYS if will_introduce else WRITE_YOURSELF_DAYS
        follow_up_on = add_business_days(local_today(owner), days, user_country(owner))
    if (
        not owned(Tie, owner)
        .filter(from_person__isnull=True, to_person=person, introduced_by=referred_by)
        .exists()
    ):
        save_owned(
            owner,
            Tie(
                from_person=None,
                to_person=person,
                kind=TieKind.REFERRED,
                strength=2,
                introduced_by=referred_by,
                since=local_today(owner),
                note=f"Referred in a conversation on {conversation.starts_at:%Y-%m-%d}.",
            ),
        )
    referral = save_owned(
        owner,
        Referral(
            conversation=conversation,
            referred_by=referred_by,
            person=person,
            will_introduce=will_introduce,
            note=note,
            follow_up_on=follow_up_on,
        ),
    )
    Referral.objects.filter(pk=referral.pk).update(matched_existing=matched)
    referral.matched_existing = matched
    referral.match_reason = reason  # type: ignore[attr-defined]
    return referral


# Rows that describe a person rather than attach them to anything: a person created by a
# referral comes with an e-mail address and a job, and they go with the person.
PERSON_DETAILS = frozenset({"email_addresses", "phone_numbers", "employments"})
# How the other rows that point at a person are named to the user.
ATTACHMENT_NAMES: dict[str, str] = {
    "participations": "conversations",
    "referrals_given": "referrals they gave you",
    "referrals_received": "other referrals",
    "ties_out": "ties",
    "ties_in": "ties",
    "introductions": "introductions",
    "interactions": "timeline entries",
    "listed_postings": "postings",
    "referred_applications": "applications",
    "promises": "promises",
    "follow_ups": "follow-ups",
    "messages": "messages",
    "memberships": "memberships",
}


def _referral_ties(owner: Any, referral: Referral) -> QuerySet[Tie]:
    """The "referred" tie :func:`add_referral` made for this name and introducer."""
    return Tie.objects.filter(
        owner=owner,
        from_person__isnull=True,
        to_person_id=referral.person_id,
        introduced_by_id=referral.referred_by_id,
        kind=TieKind.REFERRED,
    )


def person_attachments(owner: Any, referral: Referral) -> list[str]:
    """What else the referred person has, besides this referral and its tie (one query).

    Empty means the person was created by this referral and nothing else refers to
    them yet, so they may be offered for deletion with it. A person the referral
    matched (already in the network) always has something else: themselves.
    """
    if referral.matched_existing:
        return ["they were already in your network"]
    own_ties = _referral_ties(owner, referral).values("pk")
    checks: dict[str, Exists] = {}
    for relation in Person._meta.related_objects:
        if relation.many_to_many or relation.name in PERSON_DETAILS:
            continue  # conversations are counted through participations
        rows = relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
        if relation.name == "referrals_received":
            rows = rows.exclude(pk=referral.pk)
        elif relation.name == "ties_in":
            rows = rows.exclude(pk__in=own_ties)
        checks[f"has_{relation.name}"] = Exists(rows)
    found = (
        Person.objects.filter(owner=owner, pk=referral.person_id)
        .annotate(**checks)
        .values()
        .first()
    )
    if found is None:
        return []
    names = [
        ATTACHMENT_NAMES.get(key[4:], key[4:].replace("_", " ")) for key in checks if found.get(key)
    ]
    return list(dict.fromkeys(names))


@transaction.atomic
def update_referral(
    owner: Any,
    referral: Referral,
    *,
    will_introduce: bool | None = None,
    note: str | None = None,
    follow_up_on: date | None = None,
    clear_follow_up: bool = False,
) -> Referral:
    """Change what was agreed about a referral: who writes, the note, the follow-up date.

    The name, who gave it and the conversation stay: a wrong one is deleted and added
    again, so that the person and their tie stay right.
    """
    if will_introduce is not None:
        referral.will_introduce = will_introduce
    if note is not None:
        referral.note = note[:500]
    if follow_up_on is not None or clear_follow_up:
        referral.follow_up_on = follow_up_on
    return save_owned(owner, referral)


@transaction.atomic
def delete_referral(owner: Any, referral: Referral, *, delete_person: bool = False) -> bool:
    """Remove a referral entered by mistake, and the "referred" tie it made.

    The tie stays while another referral of the same name by the same person needs it.
    The person stays unless ``delete_person`` is asked for; that is refused (nothing is
    deleted) when they have anything else (:func:`person_attachments`). Returns
    whether the person was deleted.
    """
    person = referral.person
    if delete_person:
        attached = person_attachments(owner, referral)
        if attached:
            raise ValidationError(
                {
                    "delete_person": f"{person.full_name} stays in your network: they also "
                    f"have {', '.join(attached)}."
                }
            )
    ties = _referral_ties(owner, referral)
    referral.delete()
    if not Referral.objects.filter(
        owner=owner, person_id=referral.person_id, referred_by_id=referral.referred_by_id
    ).exists():
        ties.delete()
    if delete_person:
        person.delete()
    return delete_person


# Promises -----------------------------------------------------------------------------


def add_promise(
    owner: Any,
    conversation: Conversation,
    *,
    direction: str,
    text: str,
    person: Person | None = None,
    due_on: date | None = None,
) -> Promise:
    return save_promise(
        owner,
        Promise(
            conversation=conversation,
            direction=direction,
            text=text,
            person=person,
            due_on=due_on,
        ),
    )


def save_promise(owner: Any, promise: Promise) -> Promise:
    """Create or change a promise; whoever made it (or is owed it) is in the conversation.

    The page, the API and the CLI all come here: a person who is not one of the
    conversation's participants is refused, naming the field ``person``.
    """
    if promise.direction not in PromiseDirection.values:
        raise ValidationError({"direction": "Say who promised: mine or theirs."})
    check_references_owned(promise, owner)  # another user's conversation or person: none
    if (
        promise.person_id is not None
        and not Participant.objects.filter(
            owner=owner, conversation_id=promise.conversation_id, person_id=promise.person_id
        ).exists()
    ):
        raise ValidationError(
            {
                "person": f"Person {promise.person_id} is not one of this conversation's "
                "participants."
            }
        )
    promise.text = " ".join(promise.text.split())[:500]
    return save_owned(owner, promise)


def set_promise_done(owner: Any, promise: Promise, done: bool = True) -> Promise:
    promise.done = done
    promise.save(update_fields=["done", "updated_at"])
    return promise


# Thank-you notes ----------------------------------------------------------------------


def thank_you_context(conversation: Conversation, person: Person) -> dict[str, str]:
    """What a thank-you note to ``person`` can say, from the conversation (all strings).

    Keys: ``conversation_date``, ``conversation_topic``, ``learned`` (one thing I
    learned, theirs first), ``referred_names`` and ``referred_by`` (whom they passed me
    to), ``promise_mine`` (what I promised them), ``organization``, ``first_name``.
    """
    learnings = list(conversation.learnings.all())
    referrals = [r for r in conversation.referrals.all() if r.referred_by_id == person.pk]
    promises = [
        p
        for p in conversation.promises.all()
        if p.direction == PromiseDirection.MINE and p.person_id in (None, person.pk)
    ]
    local = timezone.localtime(conversation.starts_at, user_zone(conversation.owner))
    topic = conversation.get_purpose_display().lower()
    if conversation.organization is not None:
        topic = f"{topic} conversation about your work at {conversation.organization.name}"
    else:
        topic = f"{topic} conversation"
    names = [r.person.full_name for r in referrals]
    return {
        "first_name": greeting_name(person.first_name, person.last_name),
        "conversation_date": date_format(local.date(), "j F Y"),
        "conversation_topic": topic,
        "organization": conversation.organization.name if conversation.organization else "",
        "learned": learnings[0].text if learnings else "",
        "referred_names": ", ".join(names),
        "referred_by": person.full_name if names else "",
        "promise_mine": "; ".join(p.text for p in promises),
    }


def thank_you_url(conversation: Conversation, person: Person) -> str | None:
    """The outreach composer, prefilled for a thank-you to ``person``; None without it."""
    try:
        base = reverse("outreach:compose")
    except NoReverseMatch:
        return None
    query = {"person": person.pk, "purpose": "thank_you", "conversation": conversation.pk}
    return f"{base}?{urlencode(query)}"


def thank_you_text(context: Mapping[str, str]) -> str:
    """A plain draft from :func:`thank_you_context`, to copy when there is no composer."""
    lines = [
        f"Dear {context['first_name']},",
        "",
        f"Thank you for the {context['conversation_topic']} on {context['conversation_date']}.",
    ]
    if context.get("learned"):
        lines.append(f"One thing I keep thinking about: {context['learned']}")
    if context.get("referred_names"):
        lines.append(
            f"Thank you also for suggesting I talk to {context['referred_names']}; "
            "I will let you know how it goes."
        )
    if context.get("promise_mine"):
        lines.append(f"As promised: {context['promise_mine']}")
    return "\n".join(lines)


# Thanking the people who introduced you -------------------------------------------------

FIT_SENTENCES: dict[str, str] = {
    Fit.STRONG: "It left me more certain that {where} is a strong fit for me.",
    Fit.UNSURE: "I am still weighing whether {where} is the right fit for me.",
    Fit.NOT_A_FIT: (
        "It showed me that {where} is not the right fit for me, which is a useful answer too."
    ),
}


def introducer_thanks_context(
    conversation: Conversation, introducer: Person
) -> dict[str, str] | None:
    """What a thank-you to ``introducer`` can say about a conversation they led you to
    (all strings), or None when they did not pass you on toward anyone in it.

    For you → Rosa → Marco → Lena and a conversation with Lena: to Rosa, ``passed_to``
    is Marco and ``talked_with`` Lena; to Marco, both are Lena. ``how_it_went`` holds
    only what the debrief recorded: a learning, the fit, whom they suggested next.
    """
    from coffeechat.conversations.chains import introducers

    participants = list(conversation.participants.all())
    if introducer.pk in {p.pk for p in participants}:
        return None  # they took part: the usual thank-you
    chains = introducers(conversation.owner, [p.pk for p in participants])
    for person in participants:
        chain = chains[person.pk]
        if introducer.pk not in chain:
            continue
        index = chain.index(introducer.pk)
        passed_to = person
        if index > 0:
            passed_to = owned(Person, conversation.owner).get(pk=chain[index - 1])
        context = thank_you_context(conversation, person)
        where = context["organization"] or "this work"
        went = []
        if context["learned"]:
            went.append(f"What stayed with me most: {context['learned'].rstrip('.')}.")
        if conversation.fit in FIT_SENTENCES:
            went.append(FIT_SENTENCES[conversation.fit].format(where=where))
        if context["referred_names"]:
            names = context["referred_names"]
            went.append(f"{person.first_name} also suggested I talk to {names}.")
        return {
            "first_name": introducer.first_name or introducer.full_name,
            "passed_to": passed_to.full_name,
            "talked_with": person.full_name,
            "talked_with_first_name": person.first_name or person.full_name,
            "conversation_date": context["conversation_date"],
            "how_it_went": " ".join(went),
        }
    return None


def introducer_thanks_text(context: Mapping[str, str]) -> tuple[str, str]:
    """(subject, body) of a thank-you to an introducer, from
    :func:`introducer_thanks_context`; the composer adds the signature."""
    talked_with = context["talked_with"]
    if context["passed_to"] == talked_with:
        opening = (
            f"Thank you for introducing me to {talked_with}. "
            f"We talked on {context['conversation_date']}."
        )
    else:
        opening = (
            f"Thank you for introducing me to {context['passed_to']}. That introduction led "
            f"me on to {talked_with}, and we talked on {context['conversation_date']}."
        )
    lines = [f"Dear {context['first_name']},", "", opening]
    if context.get("how_it_went"):
        lines += ["", f"How it went: {context['how_it_went']}"]
    lines += ["", "I will keep you posted on what comes of it.", "", "With thanks,"]
    return f"Thank you for the introduction to {context['passed_to']}", "\n".join(lines)
