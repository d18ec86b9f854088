"""Scheduling, holding, debriefing, referrals, chains and thank-you context."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coffeechat.conversations import services, signals
from coffeechat.conversations.chains import organization_tree, person_chain
from coffeechat.conversations.models import Learning, Referral, Status, Topic
from coffeechat.conversations.questions import BANK, TOPICS, propose
from coffeechat.network.models import Interaction, InteractionKind, Person, Source, Tie, TieKind
from coffeechat.outreach.situations import APPLY_NOW, pending_conversations, situations_for_person
from tests.conversations.conftest import schedule
from tests.factories import (
    EmailAddressFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    PostingFactory,
)

pytestmark = pytest.mark.django_db


def test_the_bank_has_sixty_questions_in_every_topic_the_method_names() -> None:
    assert len(BANK) >= 60
    assert len({q.key for q in BANK}) == len(BANK)
    assert {q.topic for q in BANK} == set(TOPICS)
    assert len({q.text for q in BANK}) == len(BANK)


def test_it_proposes_questions_that_fit_the_level_and_purpose() -> None:
    staff = propose("staff", "informational")
    hr = propose("hr", "informational")
    supervisor = propose("manager", "supervisor")
    feedback = propose("manager", "rejection_feedback")

    assert 5 <= len(staff) <= 12
    assert all(not q.levels or "staff" in q.levels for q in staff)
    assert any(q.topic == "process" and "hr" in q.levels for q in hr)
    assert not any(q.topic == "process" and q.levels == ("hr", "recruiter") for q in staff)
    assert [q.topic for q in supervisor].count("needs") == 4
    assert {q.topic for q in feedback} <= {"feedback", "advice"}


def test_scheduling_proposes_questions_and_tells_the_signal(alice: Any, dana: Any) -> None:
    seen: list[Any] = []

    def receiver(sender: Any, conversation: Any, **kwargs: Any) -> None:
        seen.append(conversation.pk)

    signals.conversation_scheduled.connect(receiver)
    try:
        conversation = schedule(alice, [dana])
    finally:
        signals.conversation_scheduled.disconnect(receiver)

    assert seen == [conversation.pk]
    assert conversation.organization.name == "Acme Logistics"  # Dana's employer
    texts = list(conversation.chosen_questions.values_list("text", flat=True))
    assert texts == [q.text for q in propose("staff", "informational")]
    assert conversation.uid.endswith("@coffeechat") and conversation.sequence == 0


def test_every_reschedule_raises_the_sequence_and_keeps_the_uid(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    uid = conversation.uid
    moved: list[int] = []
    signals.conversation_rescheduled.connect(
        lambda sender, conversation, **kw: moved.append(1), weak=False, dispatch_uid="t-moved"
    )
    services.reschedule_conversation(
        alice, conversation, conversation.starts_at + datetime.timedelta(hours=2)
    )
    services.reschedule_conversation(alice, conversation, conversation.starts_at, 45)
    conversation.refresh_from_db()
    assert (conversation.sequence, conversation.uid, conversation.duration_minutes) == (2, uid, 45)
    assert len(moved) == 2
    signals.conversation_rescheduled.disconnect(dispatch_uid="t-moved")

    services.cancel_conversation(alice, conversation)
    with pytest.raises(ValidationError):
        services.reschedule_conversation(alice, conversation, conversation.starts_at)


def test_holding_it_puts_it_on_the_timeline(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana], starts_at=timezone.now() - datetime.timedelta(hours=1))
    services.mark_held(alice, conversation)
    services.mark_held(alice, conversation)  # twice: still one entry

    entries = Interaction.objects.filter(owner=alice, person=dana)
    assert [(e.kind, e.source_key) for e in entries] == [
        (InteractionKind.CONVERSATION, f"conversations:conversation:{conversation.pk}")
    ]
    dana.refresh_from_db()
    assert dana.last_contacted_on is not None


def test_the_debrief_stores_learnings_and_how_they_want_to_be_followed_up(
    alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana], starts_at=timezone.now() - datetime.timedelta(hours=1))
    debriefed: list[int] = []
    signals.debrief_saved.connect(
        lambda sender, conversation, **kw: debriefed.append(1), weak=False, dispatch_uid="t-deb"
    )

    services.save_debrief(
        alice,
        conversation,
        notes="Warm, practical.",
        fit="strong",
        learnings=[(Topic.CULTURE, "Teams plan on Mondays."), (Topic.SKILLS, "SQL daily.")],
        wishes={
            dana.pk: {
                "preferred_channel": "email",
                "follow_up_wish": "every couple of months",
                "keep_in_touch_days": 60,
                "may_keep_in_touch": True,
            }
        },
    )

    conversation.refresh_from_db()
    dana.refresh_from_db()
    assert conversation.status == Status.HELD and conversation.debriefed_at is not None
    assert sorted(conversation.learnings.values_list("topic", "text")) == [
        ("culture", "Teams plan on Mondays."),
        ("skills", "SQL daily."),
    ]
    assert (dana.preferred_channel, dana.follow_up_wish, dana.keep_in_touch_days) == (
        "email",
        "every couple of months",
        60,
    )
    assert debriefed == [1]
    signals.debrief_saved.disconnect(dispatch_uid="t-deb")


def test_a_referral_becomes_a_new_person_one_link_further(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    referral = services.add_referral(
        alice,
        conversation,
        referred_by=dana,
        name="Kim Ng",
        email="kim@acme.example",
        organization_name="ACME Logistics, Inc.",
    )

    kim = referral.person
    assert (kim.first_name, kim.last_name, kim.source) == ("Kim", "Ng", Source.REFERRAL)
    assert not referral.matched_existing
    assert kim.employments.get().organization.name == "Acme Logistics"  # matched by name key
    tie = Tie.objects.get(owner=alice, to_person=kim)
    assert (tie.from_person, tie.kind, tie.introduced_by) == (None, TieKind.REFERRED, dana)
    assert referral.follow_up_on is not None and referral.follow_up_on > timezone.localdate()


@pytest.mark.parametrize(
    ("name", "email", "organization"),
    [
        ("Robert Smith", "bob.smith@globex.example", ""),  # the same e-mail
        ("Bob Smith", "", "Globex"),  # a nickname at the same employer
        ("Robert Smith", "", ""),  # the same full name, only one in the network
    ],
)
def test_a_referral_is_matched_to_someone_already_in_the_network(
    alice: Any, dana: Any, name: str, email: str, organization: str
) -> None:
    globex = OrganizationFactory(owner=alice, name="Globex")
    robert = PersonFactory(owner=alice, first_name="Robert", last_name="Smith")
    EmailAddressFactory(person=robert, email="bob.smith@globex.example")
    EmploymentFactory(person=robert, organization=globex)
    PersonFactory(owner=alice, first_name="Roberta", last_name="Smythe")
    conversation = schedule(alice, [dana])
    people_before = Person.objects.filter(owner=alice).count()

    referral = services.add_referral(
        alice,
        conversation,
        referred_by=dana,
        name=name,
        email=email,
        organization_name=organization,
    )

    assert referral.person == robert and referral.matched_existing
    assert Person.objects.filter(owner=alice).count() == people_before


def test_a_referral_never_matches_another_users_person(alice: Any, bob: Any, dana: Any) -> None:
    PersonFactory(owner=bob, first_name="Kim", last_name="Ng")
    EmailAddressFactory(person__owner=bob, email="kim@acme.example")
    referral = services.add_referral(
        alice, schedule(alice, [dana]), referred_by=dana, name="Kim Ng", email="kim@acme.example"
    )
    assert referral.person.owner == alice and not referral.matched_existing


def test_only_a_participant_can_refer(alice: Any, dana: Any) -> None:
    stranger = PersonFactory(owner=alice)
    with pytest.raises(ValidationError):
        services.add_referral(alice, schedule(alice, [dana]), referred_by=stranger, name="Kim Ng")


def test_referral_chains_go_back_to_the_first_contact_and_forward(
    alice: Any, acme: Any, dana: Any
) -> None:
    first = schedule(alice, [dana])
    kim = services.add_referral(alice, first, referred_by=dana, name="Kim Ng").person
    second = schedule(alice, [kim])
    lee = services.add_referral(alice, second, referred_by=kim, name="Lee Park").person
    sam = services.add_referral(alice, second, referred_by=kim, name="Sam Ortiz").person
    EmploymentFactory(person=lee, organization=acme, title="Director", has_hiring_authority=True)
    with_lee = schedule(alice, [lee], organization=acme)

    # Depth counts links from you: Dana (your first contact) is 1, Kim 2, Lee 3.
    chain = person_chain(alice, lee)
    assert [(n.name, n.depth) for n in chain.back] == [("Dana Reyes", 1), ("Kim Ng", 2)]
    assert chain.depth == 3
    forward = person_chain(alice, dana).forward
    assert [n.name for n in forward] == ["Kim Ng"]
    assert sorted(n.name for n in forward[0].children) == ["Lee Park", "Sam Ortiz"]
    assert sam.pk in {n.person_id for n in forward[0].children}

    # Only scheduled with Lee: not "talked", so the person who hires is not reached yet.
    tree = organization_tree(alice, acme)
    assert [n.name for n in tree.roots] == ["Dana Reyes"]
    assert tree.depth == 3
    assert tree.hiring_reached == []
    assert not chain.person.talked and chain.person.scheduled

    services.mark_held(alice, with_lee)
    tree = organization_tree(alice, acme)
    assert [(n.name, n.depth) for n in tree.hiring_reached] == [("Lee Park", 3)]
    assert "You reached Lee Park, who hires there, 3 links from you." in tree.next_step


def test_it_counts_a_chain_from_you_and_shows_only_held_conversations_as_talked(
    alice: Any, alice_client: Any, dana: Any
) -> None:
    """You → Amal → Felix: Felix is two links from you; a scheduled talk is not "talked"."""
    amal = PersonFactory(owner=alice, first_name="Amal", last_name="Haddad")
    felix = services.add_referral(
        alice, schedule(alice, [amal]), referred_by=amal, name="Felix Ong"
    ).person
    schedule(alice, [felix])
    chain = person_chain(alice, felix)
    assert chain.depth == 2 and [n.depth for n in chain.back] == [1]
    assert not chain.back[0].talked and chain.back[0].scheduled

    page = alice_client.get(f"/people/{felix.pk}/referral-chain/").content.decode()
    assert "2 links from you" in page and "depth 1" not in page
    assert "1 link from you" in page
    assert ">talked<" not in page and ">scheduled<" in page


def test_pending_conversations_are_upcoming_scheduled_ones(
    alice: Any, acme: Any, dana: Any
) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee")
    PostingFactory(organization=acme, contact=lee, title="Analyst")
    assert pending_conversations(alice, [lee.pk]) == {}
    assert situations_for_person(alice, lee) == []

    conversation = schedule(alice, [lee])
    assert "your conversation on" in pending_conversations(alice, [lee.pk])[lee.pk]
    assert [s.kind for s in situations_for_person(alice, lee)] == [APPLY_NOW]

    services.cancel_conversation(alice, conversation)
    assert pending_conversations(alice, [lee.pk]) == {}
    schedule(alice, [lee], starts_at=timezone.now() - datetime.timedelta(days=3))
    assert pending_conversations(alice, [lee.pk]) == {}  # long over


def test_the_thank_you_context_comes_from_the_conversation(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    services.save_debrief(
        alice, conversation, learnings=[(Topic.OUTLOOK, "They open a Denver hub next year.")]
    )
    services.add_referral(alice, conversation, referred_by=dana, name="Kim Ng")
    services.add_promise(alice, conversation, direction="mine", text="send my routing article")
    context = services.thank_you_context(services.fresh(alice, conversation), dana)

    assert context["learned"] == "They open a Denver hub next year."
    assert context["referred_names"] == "Kim Ng" and context["referred_by"] == "Dana Reyes"
    assert context["promise_mine"] == "send my routing article"
    assert "Acme Logistics" in context["conversation_topic"]
    assert context["conversation_date"]
    assert "Kim Ng" in services.thank_you_text(context)
    url = services.thank_you_url(conversation, dana)
    assert url is not None and f"conversation={conversation.pk}" in url
    assert "purpose=thank_you" in url and f"person={dana.pk}" in url


def test_learnings_of_other_users_never_leak_into_a_debrief(alice: Any, bob: Any) -> None:
    assert Learning.objects.filter(owner=bob).count() == 0
    assert Referral.objects.filter(owner=alice).count() == 0
