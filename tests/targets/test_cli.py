"""``coffeechat paths``: ranked paths with explanations in the terminal."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coffeechat.network.models import TieKind
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory, TieFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("paths", *args, stdout=out, no_color=True)
    return out.getvalue()


@pytest.fixture
def acme(alice: Any) -> Any:
    organization = OrganizationFactory(owner=alice, name="Acme, Inc.")
    for index in range(4):
        friend = PersonFactory(owner=alice, first_name=f"Friend{index}", last_name="Kim")
        TieFactory(to_person=friend, kind=TieKind.FRIEND, strength=5 - index)
        EmploymentFactory(person=friend, organization=organization, department="Data")
    boss = PersonFactory(owner=alice, first_name="Pat", last_name="Boss")
    EmploymentFactory(
        person=boss, organization=organization, title="Director", has_hiring_authority=True
    )
    return organization


def test_it_prints_ranked_paths_with_explanations(alice: Any, acme: Any) -> None:
    output = run("ACME inc", "--user", "ALICE@example.com", "--limit", "2")

    assert "Acme, Inc.: 5 people reachable" in output
    assert "you → Friend0 Kim" in output
    assert "Friend0 Kim (Acme, Inc., Data) — a close friend of yours" in output
    assert "Friend2 Kim" not in output  # beyond --limit 2
    assert "Hiring authority" in output and "Pat Boss, Director — hires" in output
    assert output.index("Friend0") < output.index("Friend1")


def test_it_suggests_close_names_and_refuses_unknown_accounts(alice: Any, acme: Any) -> None:
    with pytest.raises(CommandError, match="Did you mean: Acme, Inc."):
        run("Acmee", "--user", "alice@example.com")
    with pytest.raises(CommandError, match="no account"):
        run("Acme", "--user", "nobody@example.com")
    with pytest.raises(CommandError, match="--limit"):
        run("Acme", "--user", "alice@example.com", "--limit", "0")


def test_it_uses_only_the_named_users_network(alice: Any, bob: Any, acme: Any) -> None:
    OrganizationFactory(owner=bob, name="Acme")
    output = run("Acme", "--user", "bob@example.com")
    assert "0 people reachable" in output and "No path yet" in output
    assert "Friend0" not in output
