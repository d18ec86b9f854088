"""API routes for outreach: messages, their checks and status, templates, reply rates.

No ``from __future__ import annotations``: django-ninja reads the types.
"""

import datetime
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from coffeechat.api.routers.network import (
    Input,
    ObjectId,
    Pagination,
    crud,
    filter_by_fields,
    save_plain,
)
from coffeechat.conversations.models import Conversation
from coffeechat.core.scoping import delete_owned, get_owned_or_404, owned
from coffeechat.network.addresses import bounce_warning
from coffeechat.network.models import EmailAddress, Organization, Person
from coffeechat.outreach import mail, policy, services
from coffeechat.outreach.checks import Check, checks_for_message, load_context, run_checks
from coffeechat.outreach.models import (
    MAX_BODY,
    MAX_SUBJECT,
    Ask,
    Channel,
    Message,
    MessageTemplate,
    Purpose,
)
from coffeechat.outreach.purposes import TABLE as PURPOSES
from coffeechat.outreach.rendering import TemplateError
from coffeechat.targets.models import Application, Posting

# Schemas ------------------------------------------------------------------------------


class MessageOut(Schema):
    id: int
    person_id: ObjectId
    person_name: str
    organization_id: ObjectId | None
    purpose: str
    channel: str
    ask: str
    to_email: str
    subject: str
    body: str
    status: str
    template_id: ObjectId | None
    template_name: str
    connection_kind: str
    nudge_of_id: ObjectId | None
    conversation_id: ObjectId | None
    dismissed_checks: list[str]
    queued_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    replied_at: datetime.datetime | None
    try_another_on: datetime.date | None = Field(
        description="No reply by then: write to someone else (the no-reply policy)"
    )
    nudge_due_on: datetime.date | None = Field(
        description="No reply by then: nudge (the no-reply policy); null after the last nudge"
    )
    address_warning: str = Field(
        "",
        description="When mail to to_email bounced: “Mail to x@y bounced on 1 December "
        "2026: check the address.” Sending is still allowed.",
    )
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_person_name(obj: Message) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_address_warning(obj: Message) -> str:
        return bounce_warning(obj.to_email, getattr(obj, "to_bounced_at", None))


class ComposeIn(Input):
    person_id: ObjectId
    purpose: str = Field(
        "",
        description=f"{', '.join(PURPOSES)}; empty: proposed (a nudge with nudge_of_id, "
        "else from the person's situation)",
    )
    channel: str = Field("email", description="email, linkedin or phone")
    ask: str = Field("call", description="call, coffee or lunch")
    organization_id: ObjectId | None = None
    nudge_of_id: ObjectId | None = None
    template_id: ObjectId | None = None
    conversation_id: ObjectId | None = Field(
        None, description="a conversation with the person: fills when, what I learned, names"
    )
    application_id: ObjectId | None = Field(
        None, description="one of your applications: the draft says you applied for it"
    )
    posting_id: ObjectId | None = Field(
        None, description="an open posting you are applying for: the draft says so"
    )
    path: str = Field("", max_length=100, description="A warm path's key (person ids)")
    extra: dict[str, str] = Field(
        {}, description="More template variables, e.g. conversation_date, learned, referred_by"
    )
    subject: str | None = Field(None, max_length=MAX_SUBJECT, description="Replaces the drafted")
    body: str | None = Field(None, max_length=MAX_BODY, description="Replaces the drafted")


class MessageChange(Input):
    to_email: str | None = Field(None, max_length=254)
    subject: str | None = Field(None, max_length=MAX_SUBJECT)
    body: str | None = Field(None, max_length=MAX_BODY)
    dismissed_checks: list[str] | None = None


class WhenIn(Input):
    when: datetime.datetime | None = Field(None, description="Default: now")


class StatusIn(Input):
    status: str = Field("", description="sent, replied, no_reply or bounced")
    when: datetime.datetime | None = None


class PurposeOut(Schema):
    purpose: str
    label: str
    first_note: bool
    awaits_reply: bool
    asks_for_conversation: bool
    information_only: bool
    say_you_applied: bool
    words: int | None
    ask: str
    closes_follow_up: str


class PolicyIn(Input):
    try_another_after_days: int = Field(description="business days")
    nudge_after_days: int = Field(description="business days, more than try_another_after_days")
    max_nudges: int = Field(description="stop after this many unanswered nudges")


class PolicyOut(Schema):
    try_another_after_days: int
    nudge_after_days: int
    max_nudges: int


class CheckOut(Schema):
    key: str
    title: str
    explanation: str
    severity: str
    dismissed: bool = False


class LiveCheckIn(Input):
    person_id: ObjectId
    purpose: str = "informational"
    channel: str = "email"
    subject: str = Field("", max_length=MAX_SUBJECT * 2)
    body: str = Field("", max_length=MAX_BODY * 2)
    organization_id: ObjectId | None = None


class MessageFilters(Input):
    person_id: ObjectId | None = None
    status: str | None = None
    purpose: str | None = None
    channel: str | None = None


class TemplateFilters(Input):
    purpose: str | None = None
    channel: str | None = None


class RateOut(Schema):
    label: str
    sent: int
    replied: int
    percent: int | None


class RatesOut(Schema):
    total: RateOut
    by_purpose: list[RateOut]
    by_template: list[RateOut]
    by_channel: list[RateOut]
    by_connection: list[RateOut]


class TemplateFields(Schema):
    name: str = Field(min_length=1, max_length=120)
    purpose: str
    channel: str = "email"
    subject: str = ""
    body: str = Field(min_length=1, max_length=MAX_BODY)
    is_default: bool = True


class TemplateIn(TemplateFields, Input):
    pass


class TemplateOut(TemplateFields):
    id: int


def check_out(check: Check, dismissed: list[str]) -> dict[str, Any]:
    return {
        "key": check.key,
        "title": check.title,
        "explanation": check.explanation,
        "severity": check.severity,
        "dismissed": check.key in dismissed,
    }


def _rate(rate: Any) -> dict[str, Any]:
    return {
        "label": rate.label,
        "sent": rate.sent,
        "replied": rate.replied,
        "percent": rate.percent,
    }


def _messages(request: HttpRequest) -> QuerySet[Message]:
    bounced = EmailAddress.objects.filter(
        owner=OuterRef("owner"), person=OuterRef("person"), email__iexact=OuterRef("to_email")
    ).values("bounced_at")[:1]
    return (
        owned(Message, request.user)
        .select_related("person")
        .annotate(to_bounced_at=Subquery(bounced))
    )


def _message(request: HttpRequest, message_id: int) -> Message:
    return get_owned_or_404(_messages(request), request.user, pk=message_id)


def _invalid(error: Exception) -> DjangoValidationError:
    return DjangoValidationError(str(error))


# Registration -------------------------------------------------------------------------


def register(api: NinjaAPI) -> None:
    router = Router(tags=["outreach"])

    @router.get(
        "/messages", response=list[MessageOut], url_name="message-list", summary="List messages"
    )
    @paginate(Pagination)
    def list_messages(request: HttpRequest, filters: Query[MessageFilters]) -> Any:
        return filter_by_fields(_messages(request), filters)

    @router.post(
        "/messages",
        response={201: MessageOut},
        url_name="message-create",
        summary="Draft a message: filled from a template for a person and a purpose",
    )
    def create_message(request: HttpRequest, payload: ComposeIn) -> Any:
        user = request.user
        person = get_owned_or_404(Person, user, pk=payload.person_id)
        organization = (
            get_owned_or_404(Organization, user, pk=payload.organization_id)
            if payload.organization_id
            else None
        )
        nudge_of = (
            get_owned_or_404(Message, user, pk=payload.nudge_of_id) if payload.nudge_of_id else None
        )
        template = (
            get_owned_or_404(MessageTemplate, user, pk=payload.template_id)
            if payload.template_id
            else None
        )
        conversation = (
            get_owned_or_404(Conversation, user, pk=payload.conversation_id)
            if payload.conversation_id
            else None
        )
        application = (
            get_owned_or_404(Application, user, pk=payload.application_id)
            if payload.application_id
            else None
        )
        posting = (
            get_owned_or_404(Posting, user, pk=payload.posting_id) if payload.posting_id else None
        )
        try:
            message = services.compose(
                user,
                person,
                payload.purpose,
                channel=payload.channel,
                ask=payload.ask if payload.ask in Ask.values else Ask.CALL,
                extra=payload.extra,
                organization=organization,
                path_key=payload.path,
                nudge_of=nudge_of,
                template=template,
                conversation=conversation,
                application=application,
                posting=posting,
            )
        except TemplateError as error:
            raise _invalid(error) from None
        except PermissionDenied:
            raise Http404 from None
        if payload.subject is not None:
            message.subject = payload.subject
        if payload.body is not None:
            message.body = payload.body
        with transaction.atomic():
            services.save_draft(user, message)
        return Status(201, _message(request, message.pk))

    @router.get(
        "/messages/{int:message_id}",
        response=MessageOut,
        url_name="message-detail",
        summary="Read a message",
    )
    def read_message(request: HttpRequest, message_id: int) -> Any:
        return _message(request, message_id)

    @router.patch("/messages/{int:message_id}", response=MessageOut, summary="Edit a draft")
    def update_message(request: HttpRequest, message_id: int, payload: MessageChange) -> Any:
        message = _message(request, message_id)
        data = payload.dict(exclude_unset=True, exclude_none=True)
        dismissed = data.pop("dismissed_checks", None)
        for key, value in data.items():
            setattr(message, key, value)
        with transaction.atomic():
            services.save_draft(request.user, message, dismissed=dismissed)
        return _message(request, message_id)

    @router.delete("/messages/{int:message_id}", response={204: None}, summary="Delete a message")
    def delete_message(request: HttpRequest, message_id: int) -> Any:
        delete_owned(_message(request, message_id))
        return Status(204, None)

    @router.get(
        "/messages/{int:message_id}/checks",
        response=list[CheckOut],
        url_name="message-checks",
        summary="The etiquette checks of a message (dismissed ones flagged)",
    )
    def message_checks(request: HttpRequest, message_id: int) -> Any:
        message = _message(request, message_id)
        dismissed = list(message.dismissed_checks or [])
        return [check_out(c, dismissed) for c in checks_for_message(message)]

    @router.post(
        "/messages/{int:message_id}/send",
        response=MessageOut,
        url_name="message-send",
        summary="Send a draft by e-mail now (your SMTP server or the instance's)",
    )
    def send_message(request: HttpRequest, message_id: int) -> Any:
        services.send_email(_message(request, message_id))
        return _message(request, message_id)

    @router.post(
        "/messages/{int:message_id}/sent",
        response=MessageOut,
        url_name="message-mark-sent",
        summary="Mark a draft as sent by hand",
    )
    def mark_sent(request: HttpRequest, message_id: int, when: Query[WhenIn]) -> Any:
        message = _message(request, message_id)
        services.mark_sent(message, when.when)
        return _message(request, message_id)

    @router.post(
        "/messages/{int:message_id}/replied",
        response=MessageOut,
        url_name="message-replied",
        summary="Mark a message as replied",
    )
    def mark_replied(request: HttpRequest, message_id: int, when: Query[WhenIn]) -> Any:
        message = _message(request, message_id)
        services.mark_replied(message, when.when)
        return _message(request, message_id)

    @router.post(
        "/messages/{int:message_id}/status",
        response=MessageOut,
        url_name="message-status",
        summary="Change a message's status (sent, replied, no_reply, bounced)",
    )
    def change_status(request: HttpRequest, message_id: int, payload: Query[StatusIn]) -> Any:
        message = _message(request, message_id)
        services.set_status(message, payload.status, payload.when)
        return _message(request, message_id)

    @router.post(
        "/messages/{int:message_id}/queue",
        response=MessageOut,
        url_name="message-queue",
        summary="Queue a draft e-mail for `coffeechat send-queued`",
    )
    def queue_message(request: HttpRequest, message_id: int) -> Any:
        services.queue(_message(request, message_id))
        return _message(request, message_id)

    @router.get(
        "/messages/{int:message_id}/eml",
        response={200: None},
        url_name="message-eml",
        summary="The message as an .eml file (message/rfc822)",
        openapi_extra={
            "responses": {
                200: {
                    "description": "The message, ready to open in a mail program",
                    "content": {"message/rfc822": {"schema": {"type": "string"}}},
                }
            }
        },
    )
    def message_eml(request: HttpRequest, message_id: int) -> Any:
        message = _message(request, message_id)
        if message.channel != Channel.EMAIL:
            raise DjangoValidationError("Only e-mail messages have an .eml file.")
        response = HttpResponse(mail.eml_bytes(message), content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="message-{message.pk}.eml"'
        return response

    @router.post(
        "/outreach/checks",
        response=list[CheckOut],
        url_name="outreach-checks",
        summary="Check a text as it is typed, before it is saved",
    )
    def live_checks(request: HttpRequest, payload: LiveCheckIn) -> Any:
        person = get_owned_or_404(Person, request.user, pk=payload.person_id)
        if payload.organization_id:
            get_owned_or_404(Organization, request.user, pk=payload.organization_id)
        ctx = load_context(request.user, person, organization_id=payload.organization_id)
        found = run_checks(
            ctx,
            purpose=payload.purpose if payload.purpose in Purpose.values else Purpose.INFORMATIONAL,
            channel=payload.channel if payload.channel in Channel.values else Channel.EMAIL,
            subject=payload.subject,
            body=payload.body,
        )
        return [check_out(c, []) for c in found]

    @router.get(
        "/outreach/reply-rates",
        response=RatesOut,
        url_name="outreach-reply-rates",
        summary="Reply rates by purpose, template, channel and kind of connection",
    )
    def reply_rates(request: HttpRequest) -> Any:
        rates = services.reply_rates(request.user)
        return {
            "total": _rate(rates.total),
            "by_purpose": [_rate(r) for r in rates.by_purpose],
            "by_template": [_rate(r) for r in rates.by_template],
            "by_channel": [_rate(r) for r in rates.by_channel],
            "by_connection": [_rate(r) for r in rates.by_connection],
        }

    @router.get(
        "/outreach/purposes",
        response=list[PurposeOut],
        url_name="outreach-purposes",
        summary="What each purpose of a message means (the purposes table)",
    )
    def purposes(request: HttpRequest) -> Any:
        return [{**asdict(rule), "label": rule.label} for rule in PURPOSES.values()]

    @router.get(
        "/outreach/no-reply-policy",
        response=PolicyOut,
        url_name="outreach-no-reply-policy",
        summary="When to try another person, when to nudge, when to stop",
    )
    def get_no_reply_policy(request: HttpRequest) -> Any:
        return asdict(policy.policy_of(request.user))

    @router.put(
        "/outreach/no-reply-policy",
        response=PolicyOut,
        url_name="outreach-no-reply-policy-set",
        summary="Change the no-reply policy (messages sent from now on follow it)",
    )
    def set_no_reply_policy(request: HttpRequest, payload: PolicyIn) -> Any:
        numbers = policy.NoReplyPolicy(**payload.model_dump())
        return asdict(policy.set_policy(request.user, numbers))

    crud(
        router,
        name="template",
        plural="message-templates",
        model=MessageTemplate,
        schema_in=TemplateIn,
        schema_out=TemplateOut,
        filters=TemplateFilters,
        apply_filters=filter_by_fields,
        save=save_plain,
    )
    api.add_router("", router)
