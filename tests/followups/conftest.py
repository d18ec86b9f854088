from __future__ import annotations

import datetime
from typing import Any

import pytest

from coffeechat.followups.models import FollowUpSettings
from tests.factories import UserFactory


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.fixture
def berliner(db: Any) -> Any:
    """A user in Berlin, Germany (the factories' default profile)."""
    user = UserFactory(email="dana@example.com")
    FollowUpSettings.objects.create(owner=user, digest_hour=7)
    return user
