from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from coffeechat.conversations import services
from coffeechat.conversations.models import Conversation
from tests.factories import (
    EmailAddressFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
)


@pytest.fixture
def acme(alice: Any) -> Any:
    return OrganizationFactory(owner=alice, name="Acme Logistics", industry="Logistics")


@pytest.fixture
def dana(alice: Any, acme: Any) -> Any:
    person = PersonFactory(
        owner=alice,
        first_name="Dana",
        last_name="Reyes",
        level="staff",
        time_zone="America/New_York",
    )
    EmailAddressFactory(person=person, email="dana@acme.example")
    EmploymentFactory(person=person, organization=acme, title="Planner")
    return person


def schedule(owner: Any, people: list[Any], **fields: Any) -> Conversation:
    fields.setdefault(
        "starts_at", timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=2)
    )
    invite = fields.pop("invite", False)
    return services.schedule_conversation(owner, Conversation(**fields), people, invite=invite)
