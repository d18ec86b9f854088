from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from coffeechat.coaching import services
from coffeechat.coaching.models import CoachLink
from coffeechat.conversations.models import Status as ConversationStatus
from tests.factories import (
    ConversationFactory,
    EmploymentFactory,
    LearningFactory,
    PersonFactory,
    TargetFactory,
    UserFactory,
)
from tests.outreach.conftest import smtp_server  # noqa: F401 — the real SMTP server fixture
from tests.progress.conftest import days_ago, sent

NOW = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def _wednesday() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def carol(db: Any) -> Any:
    return UserFactory(email="carol@example.com")


@pytest.fixture
def carol_client(carol: Any) -> Client:
    client = Client()
    client.force_login(carol)
    return client


def coach(
    owner: Any, the_coach: Any, scope: str = "progress", show_names: bool = False
) -> CoachLink:
    """``the_coach`` coaches ``owner`` within ``scope``."""
    return services.accept(
        the_coach, services.invite(owner, the_coach.email, scope=scope, show_names=show_names)
    )


def networking(owner: Any) -> dict[str, Any]:
    """A little of everything a coach may see: a person at a target who hires, a note
    to them that got a reply, a held conversation with notes and a learning."""
    target = TargetFactory(organization__owner=owner, organization__name="Acme Widgets")
    person = PersonFactory(owner=owner, first_name="Secretia", last_name="Privatova")
    EmploymentFactory(person=person, organization=target.organization, has_hiring_authority=True)
    message = sent(owner, person, organization=target.organization, replied_after=1)
    held = ConversationFactory(
        owner=owner,
        organization=target.organization,
        people=[person],
        starts_at=days_ago(1),
        status=ConversationStatus.HELD,
        quick_notes="Whispered detail about the reorg",
    )
    LearningFactory(conversation=held, text="Murmured lesson on hiring")
    return {"target": target, "person": person, "message": message, "conversation": held}
