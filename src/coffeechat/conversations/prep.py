"""The prep brief: everything to read before a conversation, in a fixed number of queries.

The person (jobs, level, how we are connected, what we talked about before), the
organization (my research, openings, my applications, and what I learned from their
colleagues, quoted), the questions chosen, my stories that fit, and the closing three.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q

from coffeechat.conversations.models import (
    ChosenQuestion,
    Conversation,
    Learning,
    Question,
    Status,
    Story,
)
from coffeechat.conversations.questions import BANK, grouped, propose
from coffeechat.conversations.services import suggest_stories
from coffeechat.core.scoping import owned
from coffeechat.network.models import Employment, Person
from coffeechat.targets.models import SENT_STATUSES, Application, Posting, PostingStatus, Target
from coffeechat.targets.paths import paths_to_people

CLOSING_THREE = (
    (
        "said_interested",
        "Say clearly that you are interested",
        "If you are: “I would very much like to work on a team like yours.” If it is not a "
        "fit, say so honestly and thank them.",
    ),
    (
        "asked_who_else",
        "Ask who else you should talk to",
        "Inside or outside the organization; aim for one new name, without pushing. Ask "
        "whether you may mention their name.",
    ),
    (
        "asked_follow_up",
        "Ask how and when to follow up",
        "E-mail or phone, how often, and whether you may stay in touch.",
    ),
)


@dataclass(slots=True)
class PersonBrief:
    person: Person
    connection: str  # the warm-path sentence, or ""
    current_jobs: list[Employment]
    former_jobs: list[Employment]
    earlier: list[Conversation] = field(default_factory=list)


@dataclass(slots=True)
class ColleagueLearning:
    """Something I learned from a colleague at the same organization (quoted)."""

    learning: Learning
    colleague: str
    on: Any


def _people(conversation: Conversation) -> list[Person]:
    return list(conversation.participants.all())


def brief(owner: Any, conversation: Conversation) -> dict[str, Any]:
    """The context of the prep page (also the printable one)."""
    people = _people(conversation)
    person_ids = [p.pk for p in people]
    organization = conversation.organization

    jobs = list(
        owned(Employment, owner)
        .filter(person_id__in=person_ids)
        .select_related("organization")
        .order_by("-is_current", "-start_date", "pk")
    )
    earlier_rows = list(
        owned(Conversation, owner)
        .filter(participants__in=person_ids)
        .exclude(pk=conversation.pk)
        .exclude(status=Status.CANCELLED)
        .filter(starts_at__lt=conversation.starts_at)
        .prefetch_related("learnings", "participant_rows")
        .distinct()
        .order_by("-starts_at")
    )
    warm_paths = paths_to_people(owner, person_ids, per_person=1)  # one load for everyone
    persons = []
    for person in people:
        best = warm_paths[person.pk].best()
        persons.append(
            PersonBrief(
                person=person,
                connection=best.explain() if best is not None else "",
                current_jobs=[j for j in jobs if j.person_id == person.pk and j.is_current],
                former_jobs=[j for j in jobs if j.person_id == person.pk and not j.is_current],
                earlier=[
                    c
                    for c in earlier_rows
                    if any(row.person_id == person.pk for row in c.participant_rows.all())
                ],
            )
        )

    target = None
    postings: list[Posting] = []
    applications: list[Application] = []
    colleagues: list[ColleagueLearning] = []
    if organization is not None:
        target = owned(Target, owner).filter(organization=organization).first()
        postings = list(
            owned(Posting, owner)
            .filter(organization=organization, status=PostingStatus.OPEN)
            .select_related("contact")
        )
        applications = list(
            owned(Application, owner).filter(organization=organization, status__in=SENT_STATUSES)
        )
        colleagues = colleague_learnings(owner, conversation, person_ids)

    chosen = list(conversation.chosen_questions.all())
    own_questions = list(owned(Question, owner))
    chosen_keys = {c.builtin_key for c in chosen if c.builtin_key}
    level = people[0].level if people else ""
    stories = list(owned(Story, owner))
    context_words = [
        organization.name if organization else "",
        organization.industry if organization else "",
        conversation.posting.title if conversation.posting else "",
        *(p.title for p in postings),
        *(j.title for j in jobs),
        *(j.department for j in jobs),
        target.why if target else "",
    ]
    return {
        "conversation": conversation,
        "people": persons,
        "organization": organization,
        "target": target,
        "postings": postings,
        "applications": applications,
        "colleague_learnings": colleagues,
        "chosen": chosen,
        "proposed_keys": {q.key for q in propose(level, conversation.purpose)},
        "bank": [
            (topic, [q for q in questions if q.key not in chosen_keys])
            for topic, questions in grouped(BANK)
        ],
        "own_questions": own_questions,
        "stories": suggest_stories(stories, context_words),
        "story_count": len(stories),
        "closing_three": CLOSING_THREE,
    }


def colleague_learnings(
    owner: Any, conversation: Conversation, exclude_people: Sequence[int] = ()
) -> list[ColleagueLearning]:
    """What I learned in earlier conversations at the same organization, with whom.

    Earlier conversations count when they were about the organization, or with someone
    who works there now; the people of this conversation are left out of "colleagues".
    """
    organization_id = conversation.organization_id
    if organization_id is None:
        return []
    staff = Employment.objects.filter(
        owner=owner, organization_id=organization_id, is_current=True
    ).values("person_id")
    learnings = (
        owned(Learning, owner)
        .filter(
            Q(conversation__organization_id=organization_id)
            | Q(conversation__participants__in=staff)
        )
        .exclude(conversation_id=conversation.pk)
        .exclude(conversation__status=Status.CANCELLED)
        .select_related("conversation")
        .prefetch_related(
            Prefetch(
                "conversation__participants",
                queryset=Person.objects.order_by("participations__position", "pk"),
            )
        )
        .distinct()
        .order_by("-conversation__starts_at", "topic", "pk")
    )
    found = []
    for learning in learnings:
        names = [
            p.full_name
            for p in learning.conversation.participants.all()
            if p.pk not in exclude_people
        ] or [p.full_name for p in learning.conversation.participants.all()]
        found.append(ColleagueLearning(learning, ", ".join(names), learning.conversation.starts_at))
    return found


def chosen_for(conversation: Conversation) -> list[ChosenQuestion]:
    return list(conversation.chosen_questions.all())
