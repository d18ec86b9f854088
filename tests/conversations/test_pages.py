"""The conversation pages: schedule, prep, hold (autosave), debrief, chains; query counts."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.services import create_api_token
from coffeechat.conversations import services
from coffeechat.conversations.models import Conversation, Referral, Status, Topic
from tests.conversations.conftest import schedule
from tests.factories import (
    EmploymentFactory,
    LearningFactory,
    PersonFactory,
    QuestionFactory,
    StoryFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def url(name: str, conversation: Conversation) -> str:
    return reverse(f"conversations:{name}", kwargs={"conversation_id": conversation.pk})


def test_it_schedules_from_the_form_in_their_time_zone(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    page = alice_client.get(reverse("conversations:conversation-create"), {"person": dana.pk})
    assert page.status_code == 200 and "Dana Reyes" in page.content.decode()

    response = alice_client.post(
        reverse("conversations:conversation-create"),
        {
            "people": [dana.pk],
            "purpose": "informational",
            "mode": "coffee",
            "mode_detail": "Blue Door Café",
            "duration_minutes": 30,
            "day": "2026-07-01",
            "at": "09:00",
            "time_zone": "America/New_York",
        },
    )

    conversation = Conversation.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == url("conversation-prep", conversation)
    assert conversation.starts_at == datetime.datetime(2026, 7, 1, 13, 0, tzinfo=datetime.UTC)
    detail = alice_client.get(conversation.get_absolute_url()).content.decode()
    assert "15:00" in detail and "your time (Europe/Berlin)" in detail  # mine
    assert "09:00" in detail and "Dana&#x27;s time (America/New_York)" in detail  # theirs


def test_the_form_lists_only_chosen_and_found_people(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    PersonFactory(owner=alice, first_name="Zora", last_name="Quill")
    page = alice_client.get(reverse("conversations:conversation-create"), {"person": dana.pk})
    assert "Zora" not in page.content.decode()
    found = alice_client.get(
        reverse("conversations:conversation-create"), {"person": dana.pk, "q": "Zora"}
    )
    assert "Zora Quill" in found.content.decode() and "Dana Reyes" in found.content.decode()


def test_rescheduling_on_the_page_raises_the_sequence(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    response = alice_client.post(
        url("conversation-reschedule", conversation),
        {"day": "2026-08-03", "at": "10:30", "time_zone": "Europe/Berlin", "duration_minutes": 45},
    )
    conversation.refresh_from_db()
    assert response.status_code == 302
    assert conversation.sequence == 1 and conversation.duration_minutes == 45
    assert conversation.starts_at == datetime.datetime(2026, 8, 3, 8, 30, tzinfo=datetime.UTC)

    alice_client.post(url("conversation-cancel", conversation))
    conversation.refresh_from_db()
    assert conversation.status == Status.CANCELLED and conversation.sequence == 2


def test_the_prep_page_quotes_what_colleagues_said_before(
    alice_client: Client, alice: Any, acme: Any, dana: Any
) -> None:
    TargetFactory(organization=acme, culture_done=True, culture_notes="Flat, fast.")
    earlier = schedule(alice, [dana], starts_at=timezone.now() - datetime.timedelta(days=20))
    services.save_debrief(
        alice,
        earlier,
        learnings=[(Topic.PROJECTS, "The Denver hub opens in spring; they need planners.")],
    )
    pat = PersonFactory(owner=alice, first_name="Pat", last_name="Boss", level="manager")
    EmploymentFactory(person=pat, organization=acme, title="Director", has_hiring_authority=True)
    later = schedule(alice, [pat], purpose="supervisor")

    page = alice_client.get(url("conversation-prep", later)).content.decode()

    assert "What I learned from their colleagues" in page
    assert "<blockquote>The Denver hub opens in spring; they need planners.</blockquote>" in page
    assert "Dana Reyes" in page
    assert "Flat, fast." in page  # my research notes
    assert "What is your team working on now that needs more hands?" in page  # supervisor
    assert "Say clearly that you are interested" in page
    assert 'href="/static/coffeechat/print' in page and 'media="print"' in page


def test_the_prep_page_suggests_stories_that_match(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    StoryFactory(owner=alice, title="Knitting club", skills="crafts", result="")
    StoryFactory(owner=alice, title="Saved the Monday routes", skills="logistics, planning")
    conversation = schedule(alice, [dana])
    context = alice_client.get(url("conversation-prep", conversation)).context
    assert [s.title for s in context["stories"]] == ["Saved the Monday routes"]


def test_questions_can_be_added_removed_and_reordered(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    endpoint = url("conversation-questions", conversation)
    alice_client.post(endpoint, {"action": "add", "key": "feedback-1"})
    alice_client.post(
        endpoint,
        {"action": "add-own", "text": "What is Monday like?", "topic": "day_to_day", "keep": "on"},
    )
    chosen = list(conversation.chosen_questions.all())
    assert chosen[-2].builtin_key == "feedback-1" and chosen[-1].text == "What is Monday like?"
    assert alice.pk in set(conversation.chosen_questions.values_list("owner_id", flat=True))
    alice_client.post(endpoint, {"action": "up", "chosen": chosen[-1].pk})
    texts = list(conversation.chosen_questions.values_list("text", flat=True))
    assert texts[-2:] == ["What is Monday like?", chosen[-2].text]
    alice_client.post(endpoint, {"action": "remove", "chosen": chosen[0].pk})
    assert not conversation.chosen_questions.filter(pk=chosen[0].pk).exists()
    from coffeechat.conversations.models import Question

    assert Question.objects.filter(owner=alice, text="What is Monday like?").exists()


def test_notes_autosave_and_the_page_works_without_javascript(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    first = conversation.chosen_questions.first()
    assert first is not None
    hold = alice_client.get(url("conversation-hold", conversation)).content.decode()
    assert "coffeechat/hold.js" in hold and 'name="notes"' in hold

    saved = alice_client.post(
        url("conversation-hold", conversation),
        {"notes": "Loves Kanban", "asked": [first.pk], "asked_who_else": "on", "autosave": "1"},
    )
    assert saved.status_code == 204
    conversation.refresh_from_db()
    first.refresh_from_db()
    assert conversation.quick_notes == "Loves Kanban" and conversation.notes_saved_at
    assert first.asked and conversation.asked_who_else and not conversation.said_interested

    plain = alice_client.post(
        url("conversation-hold", conversation), {"notes": "Loves Kanban.", "next": "debrief"}
    )
    assert plain["Location"] == url("conversation-debrief", conversation)
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD and conversation.quick_notes == "Loves Kanban."


def test_a_referral_captured_on_the_spot_lands_as_a_person(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    response = alice_client.post(
        reverse("conversations:referral-create", kwargs={"conversation_id": conversation.pk}),
        {"name": "Kim Ng", "referred_by": dana.pk, "back": "hold"},
    )
    assert response["Location"] == url("conversation-hold", conversation)
    referral = Referral.objects.get(owner=alice)
    assert referral.person.full_name == "Kim Ng" and referral.referred_by == dana
    chain = alice_client.get(
        reverse("conversations:person-chain", kwargs={"person_id": referral.person_id})
    ).content.decode()
    assert "Dana Reyes" in chain and "your first contact" in chain


def test_the_debrief_page_saves_and_lists_thank_you_drafts(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana], starts_at=timezone.now() - datetime.timedelta(hours=1))
    prefix = f"p{dana.pk}"
    response = alice_client.post(
        url("conversation-debrief", conversation),
        {
            "debrief_notes": "Good talk",
            "fit": "strong",
            "learned_culture": "They pair on hard problems.\nFridays are quiet.",
            f"{prefix}-preferred_channel": "phone",
            f"{prefix}-follow_up_wish": "in the spring",
            f"{prefix}-may_keep_in_touch": "on",
        },
    )
    assert response.status_code == 302
    dana.refresh_from_db()
    assert (dana.preferred_channel, dana.follow_up_wish) == ("phone", "in the spring")
    assert conversation.learnings.count() == 2
    page = alice_client.get(url("conversation-debrief", conversation)).content.decode()
    assert "Draft thank-you" in page and "They pair on hard problems." in page
    thank_you = reverse("outreach:compose") + f"?person={dana.pk}&amp;purpose=thank_you"
    assert f"{thank_you}&amp;conversation={conversation.pk}" in page


def test_another_users_objects_are_404_in_pages_ics_and_api(
    bob_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    story = StoryFactory(owner=alice)
    question = QuestionFactory(owner=alice)
    for name in (
        "conversation-detail",
        "conversation-prep",
        "conversation-hold",
        "conversation-debrief",
        "conversation-ics",
    ):
        assert bob_client.get(url(name, conversation)).status_code == 404, name
    assert (
        bob_client.post(url("conversation-hold", conversation), {"notes": "x"}).status_code == 404
    )
    assert (
        bob_client.get(
            reverse("conversations:story-update", kwargs={"story_id": story.pk})
        ).status_code
        == 404
    )
    assert (
        bob_client.get(
            reverse("conversations:question-update", kwargs={"question_id": question.pk})
        ).status_code
        == 404
    )
    for api_url in (
        reverse("api-1:conversation-detail", kwargs={"conversation_id": conversation.pk}),
        reverse("api-1:story-detail", kwargs={"story_id": story.pk}),
        reverse("api-1:question-detail", kwargs={"question_id": question.pk}),
    ):
        assert bob_client.get(api_url).status_code == 404
    conversation.refresh_from_db()
    assert conversation.quick_notes == ""


def test_the_api_schedules_debriefs_and_refers(alice: Any, dana: Any) -> None:
    _token, raw = create_api_token(alice, "tests")
    client = Client()
    headers = {"Authorization": f"Bearer {raw}"}

    def send(method: str, path: str, data: Any) -> Any:
        return getattr(client, method)(
            path, json.dumps(data), content_type="application/json", headers=headers
        )

    created = send(
        "post",
        reverse("api-1:conversation-list"),
        {"person_ids": [dana.pk], "starts_at": "2026-06-01T10:00:00", "time_zone": "Europe/Berlin"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["starts_at"].startswith("2026-06-01T08:00:00") and body["sequence"] == 0
    cid = body["id"]
    moved = send(
        "put",
        f"/api/v1/conversations/{cid}/schedule",
        {"starts_at": "2026-06-02T10:00:00+02:00", "duration_minutes": 45},
    )
    assert moved.json()["sequence"] == 1
    debrief = send(
        "put",
        f"/api/v1/conversations/{cid}/debrief",
        {
            "fit": "unsure",
            "learnings": [{"topic": "skills", "text": "Python everywhere."}],
            "wishes": [{"person_id": dana.pk, "follow_up_wish": "monthly"}],
        },
    )
    assert debrief.status_code == 200, debrief.content
    assert debrief.json()["learnings"] == [{"topic": "skills", "text": "Python everywhere."}]
    referral = send(
        "post",
        reverse("api-1:referral-list"),
        {"conversation_id": cid, "referred_by_id": dana.pk, "name": "Kim Ng"},
    )
    assert referral.status_code == 201 and referral.json()["person_name"] == "Kim Ng"
    chain = client.get(
        f"/api/v1/people/{referral.json()['person_id']}/referral-chain", headers=headers
    ).json()
    assert [n["name"] for n in chain["back"]] == ["Dana Reyes"]
    bank = client.get("/api/v1/questions/bank", headers=headers).json()
    assert len(bank) >= 60


def make_history(alice: Any, acme: Any, dana: Any, size: int) -> Conversation:
    if not acme.targets.exists():
        TargetFactory(organization=acme)
    for index in range(size):
        colleague = PersonFactory(owner=alice, first_name=f"Col{index}")
        EmploymentFactory(person=colleague, organization=acme)
        earlier = schedule(
            alice,
            [colleague, dana],
            starts_at=timezone.now() - datetime.timedelta(days=index + 1),
        )
        LearningFactory(conversation=earlier)
        services.add_referral(alice, earlier, referred_by=colleague, name=f"Ref {index} Person")
        services.add_promise(alice, earlier, direction="mine", text=f"send {index}")
        StoryFactory(owner=alice)
        QuestionFactory(owner=alice)
    return schedule(alice, [dana])


@pytest.mark.parametrize("name", ["prep", "hold", "debrief", "detail", "list"])
def test_pages_run_a_constant_number_of_queries(
    name: str,
    alice_client: Client,
    alice: Any,
    acme: Any,
    dana: Any,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
) -> None:
    def page_url(conversation: Conversation) -> str:
        if name == "list":
            return reverse("conversations:conversation-list")
        return url(f"conversation-{name}", conversation)

    small = make_history(alice, acme, dana, 2)
    alice_client.get(page_url(small))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert alice_client.get(page_url(small)).status_code == 200
    large = make_history(alice, acme, dana, 12)
    with django_assert_num_queries(len(few)):
        assert alice_client.get(page_url(large)).status_code == 200
