"""A coach sees exactly the chosen scope, nothing after the end, and nobody else's data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from coffeechat.coaching import services
from tests.coaching.conftest import coach, networking
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAME = "Secretia"
ORGANIZATION = "Acme Widgets"
NOTES = ("Whispered detail about the reorg", "Murmured lesson on hiring")


def seen(client: Any, link_id: int) -> tuple[str, str]:
    """The coach's page and API answer for this person, as text."""
    page = client.get(f"/coaching/people/{link_id}/")
    api = client.get(f"/api/v1/coaching/people/{link_id}")
    listing = client.get("/coaching/people/")
    assert page.status_code == api.status_code == listing.status_code == 200
    return page.content.decode() + listing.content.decode(), json.dumps(api.json())


def test_progress_only_shows_no_targets_conversations_names_or_notes(alice, carol, carol_client):
    networking(alice)
    link = coach(alice, carol, "progress")

    for text in seen(carol_client, link.pk):
        assert NAME not in text and "Privatova" not in text
        assert ORGANIZATION not in text
        assert not any(note in text for note in NOTES)
        assert "Contact 1" not in text  # no people at all, not even labelled
    data = carol_client.get(f"/api/v1/coaching/people/{link.pk}").json()
    assert data["progress"]["targets"] == []
    assert data["conversations"] is None
    assert all(e["organization"] == "" and e["people"] == [] for e in data["recent_activity"])
    steps = {s["key"]: s["count"] for s in data["progress"]["funnel"]}
    assert steps["conversations"] == 1 and steps["replies"] == 1 and steps["hiring"] == 1


def test_targets_and_conversations_show_organizations_and_labels_not_names(
    alice, carol, carol_client
):
    networking(alice)
    link = coach(alice, carol, "targets")

    page, api = seen(carol_client, link.pk)
    for text in (page, api):
        assert ORGANIZATION in text
        assert "Contact 1" in text
        assert NAME not in text and "Privatova" not in text
        assert not any(note in text for note in NOTES)
    data = json.loads(api)
    assert data["conversations"][0]["people"] == ["Contact 1"]
    assert data["conversations"][0]["with_someone_who_hires"] is True
    assert data["conversations"][0]["notes"] == "" and data["conversations"][0]["learnings"] == []
    (target,) = data["progress"]["targets"]
    assert target["organization"] == ORGANIZATION and target["reached_hiring"]
    assert "Contact 1" in target["next_step"]


def test_notes_show_the_notes_and_still_hide_names(alice, carol, carol_client):
    networking(alice)
    link = coach(alice, carol, "notes")

    for text in seen(carol_client, link.pk):
        assert all(note in text for note in NOTES)
        assert NAME not in text


def test_names_show_only_when_the_owner_chooses(alice, carol, carol_client):
    networking(alice)
    link = coach(alice, carol, "targets", show_names=True)

    for text in seen(carol_client, link.pk):
        assert "Secretia Privatova" in text and "Contact 1" not in text

    services.change_scope(alice, link, show_names=False)
    for text in seen(carol_client, link.pk):
        assert NAME not in text


def test_labels_are_stable_ranks_in_the_network(alice, carol):
    from coffeechat.coaching.figures import labels
    from tests.factories import PersonFactory

    first, second, third = (PersonFactory(owner=alice) for _ in range(3))
    PersonFactory(owner=carol)  # another network does not count

    assert labels(alice, False, [third.pk, first.pk]) == {
        first.pk: "Contact 1",
        third.pk: "Contact 3",
    }
    assert labels(alice, False, [second.pk]) == {second.pk: "Contact 2"}


def test_the_figures_are_the_progress_pages_numbers(alice, carol, carol_client, alice_client):
    networking(alice)
    link = coach(alice, carol, "targets", show_names=True)

    theirs = alice_client.get("/api/v1/progress?period=30").json()
    mine = carol_client.get(f"/api/v1/coaching/people/{link.pk}?period=30").json()

    assert mine["progress"] == theirs


def test_narrowing_the_scope_takes_effect_on_the_next_request(alice, carol, carol_client):
    networking(alice)
    link = coach(alice, carol, "notes")
    services.change_scope(alice, link, scope="progress")

    for text in seen(carol_client, link.pk):
        assert ORGANIZATION not in text and not any(note in text for note in NOTES)


COACH_ROUTES = [
    ("get", "/coaching/people/{id}/"),
    ("post", "/coaching/people/{id}/comments/"),
    ("get", "/api/v1/coaching/people/{id}"),
]


def answers(client: Any, link_id: int) -> list[int]:
    codes = []
    for method, route in COACH_ROUTES:
        url = route.format(id=link_id)
        if method == "get":
            codes.append(client.get(url).status_code)
        else:
            codes.append(client.post(url, {"text": "Hello"}).status_code)
    codes.append(
        client.post(
            "/api/v1/coaching/comments",
            {"coaching_id": link_id, "text": "Hello"},
            content_type="application/json",
        ).status_code
    )
    return codes


def test_after_the_end_the_coach_gets_404_everywhere(alice, carol, carol_client, alice_client):
    networking(alice)
    link = coach(alice, carol, "notes", show_names=True)
    assert carol_client.get(f"/coaching/people/{link.pk}/").status_code == 200

    assert alice_client.post(f"/coaching/links/{link.pk}/end/").status_code == 302

    assert answers(carol_client, link.pk) == [404, 404, 404, 404]
    listing = carol_client.get("/coaching/people/").content.decode()
    assert f"/coaching/people/{link.pk}/" not in listing
    assert carol_client.get("/api/v1/coaching/people").json() == []


def test_a_third_user_gets_404(alice, bob, carol, bob_client):
    link = coach(alice, carol, "notes", show_names=True)

    assert answers(bob_client, link.pk) == [404, 404, 404, 404]
    assert bob_client.post(f"/coaching/invitations/{link.pk}/end/").status_code == 404
    assert bob_client.get(f"/api/v1/coaching/invitations/{link.pk}").status_code == 404


def test_a_coach_of_alice_cannot_see_bob(alice, bob, carol, carol_client):
    coach(alice, carol, "notes", show_names=True)
    networking(bob)
    bobs = coach(bob, UserFactory(email="dan@example.com"), "notes", show_names=True)

    assert answers(carol_client, bobs.pk) == [404, 404, 404, 404]
    listing = carol_client.get("/api/v1/coaching/people").json()
    assert [row["person"] for row in listing] == [services.display_name(alice)]
    assert NAME not in carol_client.get("/coaching/people/").content.decode()


def test_the_owner_is_not_their_own_coach_and_sees_no_coach_page(alice, alice_client, carol):
    link = coach(alice, carol)
    assert alice_client.get(f"/coaching/people/{link.pk}/").status_code == 404
    assert alice_client.get(f"/api/v1/coaching/links/{link.pk}").status_code == 200


def test_the_owner_changes_the_scope_through_the_api_and_the_page(alice, carol, alice_client):
    link = coach(alice, carol)

    patched = alice_client.patch(
        f"/api/v1/coaching/links/{link.pk}", {"scope": "targets"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["scope"] == "targets"
    alice_client.post(f"/coaching/links/{link.pk}/scope/", {"scope": "notes", "show_names": "on"})
    link.refresh_from_db()
    assert (link.scope, link.show_names) == ("notes", True)
    bad = alice_client.patch(
        f"/api/v1/coaching/links/{link.pk}", {"scope": "all"}, content_type="application/json"
    )
    assert bad.status_code == 422
