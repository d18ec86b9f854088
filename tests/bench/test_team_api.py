"""The team referrals API, walked from invitation to the bench, and the vouch it gives."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from coffeechat.bench import ranking, team
from coffeechat.bench.models import TeamProposal
from coffeechat.core.calendar import local_today
from coffeechat.network.services import NewJob, create_person
from tests.bench.conftest import bench, opening

pytestmark = pytest.mark.django_db

BASE = "/api/v1/bench"


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def test_the_api_walks_from_invitation_to_the_bench(
    alice: Any, bob: Any, alice_client: Client, bob_client: Client
) -> None:
    invited = post(alice_client, f"{BASE}/team/links", {"email": "BOB@example.com"})
    assert invited.status_code == 201, invited.content
    link_id = invited.json()["id"]
    assert invited["Location"].endswith(f"{BASE}/team/links/{link_id}")

    invitations = bob_client.get(f"{BASE}/team/invitations").json()
    assert [(i["id"], i["status"]) for i in invitations] == [(link_id, "pending")]
    assert "alice@example.com" in invitations[0]["manager"]
    accepted = post(bob_client, f"{BASE}/team/invitations/{link_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    assert alice_client.get(f"{BASE}/team/links/{link_id}").json()["status"] == "active"

    grace = create_person(
        bob,
        first_name="Grace",
        last_name="Hopper",
        emails=["grace@navy.example"],
        phones=["+1 555 0100"],
        job=NewJob("Navy Lab", title="Compiler lead"),
        notes="PRIVATE-NOTE",
    )
    bad = post(
        bob_client,
        f"{BASE}/team/referrals",
        {"invitation_id": link_id, "person_id": grace.pk, "why": "x", "share": ["notes"]},
    )
    assert bad.status_code in (400, 422) and bad.json()["errors"][0]["loc"][-1] == "share"
    sent = post(
        bob_client,
        f"{BASE}/team/referrals",
        {
            "invitation_id": link_id,
            "person_id": grace.pk,
            "why": "Wrote the first compiler",
            "share": ["email"],
            "skills": "compilers:4",
        },
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == "pending" and sent.json()["name"] == "Grace Hopper"
    assert sent["Location"].endswith(f"{BASE}/team/referrals/{sent.json()['id']}")

    queue = alice_client.get(f"{BASE}/proposals")
    text = queue.content.decode()
    assert "PRIVATE-NOTE" not in text and "555 0100" not in text and "Navy Lab" not in text
    (proposal,) = queue.json()
    assert proposal["email"] == "grace@navy.example" and proposal["phone"] == ""
    assert proposal["referrer_name"].endswith("(bob@example.com)")
    assert proposal["why"] == "Wrote the first compiler"
    assert proposal["person_id"] is None

    done = post(alice_client, f"{BASE}/proposals/{proposal['id']}/accept")
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == "accepted" and body["entry_id"] and body["person_id"] != grace.pk
    entry = alice_client.get(f"{BASE}/entries/{body['entry_id']}").json()
    assert entry["data_source"] == "referrer" and "bob@example.com" in entry["data_note"]
    assert entry["skills"] == [{"name": "compilers", "level": 4}]
    again = post(alice_client, f"{BASE}/proposals/{proposal['id']}/accept")
    assert again.status_code in (400, 422)
    assert bob_client.get(f"{BASE}/team/referrals").json()[0]["status"] == "accepted"

    ended = post(bob_client, f"{BASE}/team/invitations/{link_id}/end")
    assert ended.json()["status"] == "ended"
    refused = post(
        bob_client,
        f"{BASE}/team/referrals",
        {"invitation_id": link_id, "person_id": grace.pk, "why": "again"},
    )
    assert refused.status_code in (400, 422)
    assert TeamProposal.objects.count() == 1


def test_declining_over_the_api_tells_the_referrer_nothing_more(
    alice: Any, bob: Any, alice_client: Client, bob_client: Client
) -> None:
    link = team.accept_invitation(bob, team.invite(alice, bob.email))
    person = create_person(bob, first_name="Ada", emails=["ada@example.org"])
    proposal = team.refer(bob, link, person, why="Sharp", share=["email"])
    declined = post(alice_client, f"{BASE}/proposals/{proposal.pk}/decline").json()
    assert declined["status"] == "declined" and declined["email"] == ""
    mine = bob_client.get(f"{BASE}/team/referrals/{proposal.pk}").json()
    assert set(mine) == {"id", "name", "to", "status", "created_at"}
    assert mine["status"] == "declined"


def test_a_team_members_referral_moves_a_person_up_through_who_vouches(
    alice: Any, bob: Any
) -> None:
    link = team.accept_invitation(bob, team.invite(alice, bob.email))
    plain = bench(alice, "Plain", "python:3", last_name="Aaa")
    referred_person = create_person(bob, first_name="Referred", last_name="Zzz")
    entry = team.accept_proposal(
        alice, team.refer(bob, link, referred_person, why="great", skills="python:3")
    )
    # Same skills, fit and availability; by name "Plain Aaa" would come first.
    assert (entry.fit, entry.availability) == (plain.fit, plain.availability)
    job = opening(alice, ["python"])
    ranked = ranking.rank(alice, job, local_today(alice))
    assert [r.person.first_name for r in ranked] == ["Referred", "Plain"]
    assert ranked[0].scores["vouched"] == ranking.REFERRER_POINTS
    assert ranked[1].scores["vouched"] == 0
    assert ranked[0].total > ranked[1].total
    assert ranked[0].entry.team_referrer.endswith("(bob@example.com)")
