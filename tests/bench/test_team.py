"""My team refers people to me: links, what crosses in a referral, the queue, the pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress as AccountAddress
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.accounts.models import Profile
from coffeechat.bench import team
from coffeechat.bench.models import (
    BenchEntry,
    DataSource,
    LinkStatus,
    ProposalStatus,
    TeamLink,
    TeamProposal,
)
from coffeechat.network.models import EmailAddress, Person, Source, Tag
from coffeechat.network.services import NewJob, create_person
from tests.factories import EmailAddressFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def linked(manager: Any, member: Any) -> TeamLink:
    return team.accept_invitation(member, team.invite(manager, member.email))


def candidate(member: Any, **fields: Any) -> Person:
    """A person in the member's network with every kind of detail, and private notes."""
    person = create_person(
        member,
        first_name=fields.pop("first_name", "Grace"),
        last_name="Hopper",
        emails=["grace@navy.example"],
        phones=["+1 555 0100"],
        linkedin_url="https://www.linkedin.com/in/gracehopper",
        job=NewJob("Navy Lab", title="Compiler lead"),
        notes="PRIVATE-NOTE owes me money",
        **fields,
    )
    person.tags.add(Tag.objects.get_or_create(owner=member, name="private-tag")[0])
    return person


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Links --------------------------------------------------------------------------------


def test_it_answers_an_invitation_the_same_whether_the_address_has_an_account(
    alice: Any, alice_client: Client, bob: Any
) -> None:
    answers = []
    for email in (bob.email, "nobody-here@example.com"):
        response = alice_client.post(reverse("bench:team-invite"), {"email": email}, follow=True)
        answers.append([str(m) for m in response.context["messages"]])
        assert team.INVITED in response.content.decode()
    assert answers[0] == answers[1] == [team.INVITED]
    api = [
        alice_client.post(
            "/api/v1/bench/team/links", {"email": email}, content_type="application/json"
        )
        for email in ("carol@example.com", "nobody-else@example.com")
    ]
    assert [r.status_code for r in api] == [201, 201]
    assert {tuple(sorted(set(r.json()) - {"id", "email"})) for r in api} == {("detail", "status")}
    assert api[0].json()["detail"] == api[1].json()["detail"] == team.INVITED
    assert api[0]["Location"].endswith(f"/bench/team/links/{api[0].json()['id']}")


def test_a_pending_invitation_to_an_unknown_address_shows_once_they_sign_up(
    alice: Any,
) -> None:
    link = team.invite(alice, "Newcomer@Example.com")
    assert link.member is None and link.email == "newcomer@example.com"
    with time_machine.travel(datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC)):
        newcomer = UserFactory(email="newcomer@example.com")  # the next day
    # Signing up with the address is not enough: someone else could have typed it.
    page = client_for(newcomer).get(reverse("bench:team")).content.decode()
    assert "alice@example.com" not in page
    with pytest.raises(Http404):
        team.invitation_or_404(newcomer, link.pk)
    AccountAddress.objects.create(user=newcomer, email=newcomer.email, verified=True, primary=True)
    page = client_for(newcomer).get(reverse("bench:team")).content.decode()
    assert "alice@example.com" in page
    assert reverse("bench:team-invitation-accept", kwargs={"invitation_id": link.pk}) in page


def test_it_refuses_a_bad_address_and_my_own_and_keeps_one_live_link(alice: Any) -> None:
    with pytest.raises(ValidationError) as bad:
        team.invite(alice, "not an address")
    assert "email" in bad.value.message_dict
    with pytest.raises(ValidationError):
        team.invite(alice, "ALICE@example.com")
    first = team.invite(alice, "bob@example.com")
    assert team.invite(alice, "bob@example.com").pk == first.pk
    team.end_link(alice, first)
    assert team.invite(alice, "bob@example.com").pk != first.pk


def test_the_member_accepts_or_declines_and_a_stranger_cannot(alice: Any, bob: Any) -> None:
    carol = UserFactory(email="carol@example.com")
    link = team.invite(alice, bob.email)
    stranger = client_for(carol)
    for name in ("team-invitation-accept", "team-invitation-decline", "team-invitation-end"):
        url = reverse(f"bench:{name}", kwargs={"invitation_id": link.pk})
        assert stranger.post(url).status_code == 404
        assert client_for(alice).post(url).status_code == 404  # the manager is not the member
    assert (
        client_for(bob)
        .post(reverse("bench:team-invitation-decline", kwargs={"invitation_id": link.pk}))
        .status_code
        == 302
    )
    link.refresh_from_db()
    assert link.status == LinkStatus.DECLINED and link.member == bob
    with pytest.raises(ValidationError):
        team.accept_invitation(bob, link)


# Referring: only the chosen fields cross ----------------------------------------------


def test_only_the_chosen_fields_cross_and_nothing_else_of_the_referrers_network(
    alice: Any, bob: Any, alice_client: Client, bob_client: Client
) -> None:
    link = linked(alice, bob)
    grace = candidate(bob)
    PersonFactory(owner=bob, first_name="Otherperson", last_name="Unshared")
    response = bob_client.post(
        reverse("bench:team-refer"),
        {
            "link": link.pk,
            "person": grace.pk,
            "why": "Wrote the first compiler",
            "share": ["job"],
            "skills": "compilers:4, teaching",
        },
    )
    assert response.status_code == 302, response.content.decode()
    proposal = TeamProposal.objects.get(owner=alice)
    assert (proposal.first_name, proposal.last_name) == ("Grace", "Hopper")
    assert (proposal.job_title, proposal.organization) == ("Compiler lead", "Navy Lab")
    assert proposal.email == proposal.phone == proposal.linkedin_url == ""

    leaks = [
        "grace@navy.example",
        "555 0100",
        "gracehopper",
        "PRIVATE-NOTE",
        "private-tag",
        "Otherperson",
        f"/people/{grace.pk}/",
    ]
    pages = [
        alice_client.get(reverse("bench:proposal-list")),
        alice_client.get(proposal.get_absolute_url()),
        alice_client.get(reverse("bench:team")),
        alice_client.get("/api/v1/bench/proposals"),
        alice_client.get(f"/api/v1/bench/proposals/{proposal.pk}"),
    ]
    for page in pages:
        body = page.content.decode()
        assert page.status_code == 200
        if "/team/" not in page.wsgi_request.path:
            assert "Grace Hopper" in body or '"Grace"' in body
            assert "Wrote the first compiler" in body
        for leak in leaks:
            assert leak not in body, (page.wsgi_request.path, leak)
    api = alice_client.get(f"/api/v1/bench/proposals/{proposal.pk}").json()
    assert grace.pk not in {v for v in api.values() if isinstance(v, int)} - {proposal.pk}

    entry = team.accept_proposal(alice, proposal)
    person = entry.person
    assert person.owner == alice and person.pk != grace.pk
    assert not EmailAddress.objects.filter(owner=alice, person=person).exists()
    assert person.phone_numbers.count() == 0 and person.linkedin_url == ""
    assert person.notes == "" and person.tags.count() == 0 and person.source == Source.REFERRAL
    job = person.employments.get()
    assert (job.title, job.organization.name, job.organization.owner) == (
        "Compiler lead",
        "Navy Lab",
        alice,
    )
    assert entry.data_source == DataSource.REFERRER
    assert bob.email in entry.data_note
    assert sorted(entry.skills.values_list("name", "level")) == [("compilers", 4), ("teaching", 2)]
    detail = alice_client.get(person.get_absolute_url()).content.decode()
    for leak in leaks:
        assert leak not in detail


def test_ticking_a_field_copies_it_then_and_only_then(alice: Any, bob: Any) -> None:
    link = linked(alice, bob)
    grace = candidate(bob)
    proposal = team.refer(bob, link, grace, why="Sharp", share=["email", "phone", "linkedin"])
    assert proposal.email == "grace@navy.example"
    assert proposal.phone == "+1 555 0100"
    assert proposal.linkedin_url == "https://www.linkedin.com/in/gracehopper"
    assert proposal.organization == ""
    # Later changes in the member's network stay there.
    EmailAddress.objects.filter(person=grace).update(email="changed@navy.example")
    proposal.refresh_from_db()
    assert proposal.email == "grace@navy.example"


def test_accepting_links_to_the_person_with_the_same_email(alice: Any, bob: Any) -> None:
    mine = PersonFactory(owner=alice, first_name="Grace", last_name="B. Hopper")
    EmailAddressFactory(person=mine, email="GRACE@navy.example")
    proposal = team.refer(bob, linked(alice, bob), candidate(bob), why="x", share=["email"])
    entry = team.accept_proposal(alice, proposal)
    assert entry.person == mine
    assert Person.objects.filter(owner=alice).count() == 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.entry == entry


def test_a_non_member_cannot_refer_and_an_ended_link_stops_referrals(
    alice: Any, bob: Any, bob_client: Client
) -> None:
    carol = UserFactory(email="carol@example.com")
    link = linked(alice, bob)
    grace = candidate(bob)
    with pytest.raises(ValidationError):
        team.refer(carol, link, candidate(carol), why="x")
    with pytest.raises(ValidationError):  # someone else's person
        team.refer(bob, link, candidate(carol, first_name="Carols"), why="x")
    api = client_for(carol).post(
        "/api/v1/bench/team/referrals",
        {"invitation_id": link.pk, "person_id": grace.pk, "why": "x"},
        content_type="application/json",
    )
    assert api.status_code == 404
    waiting = team.refer(bob, link, grace, why="first")
    team.end_link(alice, link)
    assert not TeamProposal.objects.filter(pk=waiting.pk).exists()  # withdrawn
    with pytest.raises(ValidationError):
        team.refer(bob, link, grace, why="again")
    response = bob_client.post(
        reverse("bench:team-refer"), {"link": link.pk, "person": grace.pk, "why": "again"}
    )
    assert response.status_code == 200
    assert TeamProposal.objects.count() == 0
    api = bob_client.post(
        "/api/v1/bench/team/referrals",
        {"invitation_id": link.pk, "person_id": grace.pk, "why": "again"},
        content_type="application/json",
    )
    assert api.status_code in (400, 422) and api.json()["errors"][0]["loc"][-1] == "link"


def test_an_accepted_proposal_stays_with_the_manager_when_the_link_ends(
    alice: Any, bob: Any
) -> None:
    link = linked(alice, bob)
    entry = team.accept_proposal(alice, team.refer(bob, link, candidate(bob), why="good"))
    team.end_link(bob, link)
    link.refresh_from_db()
    assert link.ended_by == "member"
    assert BenchEntry.objects.filter(pk=entry.pk).exists()
    assert TeamProposal.objects.get(entry=entry).status == ProposalStatus.ACCEPTED


def test_declining_drops_the_shared_details_and_the_referrer_sees_declined(
    alice: Any, bob: Any, bob_client: Client
) -> None:
    proposal = team.refer(
        bob, linked(alice, bob), candidate(bob), why="Sharp mind", share=["email", "job"]
    )
    team.decline_proposal(alice, proposal)
    proposal.refresh_from_db()
    assert proposal.email == proposal.organization == "" and "Sharp" not in proposal.why
    page = bob_client.get(reverse("bench:team")).content.decode()
    assert "Grace Hopper" in page and "Declined" in page
    api = bob_client.get(f"/api/v1/bench/team/referrals/{proposal.pk}").json()
    assert api["status"] == "declined" and "why" not in api and "email" not in api


def test_another_users_proposals_and_links_are_404(alice: Any, bob: Any) -> None:
    carol = client_for(UserFactory(email="carol@example.com"))
    link = linked(alice, bob)
    proposal = team.refer(bob, link, candidate(bob), why="x")
    member = client_for(bob)
    for client in (carol, member):  # the referrer does not see the manager's queue either
        assert client.get(proposal.get_absolute_url()).status_code == 404
        assert client.get(f"/api/v1/bench/proposals/{proposal.pk}").status_code == 404
        assert client.post(reverse("bench:proposal-accept", args=[proposal.pk])).status_code == 404
        assert client.get(f"/api/v1/bench/team/links/{link.pk}").status_code == 404
    assert carol.get(f"/api/v1/bench/team/referrals/{proposal.pk}").status_code == 404
    assert carol.get(f"/api/v1/bench/team/invitations/{link.pk}").status_code == 404
    assert carol.post(reverse("bench:team-link-end", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.status == LinkStatus.ACTIVE


# Pages --------------------------------------------------------------------------------


def test_the_refer_form_offers_only_my_people_and_my_managers(
    alice: Any, bob: Any, bob_client: Client
) -> None:
    Profile.objects.filter(user=alice).update(full_name="Alice Manager")
    linked(alice, bob)
    candidate(alice, first_name="Alicesown")
    carol = UserFactory(email="carol@example.com")
    team.invite(carol, bob.email)  # pending: not a manager Bob may refer to yet
    page = bob_client.get(reverse("bench:team-refer")).content.decode()
    assert "Alice Manager (alice@example.com)" in page
    assert "carol@example.com" not in page
    response = bob_client.post(
        reverse("bench:team-refer"),
        {"link": TeamLink.objects.get(owner=alice).pk, "person_q": "Alicesown", "why": "x"},
    )
    assert "nobody in your network matches" in response.content.decode()
    assert TeamProposal.objects.count() == 0


def test_the_pages_hold_a_constant_number_of_queries(alice: Any, bob: Any) -> None:
    def counts() -> list[int]:
        found = []
        for user, url in (
            (alice, reverse("bench:team")),
            (alice, reverse("bench:proposal-list")),
            (bob, reverse("bench:team")),
            (bob, reverse("bench:team-refer")),
        ):
            client = client_for(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    def grow(n: int) -> None:
        for i in range(n):
            manager = UserFactory(email=f"manager{TeamLink.objects.count()}-{i}@example.com")
            link = linked(manager, bob)
            team.refer(bob, link, candidate(bob), why="x")
            member = UserFactory(email=f"member{TeamLink.objects.count()}-{i}@example.com")
            team.refer(member, linked(alice, member), candidate(member), why="y")

    grow(2)
    small = counts()
    grow(12)
    assert counts() == small


def test_today_shows_an_invitation_and_a_proposal_until_they_are_answered(
    alice: Any, bob: Any, alice_client: Client, bob_client: Client
) -> None:
    from coffeechat.followups.models import FollowUp, Status

    team.invite(alice, "stranger@example.com")  # no account: nobody's Today changes
    assert FollowUp.objects.count() == 0
    link = team.invite(alice, bob.email)
    today = bob_client.get(reverse("followups:today")).content.decode()
    assert "alice@example.com" in today and "invites you to refer people" in today
    team.accept_invitation(bob, link)
    assert FollowUp.objects.get(owner=bob).status == Status.DONE

    proposal = team.refer(bob, link, candidate(bob), why="x")
    today = alice_client.get(reverse("followups:today")).content.decode()
    assert "referred Grace Hopper to your bench" in today
    assert proposal.get_absolute_url() in today
    team.accept_proposal(alice, proposal)
    assert FollowUp.objects.get(owner=alice).status == Status.DONE

    waiting = team.refer(bob, link, candidate(bob, first_name="Withdrawn"), why="y")
    team.end_link(bob, link)
    line = FollowUp.objects.get(owner=alice, rule_key=f"bench_proposal:{waiting.pk}")
    assert line.status == Status.RETIRED


def test_the_services_refuse_someone_who_was_not_invited(alice: Any, bob: Any) -> None:
    from django.http import Http404

    carol = UserFactory(email="carol@example.com")
    link = team.invite(alice, bob.email)
    for action in (team.accept_invitation, team.decline_invitation, team.end_link):
        with pytest.raises(Http404):
            action(carol, link)
    link.refresh_from_db()
    assert link.status == LinkStatus.PENDING and link.member is None
