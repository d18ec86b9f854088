"""The etiquette checks: one small function each, run in the order of :data:`CHECKS`.

Each check looks at the draft (its text, purpose and channel) and what the context
knows about the person, and returns a :class:`Check` when it has something to say, else
None. They read no database: :func:`run_checks` is a pure function of the context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import date_format

from coffeechat.core.calendar import add_business_days, business_days_between
from coffeechat.outreach.checks.context import CheckContext, load_context
from coffeechat.outreach.checks.patterns import (
    ASK_WORDS,
    CONNECTION_WORDS,
    JOB_ASK,
    ME_WORDS,
    MENTIONS_APPLICATION,
    NOT_A_JOB,
    YOU_WORDS,
    claimed_mutuals,
    without_signature,
    word_count,
)
from coffeechat.outreach.models import LINKEDIN_NOTE_LIMIT, Channel, Message, Purpose
from coffeechat.outreach.purposes import FIRST_NOTES, INFORMATION_ONLY, SAY_YOU_APPLIED, rule_of
from coffeechat.targets.models import Application


@dataclass(frozen=True, slots=True)
class Check:
    key: str
    title: str
    explanation: str
    severity: str = "warn"  # "warn" or "stop"


@dataclass(frozen=True, slots=True)
class Draft:
    """The text being checked, and what the context knows about its recipient."""

    ctx: CheckContext
    purpose: str
    channel: str
    subject: str
    body: str
    text: str  # the body without the signature

    @property
    def first(self) -> str:
        return self.ctx.person.first_name or self.ctx.person.full_name

    @property
    def first_contact(self) -> bool:
        return not self.ctx.previous

    @property
    def mentions_application(self) -> bool:
        return bool(MENTIONS_APPLICATION.search(f"{self.subject}\n{self.text}"))


def _days(n: int) -> str:
    return f"{n} business day" + ("" if n == 1 else "s")


def do_not_contact(draft: Draft) -> Check | None:
    """The person is marked "do not contact"."""
    person = draft.ctx.person
    if not person.do_not_contact:
        return None
    return Check(
        "do_not_contact",
        "Marked “do not contact”",
        f"{person.full_name} is marked “do not contact” on their page. Respect it, or "
        "clear the mark there first if that has changed.",
        "stop",
    )


def recent_at_organization(draft: Draft) -> Check | None:
    """Someone else at their organization was written to lately and has not answered."""
    ctx = draft.ctx
    if not ctx.recent_at_organization:
        return None
    other = ctx.recent_at_organization[0]
    days = max(0, (ctx.today - other.sent_at.astimezone(ctx.zone).date()).days)  # type: ignore[union-attr]
    when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
    place = other.organization.name if other.organization else "the same organization"
    return Check(
        "recent_at_organization",
        "Someone else there is still to answer",
        f"You wrote to {other.person.full_name} at {place} {when} and have no reply "
        "yet. Wait for that answer before writing to a second person there: "
        "colleagues talk to each other.",
    )


def no_connection(draft: Draft) -> Check | None:
    """A first note to someone not close that does not say how you are connected."""
    ctx = draft.ctx
    if draft.purpose not in FIRST_NOTES or not draft.first_contact or ctx.close_tie:
        return None
    lowered = draft.text.lower()
    named = any(name.lower() in lowered for name in ctx.connection_names if name)
    if CONNECTION_WORDS.search(draft.text) or named:
        return None
    return Check(
        "no_connection",
        "No stated connection",
        "The message does not say how you are connected or how you got their "
        "name: who suggested you write, a shared school or employer, a group. "
        "Say it in the first lines; it is why a stranger answers.",
    )


def unfounded_mutual(draft: Draft) -> Check | None:
    """A third person named as a mutual connection whom the data does not show as one.

    network.connections says who may be named: someone who introduced or referred the
    person to you, or someone you know who has a tie with them or works where they work.
    """
    ctx = draft.ctx
    mutual = [set(name.lower().split()) for name in ctx.mutual]
    around = [set(name.lower().split()) for name in ctx.knows_them]
    for claimed, as_mutual in claimed_mutuals(f"{draft.subject}\n{draft.text}"):
        words = set(claimed.lower().split())
        if any(words <= name for name in (mutual if as_mutual else around)):
            continue
        first = draft.first
        return Check(
            "unfounded_mutual",
            "A connection the data does not show",
            f"The message names {claimed} as a connection you share with {first}, but "
            f"nothing recorded shows it: {claimed} is not someone you know who knows {first}, "
            "and did not introduce you. Say only what is true, or record the tie first.",
        )
    return None


def too_long(draft: Draft) -> Check | None:
    """More words than the purpose's rule allows."""
    limit = rule_of(draft.purpose).words if draft.purpose in Purpose.values else None
    if limit is None or word_count(draft.text) <= limit:
        return None
    return Check(
        "too_long",
        "Long for a first note",
        f"This first note is {word_count(draft.text)} words. Busy people answer short notes: "
        f"aim for under about {limit} — the connection, who you are in a "
        "sentence or two, and the ask.",
    )


def unclear_ask(draft: Draft) -> Check | None:
    """A first note without a question asking for a call, a coffee, advice…"""
    if draft.purpose not in FIRST_NOTES or (ASK_WORDS.search(draft.text) and "?" in draft.text):
        return None
    return Check(
        "unclear_ask",
        "The ask is unclear",
        "It is not clear what you are asking for. Ask one specific question, "
        "e.g. “Would you have time for a 20-minute call next week?”",
    )


def job_ask(draft: Draft) -> Check | None:
    """A request for information that also asks for a job, a referral or a CV review."""
    if draft.purpose not in INFORMATION_ONLY:
        return None
    match = JOB_ASK.search(NOT_A_JOB.sub(" ", draft.text))
    if not match:
        return None
    return Check(
        "job_ask",
        "A job request inside an information request",
        f"This is a request for information, yet it asks “{match.group(0)}”. "
        "Ask for one thing openly: information here; a job, a referral or a CV "
        "review in a separate message that says so.",
    )


def _listed_application(draft: Draft) -> Application | None:
    """The application whose posting lists the person as contact, when the text is silent
    about applying (a thank-you need not say it)."""
    ctx = draft.ctx
    if not ctx.listed_for or draft.mentions_application or draft.purpose == Purpose.THANK_YOU:
        return None
    return ctx.listed_for[0]


def listed_contact(draft: Draft) -> Check | None:
    """They are the listed contact of a posting you applied for, and the text does not say so."""
    application = _listed_application(draft)
    if application is None:
        return None
    posting = application.posting.title if application.posting else application.role_title
    return Check(
        "listed_contact",
        "They are the contact of a posting you applied to",
        f"{draft.first} is the listed contact for “{posting}”, which you applied for. Be "
        "transparent: say you applied, and keep the conversation informational.",
    )


def application_not_mentioned(draft: Draft) -> Check | None:
    """You applied where they work, and a message that should say so does not.

    An organization :func:`listed_contact` already spoke of is not repeated.
    """
    ctx = draft.ctx
    if not ctx.applications or draft.mentions_application:
        return None
    if draft.purpose not in SAY_YOU_APPLIED:
        return None
    listed = _listed_application(draft)
    listed_orgs = {listed.organization_id} if listed is not None else set()
    pending = [a for a in ctx.applications if a.organization_id not in listed_orgs]
    if not pending:
        return None
    application = pending[0]
    day = f" on {date_format(application.applied_on, 'j M Y')}" if application.applied_on else ""
    return Check(
        "application_not_mentioned",
        "Your application is not mentioned",
        f"You applied for {application.role_title} at "
        f"{application.organization.name}{day}, and this message does not say "
        "so. Mention it plainly: better they hear it from you.",
    )


def about_me(draft: Draft) -> Check | None:
    """The text says I, me, my far more often than you, your."""
    me = len(ME_WORDS.findall(draft.text))
    you = len(YOU_WORDS.findall(draft.text))
    if me < 6 or me <= 2 * you:
        return None
    return Check(
        "about_me",
        "Mostly about you",
        f"The message says I, me or my {me} times and you or your {you} times. Make "
        "it more about them: their work, their path, what you hope to learn from them.",
    )


def nudge_too_soon(draft: Draft) -> Check | None:
    """A nudge before the date the no-reply policy gives for it."""
    ctx = draft.ctx
    if draft.purpose != Purpose.NUDGE:
        return None
    last = next((m for m in reversed(ctx.previous) if m.sent_at), None)
    if last is None or last.sent_at is None:
        return None
    sent_on = last.sent_at.astimezone(ctx.zone).date()
    gone = business_days_between(sent_on, ctx.today, ctx.country)
    # The date the message page and the today list show (the no-reply policy).
    due = last.nudge_due_on or add_business_days(sent_on, ctx.policy.nudge_after_days, ctx.country)
    if ctx.today >= due:
        return None
    return Check(
        "nudge_too_soon",
        "Too soon for a nudge",
        f"Your last message to {draft.first} went out {_days(gone)} ago; by your "
        f"no-reply policy a nudge is due on {date_format(due, 'j F Y')} "
        f"({_days(ctx.policy.nudge_after_days)} after it).",
    )


def third_nudge(draft: Draft) -> Check | None:
    """One nudge more than the no-reply policy allows since their last reply."""
    ctx = draft.ctx
    if draft.purpose != Purpose.NUDGE:
        return None
    last_reply = max((m.replied_at for m in ctx.previous if m.replied_at is not None), default=None)
    nudges = [
        m
        for m in ctx.previous
        if m.purpose == Purpose.NUDGE
        and (last_reply is None or (m.sent_at is not None and m.sent_at > last_reply))
    ]
    if len(nudges) < ctx.policy.max_nudges:
        return None
    others = ", ".join(ctx.alternatives)
    place = next(iter(ctx.organizations.values()), "")
    instead = (
        f" Try someone else at {place} instead: {others}."
        if others and place
        else " Try someone else at the same organization instead."
    )
    return Check(
        "third_nudge",
        "One nudge too many",
        f"You have nudged {draft.first} {len(nudges)} times without an answer; your "
        f"no-reply policy stops at {ctx.policy.max_nudges}.{instead}",
    )


def linkedin_limit(draft: Draft) -> Check | None:
    """A first LinkedIn note longer than a connection request holds."""
    if draft.channel != Channel.LINKEDIN or not draft.first_contact:
        return None
    if len(draft.body) <= LINKEDIN_NOTE_LIMIT:
        return None
    return Check(
        "linkedin_limit",
        "Over LinkedIn's 300 characters",
        f"A LinkedIn connection request's note holds {LINKEDIN_NOTE_LIMIT} characters; "
        f"this one has {len(draft.body)}. If you are not connected yet, shorten it.",
    )


def no_subject(draft: Draft) -> Check | None:
    """An e-mail without a subject."""
    if draft.channel != Channel.EMAIL or draft.subject.strip():
        return None
    return Check(
        "no_subject",
        "No subject",
        "An e-mail without a subject looks like spam and is easy to overlook.",
    )


# Every check, in the order of importance: the order they are shown in.
CHECKS: tuple[Callable[[Draft], Check | None], ...] = (
    do_not_contact,
    recent_at_organization,
    no_connection,
    unfounded_mutual,
    too_long,
    unclear_ask,
    job_ask,
    listed_contact,
    application_not_mentioned,
    about_me,
    nudge_too_soon,
    third_nudge,
    linkedin_limit,
    no_subject,
)


def run_checks(
    ctx: CheckContext,
    *,
    purpose: str,
    channel: str,
    subject: str,
    body: str,
) -> list[Check]:
    """Every check that fires for this text, in the order of importance."""
    draft = Draft(ctx, purpose, channel, subject, body, without_signature(body, ctx.signature))
    return [found for check in CHECKS if (found := check(draft)) is not None]


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
