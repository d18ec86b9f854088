"""The values of every template variable of a draft (see :mod:`coffeechat.outreach.rendering`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.formats import date_format

from coffeechat.core.calendar import user_zone
from coffeechat.network.models import Employment, Organization, Person
from coffeechat.network.names import greeting_name, split_name
from coffeechat.outreach import mail
from coffeechat.outreach.models import Ask, Message, Purpose
from coffeechat.outreach.purposes import ask_phrase
from coffeechat.outreach.rendering import VARIABLES
from coffeechat.outreach.services.connection import NO_CONNECTION, Connection
from coffeechat.outreach.situations import applications_at
from coffeechat.targets.models import Application, ApplicationStatus, Posting


def _day(value: datetime.date | datetime.datetime | None, user: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(user_zone(user)).date()
    return date_format(value, "j F Y")


def _conversation_when(raw: str) -> str:
    raw = raw.strip()
    if not raw:
        return ""
    try:
        day = datetime.date.fromisoformat(raw[:10])
    except ValueError:
        return (
            raw if raw.lower().startswith(("on ", "last ", "this ", "yesterday")) else f"on {raw}"
        )
    return f"on {date_format(day, 'j F')}"


DEFAULT_WHY_I_WRITE = (
    "I wanted to give you a short update, since your advice shaped what I did next."
)
DEFAULT_UPDATE_SUBJECT = "A short update, and thanks again"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def variables(
    user: Any,
    person: Person,
    purpose: str,
    *,
    ask: str = Ask.CALL,
    organization: Organization | None = None,
    job: Employment | None = None,
    connection: Connection = NO_CONNECTION,
    nudge_of: Message | None = None,
    nudged_purpose: str = "",
    extra: dict[str, str] | None = None,
    application: Application | None = None,
    posting: Posting | None = None,
) -> dict[str, str]:
    """The values of every template variable for this message (see rendering.VARIABLES)."""
    extra = {key: str(value) for key, value in (extra or {}).items()}
    profile = getattr(user, "profile", None)
    name = mail.my_name(user) or user.email.split("@")[0]
    org_name = organization.name if organization is not None else ""
    values: dict[str, str] = {
        "first_name": greeting_name(person.first_name, person.last_name),
        "full_name": person.full_name,
        "organization": org_name or "your organization",
        "at_organization": f"at {org_name}" if org_name else "",
        "their_title": job.title if job is not None and organization is not None else "",
        "my_name": name,
        "my_first_name": split_name(name).first,
        "my_intro": (getattr(profile, "intro", "") or "").strip(),
        "ask": ask_phrase(purpose, ask, nudged_purpose=nudged_purpose),
        "application": "",
        "role": "the role",
        "referred_by": connection.introducer or "a mutual contact",
        "conversation_date": "",
        "learned": "",
        "referrals": "",
        "advice": "",
        "last_note": "my earlier note",
        "last_subject": "",
        "signature": (getattr(profile, "signature", "") or "").strip() or name,
    }
    connection_sentence = connection.sentence
    if extra.get("referred_by"):
        values["referred_by"] = extra["referred_by"]
        connection_sentence = f"{extra['referred_by']} suggested I get in touch with you."
    values["connection"] = connection_sentence
    if application is None and organization is not None:
        applications = applications_at(user, organization)
        if purpose == Purpose.REJECTION_FEEDBACK:
            rejected = [a for a in applications if a.status == ApplicationStatus.REJECTED]
            applications = rejected or applications
        if posting is not None:
            applications = [a for a in applications if a.posting_id == posting.pk]
        application = applications[0] if applications else None
    if application is not None:
        values["role"] = f"the {application.role_title} role"
        day = f" on {_day(application.applied_on, user)}" if application.applied_on else ""
        values["application"] = (
            f"I should say up front that I applied for the {application.role_title} role "
            f"at {application.organization.name}{day}."
        )
    elif posting is not None:
        # Apply now, then tell them: the note is written while the application goes in.
        values["role"] = f"the {posting.title} role"
        contact = " (you are its listed contact)" if posting.contact_id == person.pk else ""
        values["application"] = (
            f"I am applying for the {posting.title} role at {posting.organization.name}{contact}."
        )
    if nudge_of is not None:
        values["last_note"] = (
            f"my note of {_day(nudge_of.sent_at, user)}" if nudge_of.sent_at else "my earlier note"
        )
        subject = nudge_of.subject
        while subject.lower().startswith("re: "):
            subject = subject[4:]
        values["last_subject"] = subject or nudge_of.get_purpose_display()
    values.update({key: value for key, value in extra.items() if key != "referred_by"})
    values["conversation_when"] = extra.get("conversation_when") or _conversation_when(
        values["conversation_date"]
    )
    learned = values["learned"].strip()
    values.setdefault("learned_sentence", "")
    if learned and not extra.get("learned_sentence"):
        values["learned_sentence"] = f"What stayed with me most: {_sentence(learned)}"
    referrals = values["referrals"].strip()
    values.setdefault("referrals_sentence", "")
    if referrals and not extra.get("referrals_sentence"):
        values["referrals_sentence"] = (
            f"Thank you also for suggesting I talk to {referrals}; I will write to them soon."
        )
    advice = values["advice"].strip()
    values.setdefault("advice_sentence", "")
    if advice and not extra.get("advice_sentence"):
        values["advice_sentence"] = f"I followed your advice: {_sentence(advice)}"
    values.update(_keep_in_touch(extra))
    values.update(_opening(extra, user))
    for key in VARIABLES:
        values.setdefault(key, "")
    return values


def _keep_in_touch(extra: dict[str, str]) -> dict[str, str]:
    """Why a keep-in-touch note is written: what made you think of them when you say it
    (``shared``), else the caller's reason (``why_i_write``), else a short update."""
    shared = extra.get("shared", "").strip()
    shared_sentence = f"I saw {shared} and thought of you." if shared else ""
    why = shared_sentence or extra.get("why_i_write", "").strip() or DEFAULT_WHY_I_WRITE
    subject = extra.get("update_subject", "").strip()
    if shared:
        subject = "Saw this and thought of you"
    return {
        "shared": shared,
        "shared_sentence": shared_sentence,
        "why_i_write": why,
        "update_subject": subject or DEFAULT_UPDATE_SUBJECT,
    }


def _opening(extra: dict[str, str], user: Any) -> dict[str, str]:
    """The opening a "something has opened up" note names: only what was given."""
    title = " ".join(extra.get("opening_title", "").split())[:200]
    start = extra.get("opening_start", "").strip()
    try:
        start = _day(datetime.date.fromisoformat(start[:10]), user) if start else ""
    except ValueError:
        start = start[:60]
    if title:
        sentence = f"An opening has come up on my team: {title}"
    else:
        sentence = "Something has opened up on my team"
    sentence += f", starting around {start}." if start else "."
    return {"opening_title": title, "opening_start": start, "opening_sentence": sentence}
