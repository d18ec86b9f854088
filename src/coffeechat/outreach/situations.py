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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from coffeechat.conversations.models import Conversation, Participant
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.core.calendar import local_today, user_zone
from coffeechat.core.scoping import owned
from coffeechat.network.connections import Footing, footings
from coffeechat.network.models import Employment, Organization, Person
from coffeechat.outreach.models import Message, Purpose
from coffeechat.outreach.models import Status as MessageStatus
from coffeechat.outreach.requests import to_schedule
from coffeechat.targets.models import (
    OPEN_STATUSES,
    SENT_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Posting,
    PostingStatus,
)
from coffeechat.targets.paths import HIRING_WORDS, NOT_HIRING_WORDS

APPLIED_THERE = "applied_there"
APPLY_NOW = "apply_now"
ASK_FOR_FEEDBACK = "ask_for_feedback"

# Which situation leads when several apply to one person: its purpose is proposed.
PRECEDENCE = (ASK_FOR_FEEDBACK, APPLY_NOW, APPLIED_THERE)

# A conversation that started less than this long ago still counts as coming up.
PENDING_GRACE_HOURS = 12
# Today lists a rejection after an interview for this long, until feedback is asked.
FEEDBACK_WINDOW_DAYS = 60


@dataclass(frozen=True, slots=True)
class Situation:
    kind: str
    title: str
    advice: str
    organization_id: int
    organization: str
    person_id: int | None = None
    person: str = ""
    application_id: int | None = None
    posting_id: int | None = None
    # The message it calls for, and the one click that drafts it (or finds whom to ask).
    purpose: str = ""
    action: str = ""
    action_url: str = ""
    # Apply now: where to record the application.
    record_url: str = ""

    @property
    def sentence(self) -> str:
        return f"{self.title}. {self.advice}"


def compose_url(person_id: int, **params: Any) -> str:
    """The composer for ``person_id``, prefilled with ``params`` (empty ones left out)."""
    query = {"person": person_id, **{k: v for k, v in params.items() if v not in (None, "")}}
    return f"{reverse('outreach:compose')}?{urlencode(query)}"


# Queries ------------------------------------------------------------------------------


def _interviewed(application: Any) -> QuerySet[ApplicationEvent]:
    return ApplicationEvent.objects.filter(
        application=application, status=ApplicationStatus.INTERVIEWING
    )


def _with_history(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("organization", "posting", "referred_by").annotate(
        had_interview=Exists(_interviewed(OuterRef("pk")))
    )


def applications_at(owner: Any, organization: Organization | int) -> list[Application]:
    """Applications you have sent to ``organization`` (newest first): mention them."""
    org_id = organization if isinstance(organization, int) else organization.pk
    return list(
        _with_history(owned(Application, owner))
        .filter(organization_id=org_id, status__in=SENT_STATUSES)
        .order_by("-applied_on", "-pk")
    )


def pending_conversations(owner: Any, person_ids: Iterable[int]) -> dict[int, str]:
    """People you are about to talk to, with why (upcoming or requested conversations).

    A conversation counts when it is scheduled and not over yet; the reason names its
    date, e.g. "your conversation on 3 October". A conversation you asked for, that
    they answered, and that is not scheduled yet counts too ("the conversation you
    asked for on 1 October (they replied; to schedule)"); the rule is in
    :mod:`coffeechat.outreach.requests`.
    """
    ids = set(person_ids)
    if not ids:
        return {}
    found: dict[int, str] = {}
    zone = user_zone(owner)
    since = timezone.now() - timedelta(hours=PENDING_GRACE_HOURS)
    for person_id, starts_at in (
        Participant.objects.filter(
            owner=owner,
            person_id__in=ids,
            conversation__status=ConversationStatus.SCHEDULED,
            conversation__starts_at__gte=since,
        )
        .order_by("conversation__starts_at")
        .values_list("person_id", "conversation__starts_at")
    ):
        if person_id not in found:
            local = timezone.localtime(starts_at, zone)
            found[person_id] = f"your conversation on {date_format(local.date(), 'j F')}"
    for message in to_schedule(owner, sorted(ids)):
        if message.person_id not in found:
            local = timezone.localtime(message.sent_at or message.created_at, zone)
            found[message.person_id] = (
                f"the conversation you asked for on {date_format(local.date(), 'j F')} "
                "(they replied; to schedule)"
            )
    return found


def managers_at(owner: Any, organization_ids: Iterable[int]) -> dict[int, list[Person]]:
    """Current staff with hiring authority at each organization (or suggested by title)."""
    jobs = (
        owned(Employment, owner)
        .filter(organization_id__in=list(organization_ids), is_current=True)
        .select_related("person")
        .order_by("-has_hiring_authority", "person__last_name", "pk")
    )
    flagged: dict[int, list[Person]] = {}
    suggested: dict[int, list[Person]] = {}
    for job in jobs:
        if job.person.do_not_contact:
            continue
        if job.has_hiring_authority:
            flagged.setdefault(job.organization_id, []).append(job.person)
        elif any(
            HIRING_WORDS.search(text) and not NOT_HIRING_WORDS.search(text)
            for text in (job.title, job.department)
        ):
            suggested.setdefault(job.organization_id, []).append(job.person)
    return {
        org_id: flagged.get(org_id) or suggested.get(org_id, [])
        for org_id in set(flagged) | set(suggested)
    }


# Wording ------------------------------------------------------------------------------


def _day(value: Any) -> str:
    return date_format(value, "j M Y") if value else "recently"


def _applied(application: Application) -> str:
    status = application.get_status_display().lower()
    return f"{application.role_title} ({status}, applied {_day(application.applied_on)})"


def _applied_there(
    applications: list[Application], organization: Organization, person: Person | None
) -> Situation:
    listed = "; ".join(_applied(a) for a in applications[:3])
    who = person.first_name if person is not None else "anyone there"
    active = any(a.status in OPEN_STATUSES for a in applications)
    advice = (
        f"If you write to {who}, say so in the first lines: networking while you apply is "
        "fine, hiding the application is not. Ask for information, not for the job."
        if active
        else f"If you write to {who}, mention it plainly; the conversation can still be "
        "about their work and what the team needs."
    )
    action = action_url = ""
    if person is not None:
        action = f"Write to {person.first_name or person.full_name}, saying you applied"
        action_url = compose_url(
            person.pk,
            purpose=Purpose.AFTER_APPLYING,
            organization=organization.pk,
            application=applications[0].pk,
        )
    return Situation(
        APPLIED_THERE,
        f"You applied to {organization.name}: {listed}",
        advice,
        organization.pk,
        organization.name,
        person_id=person.pk if person else None,
        person=person.full_name if person else "",
        application_id=applications[0].pk,
        purpose=Purpose.AFTER_APPLYING,
        action=action,
        action_url=action_url,
    )


def _apply_now(
    posting: Posting, contact: Person, why: str, application: Application | None
) -> Situation:
    org = posting.organization
    first = contact.first_name or contact.full_name
    if application is not None:
        title = f"{contact.full_name} is the contact for “{posting.title}”, which you applied for"
        advice = (
            f"Tell {first} you applied before you talk ({why}); keep the "
            "conversation informational and let the application speak for the job."
        )
        action = f"Tell {first} you applied"
    else:
        title = f"{contact.full_name} is the listed contact of an open posting: “{posting.title}”"
        advice = (
            f"Apply now, then tell {first} you did before your conversation "
            f"({why}), and keep the conversation informational."
        )
        action = f"Draft the note telling {first}"
    return Situation(
        APPLY_NOW,
        title,
        advice,
        org.pk,
        org.name,
        person_id=contact.pk,
        person=contact.full_name,
        application_id=application.pk if application is not None else None,
        posting_id=posting.pk,
        purpose=Purpose.AFTER_APPLYING,
        action=action,
        action_url=compose_url(
            contact.pk,
            purpose=Purpose.AFTER_APPLYING,
            organization=org.pk,
            posting=posting.pk,
            application=application.pk if application is not None else None,
        ),
        record_url=""
        if application is not None
        else f"{reverse('targets:application-create')}?{urlencode({'posting': posting.pk})}",
    )


def _ask_for_feedback(application: Application, managers: list[Person]) -> Situation:
    org = application.organization
    if managers:
        manager = managers[0]
        advice = (
            f"Ask {manager.full_name} for a short feedback conversation — five minutes on what "
            "the successful candidate had that you lacked. To learn, never to argue; and say "
            "you are still interested if you are."
        )
        action = f"Ask {manager.first_name or manager.full_name} for feedback"
        action_url = compose_url(
            manager.pk,
            purpose=Purpose.REJECTION_FEEDBACK,
            organization=org.pk,
            application=application.pk,
        )
    else:
        manager = None
        advice = (
            "Ask the hiring manager for a short feedback conversation — five minutes on what "
            "the successful candidate had that you lacked. Nobody there is marked as hiring "
            "yet: find out who made the decision."
        )
        action = f"Find who decided at {org.name}"
        action_url = reverse("network:organization-detail", kwargs={"organization_id": org.pk})
    return Situation(
        ASK_FOR_FEEDBACK,
        f"Rejected after interviewing for {application.role_title} at {org.name}",
        advice,
        org.pk,
        org.name,
        person_id=manager.pk if manager else None,
        person=manager.full_name if manager else "",
        application_id=application.pk,
        purpose=Purpose.REJECTION_FEEDBACK,
        action=action,
        action_url=action_url,
    )


def _rejected_after_interview(application: Application) -> bool:
    return application.status == ApplicationStatus.REJECTED and bool(
        getattr(application, "had_interview", False)
    )


# Per page ------------------------------------------------------------------------------


def _open_postings(owner: Any, condition: Q) -> list[Posting]:
    return list(
        owned(Posting, owner)
        .filter(condition, status=PostingStatus.OPEN, contact__isnull=False)
        .select_related("organization", "contact")
        .prefetch_related(
            Prefetch(
                "applications",
                queryset=Application.objects.filter(status__in=SENT_STATUSES).order_by(
                    "-applied_on", "-pk"
                ),
                to_attr="sent_applications",
            )
        )
        .order_by("organization__name", "title", "pk")
    )


def _sent_application(posting: Posting) -> Application | None:
    sent: list[Application] = getattr(posting, "sent_applications", [])
    return sent[0] if sent else None


def situations_for_organization(owner: Any, organization: Organization) -> list[Situation]:
    found: list[Situation] = []
    applications = applications_at(owner, organization)
    if applications:
        found.append(_applied_there(applications, organization, None))
    postings = [
        p for p in _open_postings(owner, Q(organization=organization)) if p.contact is not None
    ]
    pending = pending_conversations(owner, [p.contact_id for p in postings if p.contact_id])
    for posting in postings:
        if posting.contact is not None and posting.contact_id in pending:
            found.append(
                _apply_now(
                    posting,
                    posting.contact,
                    pending[posting.contact_id],
                    _sent_application(posting),
                )
            )
    rejected = [a for a in applications if _rejected_after_interview(a)]
    if rejected:
        managers = managers_at(owner, [organization.pk]).get(organization.pk, [])
        found.extend(_ask_for_feedback(a, managers) for a in rejected)
    return found


def _for_people(owner: Any, people: list[Person]) -> dict[int, list[Situation]]:
    """What to keep in mind before contacting each of ``people``, in a fixed number of
    queries whatever their number."""
    found: dict[int, list[Situation]] = {person.pk: [] for person in people}
    if not found:
        return found
    employers: dict[int, set[int]] = {}
    for person_id, org_id in (
        owned(Employment, owner)
        .filter(person_id__in=list(found), is_current=True)
        .values_list("person_id", "organization_id")
    ):
        employers.setdefault(person_id, set()).add(org_id)
    org_ids = {org_id for orgs in employers.values() for org_id in orgs}
    applications = (
        list(
            _with_history(owned(Application, owner))
            .filter(organization_id__in=org_ids, status__in=SENT_STATUSES)
            .order_by("-applied_on", "-pk")
        )
        if org_ids
        else []
    )
    by_org: dict[int, list[Application]] = {}
    for application in applications:
        by_org.setdefault(application.organization_id, []).append(application)
    postings = _open_postings(owner, Q(contact_id__in=list(found)))
    pending = pending_conversations(owner, {p.contact_id for p in postings if p.contact_id})
    rejected = [a for a in applications if _rejected_after_interview(a)]
    managers = managers_at(owner, {a.organization_id for a in rejected}) if rejected else {}
    for person in people:
        own = found[person.pk]
        works_at = employers.get(person.pk, set())
        for org_id, org_applications in by_org.items():
            if org_id in works_at:
                own.append(
                    _applied_there(org_applications, org_applications[0].organization, person)
                )
        if person.pk in pending:
            own.extend(
                _apply_now(p, person, pending[person.pk], _sent_application(p))
                for p in postings
                if p.contact_id == person.pk
            )
        for application in rejected:
            people_there = managers.get(application.organization_id, [])
            if application.organization_id in works_at and any(
                m.pk == person.pk for m in people_there
            ):
                own.append(_ask_for_feedback(application, [person]))
    return found


def situations_for_person(owner: Any, person: Person) -> list[Situation]:
    """What to keep in mind before contacting ``person``."""
    return _for_people(owner, [person])[person.pk]


def situations_for_posting(owner: Any, posting: Posting) -> list[Situation]:
    """The situations at the posting's organization that concern it or its contact."""
    if posting.contact is not None:
        found = situations_for_person(owner, posting.contact)
    else:
        found = situations_for_organization(owner, posting.organization)
    return [
        s
        for s in found
        if s.organization_id == posting.organization_id and s.posting_id in (None, posting.pk)
    ]


def situations_for_conversation(owner: Any, conversation: Conversation) -> list[Situation]:
    """The situations of everyone taking part in ``conversation``."""
    people = list(conversation.participants.all())
    by_person = _for_people(owner, people)
    return [s for person in people for s in by_person[person.pk]]


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def _people_there(found: Iterable[Footing], organization: str) -> str:
    """ "You know 2 people at Acme": only those the data shows you know (network.connections)."""
    found = list(found)
    known = sum(1 for f in found if f.is_known)
    shared = sum(1 for f in found if not f.is_known and f.shares_affiliation)
    if known and shared:
        return f"You know {_people(known)} at {organization}, and share a group with {shared} more"
    if known:
        return f"You know {_people(known)} at {organization}"
    if shared:
        return f"You share a school or group with {_people(shared)} at {organization}"
    there = f"{_people(len(found))} there {'is' if len(found) == 1 else 'are'} in your network"
    return f"Nobody you know at {organization} yet ({there})"


def situations_for_application(owner: Any, application: Application) -> list[Situation]:
    found: list[Situation] = []
    organization = application.organization
    if application.is_sent:
        staff = set(
            owned(Employment, owner)
            .filter(organization=organization, is_current=True)
            .values_list("person_id", flat=True)
        )
        if staff:
            found.append(
                Situation(
                    APPLIED_THERE,
                    _people_there(footings(owner, staff).values(), organization.name),
                    "When you contact any of them, say upfront that you applied for "
                    f"{application.role_title}; ask for information, not for the job.",
                    organization.pk,
                    organization.name,
                    application_id=application.pk,
                    purpose=Purpose.AFTER_APPLYING,
                )
            )
    posting = application.posting
    if posting is not None and posting.contact is not None and posting.is_open:
        pending = pending_conversations(owner, [posting.contact.pk])
        if posting.contact.pk in pending:
            found.append(
                _apply_now(
                    posting,
                    posting.contact,
                    pending[posting.contact.pk],
                    application if application.is_sent else None,
                )
            )
    annotated = _with_history(owned(Application, owner)).filter(pk=application.pk).first()
    if annotated is not None and _rejected_after_interview(annotated):
        managers = managers_at(owner, [organization.pk]).get(organization.pk, [])
        found.append(_ask_for_feedback(annotated, managers))
    return found


def situations_for(
    owner: Any, subject: Person | Organization | Posting | Application | Conversation
) -> list[Situation]:
    """The situations a page about ``subject`` shows, each with its one-click action."""
    if isinstance(subject, Person):
        return situations_for_person(owner, subject)
    if isinstance(subject, Organization):
        return situations_for_organization(owner, subject)
    if isinstance(subject, Posting):
        return situations_for_posting(owner, subject)
    if isinstance(subject, Application):
        return situations_for_application(owner, subject)
    return situations_for_conversation(owner, subject)


# The composer's proposal and the Today list ---------------------------------------------


def leading(found: Iterable[Situation]) -> Situation | None:
    """The situation whose purpose is proposed when several apply."""
    ranked = [s for s in found if s.purpose and s.kind in PRECEDENCE]
    return min(ranked, key=lambda s: PRECEDENCE.index(s.kind), default=None)


def lead_situation(
    owner: Any, person: Person, organization: Organization | None = None
) -> Situation | None:
    """The situation that sets the purpose of a message to ``person`` (about
    ``organization`` when given), or None when no situation applies."""
    found = situations_for_person(owner, person)
    if organization is not None:
        found = [s for s in found if s.organization_id == organization.pk]
        if not found:
            applications = applications_at(owner, organization)
            if applications:
                found = [_applied_there(applications, organization, person)]
    return leading(found)


def open_situations(owner: Any, now: Any = None) -> list[Situation]:
    """Situations still waiting for their message, for the Today list: an open
    posting's contact you are about to talk to and have not told that you applied,
    and recent rejections after an interview with no feedback asked yet."""
    found: list[Situation] = []
    postings = _open_postings(owner, Q())
    pending = pending_conversations(owner, {p.contact_id for p in postings if p.contact_id})
    told = (
        set(
            owned(Message, owner)
            .filter(person_id__in=list(pending), purpose=Purpose.AFTER_APPLYING)
            .exclude(status=MessageStatus.DRAFT)
            .values_list("person_id", flat=True)
        )
        if pending
        else set()
    )
    for posting in postings:
        contact = posting.contact
        if contact is not None and contact.pk in pending and contact.pk not in told:
            found.append(
                _apply_now(posting, contact, pending[contact.pk], _sent_application(posting))
            )
    since = local_today(owner, now) - timedelta(days=FEEDBACK_WINDOW_DAYS)
    rejected_on = ApplicationEvent.objects.filter(
        application=OuterRef("pk"), status=ApplicationStatus.REJECTED
    ).order_by("-on")
    asked = Message.objects.filter(
        owner=owner,
        organization_id=OuterRef("organization_id"),
        purpose=Purpose.REJECTION_FEEDBACK,
    ).exclude(status=MessageStatus.DRAFT)
    rejected = list(
        _with_history(owned(Application, owner))
        .filter(status=ApplicationStatus.REJECTED)
        .filter(Exists(_interviewed(OuterRef("pk"))))
        .annotate(rejected_on=Subquery(rejected_on.values("on")[:1]))
        .filter(rejected_on__gte=since)
        .exclude(Exists(asked))
        .order_by("-rejected_on", "-pk")
    )
    managers = managers_at(owner, {a.organization_id for a in rejected}) if rejected else {}
    found.extend(_ask_for_feedback(a, managers.get(a.organization_id, [])) for a in rejected)
    return found
