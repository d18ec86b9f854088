"""Pages: schedule, prepare, hold and debrief a conversation; stories; questions; chains."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from coffeechat.conversations import services
from coffeechat.conversations.chains import organization_tree, person_chain
from coffeechat.conversations.forms import (
    ConversationForm,
    DebriefForm,
    FollowUpAskForm,
    FollowUpWishForm,
    OwnQuestionForm,
    PromiseForm,
    QuestionForm,
    ReferralForm,
    ReferralUpdateForm,
    RescheduleForm,
    StoryForm,
    people_to_show,
)
from coffeechat.conversations.invitations import email_configured
from coffeechat.conversations.models import (
    ChosenQuestion,
    Conversation,
    Promise,
    PromiseDirection,
    Question,
    Referral,
    Status,
    Story,
)
from coffeechat.conversations.prep import CLOSING_THREE
from coffeechat.conversations.questions import BANK, grouped
from coffeechat.core.pages import apply_form_errors, confirm_delete, form_page, paginate
from coffeechat.core.scoping import form_data, get_owned_or_404, owned
from coffeechat.network.models import Organization, Person

# Lookups ------------------------------------------------------------------------------


def _conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    return get_owned_or_404(
        services.with_people(Conversation.objects.all()), request.user, pk=conversation_id
    )


def _report(request: HttpRequest, conversation: Conversation) -> None:
    report = getattr(conversation, "invitation_report", "")
    if report:
        level = messages.WARNING if "could not" in report else messages.INFO
        messages.add_message(request, level, report)


# List and schedule --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conversation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    chosen = request.POST.getlist("people") if request.method == "POST" else []
    chosen += request.GET.getlist("person")
    query = request.GET.get("q", "").strip()
    shown = people_to_show(user, chosen, query)
    initial: dict[str, Any] = {"people": [p.pk for p in shown if str(p.pk) in chosen]}
    organization_id = request.GET.get("organization", "")
    if organization_id.isdigit():
        organization = owned(Organization, user).filter(pk=organization_id).first()
        if organization is not None:
            initial["organization_name"] = organization.name
    form = ConversationForm(
        form_data(request),
        owner=user,
        shown_people=shown,
        initial={**initial, "invite": email_configured()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.schedule_conversation(
                user,
                form.instance,
                list(form.cleaned_data["people"]),
                invite=form.cleaned_data["invite"],
                organization_name=form.cleaned_data["organization_name"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Scheduled. Prepare with the brief below.")
            _report(request, conversation)
            return redirect("conversations:conversation-prep", conversation_id=conversation.pk)
    return render(
        request,
        "conversations/conversation_form.html",
        {
            "form": form,
            "query": query,
            "chosen_ids": [p.pk for p in shown if str(p.pk) in chosen],
            "email_configured": email_configured(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation_update(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = request.user
    conversation = _conversation(request, conversation_id)
    current = list(conversation.participants.all())
    chosen = (
        request.POST.getlist("people")
        if request.method == "POST"
        else [str(p.pk) for p in current] + request.GET.getlist("person")
    )
    query = request.GET.get("q", "").strip()
    shown = people_to_show(user, chosen, query)
    form = ConversationForm(
        form_data(request),
        owner=user,
        instance=conversation,
        shown_people=shown,
        initial={"people": [int(i) for i in chosen if i.isdigit()]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_conversation(
                user,
                form.instance,
                list(form.cleaned_data["people"]),
                organization_name=form.cleaned_data["organization_name"],
                invite=form.cleaned_data["invite"] or None,
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Saved the conversation.")
            _report(request, form.instance)
            return redirect(form.instance)
    return render(
        request,
        "conversations/conversation_form.html",
        {
            "form": form,
            "conversation": conversation,
            "query": query,
            "chosen_ids": [int(i) for i in chosen if i.isdigit()],
            "email_configured": email_configured(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation_reschedule(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    from coffeechat.core.calendar import user_zone

    zone = user_zone(request.user)
    local = conversation.starts_at.astimezone(zone)
    form = RescheduleForm(
        form_data(request),
        initial={
            "day": local.date(),
            "at": local.time(),
            "time_zone": str(zone),
            "duration_minutes": conversation.duration_minutes,
            "invite": conversation.invitation_sent_at is not None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_conversation(
                request.user,
                conversation,
                form.starts_at(),
                form.cleaned_data["duration_minutes"],
                time_zone=form.cleaned_data["time_zone"],
                invite=form.cleaned_data["invite"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Moved the conversation.")
            _report(request, conversation)
            return redirect(conversation)
    return render(
        request,
        "conversations/conversation_reschedule.html",
        {"form": form, "conversation": conversation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation_cancel(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    if request.method == "POST":
        try:
            services.cancel_conversation(request.user, conversation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Cancelled the conversation.")
            _report(request, conversation)
        return redirect(conversation)
    return render(request, "conversations/conversation_cancel.html", {"conversation": conversation})


@login_required
@require_POST
def conversation_invite(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    try:
        report = services.invite(request.user, conversation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        level = messages.WARNING if "could not" in report else messages.INFO
        messages.add_message(request, level, report)
    return redirect(conversation)


@login_required
@require_http_methods(["GET", "POST"])
def conversation_delete(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    return confirm_delete(
        request,
        conversation,
        f"the conversation of {conversation.starts_at:%d %b %Y}",
        "conversations:conversation-list",
        kind="conversation",
    )


# Prepare ------------------------------------------------------------------------------


@login_required
@require_POST
def conversation_questions(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Add, remove, reorder, propose: one small form per action on the prep page."""
    user = request.user
    conversation = _conversation(request, conversation_id)
    action = request.POST.get("action", "")
    chosen: ChosenQuestion | None = None
    if "chosen" in request.POST:
        chosen = get_owned_or_404(
            ChosenQuestion.objects.filter(conversation=conversation),
            user,
            pk=request.POST["chosen"],
        )
    try:
        if action == "add" and request.POST.get("key"):
            services.add_builtin_question(user, conversation, request.POST["key"])
        elif action == "add-mine" and request.POST.get("question"):
            question = get_owned_or_404(Question, user, pk=request.POST["question"])
            services.add_own_question(user, conversation, question.text, question=question)
        elif action == "add-own":
            form = OwnQuestionForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Write the question (at most 500 characters).")
            services.add_own_question(
                user,
                conversation,
                form.cleaned_data["text"],
                topic=form.cleaned_data["topic"],
                keep=form.cleaned_data["keep"],
            )
        elif action == "propose":
            people = list(conversation.participants.all())
            services.choose_proposed_questions(
                user, conversation, people[0].level if people else ""
            )
        elif action in {"up", "down"} and chosen is not None:
            services.move_chosen(user, chosen, -1 if action == "up" else 1)
        elif action == "remove" and chosen is not None:
            services.remove_chosen(user, chosen)
        elif action == "order":
            ids = [int(i) for i in request.POST.getlist("order") if i.isdigit()]
            services.set_chosen_order(user, conversation, ids)
        else:
            raise ValidationError("Unknown action.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{conversation.get_absolute_url()}prep/#questions")


# Hold ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conversation_hold(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The half hour: countdown, notes that save as you type, questions to tick, and
    "they asked me to follow up on X by Y"."""
    user = request.user
    conversation = _hold_conversation(request, conversation_id)
    people = list(conversation.participants.all())
    ask = FollowUpAskForm(
        request.POST if request.method == "POST" and "autosave" not in request.POST else None,
        people=people,
    )
    if request.method == "POST":
        asked = [int(i) for i in request.POST.getlist("asked") if i.isdigit()]
        services.save_quick_notes(
            user,
            conversation,
            request.POST.get("notes", "")[:100_000],
            asked=asked,
            closing={name: name in request.POST for name, _label, _help in CLOSING_THREE},
        )
        if request.POST.get("autosave") == "1":
            return HttpResponse(status=204)
        recorded = _record_ask(request, conversation, ask)
        if recorded is None:  # the notes and ticks are saved: show them, and what is wrong
            conversation = _hold_conversation(request, conversation_id)
            return _hold_page(request, conversation, people, ask, status=422)
        messages.success(request, recorded or "Notes saved.")
        if request.POST.get("next") == "debrief":
            if conversation.status == Status.SCHEDULED:
                services.mark_held(user, conversation)
            return redirect("conversations:conversation-debrief", conversation_id=conversation.pk)
        return redirect("conversations:conversation-hold", conversation_id=conversation.pk)
    return _hold_page(request, conversation, people, ask)


def _hold_conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    return get_owned_or_404(
        services.with_people(Conversation.objects.all()).prefetch_related(
            "chosen_questions", Prefetch("promises", Promise.objects.select_related("person"))
        ),
        request.user,
        pk=conversation_id,
    )


def _record_ask(
    request: HttpRequest, conversation: Conversation, ask: FollowUpAskForm
) -> str | None:
    """Record a filled-in "they asked me to follow up": the message to show, "" when the
    form was left empty, None when it has errors (they are on the form)."""
    if not ask.is_filled():
        return ""
    if ask.is_valid():
        try:
            promise = services.record_follow_up_request(
                request.user,
                conversation,
                about=ask.cleaned_data["about"],
                person=ask.cleaned_data["person"],
                due_on=ask.cleaned_data["due_on"],
            )
        except ValidationError as error:
            apply_form_errors(ask, error)
        else:
            return f"Notes saved. Noted for the debrief: {promise.text}."
    return None


def _hold_page(
    request: HttpRequest,
    conversation: Conversation,
    people: list[Person],
    ask: FollowUpAskForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "conversations/conversation_hold.html",
        {
            "conversation": conversation,
            "chosen": list(conversation.chosen_questions.all()),
            "closing": [
                (name, label, help_text, getattr(conversation, name))
                for name, label, help_text in CLOSING_THREE
            ],
            "ask_form": ask,
            "asked_of_me": [
                p for p in conversation.promises.all() if p.direction == PromiseDirection.MINE
            ],
            "referral_form": ReferralForm(people=people),
            "people": people,
            "times": services.local_times(conversation, request.user),
        },
        status=status,
    )


# Debrief ------------------------------------------------------------------------------


def _learnings_by_topic(conversation: Conversation) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for learning in conversation.learnings.all():
        found.setdefault(learning.topic, []).append(learning.text)
    return {topic: "\n".join(lines) for topic, lines in found.items()}


@login_required
@require_http_methods(["GET", "POST"])
def conversation_debrief(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = request.user
    conversation = get_owned_or_404(
        services.with_people(Conversation.objects.all()).prefetch_related(
            "learnings",
            Prefetch("referrals", Referral.objects.select_related("person", "referred_by")),
            Prefetch("promises", Promise.objects.select_related("person")),
        ),
        user,
        pk=conversation_id,
    )
    if conversation.status == Status.CANCELLED:
        raise Http404("A cancelled conversation has no debrief.")
    people = list(conversation.participants.all())
    data = form_data(request)
    form = DebriefForm(data, instance=conversation, learnings=_learnings_by_topic(conversation))
    wish_forms = [
        (person, FollowUpWishForm(data, instance=person, prefix=f"p{person.pk}"))
        for person in people
    ]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for _p, f in wish_forms):
        try:
            services.save_debrief(
                user,
                conversation,
                notes=form.cleaned_data["debrief_notes"],
                fit=form.cleaned_data["fit"],
                fit_reason=form.cleaned_data["fit_reason"],
                told_them_fit=form.cleaned_data["told_them_fit"],
                learnings=form.learnings(),
                wishes={p.pk: f.cleaned_data for p, f in wish_forms},
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Debrief saved. Now thank everyone you spoke with.")
            return redirect(f"{conversation.get_absolute_url()}debrief/#thanks")
    thanks = []
    for person in people:
        context = services.thank_you_context(conversation, person)
        thanks.append(
            {
                "person": person,
                "url": services.thank_you_url(conversation, person),
                "text": services.thank_you_text(context),
            }
        )
    return render(
        request,
        "conversations/conversation_debrief.html",
        {
            "conversation": conversation,
            "form": form,
            "wish_forms": wish_forms,
            "referral_form": ReferralForm(people=people),
            "promise_form": PromiseForm(people=people),
            "thanks": thanks,
            "people": people,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = request.user
    conversation = _conversation(request, conversation_id)
    people = list(conversation.participants.all())
    form = ReferralForm(form_data(request), people=people)
    back = request.POST.get("back") or request.GET.get("back") or "debrief"
    if request.method == "POST" and form.is_valid():
        referred_by = next(p for p in people if p.pk == form.cleaned_data["referred_by"])
        try:
            referral = services.add_referral(
                user,
                conversation,
                referred_by=referred_by,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                organization_name=form.cleaned_data["organization_name"],
                title=form.cleaned_data["title"],
                has_hiring_authority=form.cleaned_data["has_hiring_authority"],
                will_introduce=form.cleaned_data["will_introduce"],
                note=form.cleaned_data["note"],
                follow_up_on=form.cleaned_data["follow_up_on"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            how = (
                f"matched to {referral.person.full_name} already in your network"
                if referral.matched_existing
                else f"{referral.person.full_name} added to your network"
            )
            messages.success(
                request, f"Referral saved: {how}, referred by {referred_by.full_name}."
            )
            page = "hold" if back == "hold" else "debrief"
            return redirect(f"conversations:conversation-{page}", conversation_id=conversation.pk)
    return render(
        request,
        "conversations/referral_form.html",
        {"form": form, "conversation": conversation, "back": back},
    )


def _referral(request: HttpRequest, referral_id: int) -> Referral:
    return get_owned_or_404(
        Referral.objects.select_related("person", "referred_by", "conversation"),
        request.user,
        pk=referral_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_update(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _referral(request, referral_id)
    form = ReferralUpdateForm(form_data(request), instance=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_referral(
                request.user,
                referral,
                will_introduce=form.cleaned_data["will_introduce"],
                note=form.cleaned_data["note"],
                follow_up_on=form.cleaned_data["follow_up_on"],
                clear_follow_up=form.cleaned_data["follow_up_on"] is None,
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"Saved the referral of {referral.person.full_name}.")
            return redirect(
                "conversations:conversation-debrief", conversation_id=referral.conversation_id
            )
    return render(
        request, "conversations/referral_update.html", {"form": form, "referral": referral}
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_delete(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Delete a referral (and its tie); the person too only if asked and nothing else."""
    user = request.user
    referral = _referral(request, referral_id)
    attached = services.person_attachments(user, referral)
    name = referral.person.full_name

    def delete() -> str:
        wanted = request.POST.get("delete_person") == "1"
        gone = services.delete_referral(user, referral, delete_person=wanted)
        if gone:
            return f"Deleted the referral and {name}."
        return f"Deleted the referral; {name} stays in your network."

    return confirm_delete(
        request,
        referral,
        f"the referral of {name} by {referral.referred_by.full_name}",
        "conversations:conversation-debrief",
        kind="referral",
        delete=delete,
        template="conversations/referral_confirm_delete.html",
        extra={"referral": referral, "attached": attached},
        conversation_id=referral.conversation_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def promise_create(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = request.user
    conversation = _conversation(request, conversation_id)
    people = list(conversation.participants.all())
    form = PromiseForm(form_data(request), people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_promise(
                user,
                conversation,
                direction=form.cleaned_data["direction"],
                text=form.cleaned_data["text"],
                person=form.cleaned_data["person"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Promise saved.")
            return redirect("conversations:conversation-debrief", conversation_id=conversation.pk)
    return render(
        request, "conversations/promise_form.html", {"form": form, "conversation": conversation}
    )


@login_required
@require_POST
def promise_done(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = get_owned_or_404(Promise, request.user, pk=promise_id)
    services.set_promise_done(request.user, promise, request.POST.get("done", "1") == "1")
    return redirect("conversations:conversation-debrief", conversation_id=promise.conversation_id)


# Stories ------------------------------------------------------------------------------


@login_required
def story_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "conversations/story_list.html",
        {"page": paginate(request, owned(Story, request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_create(request: HttpRequest) -> HttpResponse:
    form = StoryForm(form_data(request), owner=request.user)
    return form_page(
        request,
        form,
        "conversations/story_form.html",
        success="Saved the story.",
        back="conversations:story-list",
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_update(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_owned_or_404(Story, request.user, pk=story_id)
    form = StoryForm(form_data(request), instance=story, owner=request.user)
    return form_page(
        request,
        form,
        "conversations/story_form.html",
        success="Saved the story.",
        back="conversations:story-list",
        extra={"story": story},
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_delete(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_owned_or_404(Story, request.user, pk=story_id)
    return confirm_delete(request, story, f"the story “{story.title}”", "conversations:story-list")


# Questions ----------------------------------------------------------------------------


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "conversations/question_list.html",
        {"own": list(owned(Question, request.user)), "bank": grouped(BANK), "total": len(BANK)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(form_data(request), owner=request.user)
    return form_page(
        request,
        form,
        "conversations/question_form.html",
        success="Saved the question in your bank.",
        back="conversations:question-list",
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_update(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_owned_or_404(Question, request.user, pk=question_id)
    form = QuestionForm(form_data(request), instance=question, owner=request.user)
    return form_page(
        request,
        form,
        "conversations/question_form.html",
        success="Saved the question.",
        back="conversations:question-list",
        extra={"question": question},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_owned_or_404(Question, request.user, pk=question_id)
    return confirm_delete(
        request, question, "the question from your bank", "conversations:question-list"
    )


# Chains -------------------------------------------------------------------------------


@login_required
def person_referral_chain(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=person_id)
    return render(
        request,
        "conversations/person_chain.html",
        {"person": person, "chain": person_chain(request.user, person)},
    )


@login_required
def organization_conversation_tree(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_owned_or_404(Organization, request.user, pk=organization_id)
    return render(
        request,
        "conversations/organization_tree.html",
        {"organization": organization, "tree": organization_tree(request.user, organization)},
    )
