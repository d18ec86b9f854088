"""A situation as the pages show it: what it is, what to do, the purpose of the message
it calls for and its one-click action (the composer, prefilled)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format

from coffeechat.network.connections import Footing
from coffeechat.network.models import Organization, Person
from coffeechat.outreach.models import Purpose
from coffeechat.targets.models import OPEN_STATUSES, Application, Posting

APPLIED_THERE = "applied_there"
APPLY_NOW = "apply_now"
ASK_FOR_FEEDBACK = "ask_for_feedback"

# Which situation leads when several apply to one person: its purpose is proposed.
PRECEDENCE = (ASK_FOR_FEEDBACK, APPLY_NOW, APPLIED_THERE)


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


def _day(value: Any) -> str:
    return date_format(value, "j M Y") if value else "recently"


def _applied(application: Application) -> str:
    status = application.get_status_display().lower()
    return f"{application.role_title} ({status}, applied {_day(application.applied_on)})"


def applied_there(
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


def apply_now(
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


def ask_for_feedback(application: Application, managers: list[Person]) -> Situation:
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


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def people_there(found: Iterable[Footing], organization: str) -> str:
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
