"""API routes for conversations, stories, questions, referrals, promises and chains.

No ``from __future__ import annotations`` here: django-ninja reads the real types.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema
from pydantic import Field

from coffeechat.api.routers.network import Input, ObjectId, crud, filter_by_fields, save_plain
from coffeechat.conversations import services
from coffeechat.conversations.chains import ChainNode, organization_tree, person_chain
from coffeechat.conversations.models import (
    Conversation,
    Participant,
    Promise,
    Question,
    Referral,
    Story,
)
from coffeechat.conversations.questions import BANK
from coffeechat.core.scoping import get_owned_or_404, owned
from coffeechat.network.models import Organization, Person

# Conversations ------------------------------------------------------------------------

ANSWER_ROWS = Prefetch("participant_rows", Participant.objects.select_related("person"))


class ConversationFields(Schema):
    person_ids: list[ObjectId] = Field(min_length=1, description="The people you talk with")
    organization_id: ObjectId | None = Field(
        None, description="Default: the first person's employer"
    )
    purpose: str = Field(
        "informational",
        description="informational, opening, rejection_feedback or supervisor",
    )
    posting_id: ObjectId | None = Field(None, description="For purpose opening")
    mode: str = Field("video", description="phone, video, coffee, lunch or visit")
    mode_detail: str = Field("", max_length=500, description="Number, link, place or address")
    starts_at: datetime.datetime = Field(
        description="With an offset (stored in UTC); without one, read in time_zone"
    )
    time_zone: str = Field("", description="The zone the time was entered in, e.g. Europe/Berlin")
    duration_minutes: int = Field(30, ge=5, le=480)
    quick_notes: str = ""


class ConversationIn(ConversationFields, Input):
    invite: bool = Field(
        False,
        description="E-mail an invitation; refused (422) when no mail server can send it",
    )


class AnswerOut(Schema):
    person_id: int
    name: str
    answer: str = Field(description="needs_action, accepted, tentative or declined")
    answered_at: datetime.datetime | None = Field(
        description="When they answered (the reply's DTSTAMP); null until they do"
    )


class ConversationOut(ConversationFields):
    id: int
    person_ids: list[int] = Field(
        description="The people you talk with; empty once you deleted all of them"
    )
    uid: str
    sequence: int
    status: str
    ends_at: datetime.datetime
    people: list[str]
    invitation_sent_at: datetime.datetime | None
    debriefed_at: datetime.datetime | None
    title: str = Field(description="The summary of an invitation someone else sent")
    answers: list[AnswerOut] = Field(description="Each participant's answer to the invitation")
    external_uid: str = Field(description="The UID of someone else's invitation; empty for yours")
    organizer_email: str = Field(description="Who sent someone else's invitation")

    @staticmethod
    def resolve_answers(obj: Conversation) -> list[dict[str, Any]]:
        return [
            {
                "person_id": row.person_id,
                "name": row.person.full_name,
                "answer": row.answer,
                "answered_at": row.answered_at,
            }
            for row in obj.participant_rows.all()
        ]

    @staticmethod
    def resolve_person_ids(obj: Conversation) -> list[int]:
        return [p.pk for p in obj.participants.all()]

    @staticmethod
    def resolve_people(obj: Conversation) -> list[str]:
        return [p.full_name for p in obj.participants.all()]


class ConversationFilters(Input):
    status: str | None = None
    organization_id: ObjectId | None = None


def _starts_at(value: datetime.datetime, zone: str) -> datetime.datetime:
    if value.tzinfo is None:
        return services.aware(value.date(), value.time(), zone or "UTC")
    return value


def save_conversation(owner: Any, conversation: Conversation, data: dict[str, Any]) -> Any:
    person_ids = data.pop("person_ids", None)
    invite = data.pop("invite", False)
    zone = data.get("time_zone", conversation.time_zone)
    if "starts_at" in data:
        data["starts_at"] = _starts_at(data["starts_at"], zone)
    for key, value in data.items():
        setattr(conversation, key, value)
    people = None
    if person_ids is not None:
        people = list(owned(Person, owner).filter(pk__in=person_ids))
        if len(people) != len(set(person_ids)):
            raise DjangoValidationError({"person_ids": "There is no such person in your network."})
        order = {pk: i for i, pk in enumerate(person_ids)}
        people.sort(key=lambda p: order[p.pk])
    if conversation.pk is None:
        return services.schedule_conversation(owner, conversation, people or [], invite=invite)
    return services.update_conversation(owner, conversation, people, invite=invite or None)


class ScheduleOut(Schema):
    starts_at: datetime.datetime
    duration_minutes: int
    time_zone: str
    sequence: int
    status: str


class ScheduleIn(Input):
    starts_at: datetime.datetime
    duration_minutes: int = Field(30, ge=5, le=480)
    time_zone: str = ""


class DebriefFields(Schema):
    debrief_notes: str = ""
    fit: str = Field("", description="strong, unsure, not_a_fit or empty")
    fit_reason: str = ""
    told_them_fit: bool = False


class LearningItem(Schema):
    topic: str = Field(
        description="culture, skills, cv_advice, outlook, projects, hiring_process or other"
    )
    text: str = Field(min_length=1)


class WishItem(Schema):
    person_id: ObjectId
    preferred_channel: str = ""
    follow_up_wish: str = Field("", max_length=300)
    keep_in_touch_days: int | None = Field(None, ge=1, le=3650)
    next_check_in_on: datetime.date | None = None
    may_keep_in_touch: bool = True


class DebriefOut(DebriefFields):
    learnings: list[LearningItem]
    wishes: list[WishItem]
    debriefed_at: datetime.datetime | None


class DebriefIn(DebriefFields, Input):
    learnings: list[LearningItem] = []
    wishes: list[WishItem] = Field([], description="How each person wants to be followed up")


class ChosenOut(Schema):
    id: ObjectId
    text: str
    builtin_key: str
    asked: bool


class ChosenList(Schema):
    questions: list[ChosenOut]


class ChosenIn(Input):
    questions: list[ChosenOut] = Field(
        description="The new order (by id) and the asked flags; ids not listed are removed"
    )


# Stories, questions, referrals, promises -------------------------------------------------


class StoryFields(Schema):
    title: str = Field(min_length=1, max_length=200)
    situation: str = ""
    action: str = ""
    result: str = ""
    skills: str = Field("", max_length=300)
    tags: str = Field("", max_length=300)


class StoryIn(StoryFields, Input):
    pass


class StoryOut(StoryFields):
    id: int


class QuestionFields(Schema):
    text: str = Field(min_length=1, max_length=500)
    topic: str = "advice"
    levels: list[str] = []
    purposes: list[str] = []


class QuestionIn(QuestionFields, Input):
    pass


class QuestionOut(QuestionFields):
    id: int


class BankOut(Schema):
    key: str
    topic: str
    topic_label: str
    text: str
    levels: list[str]
    purposes: list[str]


class ReferralFields(Schema):
    conversation_id: ObjectId
    referred_by_id: ObjectId
    person_id: ObjectId | None = Field(None, description="An existing person; else give name")
    will_introduce: bool = False
    note: str = Field("", max_length=500)
    follow_up_on: datetime.date | None = None


class ReferralIn(ReferralFields, Input):
    name: str = Field("", max_length=300, description="Matched to your people, or created")
    email: str = Field("", max_length=254, description="Checked like a person's e-mail")
    organization_name: str = Field("", max_length=200)
    title: str = Field("", max_length=200, description="Their role at organization_name")
    has_hiring_authority: bool = Field(False, description="They can hire (their job there)")


class ReferralOut(ReferralFields):
    id: int
    person_id: ObjectId | None
    person_name: str
    matched_existing: bool

    @staticmethod
    def resolve_person_name(obj: Referral) -> str:
        return obj.person.full_name


class ReferralFilters(Input):
    conversation_id: ObjectId | None = None
    referred_by_id: ObjectId | None = None
    person_id: ObjectId | None = None


FIXED_REFERRAL_FIELDS = ("conversation_id", "referred_by_id", "person_id")


def save_referral(owner: Any, referral: Referral, data: dict[str, Any]) -> Referral:
    if referral.pk is not None:
        for key in FIXED_REFERRAL_FIELDS:
            if key in data and data[key] != getattr(referral, key):
                raise DjangoValidationError(
                    {
                        key: f"{key} of a referral cannot change: delete the referral "
                        "and add it again."
                    }
                )
        return services.update_referral(
            owner,
            referral,
            will_introduce=data.get("will_introduce"),
            note=data.get("note"),
            follow_up_on=data.get("follow_up_on"),
            clear_follow_up="follow_up_on" in data and data["follow_up_on"] is None,
        )
    conversation = get_owned_or_404(Conversation, owner, pk=data["conversation_id"])
    referred_by = owned(Person, owner).filter(pk=data["referred_by_id"]).first()
    if referred_by is None:
        raise DjangoValidationError({"referred_by_id": "There is no such person."})
    person = None
    if data.get("person_id"):
        person = owned(Person, owner).filter(pk=data["person_id"]).first()
        if person is None:
            raise DjangoValidationError({"person_id": "There is no such person."})
    return services.add_referral(
        owner,
        conversation,
        referred_by=referred_by,
        person=person,
        name=data.get("name", ""),
        email=data.get("email", ""),
        organization_name=data.get("organization_name", ""),
        title=data.get("title", ""),
        has_hiring_authority=data.get("has_hiring_authority", False),
        will_introduce=data.get("will_introduce", False),
        note=data.get("note", ""),
        follow_up_on=data.get("follow_up_on"),
    )


class ReferralDeleteOptions(Input):
    delete_person: bool = Field(
        False,
        description="Delete the person too: only one this referral created, with nothing "
        "else (another referral, a tie, a conversation, a message...); otherwise 422",
    )


def delete_referral(owner: Any, referral: Referral, options: dict[str, Any]) -> None:
    services.delete_referral(owner, referral, delete_person=options.get("delete_person", False))


class PromiseFields(Schema):
    conversation_id: ObjectId
    direction: str = Field(description="mine or theirs")
    text: str = Field(min_length=1, max_length=500)
    person_id: ObjectId | None = Field(
        None, description="Who made it or whom it is for: one of the conversation's people"
    )
    due_on: datetime.date | None = None
    done: bool = False


class PromiseIn(PromiseFields, Input):
    pass


class PromiseOut(PromiseFields):
    id: int


def save_promise(owner: Any, promise: Promise, data: dict[str, Any]) -> Promise:
    for key, value in data.items():
        setattr(promise, key, value)
    return services.save_promise(owner, promise)


class PromiseFilters(Input):
    conversation_id: ObjectId | None = None
    done: bool | None = None


class StoryFilters(Input):
    q: str = Field("", description="Words matched against the title, skills and tags")


def filter_stories(queryset: Any, filters: StoryFilters) -> Any:
    for word in filters.q.split():
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(skills__icontains=word) | Q(tags__icontains=word)
        )
    return queryset


class QuestionFilters(Input):
    topic: str | None = None


# Chains ---------------------------------------------------------------------------------


class NodeOut(Schema):
    person_id: ObjectId
    name: str
    depth: int = Field(description="Links from you: your first contact is 1")
    hires: bool
    talked: bool = Field(description="A conversation with them was held")
    scheduled: bool = Field(description="A conversation with them is only scheduled")
    children: list["NodeOut"]


class PersonChainOut(Schema):
    person_id: ObjectId
    depth: int = Field(description="Links from you: your first contact is 1")
    back: list[NodeOut] = Field(description="From your first contact to the referrer")
    forward: list[NodeOut] = Field(description="Whom they passed you to, as a tree")


class TreeOut(Schema):
    organization_id: ObjectId
    depth: int
    next_step: str
    hiring_reached: list[int]
    roots: list[NodeOut]


def node_out(node: ChainNode) -> dict[str, Any]:
    return {
        "person_id": node.person_id,
        "name": node.name,
        "depth": node.depth,
        "hires": node.hires,
        "talked": node.talked,
        "scheduled": node.scheduled,
        "children": [node_out(c) for c in node.children],
    }


# Registration ---------------------------------------------------------------------------


def register(api: NinjaAPI) -> None:
    router = Router(tags=["conversations"])

    def fetch(request: HttpRequest, conversation_id: int) -> Conversation:
        return get_owned_or_404(
            services.with_people(Conversation.objects.all()).prefetch_related(
                "learnings", "chosen_questions", ANSWER_ROWS
            ),
            request.user,
            pk=conversation_id,
        )

    @router.get(
        "/conversations/{int:conversation_id}/schedule",
        response=ScheduleOut,
        url_name="conversation-schedule",
        summary="When a conversation is, and its version (SEQUENCE)",
    )
    def read_schedule(request: HttpRequest, conversation_id: int) -> Any:
        return fetch(request, conversation_id)

    @router.put(
        "/conversations/{int:conversation_id}/schedule",
        response=ScheduleOut,
        summary="Reschedule: SEQUENCE goes up; an invitation sent is sent again",
    )
    def reschedule(request: HttpRequest, conversation_id: int, payload: ScheduleIn) -> Any:
        conversation = fetch(request, conversation_id)
        zone = payload.time_zone or conversation.time_zone
        with transaction.atomic():
            services.reschedule_conversation(
                request.user,
                conversation,
                _starts_at(payload.starts_at, zone),
                payload.duration_minutes,
                time_zone=zone,
            )
        return fetch(request, conversation_id)

    @router.post(
        "/conversations/{int:conversation_id}/cancel",
        response=ConversationOut,
        url_name="conversation-cancel",
        summary="Cancel; an invitation sent is withdrawn (METHOD:CANCEL)",
    )
    def cancel(request: HttpRequest, conversation_id: int) -> Any:
        services.cancel_conversation(request.user, fetch(request, conversation_id))
        return fetch(request, conversation_id)

    @router.get(
        "/conversations/{int:conversation_id}/debrief",
        response=DebriefOut,
        url_name="conversation-debrief",
        summary="The debrief: notes, fit, learnings, follow-up wishes",
    )
    def read_debrief(request: HttpRequest, conversation_id: int) -> Any:
        return _debrief_out(fetch(request, conversation_id))

    @router.put(
        "/conversations/{int:conversation_id}/debrief",
        response=DebriefOut,
        summary="Save the debrief (learnings replace; wishes are stored on the people)",
    )
    def save_debrief(request: HttpRequest, conversation_id: int, payload: DebriefIn) -> Any:
        conversation = fetch(request, conversation_id)
        data = payload.dict()
        with transaction.atomic():
            services.save_debrief(
                request.user,
                conversation,
                notes=data["debrief_notes"],
                fit=data["fit"],
                fit_reason=data["fit_reason"],
                told_them_fit=data["told_them_fit"],
                learnings=[(item["topic"], item["text"]) for item in data["learnings"]],
                wishes={item.pop("person_id"): item for item in (dict(w) for w in data["wishes"])},
            )
        return _debrief_out(fetch(request, conversation_id))

    @router.get(
        "/conversations/{int:conversation_id}/questions",
        response=ChosenList,
        url_name="conversation-questions",
        summary="The questions chosen for a conversation, in order",
    )
    def read_questions(request: HttpRequest, conversation_id: int) -> Any:
        return {"questions": list(fetch(request, conversation_id).chosen_questions.all())}

    @router.put(
        "/conversations/{int:conversation_id}/questions",
        response=ChosenList,
        summary="Reorder, tick or remove the chosen questions",
    )
    def save_questions(request: HttpRequest, conversation_id: int, payload: ChosenIn) -> Any:
        conversation = fetch(request, conversation_id)
        ids = [item.id for item in payload.questions]
        known = set(conversation.chosen_questions.values_list("pk", flat=True))
        errors = {
            f"questions.{index}.id": f"There is no chosen question with id {pk}."
            for index, pk in enumerate(ids)
            if pk not in known
        }
        if errors:
            raise DjangoValidationError(errors)
        with transaction.atomic():
            conversation.chosen_questions.exclude(pk__in=ids).delete()
            services.set_chosen_order(request.user, conversation, ids)
            services.save_quick_notes(
                request.user,
                conversation,
                conversation.quick_notes,
                asked=[item.id for item in payload.questions if item.asked],
            )
        return {"questions": list(fetch(request, conversation_id).chosen_questions.all())}

    @router.get(
        "/questions/bank",
        response=list[BankOut],
        url_name="question-bank",
        summary="The built-in question bank, by topic, tagged by level and purpose",
    )
    def bank(request: HttpRequest) -> Any:
        return [
            {
                "key": q.key,
                "topic": q.topic,
                "topic_label": q.topic_label,
                "text": q.text,
                "levels": list(q.levels),
                "purposes": list(q.purposes),
            }
            for q in BANK
        ]

    @router.get(
        "/people/{int:person_id}/referral-chain",
        response=PersonChainOut,
        url_name="person-referral-chain",
        summary="Who referred whom: back to your first contact and forward",
    )
    def chain(request: HttpRequest, person_id: int) -> Any:
        person = get_owned_or_404(Person, request.user, pk=person_id)
        found = person_chain(request.user, person)
        return {
            "person_id": person.pk,
            "depth": found.depth,
            "back": [node_out(n) for n in found.back],
            "forward": [node_out(n) for n in found.forward],
        }

    @router.get(
        "/organizations/{int:organization_id}/conversation-tree",
        response=TreeOut,
        url_name="organization-conversation-tree",
        summary="The tree of conversations toward the organization's hiring authority",
    )
    def tree(request: HttpRequest, organization_id: int) -> Any:
        organization = get_owned_or_404(Organization, request.user, pk=organization_id)
        found = organization_tree(request.user, organization)
        return {
            "organization_id": organization.pk,
            "depth": found.depth,
            "next_step": found.next_step,
            "hiring_reached": [n.person_id for n in found.hiring_reached],
            "roots": [node_out(n) for n in found.roots],
        }

    crud(
        router,
        name="conversation",
        plural="conversations",
        model=Conversation,
        schema_in=ConversationIn,
        schema_out=ConversationOut,
        filters=ConversationFilters,
        apply_filters=filter_by_fields,
        save=save_conversation,
        queryset=lambda qs: services.with_people(qs).prefetch_related(ANSWER_ROWS),
    )
    crud(
        router,
        name="story",
        plural="stories",
        model=Story,
        schema_in=StoryIn,
        schema_out=StoryOut,
        filters=StoryFilters,
        apply_filters=filter_stories,
        save=save_plain,
    )
    crud(
        router,
        name="question",
        plural="questions",
        model=Question,
        schema_in=QuestionIn,
        schema_out=QuestionOut,
        filters=QuestionFilters,
        apply_filters=filter_by_fields,
        save=save_plain,
    )
    crud(
        router,
        name="referral",
        plural="referrals",
        model=Referral,
        schema_in=ReferralIn,
        schema_out=ReferralOut,
        filters=ReferralFilters,
        apply_filters=filter_by_fields,
        save=save_referral,
        queryset=lambda qs: qs.select_related("person"),
        delete=delete_referral,
        delete_options=ReferralDeleteOptions,
    )
    crud(
        router,
        name="promise",
        plural="promises",
        model=Promise,
        schema_in=PromiseIn,
        schema_out=PromiseOut,
        filters=PromiseFilters,
        apply_filters=filter_by_fields,
        save=save_promise,
    )
    api.add_router("", router)


def _debrief_out(conversation: Conversation) -> dict[str, Any]:
    return {
        "debrief_notes": conversation.debrief_notes,
        "fit": conversation.fit,
        "fit_reason": conversation.fit_reason,
        "told_them_fit": conversation.told_them_fit,
        "debriefed_at": conversation.debriefed_at,
        "learnings": [{"topic": x.topic, "text": x.text} for x in conversation.learnings.all()],
        "wishes": [
            {
                "person_id": p.pk,
                "preferred_channel": p.preferred_channel,
                "follow_up_wish": p.follow_up_wish,
                "keep_in_touch_days": p.keep_in_touch_days,
                "next_check_in_on": p.next_check_in_on,
                "may_keep_in_touch": p.may_keep_in_touch,
            }
            for p in conversation.participants.all()
        ],
    }
