"""The situations of a page's subject (a person, an organization, a posting, an
application, a conversation), the one that sets the composer's purpose, and those still
waiting for their message (Today). Each runs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery

from coffeechat.conversations.models import Conversation
from coffeechat.core.calendar import local_today
from coffeechat.core.scoping import owned
from coffeechat.network.connections import footings
from coffeechat.network.models import Employment, Organization, Person
from coffeechat.outreach.models import Message, Purpose
from coffeechat.outreach.models import Status as MessageStatus
from coffeechat.outreach.situations.facts import (
    applications_at,
    interviewed,
    managers_at,
    open_postings,
    pending_conversations,
    rejected_after_interview,
    sent_application,
    with_history,
)
from coffeechat.outreach.situations.wording import (
    APPLIED_THERE,
    PRECEDENCE,
    Situation,
    applied_there,
    apply_now,
    ask_for_feedback,
    people_there,
)
from coffeechat.targets.models import (
    SENT_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Posting,
)

# Today lists a rejection after an interview for this long, until feedback is asked.
FEEDBACK_WINDOW_DAYS = 60


def situations_for_organization(owner: Any, organization: Organization) -> list[Situation]:
    found: list[Situation] = []
    applications = applications_at(owner, organization)
    if applications:
        found.append(applied_there(applications, organization, None))
    postings = [
        p for p in open_postings(owner, Q(organization=organization)) if p.contact is not None
    ]
    pending = pending_conversations(owner, [p.contact_id for p in postings if p.contact_id])
    for posting in postings:
        if posting.contact is not None and posting.contact_id in pending:
            found.append(
                apply_now(
                    posting,
                    posting.contact,
                    pending[posting.contact_id],
                    sent_application(posting),
                )
            )
    rejected = [a for a in applications if rejected_after_interview(a)]
    if rejected:
        managers = managers_at(owner, [organization.pk]).get(organization.pk, [])
        found.extend(ask_for_feedback(a, managers) for a in rejected)
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
            with_history(owned(Application, owner))
            .filter(organization_id__in=org_ids, status__in=SENT_STATUSES)
            .order_by("-applied_on", "-pk")
        )
        if org_ids
        else []
    )
    by_org: dict[int, list[Application]] = {}
    for application in applications:
        by_org.setdefault(application.organization_id, []).append(application)
    postings = open_postings(owner, Q(contact_id__in=list(found)))
    pending = pending_conversations(owner, {p.contact_id for p in postings if p.contact_id})
    rejected = [a for a in applications if rejected_after_interview(a)]
    managers = managers_at(owner, {a.organization_id for a in rejected}) if rejected else {}
    for person in people:
        own = found[person.pk]
        works_at = employers.get(person.pk, set())
        for org_id, org_applications in by_org.items():
            if org_id in works_at:
                own.append(
                    applied_there(org_applications, org_applications[0].organization, person)
                )
        if person.pk in pending:
            own.extend(
                apply_now(p, person, pending[person.pk], sent_application(p))
                for p in postings
                if p.contact_id == person.pk
            )
        for application in rejected:
            people_there = managers.get(application.organization_id, [])
            if application.organization_id in works_at and any(
                m.pk == person.pk for m in people_there
            ):
                own.append(ask_for_feedback(application, [person]))
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
                    people_there(footings(owner, staff).values(), organization.name),
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
                apply_now(
                    posting,
                    posting.contact,
                    pending[posting.contact.pk],
                    application if application.is_sent else None,
                )
            )
    annotated = with_history(owned(Application, owner)).filter(pk=application.pk).first()
    if annotated is not None and rejected_after_interview(annotated):
        managers = managers_at(owner, [organization.pk]).get(organization.pk, [])
        found.append(ask_for_feedback(annotated, managers))
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


def leading(found: Iterable[Situation]) -> Situation | None:
    """The situation whose purpose is proposed when several apply."""
    ranked = [s for s in found if s.purpose and s.kind in PRECEDENCE]
    return min(ranked, key=lambda s: PRECEDENCE.index(s.kind), default=None)


def lead_situation(
    owner: Any,
    person: Person,
    organization: Organization | None = None,
    *,
    situations: list[Situation] | None = None,
) -> Situation | None:
    """The situation that sets the purpose of a message to ``person`` (about
    ``organization`` when given), or None when no situation applies.

    ``situations`` are the person's (:func:`situations_for_person`) when the caller has
    read them already in this request."""
    found = situations if situations is not None else situations_for_person(owner, person)
    if organization is not None:
        found = [s for s in found if s.organization_id == organization.pk]
        if not found:
            applications = applications_at(owner, organization)
            if applications:
                found = [applied_there(applications, organization, person)]
    return leading(found)


def open_situations(owner: Any, now: Any = None) -> list[Situation]:
    """Situations still waiting for their message, for the Today list: an open
    posting's contact you are about to talk to and have not told that you applied,
    and recent rejections after an interview with no feedback asked yet."""
    found: list[Situation] = []
    postings = open_postings(owner, Q())
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
                apply_now(posting, contact, pending[contact.pk], sent_application(posting))
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
        with_history(owned(Application, owner))
        .filter(status=ApplicationStatus.REJECTED)
        .filter(Exists(interviewed(OuterRef("pk"))))
        .annotate(rejected_on=Subquery(rejected_on.values("on")[:1]))
        .filter(rejected_on__gte=since)
        .exclude(Exists(asked))
        .order_by("-rejected_on", "-pk")
    )
    managers = managers_at(owner, {a.organization_id for a in rejected}) if rejected else {}
    found.extend(ask_for_feedback(a, managers.get(a.organization_id, [])) for a in rejected)
    return found
