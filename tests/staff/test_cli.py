"""``coffeechat staff``: the first staff member, the list, deactivation; logged as cli."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coffeechat.accounts.services import create_api_token
from coffeechat.staff.models import ActionKind, StaffAction
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("staff", *args, stdout=out)
    return out.getvalue()


def test_it_makes_the_first_staff_member(alice: Any) -> None:
    assert "alice@example.com is staff" in run("--grant", "ALICE@example.com")
    alice.refresh_from_db()
    assert alice.is_staff
    action = StaffAction.objects.get()
    assert (action.actor_label, action.kind) == ("cli", ActionKind.GRANT)
    assert action.subject == alice


def test_it_lists_accounts_with_counts_only(alice: Any, bob: Any) -> None:
    PersonFactory(owner=alice, first_name="Zebulon")
    data = json.loads(run("--list", "--json"))
    by_email = {row["email"]: row for row in data}
    assert by_email["alice@example.com"]["people"] == 1
    assert by_email["bob@example.com"]["people"] == 0
    text = run("--list", "--search", "bob")
    assert "bob@example.com" in text and "alice@example.com" not in text
    assert "Zebulon" not in text


def test_it_deactivates_and_reactivates_with_the_same_log(alice: Any) -> None:
    create_api_token(alice, "script")
    assert "deactivated" in run("--deactivate", "alice@example.com")
    alice.refresh_from_db()
    assert not alice.is_active
    assert not alice.api_tokens.filter(revoked_at__isnull=True).exists()
    run("--reactivate", "alice@example.com")
    alice.refresh_from_db()
    assert alice.is_active
    assert list(StaffAction.objects.order_by("pk").values_list("actor_label", "kind")) == [
        ("cli", ActionKind.DEACTIVATE),
        ("cli", ActionKind.REACTIVATE),
    ]


def test_it_names_an_unknown_address(db: Any) -> None:
    with pytest.raises(CommandError, match="nobody@example.com"):
        run("--deactivate", "nobody@example.com")
