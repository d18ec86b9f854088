"""Pages: the message list, the composer, a message, templates, reply rates, e-mail settings."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from coffeechat.conversations.models import Conversation
from coffeechat.core.pages import apply_form_errors, confirm_delete, next_url, paginate
from coffeechat.core.scoping import form_data, get_owned_or_404, owned
from coffeechat.network.addresses import bounce_warning_for
from coffeechat.network.models import Organization, Person
from coffeechat.network.services import find_people
from coffeechat.outreach import mail, services
from coffeechat.outreach.builtin import all_builtins, builtin
from coffeechat.outreach.checks import load_context, run_checks, split_dismissed
from coffeechat.outreach.forms import MessageForm, SmtpForm, StartForm, StatusForm, TemplateForm
from coffeechat.outreach.models import (
    LINKEDIN_NOTE_LIMIT,
    Channel,
    ConnectionCheck,
    Message,
    MessageTemplate,
    Purpose,
    SmtpSettings,
    Status,
)
from coffeechat.outreach.rendering import VARIABLES, TemplateError
from coffeechat.outreach.services import connection_checks
from coffeechat.outreach.services.connection_checks import TooManyTests
from coffeechat.outreach.situations import Situation, situations_for_person
from coffeechat.targets.models import Application, Posting

# Query parameters of the composer that are not template variables.
COMPOSE_PARAMS = {
    "person",
    "purpose",
    "channel",
    "ask",
    "organization",
    "nudge_of",
    "template",
    "path",
    "conversation",
    "application",
    "posting",
}
EXTRA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,39}$")
PREFERRED_CHANNELS = {"email": Channel.EMAIL, "linkedin": Channel.LINKEDIN, "phone": Channel.PHONE}


def _dismissed(data: QueryDict) -> list[str]:
    keys = [k.strip() for k in str(data.get("dismissed") or "").split(",") if k.strip()]
    dismiss = str(data.get("dismiss") or "").strip()
    undismiss = str(data.get("undismiss") or "").strip()
    if dismiss:
        keys.append(dismiss)
    if undismiss:
        keys = [k for k in keys if k != undismiss]
    return sorted(set(keys))[:20]


def _checks_context(
    request: HttpRequest,
    person: Person,
    *,
    purpose: str,
    channel: str,
    subject: str,
    body: str,
    organization_id: int | None,
    message_id: int | None,
    dismissed: list[str],
) -> dict[str, Any]:
    ctx = load_context(
        request.user, person, organization_id=organization_id, exclude_message=message_id
    )
    found = run_checks(ctx, purpose=purpose, channel=channel, subject=subject, body=body)
    active, hidden = split_dismissed(found, dismissed)
    return {
        "checks": active,
        "dismissed_checks": hidden,
        "dismissed_value": ",".join(dismissed),
        "characters": len(body),
        "words": len(body.split()),
        "linkedin_limit": LINKEDIN_NOTE_LIMIT if channel == Channel.LINKEDIN else None,
    }


# Message list --------------------------------------------------------------------------


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status", "")
    queryset = services.messages_for_list(user)
    if status in Status.values:
        queryset = queryset.filter(status=status)
    counts = dict(owned(Message, user).order_by().values_list("status").annotate(n=Count("pk")))
    page = paginate(request, queryset.order_by("-created_at", "-pk"))
    return render(
        request,
        "outreach/message_list.html",
        {
            "page": page,
            "status": status,
            "tabs": [(s.value, s.label, counts.get(s.value, 0)) for s in Status],
            "total": sum(counts.values()),
        },
    )


# Composer ------------------------------------------------------------------------------


def _pick_person(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    people = find_people(owned(Person, request.user), query, 20)
    return render(request, "outreach/compose_pick.html", {"query": query, "people": people})


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    user = request.user
    params = request.GET
    if not params.get("person"):
        return _pick_person(request)
    person = get_owned_or_404(
        Person.objects.prefetch_related("email_addresses"), user, pk=params.get("person")
    )
    organization = (
        get_owned_or_404(Organization, user, pk=params["organization"])
        if params.get("organization")
        else None
    )
    nudge_of = (
        get_owned_or_404(Message, user, pk=params["nudge_of"]) if params.get("nudge_of") else None
    )
    template = (
        get_owned_or_404(MessageTemplate, user, pk=params["template"])
        if params.get("template")
        else None
    )
    conversation = (
        get_owned_or_404(Conversation, user, pk=params["conversation"])
        if params.get("conversation")
        else None
    )
    application = (
        get_owned_or_404(
            Application.objects.select_related("organization"), user, pk=params["application"]
        )
        if params.get("application")
        else None
    )
    posting = (
        get_owned_or_404(Posting.objects.select_related("organization"), user, pk=params["posting"])
        if params.get("posting")
        else None
    )
    purpose = params.get("purpose", "")
    if purpose not in Purpose.values:
        purpose = ""  # compose proposes one
    channel = params.get("channel", "")
    if channel not in Channel.values:
        channel = PREFERRED_CHANNELS.get(person.preferred_channel, Channel.EMAIL)
    ask = params.get("ask", "call")
    extra = {
        key: str(value)[:2000]
        for key, value in params.items()
        if key not in COMPOSE_PARAMS and EXTRA_NAME.match(key) and key != "q"
    }
    situations = situations_for_person(user, person)  # shown, and they set the purpose
    try:
        message = services.compose(
            user,
            person,
            purpose,
            channel=channel,
            ask=ask,
            extra=extra,
            organization=organization,
            path_key=params.get("path", ""),
            nudge_of=nudge_of,
            template=template,
            conversation=conversation,
            application=application,
            posting=posting,
            situations=situations,
        )
    except TemplateError as error:
        return render(
            request,
            "outreach/template_broken.html",
            {"error": error, "person": person, "template": template},
            status=422,
        )
    return _composer(request, message, person, situations)


def _composer(
    request: HttpRequest,
    message: Message,
    person: Person,
    situations: list[Situation] | None = None,
) -> HttpResponse:
    addresses = list(person.email_addresses.all())
    emails = [e.email for e in addresses]
    form = MessageForm(form_data(request), instance=message, emails=emails)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            saved = services.save_draft(
                request.user, form.instance, dismissed=_dismissed(request.POST)
            )
            if action == "send":
                try:
                    services.send_email(saved)
                except ValidationError as error:
                    messages.error(
                        request, "Saved as a draft, not sent: " + " ".join(error.messages)
                    )
                    return redirect(saved)
                messages.success(request, f"Sent to {person.full_name} <{saved.to_email}>.")
            elif action == "mark_sent":
                services.mark_sent(saved)
                messages.success(request, f"Marked as sent to {person.full_name}.")
            else:
                messages.success(request, "Draft saved.")
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            return redirect(saved)
    data = request.POST if request.method == "POST" else None
    subject = data.get("subject", message.subject) if data else message.subject
    body = data.get("body", message.body) if data else message.body
    dismissed = _dismissed(data) if data else list(message.dismissed_checks or [])
    chosen = data.get("to_email", message.to_email) if data else message.to_email
    bounce, other_addresses = bounce_warning_for(addresses, chosen or "")
    start = StartForm(
        initial={
            "purpose": message.purpose,
            "channel": message.channel,
            "ask": message.ask or "call",
        }
    )
    return render(
        request,
        "outreach/message_form.html",
        {
            "form": form,
            "message": message,
            "person": person,
            "start": start,
            "keep": [
                (key, value)
                for key, value in request.GET.items()
                if key not in {"purpose", "channel", "ask"}
            ],
            "can_send": mail.can_send(request.user),
            "bounce_warning": bounce,
            "other_addresses": other_addresses,
            "situations": (
                situations
                if situations is not None
                else situations_for_person(request.user, person)
            ),
            **_checks_context(
                request,
                person,
                purpose=message.purpose,
                channel=message.channel,
                subject=subject,
                body=body,
                organization_id=message.organization_id,
                message_id=message.pk,
                dismissed=dismissed,
            ),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def live_checks(request: HttpRequest) -> HttpResponse:
    """The etiquette checks for the text being typed (htmx swaps them in)."""
    data = request.POST
    person = get_owned_or_404(Person, request.user, pk=data.get("person"))
    message_id = None
    if data.get("message"):
        message_id = get_owned_or_404(Message, request.user, pk=data["message"]).pk
    organization_id = None
    if data.get("organization"):
        organization_id = get_owned_or_404(Organization, request.user, pk=data["organization"]).pk
    purpose = data.get("purpose", "")
    channel = data.get("channel", "")
    return render(
        request,
        "outreach/_checks.html",
        _checks_context(
            request,
            person,
            purpose=purpose if purpose in Purpose.values else Purpose.INFORMATIONAL,
            channel=channel if channel in Channel.values else Channel.EMAIL,
            subject=data.get("subject", ""),
            body=data.get("body", ""),
            organization_id=organization_id,
            message_id=message_id,
            dismissed=_dismissed(data),
        ),
    )


# One message ---------------------------------------------------------------------------


def _message(request: HttpRequest, message_id: int) -> Message:
    return get_owned_or_404(
        Message.objects.select_related("person", "organization", "nudge_of", "template"),
        request.user,
        pk=message_id,
    )


@login_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    context: dict[str, Any] = {
        "message": message,
        "person": message.person,
        "can_send": mail.can_send(request.user),
        "status_form": StatusForm(initial={"status": message.status}),
        "nudges": list(owned(Message, request.user).filter(nudge_of=message)),
        "mailto": mail.mailto_url(message) if message.channel == Channel.EMAIL else "",
        "mailto_limit": mail.MAILTO_LIMIT,
    }
    if message.is_draft and message.channel == Channel.EMAIL and message.to_email:
        bounce, others = bounce_warning_for(message.person.email_addresses.all(), message.to_email)
        context.update(bounce_warning=bounce, other_addresses=others)
    if message.is_draft:
        context.update(
            _checks_context(
                request,
                message.person,
                purpose=message.purpose,
                channel=message.channel,
                subject=message.subject,
                body=message.body,
                organization_id=message.organization_id,
                message_id=message.pk,
                dismissed=list(message.dismissed_checks or []),
            )
        )
    return render(request, "outreach/message_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def message_update(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    if not message.is_draft:
        messages.error(request, "This message went out already; it can no longer be edited.")
        return redirect(message)
    return _composer(request, message, message.person)


@login_required
@require_POST
def message_send(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    try:
        services.send_email(message)
    except ValidationError as error:
        messages.error(request, "Not sent: " + " ".join(error.messages))
    else:
        messages.success(request, f"Sent to {message.person.full_name} <{message.to_email}>.")
    return redirect(message)


@login_required
@require_POST
def message_mark_sent(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    try:
        services.mark_sent(message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Marked as sent to {message.person.full_name}.")
    return redirect(next_url(request, message.get_absolute_url()))


@login_required
@require_POST
def message_replied(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    try:
        services.mark_replied(message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{message.person.full_name} replied. Well done.")
    return redirect(next_url(request, message.get_absolute_url()))


@login_required
@require_POST
def message_status(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_status(message, form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Status: {message.get_status_display()}.")
    else:
        messages.error(request, "Choose a status.")
    return redirect(next_url(request, message.get_absolute_url()))


@login_required
@require_POST
def message_queue(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    try:
        if message.queued_at:
            services.unqueue(message)
            messages.success(request, "Taken out of the queue.")
        else:
            services.queue(message)
            messages.success(request, "Queued: `coffeechat send-queued` will send it.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(message)


@login_required
def message_eml(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    if message.channel != Channel.EMAIL:
        messages.error(request, "Only e-mail messages have an .eml file.")
        return redirect(message)
    try:
        data = mail.eml_bytes(message)
    except ValidationError as error:
        messages.error(request, "No .eml file: " + " ".join(error.messages))
        return redirect(message)
    response = HttpResponse(data, content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{message.pk}.eml"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def message_delete(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    return confirm_delete(
        request,
        message,
        f"the message “{message.title}” to {message.person}",
        "outreach:message-list",
    )


# Templates -----------------------------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    mine = list(owned(MessageTemplate, request.user))
    return render(
        request,
        "outreach/template_list.html",
        {"mine": mine, "builtins": all_builtins(), "variables": VARIABLES},
    )


def _preview(request: HttpRequest, template: MessageTemplate) -> dict[str, Any]:
    people = list(owned(Person, request.user).order_by("last_name", "first_name", "pk")[:100])
    person = None
    if request.GET.get("person"):
        person = get_owned_or_404(Person, request.user, pk=request.GET["person"])
    elif people:
        person = people[0]
    preview: Message | None = None
    error = ""
    if person is not None and template.body:
        try:
            preview = services.preview(request.user, template, person)
        except TemplateError as problem:
            error = str(problem)
    return {"people": people, "preview_person": person, "preview": preview, "preview_error": error}


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    template = MessageTemplate(owner=user)
    source = request.GET.get("from", "")
    if ":" in source:
        purpose, channel = source.split(":", 1)
        if purpose in Purpose.values and channel in Channel.values:
            built = builtin(purpose, channel)
            template = MessageTemplate(
                owner=user,
                name=f"My {Purpose(purpose).label.lower()} ({Channel(channel).label})",
                purpose=purpose,
                channel=channel,
                subject=built.subject,
                body=built.body,
                based_on=built.key,
            )
    return _template_page(request, template)


@login_required
@require_http_methods(["GET", "POST"])
def template_update(request: HttpRequest, template_id: int) -> HttpResponse:
    template = get_owned_or_404(MessageTemplate, request.user, pk=template_id)
    return _template_page(request, template)


def _template_page(request: HttpRequest, template: MessageTemplate) -> HttpResponse:
    from coffeechat.core.scoping import save_owned

    form = TemplateForm(form_data(request), instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_owned(request.user, form.instance)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"Saved the template “{saved.name}”.")
            return redirect(saved)
    return render(
        request,
        "outreach/template_form.html",
        {"form": form, "template": template, "variables": VARIABLES, **_preview(request, template)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_delete(request: HttpRequest, template_id: int) -> HttpResponse:
    template = get_owned_or_404(MessageTemplate, request.user, pk=template_id)
    return confirm_delete(
        request, template, f"the template “{template.name}”", "outreach:template-list"
    )


# Insight and settings ------------------------------------------------------------------


@login_required
def insights(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/insights.html", {"rates": services.reply_rates(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def smtp_settings(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    if action == "delete":
        services.delete_smtp_settings(user)
        messages.success(request, "Your SMTP settings are deleted.")
        return redirect("outreach:smtp-settings")
    if action == "test":
        try:
            started = services.start_smtp_test(user)
        except TooManyTests as error:
            messages.error(request, str(error))
            return redirect("outreach:smtp-settings")
        return redirect(f"{reverse('outreach:smtp-settings')}?check={started.pk}")
    current = SmtpSettings.objects.filter(owner=user).first()
    initial: dict[str, Any] = {"from_email": user.email}
    if current is not None:
        initial = {
            "host": current.host,
            "port": current.port,
            "security": current.security,
            "username": current.username,
            "from_email": current.from_email,
        }
    form = SmtpForm(form_data(request), initial=initial)
    check = connection_checks.check_of(user, request.GET.get("check"), ConnectionCheck.Kind.SMTP)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "test_typed":
                server = services.typed_server(
                    user,
                    host=data["host"],
                    port=data["port"],
                    security=data["security"],
                    username=data["username"],
                    password=data["password"],
                )
                typed = {**dataclasses.asdict(server), "from_email": data["from_email"]}
                try:
                    check = services.start_smtp_test(user, typed)
                except TooManyTests as error:
                    raise ValidationError(str(error)) from None
            else:
                services.save_smtp_settings(
                    user,
                    host=data["host"],
                    port=data["port"],
                    security=data["security"],
                    username=data["username"],
                    password=data["password"] or None,
                    from_email=data["from_email"],
                )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            if action != "test_typed":
                messages.success(request, "Saved. Messages now go out through your SMTP server.")
                return redirect("outreach:smtp-settings")
    return render(
        request,
        "outreach/smtp_settings.html",
        {
            "form": form,
            "current": current,
            "instance_can_send": mail.instance_can_send(),
            "check": connection_checks.progress_of(check) if check else None,
        },
    )


@login_required
def smtp_check(request: HttpRequest, check_id: int) -> HttpResponse:
    """The live status of a connection test (polled by the settings page every second)."""
    check = connection_checks.check_of(request.user, check_id)
    if check is None:
        raise Http404("No such test.")
    # No request context: a fragment polled every second needs no menu counts.
    return HttpResponse(
        render_to_string(
            "outreach/_connection_check.html",
            {"check": connection_checks.progress_of(check), "poll_url": request.path},
        )
    )
