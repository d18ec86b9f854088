"""The conversations list, a conversation's page, its prep page and its .ics: the
calendar's rows with what outreach adds (the requests waiting to be scheduled, the
situations of the people taking part, the address the user's invitations come from)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coffeechat.conversations import services
from coffeechat.conversations.forms import OwnQuestionForm
from coffeechat.conversations.ics import build_calendar, filename_for
from coffeechat.conversations.models import Conversation, Participant, Promise, Referral, Status
from coffeechat.conversations.prep import brief
from coffeechat.core.pages import paginate
from coffeechat.core.scoping import get_owned_or_404
from coffeechat.outreach.invitations import invitation_sender
from coffeechat.outreach.mail import can_send
from coffeechat.outreach.requests import one_per_person, to_schedule
from coffeechat.outreach.situations import situations_for


@login_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    base = services.conversations_for_list(user)
    upcoming = base.upcoming(now).order_by("starts_at", "pk")  # type: ignore[attr-defined]
    due = base.debrief_due(now).order_by("-starts_at", "pk")  # type: ignore[attr-defined]
    status = request.GET.get("status", "")
    everything = base.order_by("-starts_at", "-pk")
    if status in Status.values:
        everything = everything.filter(status=status)
    return render(
        request,
        "conversations/conversation_list.html",
        {
            "upcoming": list(upcoming[:20]),
            "due": list(due[:20]),
            "to_schedule": one_per_person(to_schedule(user, now=now), 20),
            "page": paginate(request, everything),
            "status": status,
            "statuses": Status.choices,
        },
    )


@login_required
def conversation_detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = get_owned_or_404(
        services.with_people(Conversation.objects.all()).prefetch_related(
            "learnings",
            Prefetch("referrals", Referral.objects.select_related("person", "referred_by")),
            Prefetch("promises", Promise.objects.select_related("person")),
            Prefetch("participant_rows", Participant.objects.select_related("person")),
        ),
        request.user,
        pk=conversation_id,
    )
    return render(
        request,
        "conversations/conversation_detail.html",
        {
            "conversation": conversation,
            "times": services.local_times(conversation, request.user),
            "email_configured": can_send(request.user),
            "situations": situations_for(request.user, conversation),
        },
    )


@login_required
def conversation_prep(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = get_owned_or_404(
        services.with_people(Conversation.objects.all()).prefetch_related("chosen_questions"),
        request.user,
        pk=conversation_id,
    )
    context = brief(request.user, conversation)
    context["times"] = services.local_times(conversation, request.user)
    context["own_form"] = OwnQuestionForm()
    context["situations"] = situations_for(request.user, conversation)
    return render(request, "conversations/conversation_prep.html", context)


@login_required
def conversation_ics(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The conversation for my own calendar: the invitation's UID, and as ORGANIZER the
    address my invitations come from (my own SMTP server's, else my account's)."""
    conversation = get_owned_or_404(
        services.with_people(Conversation.objects.all()), request.user, pk=conversation_id
    )
    organizer = invitation_sender(request.user).organizer_email
    response = HttpResponse(
        build_calendar(conversation, organizer_email=organizer),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename_for(conversation)}"'
    return response
