from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from coffeechat.bench import services
from coffeechat.bench.models import BenchEntry, Opening
from tests.factories import PersonFactory

TODAY = datetime.date(2026, 3, 2)


def bench(owner: Any, first_name: str, skills: str = "", **fields: Any) -> BenchEntry:
    """A person put on ``owner``'s bench through the service."""
    person = fields.pop("person", None) or PersonFactory(
        owner=owner, first_name=first_name, last_name=fields.pop("last_name", "Doe")
    )
    return services.save_entry(
        owner, BenchEntry(person=person, **fields), skills=services.parse_skills(skills)
    )


def opening(owner: Any, required: list[str], nice: tuple[str, ...] = (), **fields: Any) -> Opening:
    return services.save_opening(
        owner,
        Opening(title=fields.pop("title", "Data engineer"), **fields),
        required=required,
        nice_to_have=list(nice),
    )


@pytest.fixture(autouse=True)
def _monday_morning() -> Iterator[None]:
    with time_machine.travel("2026-03-02 09:00Z", tick=False):
        yield
