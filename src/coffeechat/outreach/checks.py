"""Etiquette checks: what a careful friend would point out before you press send.

:func:`load_context` reads what the checks need about the person in a fixed number
of queries; :func:`run_checks` is a pure function of that context and the text, so the
live check (as the user types) and the saved message agree. Each check explains
itself in a sentence and can be dismissed for one message (``Message.dismissed_checks``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from coffeechat.core.calendar import (
    add_business_days,
    business_days_between,
    local_today,
    user_country,
    user_zone,
)
from coffeechat.core.scoping import owned
from coffeechat.network.connections import people_around
from coffeechat.network.models import Employment, Membership, Person, Tie, TieKind
from coffeechat.outreach.models import LINKEDIN_NOTE_LIMIT, Channel, Message, Purpose, Status
from coffeechat.outreach.policy import DEFAULT, NoReplyPolicy, policy_of
from coffeechat.outreach.purposes import (
    FIRST_NOTES,
    INFORMATION_ONLY,
    SAY_YOU_APPLIED,
    rule_of,
)
from coffeechat.targets.models import SENT_STATUSES, Application

RECENT_AT_ORGANIZATION_DAYS = 7

CONNECTION_WORDS = re.compile(
    r"\b(suggested|introduced|referred|recommended|pointed me|passed (on )?your name|"
    r"gave me your (name|address|e-?mail)|your name (from|through)|found your (name|profile|"
    r"address)|we both|both (studied|worked|members?|part of)|alumn\w*|classmates?|"
    r"studied together|worked together|former colleague|in common|we met|we have met|"
    r"connected on linkedin|directory|member list)\b",
    re.IGNORECASE,
)
ASK_WORDS = re.compile(
    r"\b(call|coffee|lunch|chat|talk|conversation|meet|meeting|minutes|phone|video|advice|"
    r"questions?)\b",
    re.IGNORECASE,
)
NOT_A_JOB = re.compile(
    r"\bnot (asking )?(you )?(for )?(a |any |the )?(job|position|role)s?\b|"
    r"\bnot (to ask )?for a (job|position|role)\b",
    re.IGNORECASE,
)
JOB_ASK = re.compile(
    r"\b(hire me|hiring me|give me a job|(looking|asking|ask) for a (job|position|role)|"
    r"any (job )?(openings?|vacanc(y|ies))|open (roles?|positions?)|refer me|a referral|"
    r"recommend me for|put in a good word|(review|look over|look at|critique|check|read) my "
    r"(cv|resume|résumé)|consider me for|forward my (cv|resume|résumé|application)|"
    r"attached (is )?my (cv|resume|résumé)|my (cv|resume|résumé) is attached)\b",
    re.IGNORECASE,
)
MENTIONS_APPLICATION = re.compile(r"\bappl(y|ied|ying|ication)", re.IGNORECASE)
ME_WORDS = re.compile(r"\b(i|me|my|mine|myself|i'm|i've|i'd|i'll)\b", re.IGNORECASE)
YOU_WORDS = re.compile(r"\b(you|your|yours|yourself|you're|you've|you'd|you'll)\b", re.IGNORECASE)

# A third person named as a mutual connection: the name is capitalised words (with
# particles such as "van der"); the words around it are matched in any case.
_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?![\w'’-])"
_GAP = r"[^\S\n]+"  # spaces within a line
_PARTICLE = r"(?:van|von|de|der|den|da|di|del|la|le|du|dos)"
_NAME = rf"{_WORD}(?:{_GAP}(?:{_PARTICLE}{_GAP})*{_WORD}){{0,3}}"
# "connected through A and B, who knows you": B must know them; A is not checked.
CHAIN_CLAIM = re.compile(rf"(?i:connected\s+through)\s+{_NAME}\s+(?i:and)\s+(?P<name>{_NAME})")
MUTUAL_CLAIMS = [
    re.compile(
        rf"(?i:connections?\s+in\s+common|mutual\s+(?:friends?|connections?|contacts?|"
        rf"acquaintances?))\s*[:,—–-]?\s*(?P<name>{_NAME})"
    ),
    re.compile(
        rf"(?P<name>{_NAME}),?\s+(?i:who\s+(?:works|worked|has\s+worked|studied|knows|"
        rf"is\s+a\s+friend|is\s+related)(?:\s+(?:with|of|to))?\s+you)\b"
    ),
    re.compile(
        rf"(?P<name>{_NAME})\s+(?i:(?:(?:suggested|recommended|thought|said)\s+(?:that\s+)?"
        rf"(?:I|me)|told\s+me|asked\s+me)\b[^.?!\n]{{0,30}}?\b(?:contact|get\s+in\s+touch|"
        rf"write|writing|reach|talk|speak))"
    ),
    re.compile(
        rf"(?P<name>{_NAME})\s+(?i:(?:introduced|referred)\s+(?:me|us)\b|(?:gave|passed)\s+"
        rf"(?:me\s+|on\s+)?your\s+(?:name|details|address|e-?mail))"
    ),
    re.compile(
        rf"(?i:at\s+the\s+suggestion\s+of|on\s+the\s+advice\s+of|(?:recommended|referred|"
        rf"introduced)\s+(?:to\s+you\s+)?by|connected\s+through)\s+(?P<name>{_NAME})"
        rf"(?!{_GAP}(?:{_WORD}|and\s))"  # the whole name, and not the first of a chain
    ),
]
# Capitalised words that start a sentence or a title, not a name.
_NOT_NAME_WORDS = (
    "also and but so then hi hello dear i we you my our your the a an in as he she they"
)
NOT_NAMES = frozenset([*_NOT_NAME_WORDS.split(), "mr", "mrs", "ms", "dr", "prof"])


@dataclass(frozen=True, slots=True)
class Check:
    key: str
    title: str
    explanation: str
    severity: str = "warn"  # "warn" or "stop"


@dataclass(frozen=True, slots=True)
class SentBefore:
    pk: int
    purpose: str
    status: str
    sent_at: datetime.datetime | None
    replied_at: datetime.datetime | None
    nudge_due_on: datetime.date | None = None


@dataclass
class CheckContext:
    """What the checks know about the person, loaded once."""

    person: Person
    today: datetime.date
    country: str
    zone: Any
    organizations: dict[int, str] = field(default_factory=dict)
    applications: list[Application] = field(default_factory=list)
    listed_for: list[Application] = field(default_factory=list)
    previous: list[SentBefore] = field(default_factory=list)
    recent_at_organization: list[Message] = field(default_factory=list)
    connection_names: set[str] = field(default_factory=set)
    mutual: list[str] = field(default_factory=list)  # who may be named as a mutual connection
    knows_them: list[str] = field(default_factory=list)  # who has a tie with them or works there
    close_tie: bool = False
    alternatives: list[str] = field(default_factory=list)
    signature: str = ""
    policy: NoReplyPolicy = DEFAULT


def load_context(
    owner: Any,
    person: Person,
    *,
    organization_id: int | None = None,
    exclude_message: int | None = None,
    now: datetime.datetime | None = None,
) -> CheckContext:
    """Everything the checks need about ``person``, in a fixed number of queries."""
    now = now or timezone.now()
    profile = getattr(owner, "profile", None)
    ctx = CheckContext(
        person=person,
        today=local_today(owner, now),
        country=user_country(owner),
        zone=user_zone(owner),
        signature=(getattr(profile, "signature", "") or "").strip(),
        policy=policy_of(owner),
    )
    for org_id, name in (
        owned(Employment, owner)
        .filter(person=person, is_current=True)
        .values_list("organization_id", "organization__name")
    ):
        ctx.organizations[org_id] = name
    if organization_id is not None and organization_id not in ctx.organizations:
        from coffeechat.network.models import Organization

        org_name = (
            owned(Organization, owner)
            .filter(pk=organization_id)
            .values_list("name", flat=True)
            .first()
        )
        if org_name is not None:
            ctx.organizations[organization_id] = org_name
    org_ids = list(ctx.organizations)
    sent = owned(Application, owner).filter(status__in=SENT_STATUSES)
    ctx.applications = list(
        sent.filter(organization_id__in=org_ids)
        .select_related("organization", "posting")
        .order_by("-applied_on", "-pk")
    )
    ctx.listed_for = list(
        sent.filter(posting__contact=person).select_related("organization", "posting")
    )
    previous = owned(Message, owner).filter(person=person).exclude(status=Status.DRAFT)
    if exclude_message:
        previous = previous.exclude(pk=exclude_message)
    ctx.previous = [
        SentBefore(*row)
        for row in previous.order_by("sent_at", "pk").values_list(
            "pk", "purpose", "status", "sent_at", "replied_at", "nudge_due_on"
        )
    ]
    if org_ids:
        ctx.recent_at_organization = list(
            owned(Message, owner)
            .filter(
                status=Status.SENT,
                sent_at__gte=now - datetime.timedelta(days=RECENT_AT_ORGANIZATION_DAYS),
            )
            .filter(
                Q(organization_id__in=org_ids)
                | Q(
                    person__employments__organization_id__in=org_ids,
                    person__employments__is_current=True,
                )
            )
            .exclude(person=person)
            .select_related("person", "organization")
            .distinct()
            .order_by("-sent_at")[:3]
        )
        ctx.alternatives = [
            f"{first} {last}".strip()
            for first, last in owned(Employment, owner)
            .filter(organization_id__in=org_ids, is_current=True, person__do_not_contact=False)
            .exclude(person=person)
            .order_by("-has_hiring_authority", "person__last_name", "pk")
            .values_list("person__first_name", "person__last_name")[:3]
        ]
    for kind, first, last in (
        owned(Tie, owner)
        .filter(Q(to_person=person) | Q(from_person=person))
        .values_list("kind", "introduced_by__first_name", "introduced_by__last_name")
    ):
        if kind in {TieKind.FRIEND, TieKind.FAMILY}:
            ctx.close_tie = True
        if first:
            ctx.connection_names.update({f"{first} {last or ''}".strip(), first})
    around = people_around(owner, person)
    ctx.mutual = [m.name for m in around if m.may_be_named]
    ctx.knows_them = [m.name for m in around]
    for name, org_name in (
        owned(Membership, owner)
        .filter(person=person, affiliation__my_memberships__owner=owner)
        .values_list("affiliation__name", "affiliation__organization__name")
    ):
        ctx.connection_names.add(name)
        if org_name:
            ctx.connection_names.add(org_name)
    return ctx


def without_signature(body: str, signature: str) -> str:
    text = body.rstrip()
    if signature and text.endswith(signature):
        text = text[: -len(signature)]
    return text


def word_count(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def _days(n: int) -> str:
    return f"{n} business day" + ("" if n == 1 else "s")


def _name(raw: str) -> str:
    words = raw.split()
    while words and words[0].lower() in NOT_NAMES:
        words.pop(0)
    return " ".join(words)


def _claimed_mutuals(text: str) -> list[tuple[str, bool]]:
    """The third people ``text`` names as a connection: (name, named as a mutual one).

    The second person of a chain ("connected through A and B") is not a mutual
    connection: only that they know the recipient is claimed.
    """
    chains = list(CHAIN_CLAIM.finditer(text))
    found = [(_name(chain.group("name")), False) for chain in chains]
    for pattern in MUTUAL_CLAIMS:
        for match in pattern.finditer(text):
            if not any(chain.start() <= match.start() < chain.end() for chain in chains):
                found.append((_name(match.group("name")), True))
    return [(name, mutual) for name, mutual in dict.fromkeys(found) if name]


def unfounded_mutual(ctx: CheckContext, subject: str, text: str) -> Check | None:
    """A third person named as a mutual connection whom the data does not show as one.

    network.connections says who may be named: someone who introduced or referred the
    person to you, or someone you know who has a tie with them or works where they work.
    """
    mutual = [set(name.lower().split()) for name in ctx.mutual]
    around = [set(name.lower().split()) for name in ctx.knows_them]
    for claimed, as_mutual in _claimed_mutuals(f"{subject}\n{text}"):
        words = set(claimed.lower().split())
        if any(words <= name for name in (mutual if as_mutual else around)):
            continue
        first = ctx.person.first_name or ctx.person.full_name
        return Check(
            "unfounded_mutual",
            "A connection the data does not show",
            f"The message names {claimed} as a connection you share with {first}, but "
            f"nothing recorded shows it: {claimed} is not someone you know who knows {first}, "
            "and did not introduce you. Say only what is true, or record the tie first.",
        )
    return None


def run_checks(
    ctx: CheckContext,
    *,
    purpose: str,
    channel: str,
    subject: str,
    body: str,
) -> list[Check]:
    """Every check that fires for this text, in the order of importance."""
    person = ctx.person
    first = person.first_name or person.full_name
    text = without_signature(body, ctx.signature)
    found: list[Check] = []
    first_contact = not ctx.previous

    if person.do_not_contact:
        found.append(
            Check(
                "do_not_contact",
                "Marked “do not contact”",
                f"{person.full_name} is marked “do not contact” on their page. Respect it, or "
                "clear the mark there first if that has changed.",
                "stop",
            )
        )

    if ctx.recent_at_organization:
        other = ctx.recent_at_organization[0]
        days = max(0, (ctx.today - other.sent_at.astimezone(ctx.zone).date()).days)  # type: ignore[union-attr]
        when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
        place = other.organization.name if other.organization else "the same organization"
        found.append(
            Check(
                "recent_at_organization",
                "Someone else there is still to answer",
                f"You wrote to {other.person.full_name} at {place} {when} and have no reply "
                "yet. Wait for that answer before writing to a second person there: "
                "colleagues talk to each other.",
            )
        )

    if purpose in FIRST_NOTES and first_contact and not ctx.close_tie:
        lowered = text.lower()
        named = any(name.lower() in lowered for name in ctx.connection_names if name)
        if not CONNECTION_WORDS.search(text) and not named:
            found.append(
                Check(
                    "no_connection",
                    "No stated connection",
                    "The message does not say how you are connected or how you got their "
                    "name: who suggested you write, a shared school or employer, a group. "
                    "Say it in the first lines; it is why a stranger answers.",
                )
            )

    unfounded = unfounded_mutual(ctx, subject, text)
    if unfounded is not None:
        found.append(unfounded)

    limit = rule_of(purpose).words if purpose in Purpose.values else None
    if limit is not None and word_count(text) > limit:
        found.append(
            Check(
                "too_long",
                "Long for a first note",
                f"This first note is {word_count(text)} words. Busy people answer short notes: "
                f"aim for under about {limit} — the connection, who you are in a "
                "sentence or two, and the ask.",
            )
        )
    if purpose in FIRST_NOTES and not (ASK_WORDS.search(text) and "?" in text):
        found.append(
            Check(
                "unclear_ask",
                "The ask is unclear",
                "It is not clear what you are asking for. Ask one specific question, "
                "e.g. “Would you have time for a 20-minute call next week?”",
            )
        )

    if purpose in INFORMATION_ONLY:
        match = JOB_ASK.search(NOT_A_JOB.sub(" ", text))
        if match:
            found.append(
                Check(
                    "job_ask",
                    "A job request inside an information request",
                    f"This is a request for information, yet it asks “{match.group(0)}”. "
                    "Ask for one thing openly: information here; a job, a referral or a CV "
                    "review in a separate message that says so.",
                )
            )

    mentions_application = bool(MENTIONS_APPLICATION.search(f"{subject}\n{text}"))
    listed_orgs: set[int] = set()
    if ctx.listed_for and not mentions_application and purpose != Purpose.THANK_YOU:
        application = ctx.listed_for[0]
        listed_orgs.add(application.organization_id)
        posting = application.posting.title if application.posting else application.role_title
        found.append(
            Check(
                "listed_contact",
                "They are the contact of a posting you applied to",
                f"{first} is the listed contact for “{posting}”, which you applied for. Be "
                "transparent: say you applied, and keep the conversation informational.",
            )
        )
    if ctx.applications and not mentions_application and purpose in SAY_YOU_APPLIED:
        pending = [a for a in ctx.applications if a.organization_id not in listed_orgs]
        if pending:
            application = pending[0]
            day = (
                f" on {date_format(application.applied_on, 'j M Y')}"
                if application.applied_on
                else ""
            )
            found.append(
                Check(
                    "application_not_mentioned",
                    "Your application is not mentioned",
                    f"You applied for {application.role_title} at "
                    f"{application.organization.name}{day}, and this message does not say "
                    "so. Mention it plainly: better they hear it from you.",
                )
            )

    me = len(ME_WORDS.findall(text))
    you = len(YOU_WORDS.findall(text))
    if me >= 6 and me > 2 * you:
        found.append(
            Check(
                "about_me",
                "Mostly about you",
                f"The message says I, me or my {me} times and you or your {you} times. Make "
                "it more about them: their work, their path, what you hope to learn from them.",
            )
        )

    if purpose == Purpose.NUDGE:
        last = next((m for m in reversed(ctx.previous) if m.sent_at), None)
        if last is not None and last.sent_at is not None:
            sent_on = last.sent_at.astimezone(ctx.zone).date()
            gone = business_days_between(sent_on, ctx.today, ctx.country)
            # The date the message page and the today list show (the no-reply policy).
            due = last.nudge_due_on or add_business_days(
                sent_on, ctx.policy.nudge_after_days, ctx.country
            )
            if ctx.today < due:
                found.append(
                    Check(
                        "nudge_too_soon",
                        "Too soon for a nudge",
                        f"Your last message to {first} went out {_days(gone)} ago; by your "
                        f"no-reply policy a nudge is due on {date_format(due, 'j F Y')} "
                        f"({_days(ctx.policy.nudge_after_days)} after it).",
                    )
                )
        last_reply = max(
            (m.replied_at for m in ctx.previous if m.replied_at is not None), default=None
        )
        nudges = [
            m
            for m in ctx.previous
            if m.purpose == Purpose.NUDGE
            and (last_reply is None or (m.sent_at is not None and m.sent_at > last_reply))
        ]
        if len(nudges) >= ctx.policy.max_nudges:
            others = ", ".join(ctx.alternatives)
            place = next(iter(ctx.organizations.values()), "")
            instead = (
                f" Try someone else at {place} instead: {others}."
                if others and place
                else " Try someone else at the same organization instead."
            )
            found.append(
                Check(
                    "third_nudge",
                    "One nudge too many",
                    f"You have nudged {first} {len(nudges)} times without an answer; your "
                    f"no-reply policy stops at {ctx.policy.max_nudges}.{instead}",
                )
            )

    if channel == Channel.LINKEDIN and first_contact and len(body) > LINKEDIN_NOTE_LIMIT:
        found.append(
            Check(
                "linkedin_limit",
                "Over LinkedIn's 300 characters",
                f"A LinkedIn connection request's note holds {LINKEDIN_NOTE_LIMIT} characters; "
                f"this one has {len(body)}. If you are not connected yet, shorten it.",
            )
        )
    if channel == Channel.EMAIL and not subject.strip():
        found.append(
            Check(
                "no_subject",
                "No subject",
                "An e-mail without a subject looks like spam and is easy to overlook.",
            )
        )
    return found


def split_dismissed(checks: list[Check], dismissed: list[str]) -> tuple[list[Check], list[Check]]:
    active = [c for c in checks if c.key not in dismissed]
    return active, [c for c in checks if c.key in dismissed]


def checks_for_message(message: Message, ctx: CheckContext | None = None) -> list[Check]:
    ctx = ctx or load_context(
        message.owner,
        message.person,
        organization_id=message.organization_id,
        exclude_message=message.pk,
    )
    return run_checks(
        ctx,
        purpose=message.purpose,
        channel=message.channel,
        subject=message.subject,
        body=message.body,
    )
