from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from coffeechat.outreach.models import ConnectionKind, Purpose, Status
from tests.factories import MessageFactory, PersonFactory

NOW = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def _wednesday() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def sent(
    owner: Any, person: Any = None, *, replied_after: float | None = None, **fields: Any
) -> Any:
    """A message that went out two days ago (replied ``replied_after`` days later)."""
    sent_at = fields.pop("sent_at", None) or days_ago(2)
    values: dict[str, Any] = {
        "purpose": Purpose.INFORMATIONAL,
        "connection_kind": ConnectionKind.COLD,
        "status": Status.SENT,
        **fields,
    }
    if replied_after is not None:
        values["status"] = Status.REPLIED
        values["replied_at"] = sent_at + datetime.timedelta(days=replied_after)
    return MessageFactory(
        owner=owner, person=person or PersonFactory(owner=owner), sent_at=sent_at, **values
    )
