"""Outreach writes and reads: compose, save, send, mark sent or replied, reply rates.

Views, the API, the CLI and the demo all call these; other apps may too:

- :func:`compose` fills an unsaved draft for a person and a purpose;
- :func:`save_draft`, :func:`queue`, :func:`send_email`, :func:`send_queued`;
- :func:`mark_sent`, :func:`mark_replied`, :func:`set_status` (each sends the signals of
  :mod:`coffeechat.outreach.signals`);
- :func:`reply_rates` for the insight page.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from email.headerregistry import Address
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from coffeechat.conversations.models import Conversation
from coffeechat.core.calendar import user_zone
from coffeechat.core.scoping import owned, save_owned
from coffeechat.network.connections import introducers
from coffeechat.network.models import (
    AffiliationKind,
    Direction,
    Employment,
    Interaction,
    InteractionKind,
    Organization,
    Person,
    Source,
    TieKind,
)
from coffeechat.network.names import greeting_name, split_name
from coffeechat.outreach import mail, policy
from coffeechat.outreach.builtin import builtin
from coffeechat.outreach.models import (
    Ask,
    Channel,
    ConnectionKind,
    Message,
    MessageTemplate,
    Purpose,
    SmtpSecurity,
    SmtpSettings,
    Status,
)
from coffeechat.outreach.purposes import AWAITS_REPLY, FIRST_NOTES, ask_phrase
from coffeechat.outreach.purposes import TABLE as PURPOSES
from coffeechat.outreach.rendering import VARIABLES, fill
from coffeechat.outreach.secrets import SecretUnreadable, encrypt
from coffeechat.outreach.signals import message_replied, message_sent, message_status_changed
from coffeechat.outreach.situations import Situation, applications_at, lead_situation
from coffeechat.outreach.smtp import (
    SEND_ERRORS,
    TEST_TIMEOUT,
    Server,
    UserSmtpBackend,
    backend_for,
    explain,
    server_of_backend,
)
from coffeechat.outreach.smtp import server_of as smtp_server_of
from coffeechat.targets.models import Application, ApplicationStatus, Posting
from coffeechat.targets.paths import Link, Path, paths_to_person

INTERACTION_KINDS: dict[str, str] = {
    Channel.EMAIL: InteractionKind.EMAIL,
    Channel.LINKEDIN: InteractionKind.LINKEDIN_MESSAGE,
    Channel.PHONE: InteractionKind.PHONE,
}


# The connection sentence ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Connection:
    sentence: str
    kind: str
    introducer: str = ""


NO_CONNECTION = Connection("", ConnectionKind.COLD)

_TIE_SENTENCES: dict[str, tuple[str, str]] = {
    TieKind.FRIEND: ("I hope you are doing well.", ConnectionKind.FRIEND),
    TieKind.FAMILY: ("I hope you are doing well.", ConnectionKind.FRIEND),
    TieKind.COLLEAGUE: (
        "We have worked together, so I hope you will not mind a question.",
        ConnectionKind.FORMER_COLLEAGUE,
    ),
    TieKind.CLASSMATE: (
        "We studied together, so I hope you will not mind a question.",
        ConnectionKind.ALUMNI,
    ),
    TieKind.ACQUAINTANCE: (
        "We have met before, and I hope you remember me.",
        ConnectionKind.FRIEND,
    ),
}
_SOURCE_SENTENCES: dict[str, tuple[str, str]] = {
    Source.LINKEDIN: ("We are connected on LinkedIn.", ConnectionKind.LINKEDIN),
    Source.ALUMNI_DIRECTORY: ("I found your name in our alumni directory.", ConnectionKind.ALUMNI),
    Source.ASSOCIATION_DIRECTORY: (
        "I found your name in our association's member directory.",
        ConnectionKind.ASSOCIATION,
    ),
    Source.REFERRAL: (
        "Your name was passed on to me as someone worth asking.",
        ConnectionKind.INTRODUCED,
    ),
    Source.FRIEND: ("We have met before, and I hope you remember me.", ConnectionKind.FRIEND),
}
_KNOWS_YOU: dict[str, str] = {
    TieKind.FRIEND: "is a friend of yours",
    TieKind.FAMILY: "is related to you",
    TieKind.COLLEAGUE: "has worked with you",
    TieKind.CLASSMATE: "studied with you",
}


def _direct(link: Link) -> Connection:
    reason = link.reason
    if reason.kind == "tie":
        if reason.tie_kind in {TieKind.INTRODUCED, TieKind.REFERRED} or reason.introduced_by:
            if reason.introduced_by is not None:
                name = reason.introduced_by.name
                return Connection(
                    f"{name} suggested I get in touch with you.", ConnectionKind.INTRODUCED, name
                )
            return Connection("We were introduced by a mutual contact.", ConnectionKind.INTRODUCED)
        sentence, kind = _TIE_SENTENCES.get(
            reason.tie_kind, ("We have met before.", ConnectionKind.FRIEND)
        )
        return Connection(sentence, kind)
    if reason.kind == "affiliation":
        name = reason.affiliation
        if reason.affiliation_kind == AffiliationKind.SCHOOL:
            year = f" (I graduated in {reason.my_year})" if reason.my_year else ""
            return Connection(f"We both studied at {name}{year}.", ConnectionKind.ALUMNI)
        if reason.affiliation_kind == AffiliationKind.FORMER_EMPLOYER:
            place = reason.organization or name
            when = ", around the same time" if reason.same_time else ""
            return Connection(f"We both worked at {place}{when}.", ConnectionKind.FORMER_COLLEAGUE)
        if reason.affiliation_kind == AffiliationKind.ASSOCIATION:
            return Connection(f"We are both members of {name}.", ConnectionKind.ASSOCIATION)
        return Connection(f"We are both part of {name}.", ConnectionKind.ASSOCIATION)
    if reason.kind == "introducer":
        return Connection(
            f"You introduced me to {reason.introduced}, and I hope you will not mind another "
            "question.",
            ConnectionKind.FRIEND,
        )
    if reason.kind == "contact":
        sentence, kind = _SOURCE_SENTENCES.get(reason.source, ("", ConnectionKind.COLD))
        return Connection(sentence, kind)
    return NO_CONNECTION


def connection_from_path(path: Path) -> Connection:
    """How the recipient and I are connected, said to them, from a warm path.

    A path through someone I do not know (network.connections decides: a directory row,
    a shared group only) names nobody: it gives no connection at all.
    """
    links = path.links
    if len(links) == 1:
        return _direct(links[0])
    if not path.first_is_known:
        return NO_CONNECTION
    middle = links[-2].person.name
    last = links[-1].reason
    verb = (
        "works with you" if last.kind == "coworker" else _KNOWS_YOU.get(last.tie_kind, "knows you")
    )
    if len(links) == 2:
        return Connection(
            f"We have a connection in common: {middle}, who {verb}.",
            ConnectionKind.FRIEND_OF_FRIEND,
        )
    return Connection(
        f"We are connected through {links[0].person.name} and {middle}, who {verb}.",
        ConnectionKind.FRIEND_OF_FRIEND,
    )


def connection_for(owner: Any, person: Person, *, path_key: str = "") -> Connection:
    """The connection sentence: a chosen warm path; else who introduced us; else the warmest.

    Only a path that may be named honestly is used: one through someone I do not know
    gives way to the warmest path that can be.
    """
    if not path_key:
        names = introducers(owner, person)
        if names:
            return Connection(
                f"{names[0]} suggested I get in touch with you.",
                ConnectionKind.INTRODUCED,
                names[0],
            )
    warm = paths_to_person(owner, person, per_person=10)
    paths = warm.ranked(limit=None, per_person=10)
    chosen = next((p for p in paths if p.key == path_key), None) if path_key else None
    for path in ([chosen] if chosen is not None else []) + paths:
        connection = connection_from_path(path)
        if connection.sentence:
            return connection
    return NO_CONNECTION


# Compose -------------------------------------------------------------------------------


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


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


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
    owner: Any, person: Person, organization: Organization | None
) -> tuple[str, Situation | None]:
    """The purpose to propose for a message to ``person``, and the situation it follows.

    A situation (see :mod:`coffeechat.outreach.situations`) decides first; else an
    introduction makes it a referral note; else an informational request.
    """
    situation = lead_situation(owner, person, organization)
    if situation is not None:
        return situation.purpose, situation
    if introducers(owner, person):
        return Purpose.REFERRAL, None
    return Purpose.INFORMATIONAL, None


def suggest_purpose(owner: Any, person: Person, organization: Organization | None) -> str:
    return suggest(owner, person, organization)[0]


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
    for key in VARIABLES:
        values.setdefault(key, "")
    return values


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
) -> Message:
    """A filled, UNSAVED draft to ``person`` for ``purpose``; the user edits it freely.

    An empty ``purpose`` is proposed: a nudge with ``nudge_of``, else the purpose of the
    person's situation (with its application or posting), see :func:`suggest`.

    With ``conversation`` (a thank-you, a keep-in-touch note), what the conversation
    recorded fills the variables (when, what I learned, whom they suggested) and the
    message is linked to it; explicit ``extra`` values win. With ``application`` (or
    ``posting``, before the application is recorded) the draft says up front which
    role you applied for (or are applying for).

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
        purpose, lead = suggest(user, person, organization)
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


# Writes --------------------------------------------------------------------------------


def save_draft(user: Any, message: Message, *, dismissed: Iterable[str] | None = None) -> Message:
    """Save a draft (new or edited). A message that went out is not edited any more."""
    if message.pk and message.status != Status.DRAFT:
        raise ValidationError("This message was already sent: it can no longer be edited.")
    if dismissed is not None:
        message.dismissed_checks = sorted({key for key in dismissed if key})
    if message.channel != Channel.EMAIL:
        message.subject = ""
    return save_owned(user, message)


def _change_status(message: Message, new: str, **fields: Any) -> None:
    old = message.status
    message.status = new
    message.status_changed_at = timezone.now()
    for key, value in fields.items():
        setattr(message, key, value)
    message.save()
    if old != new:
        message_status_changed.send(sender=Message, message=message, old=old, new=new)


def _timeline(message: Message, direction: str, when: datetime.datetime, key: str) -> None:
    subject = message.subject or message.get_purpose_display()
    if direction == Direction.RECEIVED:
        subject = f"Reply: {subject}"
    Interaction.objects.update_or_create(
        owner=message.owner,
        source_key=key,
        defaults={
            "person": message.person,
            "occurred_at": when,
            "kind": INTERACTION_KINDS.get(message.channel, InteractionKind.NOTE),
            "direction": direction,
            "subject": subject[:300],
            "body": message.body if direction == Direction.SENT else "",
        },
    )


def thread_of(message: Message) -> tuple[Message, int]:
    """The first message of ``message``'s nudge chain, and how many nudges lead from it
    to ``message`` (0 for a first message)."""
    root, nudges, seen = message, 0, {message.pk}
    while root.nudge_of_id is not None and root.nudge_of_id not in seen:
        seen.add(root.nudge_of_id)
        parent = Message.objects.filter(pk=root.nudge_of_id).first()
        if parent is None:
            break
        root, nudges = parent, nudges + 1
    return root, nudges


def mark_sent(message: Message, when: datetime.datetime | None = None) -> Message:
    """Record that ``message`` went out (by hand or by e-mail): dates, timeline, signals."""
    if message.pk is None:
        raise ValidationError("Save the draft first.")
    if message.status != Status.DRAFT:
        raise ValidationError(f"This message is already {message.get_status_display().lower()}.")
    when = when or timezone.now()
    dates = policy.NoReplyDates(None, None)
    if message.purpose in AWAITS_REPLY:
        _root, nudges = thread_of(message)
        dates = policy.dates_for(message.owner, when, nudges_sent=nudges)
    with transaction.atomic():
        _change_status(
            message,
            Status.SENT,
            sent_at=when,
            queued_at=None,
            try_another_on=dates.try_another_on,
            nudge_due_on=dates.nudge_on,
            send_error="",
        )
        _timeline(message, Direction.SENT, when, f"outreach:message:{message.pk}")
        message_sent.send(sender=Message, message=message)
    return message


def mark_replied(message: Message, when: datetime.datetime | None = None) -> Message:
    """They answered: the message (and the ones it nudged) are replied; on the timeline."""
    if message.status == Status.DRAFT:
        raise ValidationError("This message has not been sent yet.")
    if message.status == Status.REPLIED:
        return message
    when = when or timezone.now()
    with transaction.atomic():
        _change_status(message, Status.REPLIED, replied_at=when)
        _timeline(message, Direction.RECEIVED, when, f"outreach:reply:{message.pk}")
        earlier = message.nudge_of
        seen = {message.pk}
        while earlier is not None and earlier.pk not in seen:
            seen.add(earlier.pk)
            if earlier.status in {Status.SENT, Status.NO_REPLY}:
                _change_status(earlier, Status.REPLIED, replied_at=when)
            earlier = earlier.nudge_of
        message_replied.send(sender=Message, message=message)
    return message


def set_status(message: Message, status: str, when: datetime.datetime | None = None) -> Message:
    """Any status change: sent and replied go through mark_sent and mark_replied."""
    if status not in Status.values:
        raise ValidationError({"status": f"“{status}” is not a status."})
    if status == Status.SENT and message.status == Status.DRAFT:
        return mark_sent(message, when)
    if status == Status.REPLIED:
        return mark_replied(message, when)
    if status == Status.DRAFT:
        if message.status != Status.DRAFT:
            raise ValidationError("A message that went out cannot become a draft again.")
        return message
    if message.status == Status.DRAFT:
        raise ValidationError("This message has not been sent yet.")
    with transaction.atomic():
        _change_status(message, status)
    return message


def queue(message: Message) -> Message:
    """Put a draft e-mail in the queue that `coffeechat send-queued` sends."""
    if message.status != Status.DRAFT:
        raise ValidationError("Only a draft can be queued.")
    if message.channel != Channel.EMAIL:
        raise ValidationError("Only e-mail can be sent from the queue.")
    mail.check_sendable(message)
    message.queued_at = timezone.now()
    message.save(update_fields=["queued_at", "updated_at"])
    return message


def unqueue(message: Message) -> Message:
    message.queued_at = None
    message.save(update_fields=["queued_at", "updated_at"])
    return message


def send_email(message: Message) -> Message:
    """Send ``message`` by e-mail now, then mark it sent; refuses what is unsafe or unset."""
    if message.status != Status.DRAFT:
        raise ValidationError("This message was already sent.")
    if message.channel != Channel.EMAIL:
        raise ValidationError("Only e-mail messages can be sent from Coffeechat.")
    if message.person.do_not_contact and "do_not_contact" not in message.dismissed_checks:
        raise ValidationError(f"{message.person.full_name} is marked “do not contact”.")
    if not mail.can_send(message.owner):
        raise ValidationError(
            "No way to send e-mail is configured: set your SMTP server in your e-mail "
            "settings, or ask the administrator to set EMAIL_URL. Meanwhile, use the "
            "mailto: link or the .eml file and mark the message as sent."
        )
    smtp = mail.user_smtp(message.owner)
    email = mail.build_email(message, smtp=smtp)
    server = Server(smtp.host, smtp.port, smtp.security) if smtp else server_of_backend(None)
    connection = None
    try:
        connection, server = mail.connection_for(smtp)
        sent = connection.send_messages([email])
    except SEND_ERRORS as error:
        reason = explain(error, server)
        message.send_error = reason[:1000]
        message.save(update_fields=["send_error", "updated_at"])
        raise ValidationError(reason) from None
    finally:
        if isinstance(connection, UserSmtpBackend):
            connection.close()  # also a connection left half-open by a refused login
    if not sent:
        raise ValidationError("The mail server did not take the message.")
    message.email_message_id = email.extra_headers.get("Message-ID", "")
    message.save(update_fields=["email_message_id", "updated_at"])
    return mark_sent(message)


@dataclass
class QueueResult:
    sent: list[Message]
    failed: list[tuple[Message, str]]


def send_queued(user: Any | None = None, *, dry_run: bool = False) -> QueueResult:
    """Send every queued draft (of ``user``, or of everyone); a failure does not stop the rest."""
    queryset = Message.objects.queued().select_related("owner__profile", "person")
    if user is not None:
        queryset = queryset.filter(owner=user)
    result = QueueResult([], [])
    for message in queryset.order_by("queued_at", "pk"):
        if dry_run:
            result.sent.append(message)
            continue
        try:
            send_email(message)
        except ValidationError as error:
            result.failed.append((message, " ".join(error.messages)))
        else:
            result.sent.append(message)
    return result


def save_smtp_settings(
    user: Any,
    *,
    host: str,
    port: int,
    security: str,
    username: str,
    password: str | None,
    from_email: str,
) -> SmtpSettings:
    """Save the user's SMTP server; ``password=None`` keeps the stored one."""
    smtp = SmtpSettings.objects.filter(owner=user).first() or SmtpSettings(owner=user)
    smtp.host = host.strip()
    smtp.port = port
    smtp.security = security if security in SmtpSecurity.values else SmtpSecurity.STARTTLS
    smtp.username = username.strip()
    smtp.from_email = from_email.strip()
    if password is not None:
        smtp.password_encrypted = encrypt(password)
    smtp.full_clean()
    smtp.save()
    return smtp


def delete_smtp_settings(user: Any) -> None:
    SmtpSettings.objects.filter(owner=user).delete()


@dataclass(frozen=True, slots=True)
class SmtpTestResult:
    ok: bool
    message: str


TEST_SUBJECT = "Coffeechat: test message"


def typed_server(
    user: Any, *, host: str, port: int, security: str, username: str, password: str
) -> Server:
    """Settings typed in the form, to test before saving.

    An empty password means the saved one, but only for the saved server, port, security
    and user name: the saved password never goes anywhere else.
    """
    server = Server(host.strip(), port, security, username.strip(), password)
    if password or not server.username:
        return server
    smtp = mail.user_smtp(user)
    same = smtp is not None and (smtp.host, smtp.port, smtp.security, smtp.username) == (
        server.host,
        server.port,
        server.security,
        server.username,
    )
    if smtp is None or not same or not smtp.has_password:
        raise ValidationError(
            {
                "password": "Type the password to test these settings: the saved one is "
                "only ever sent to the saved server."
            }
        )
    try:
        return smtp_server_of(smtp)
    except SecretUnreadable as error:
        raise ValidationError({"password": str(error)}) from None


def send_test_email(
    user: Any,
    server: Server | None = None,
    *,
    from_email: str = "",
    timeout: float = TEST_TIMEOUT,
) -> SmtpTestResult:
    """Send a short test e-mail to the user's own address through their SMTP server.

    Without ``server``: the saved settings; with it: settings typed in the form (nothing is
    saved). Whatever the network or the server does, the result says it in plain words.
    """
    if server is None:
        smtp = mail.user_smtp(user)
        if smtp is None:
            return SmtpTestResult(False, "You have no SMTP settings yet: save them first.")
        from_email = smtp.from_email
        try:
            server = smtp_server_of(smtp)
        except SecretUnreadable as error:
            return SmtpTestResult(False, str(error))
    address = (from_email or user.email).strip()
    try:
        mail.check_address(address, "sender's")
    except ValidationError as error:
        return SmtpTestResult(False, " ".join(error.messages))
    name = mail.my_name(user)
    email = EmailMessage(
        subject=TEST_SUBJECT,
        body=(
            "This is a test message from Coffeechat.\n\n"
            f"Your SMTP settings work: messages to the people in your network will go out "
            f"from {address} through {server.describe()}.\n\n"
            "Nothing to do; you may delete this e-mail.\n"
        ),
        from_email=str(Address(display_name=name, addr_spec=address)),
        to=[address],
    )
    backend = backend_for(server, timeout=timeout)
    try:
        sent = backend.send_messages([email])
    except SEND_ERRORS as error:
        return SmtpTestResult(False, explain(error, server))
    finally:
        backend.close()
    if not sent:
        return SmtpTestResult(False, f"{server.where} did not take the test message.")
    return SmtpTestResult(
        True,
        f"Sent a test e-mail to {address} through {server.describe()}. Look for it in your inbox.",
    )


# Reads ---------------------------------------------------------------------------------


def messages_for_list(user: Any) -> QuerySet[Message]:
    return owned(Message, user).select_related("person", "organization")


@dataclass(frozen=True, slots=True)
class Rate:
    label: str
    sent: int
    replied: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.replied / self.sent) if self.sent else None


@dataclass(frozen=True, slots=True)
class ReplyRates:
    total: Rate
    by_purpose: list[Rate]
    by_template: list[Rate]
    by_channel: list[Rate]
    by_connection: list[Rate]


def reply_rates(user: Any) -> ReplyRates:
    """How often each purpose, template, channel and kind of connection got a reply.

    Counts messages that went out (sent, replied, no reply, bounced); nudges count
    under their own purpose. One query.
    """
    rows = (
        owned(Message, user)
        .exclude(status=Status.DRAFT)
        .values_list("purpose", "template_name", "channel", "connection_kind", "status")
    )
    counts: dict[str, dict[str, list[int]]] = {
        key: defaultdict(lambda: [0, 0]) for key in ("purpose", "template", "channel", "connection")
    }
    total = [0, 0]
    for purpose, template_name, channel, connection, status in rows:
        replied = int(status == Status.REPLIED)
        for key, value in (
            ("purpose", purpose),
            ("template", template_name or "(none)"),
            ("channel", channel),
            ("connection", connection),
        ):
            counts[key][value][0] += 1
            counts[key][value][1] += replied
        total[0] += 1
        total[1] += replied

    def rates(key: str, labels: dict[str, str] | None = None) -> list[Rate]:
        found = [
            Rate((labels or {}).get(value, value), sent, replied)
            for value, (sent, replied) in counts[key].items()
        ]
        return sorted(found, key=lambda r: (-(r.percent or 0), -r.sent, r.label))

    return ReplyRates(
        Rate("All messages", *total),
        rates("purpose", {key: rule.label for key, rule in PURPOSES.items()}),
        rates("template"),
        rates("channel", dict(Channel.choices)),
        rates("connection", dict(ConnectionKind.choices)),
    )
