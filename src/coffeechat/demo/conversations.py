"""Conversations for the demo account: one held and debriefed, one coming up.

Called by :func:`coffeechat.demo.network.build_demo_network` after the targets. The
held conversation (three weeks ago) is with someone at the first opening's
organization and produced learnings, a referral and promises; the coming one (in five
days) is with the opening's listed contact, so the "apply now" situation shows. Their
dates follow the real clock, so that "coming up" stays true whenever the demo is made.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from coffeechat.conversations import services
from coffeechat.conversations.models import Conversation, Mode, Purpose, Story, Topic
from coffeechat.demo.catalog import catalog
from coffeechat.network.models import Employment, Tie
from coffeechat.targets.models import Posting


def build_demo_conversations(owner: Any) -> dict[str, int]:
    stories = catalog().stories
    for story in stories:
        Story.objects.create(
            owner=owner,
            title=story.title,
            situation=story.situation,
            action=story.action,
            result=story.result,
            skills=story.skills,
        )
    posting = (
        Posting.objects.filter(owner=owner, contact__isnull=False)
        .select_related("organization", "contact")
        .order_by("pk")
        .first()
    )
    if posting is None or posting.contact is None:
        return {"conversations": 0, "stories": len(stories)}
    organization = posting.organization
    contact = posting.contact
    now = timezone.now().replace(second=0, microsecond=0)
    staff = [
        job.person
        for job in Employment.objects.filter(
            owner=owner, organization=organization, is_current=True
        )
        .exclude(person=contact)
        .select_related("person")
        .order_by("-has_hiring_authority", "pk")
    ]
    mine = set(
        Tie.objects.filter(owner=owner, from_person__isnull=True).values_list(
            "to_person_id", flat=True
        )
    )
    known = [person for person in staff if person.pk in mine]
    count = 0
    if staff:
        # Someone you know there (so a referral chain starts from a tie of yours).
        colleague = known[-1] if known else staff[-1]
        held = services.schedule_conversation(
            owner,
            Conversation(
                starts_at=now - timedelta(days=21, hours=3),
                organization=organization,
                mode=Mode.COFFEE,
                mode_detail="Café near their office",
                quick_notes="Planning team of eight; new warehouse system next year.",
            ),
            [colleague],
        )
        services.save_debrief(
            owner,
            held,
            notes="Friendly and specific. Interested in my routing work.",
            fit="strong",
            fit_reason="The planning work is what I do best.",
            learnings=[
                (Topic.PROJECTS, "A new warehouse management system goes live next spring."),
                (Topic.SKILLS, "They want planners who can write their own SQL."),
                (Topic.CULTURE, "Small teams; people move between projects every quarter."),
            ],
            wishes={colleague.pk: {"follow_up_wish": "e-mail every couple of months"}},
        )
        services.add_promise(
            owner, held, direction="mine", text="Send the routing case study", person=colleague
        )
        if known and len(staff) > 1 and staff[0].pk != colleague.pk:
            services.add_referral(owner, held, referred_by=colleague, person=staff[0])
        count += 1
    services.schedule_conversation(
        owner,
        Conversation(
            starts_at=now + timedelta(days=5, hours=2),
            organization=organization,
            purpose=Purpose.INFORMATIONAL,
            mode=Mode.VIDEO,
            mode_detail="https://video.example/coffee",
        ),
        [contact],
    )
    return {"conversations": count + 1, "stories": len(stories)}
