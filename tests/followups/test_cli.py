from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coffeechat.core.calendar import local_today
from tests.factories import FollowUpFactory

pytestmark = pytest.mark.django_db


def test_it_prints_the_today_list(alice: Any, bob: Any) -> None:
    today = local_today(alice)
    FollowUpFactory(owner=alice, due_on=today - datetime.timedelta(days=2), title="Thank Ada")
    FollowUpFactory(owner=alice, due_on=today + datetime.timedelta(days=2), title="Nudge Bo")
    FollowUpFactory(owner=bob, due_on=today, title="Bob's own")
    out = io.StringIO()
    call_command("today", "--user", "ALICE@example.com", stdout=out, no_color=True)
    text = out.getvalue()
    assert "Overdue (1)" in text and "Thank Ada" in text and "Nudge Bo" in text
    assert "Bob's own" not in text
    assert "New outreach messages: 0 of 5" in text


def test_it_says_when_nothing_is_due(alice: Any) -> None:
    out = io.StringIO()
    call_command("today", "--user", alice.email, stdout=out, no_color=True)
    assert "Nothing due" in out.getvalue()


def test_it_names_an_unknown_account() -> None:
    with pytest.raises(CommandError, match="nobody@example.com"):
        call_command("today", "--user", "nobody@example.com")
