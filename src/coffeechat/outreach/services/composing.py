"""Drafts: the purpose to suggest, a filled draft (:func:`compose`), a preview, saving."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from coffeechat.conversations.models import Conversation
from coffeechat.core.scoping import owned, save_owned
from coffeechat.network.connections import introducers
from coffeechat.network.models import Employment, Organization, Person
from coffeechat.outreach.builtin import builtin
from coffeechat.outreach.models import (
    Ask,
    Channel,
    ConnectionKind,
    Message,
    MessageTemplate,
    Purpose,
    Status,
)
from coffeechat.outreach.purposes import FIRST_NOTES
from coffeechat.outreach.rendering import fill
from coffeechat.outreach.services.connection import NO_CONNECTION, connection_for
from coffeechat.outreach.services.status import thread_of
from coffeechat.outreach.services.variables import variables
from coffeechat.outreach.situations import Situation, lead_situation
from coffeechat.targets.models import Application, Posting


def current_job(owner: Any, person: Person) -> Employment | None:
    return (
        owned(Employment, owner)
        .filter(person=person, is_current=True)
        .select_related("organization")
        .order_by("-has_hiring_authority", "-start_date", "pk")
        .first()
    )


def default_template(owner: Any, purpose: str, channel: str) -> MessageTemplate | None:
    return (
        owned(MessageTemplate, owner)
        .filter(purpose=purpose, channel=channel, is_default=True)
        .order_by("-updated_at", "-pk")
        .first()
    )


def last_unanswered(owner: Any, person: Person) -> Message | None:
    return (
        owned(Message, owner)
        .filter(person=person, status__in=[Status.SENT, Status.NO_REPLY])
        .exclude(purpose=Purpose.THANK_YOU)
        .order_by("-sent_at", "-pk")
        .first()
    )


def suggest(
    owner: Any,
    person: Person,
    organization: Organization | None,
    *,
    situations: list[Situation] | None = None,
) -> tuple[str, Situation | None]:
    """The purpose to propose for a message to ``person``, and the situation it follows.

    A situation (see :mod:`coffeechat.outreach.situations`) decides first; else an
    introduction makes it a referral note; else an informational request.
    ``situations``: the person's, when the caller has read them already.
    """
    situation = lead_situation(owner, person, organization, situations=situations)
    if situation is not None:
        return situation.purpose, situation
    if introducers(owner, person):
        return Purpose.REFERRAL, None
    return Purpose.INFORMATIONAL, None


def suggest_purpose(owner: Any, person: Person, organization: Organization | None) -> str:
    return suggest(owner, person, organization)[0]


def compose(
    user: Any,
    person: Person,
    purpose: str,
    *,
    channel: str = Channel.EMAIL,
    ask: str = Ask.CALL,
    extra: dict[str, str] | None = None,
    organization: Organization | None = None,
    path_key: str = "",
    nudge_of: Message | None = None,
    template: MessageTemplate | None = None,
    conversation: Conversation | None = None,
    application: Application | None = None,
    posting: Posting | None = None,
    situations: list[Situation] | None = None,
) -> Message:
    """A filled, UNSAVED draft to ``person`` for ``purpose``; the user edits it freely.

    An empty ``purpose`` is proposed: a nudge with ``nudge_of``, else the purpose of the
    person's situation (with its application or posting), see :func:`suggest`.

    With ``conversation`` (a thank-you, a keep-in-touch note), what the conversation
    recorded fills the variables (when, what I learned, whom they suggested) and the
    message is linked to it; explicit ``extra`` values win. With ``application`` (or
    ``posting``, before the application is recorded) the draft says up front which
    role you applied for (or are applying for).

    ``situations`` are the person's situations when the caller (the composer page, which
    shows them) has read them already: they are not read again.

    ``extra`` supplies more template variables (``conversation_date``, ``learned``,
    ``referred_by``, ``referrals``, ``advice``…). Raises PermissionDenied for another
    user's person, ValidationError for an unknown purpose or channel, and
    rendering.TemplateError for a template with an unknown variable.
    """
    if person.owner_id != user.pk:
        raise PermissionDenied("That person is not in your network.")
    if not purpose and nudge_of is not None:
        purpose = Purpose.NUDGE
    elif not purpose:
        purpose, lead = suggest(user, person, organization, situations=situations)
        if lead is not None and application is None and posting is None:
            # The proposed purpose brings its situation's application or posting along.
            application = _owned_or_none(user, Application, lead.application_id)
            posting = _owned_or_none(user, Posting, lead.posting_id)
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": f"“{purpose}” is not a purpose of a message."})
    if channel not in Channel.values:
        raise ValidationError(
            {"channel": f"“{channel}” is not a channel (email, linkedin, phone)."}
        )
    if ask not in Ask.values:
        ask = Ask.CALL
    for other in (organization, nudge_of, template, conversation, application, posting):
        if other is not None and other.owner_id != user.pk:
            raise PermissionDenied("That is not yours.")
    for about in (application, posting):
        if organization is None and about is not None:
            organization = about.organization
    if conversation is not None:
        extra = {**conversation_variables(conversation, person), **(extra or {})}
        if organization is None:
            organization = conversation.organization
    job = current_job(user, person)
    if organization is None and job is not None:
        organization = job.organization
    if purpose == Purpose.NUDGE and nudge_of is None:
        nudge_of = last_unanswered(user, person)
    nudged_purpose = ""
    if purpose == Purpose.NUDGE and nudge_of is not None:
        # A nudge asks again for what the first message of the thread asked.
        root = thread_of(nudge_of)[0]
        nudged_purpose, ask = root.purpose, root.ask or ask
    first_note = purpose in FIRST_NOTES
    connection = connection_for(user, person, path_key=path_key) if first_note else NO_CONNECTION
    values = variables(
        user,
        person,
        purpose,
        ask=ask,
        organization=organization,
        job=job,
        connection=connection,
        nudge_of=nudge_of,
        nudged_purpose=nudged_purpose,
        extra=extra,
        application=application,
        posting=posting,
    )
    template = template or default_template(user, purpose, channel)
    if template is not None:
        subject_text, body_text, template_name = template.subject, template.body, template.name
    else:
        built = builtin(purpose, channel)
        subject_text, body_text, template_name = built.subject, built.body, built.name
    subject = fill(subject_text, values, single_line=True) if channel == Channel.EMAIL else ""
    body = fill(body_text, values)
    if purpose == Purpose.THANK_YOU and conversation is not None:
        thanks = introducer_thanks(conversation, person)
        if thanks is not None:
            subject = thanks[0] if channel == Channel.EMAIL else ""
            body = f"{thanks[1]}\n{values['signature']}"
    email = person.email_addresses.all()[0].email if person.email_addresses.all() else ""
    kind = connection.kind
    if extra and extra.get("referred_by"):
        kind = ConnectionKind.INTRODUCED
    if nudge_of is not None:
        kind = nudge_of.connection_kind
    return Message(
        owner=user,
        person=person,
        organization=organization,
        purpose=purpose,
        channel=channel,
        ask=ask,
        to_email=email if channel == Channel.EMAIL else "",
        subject=subject[:200],
        body=body,
        template=template,
        template_name=template_name,
        connection_kind=kind,
        nudge_of=nudge_of,
        conversation=conversation,
    )


def _owned_or_none(user: Any, model: Any, pk: int | None) -> Any:
    if pk is None:
        return None
    return owned(model, user).select_related("organization").filter(pk=pk).first()


def conversation_variables(conversation: Conversation, person: Person) -> dict[str, str]:
    """Template variables from a conversation with ``person`` (see conversations app)."""
    from coffeechat.conversations.services import thank_you_context

    context = thank_you_context(conversation, person)
    return {
        "conversation_date": context["conversation_date"],
        "learned": context["learned"],
        "referrals": context["referred_names"],
    }


def introducer_thanks(conversation: Conversation, person: Person) -> tuple[str, str] | None:
    """(subject, body) of a thank-you to ``person`` for passing you on toward
    ``conversation`` (they were not in it); None when they did not."""
    from coffeechat.conversations.services import (
        introducer_thanks_context,
        introducer_thanks_text,
    )

    context = introducer_thanks_context(conversation, person)
    return None if context is None else introducer_thanks_text(context)


def preview(user: Any, template: MessageTemplate, person: Person) -> Message:
    return compose(user, person, template.purpose, channel=template.channel, template=template)


def save_draft(user: Any, message: Message, *, dismissed: Iterable[str] | None = None) -> Message:
    """Save a draft (new or edited). A message that went out is not edited any more."""
    if message.pk and message.status != Status.DRAFT:
        raise ValidationError("This message was already sent: it can no longer be edited.")
    if dismissed is not None:
        message.dismissed_checks = sorted({key for key in dismissed if key})
    if message.channel != Channel.EMAIL:
        message.subject = ""
    return save_owned(user, message)
