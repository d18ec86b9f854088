"""The account export and deletion with team links: each side sees and loses only its own."""

from __future__ import annotations

import json
from typing import Any

import pytest

from coffeechat.bench import ranking, team
from coffeechat.bench.models import BenchEntry, TeamLink, TeamProposal
from coffeechat.core.calendar import local_today
from coffeechat.mydata import services as mydata
from coffeechat.network.services import create_person
from tests.accounts.test_my_data_export import all_text, export_of
from tests.bench.conftest import opening

pytestmark = pytest.mark.django_db


def referrals(alice: Any, bob: Any) -> tuple[TeamLink, TeamProposal, BenchEntry]:
    link = team.accept_invitation(bob, team.invite(alice, bob.email))
    waiting = team.refer(
        bob,
        link,
        create_person(bob, first_name="Grace", notes="BOB-PRIVATE"),
        why="Waiting reason",
    )
    accepted = team.refer(
        bob,
        link,
        create_person(bob, first_name="Ada", emails=["ada@example.org"]),
        why="Accepted reason",
        share=["email"],
        skills="python:3",
    )
    return link, waiting, team.accept_proposal(alice, accepted)


def test_each_side_exports_its_own_side(alice: Any, bob: Any) -> None:
    referrals(alice, bob)
    manager = export_of(alice)
    links = json.loads(manager.read("team_links.json"))
    proposals = json.loads(manager.read("team_proposals.json"))
    assert [link["email"] for link in links] == ["bob@example.com"]
    assert sorted(p["first_name"] for p in proposals) == ["Ada", "Grace"]
    assert json.loads(manager.read("account.json"))["team_member_side"] == {
        "i_refer_to": [],
        "referrals_sent": [],
    }

    member = export_of(bob)
    assert json.loads(member.read("team_links.json")) == []
    assert json.loads(member.read("team_proposals.json")) == []
    side = json.loads(member.read("account.json"))["team_member_side"]
    assert [(link["manager"], link["status"]) for link in side["i_refer_to"]] == [
        ("alice@example.com", "active")
    ]
    assert sorted((s["name"], s["status"]) for s in side["referrals_sent"]) == [
        ("Ada", "accepted"),
        ("Grace", "pending"),
    ]
    # The member's export holds nothing of the manager's own data about them.
    text = all_text(member)
    assert "Accepted reason" not in json.dumps(side) and "python:3" not in json.dumps(side)
    assert "BOB-PRIVATE" in text  # their own person, in their own people.json
    assert "BOB-PRIVATE" not in all_text(manager)


def test_deleting_the_member_keeps_what_the_manager_accepted(alice: Any, bob: Any) -> None:
    link, waiting, entry = referrals(alice, bob)
    mydata.delete_account(bob)
    assert not TeamLink.objects.filter(pk=link.pk).exists()
    assert not TeamProposal.objects.filter(pk=waiting.pk).exists()
    kept = TeamProposal.objects.get(entry=entry)
    assert kept.owner == alice and kept.link is None and "bob@example.com" in kept.referrer_name
    ranked = ranking.rank(alice, opening(alice, ["python"]), local_today(alice))
    assert ranked[0].scores["vouched"] == ranking.REFERRER_POINTS


def test_deleting_the_manager_removes_the_links_and_proposals(alice: Any, bob: Any) -> None:
    referrals(alice, bob)
    mydata.delete_account(alice)
    assert TeamLink.objects.count() == TeamProposal.objects.count() == 0
    assert json.loads(export_of(bob).read("account.json"))["team_member_side"] == {
        "i_refer_to": [],
        "referrals_sent": [],
    }
