"""The demo account shows targets, openings, applications and every situation."""

from __future__ import annotations

from typing import Any

import pytest

from coffeechat.demo.network import build_demo_network
from coffeechat.network.models import Organization
from coffeechat.outreach.situations import (
    APPLIED_THERE,
    APPLY_NOW,
    ASK_FOR_FEEDBACK,
    situations_for_organization,
)
from coffeechat.targets.models import Application, Posting, Target, TargetStatus
from coffeechat.targets.outcomes import application_outcomes
from coffeechat.targets.services import rank_targets

pytestmark = pytest.mark.django_db


def test_the_demo_has_ranked_targets_and_every_situation(alice: Any) -> None:
    counts = build_demo_network(alice, seed=5, people=320)

    assert counts["targets"] == Target.objects.filter(owner=alice).count() >= 8
    assert counts["postings"] == Posting.objects.filter(owner=alice).count() == 3
    assert counts["applications"] == Application.objects.filter(owner=alice).count() == 4
    ranked = rank_targets(alice)
    assert [r.rank for r in ranked if r.is_ranked] == list(range(1, len(ranked)))
    assert [r.target.status for r in ranked if not r.is_ranked] == [TargetStatus.NOT_A_FIT]
    assert all(r.warm.reached > 0 for r in ranked), "every demo target has a way in"
    kinds = {
        situation.kind
        for organization in Organization.objects.filter(owner=alice, targets__isnull=False)
        for situation in situations_for_organization(alice, organization)
    }
    assert kinds == {APPLIED_THERE, APPLY_NOW, ASK_FOR_FEEDBACK}
    outcomes = application_outcomes(alice)
    assert outcomes.cold.sent == 3 and outcomes.referral.sent == 1


def test_the_demo_has_a_held_and_an_upcoming_conversation(alice: Any) -> None:
    from coffeechat.conversations.models import Conversation, Status, Story

    counts = build_demo_network(alice, seed=5, people=320)

    conversations = Conversation.objects.filter(owner=alice)
    assert counts["conversations"] == conversations.count() == 2
    held = conversations.get(status=Status.HELD)
    assert held.debriefed_at is not None and held.learnings.count() == 3
    assert conversations.filter(status=Status.SCHEDULED).get().chosen_questions.exists()
    assert Story.objects.filter(owner=alice).count() == counts["stories"] == 3
