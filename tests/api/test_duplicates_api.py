"""/api/v1/duplicates, /api/v1/people/{id}/merge/{other_id}, …/not-duplicate/{other_id}."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coffeechat.network.models import EmailAddress, NotDuplicate, Person, Tie
from tests.api.conftest import JsonClient
from tests.factories import (
    EmailAddressFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/duplicates"


def twins(owner: Any) -> tuple[Person, Person]:
    organization = OrganizationFactory(owner=owner, name="Okafor Studio")
    keep = EmploymentFactory(
        person__owner=owner,
        person__first_name="William",
        person__last_name="Okafor",
        organization=organization,
    ).person
    other = EmploymentFactory(
        person__owner=owner,
        person__first_name="Bill",
        person__last_name="Okafor",
        organization=organization,
        title="Director",
    ).person
    return keep, other


def merge_url(a: Person | int, b: Person | int) -> str:
    ids = [x if isinstance(x, int) else x.pk for x in (a, b)]
    return f"/api/v1/people/{ids[0]}/merge/{ids[1]}"


def not_same_url(a: Person | int, b: Person | int) -> str:
    ids = [x if isinstance(x, int) else x.pk for x in (a, b)]
    return f"/api/v1/people/{ids[0]}/not-duplicate/{ids[1]}"


def test_the_paths_are_named(alice: Any) -> None:
    assert reverse("api-1:duplicate-list") == LIST
    assert reverse("api-1:person-merge", kwargs={"person_id": 1, "other_id": 2}) == merge_url(1, 2)
    assert reverse(
        "api-1:person-not-duplicate", kwargs={"person_id": 1, "other_id": 2}
    ) == not_same_url(1, 2)


def test_it_lists_proposals_with_scores_and_reasons(alice_bearer: JsonClient, alice: Any) -> None:
    keep, other = twins(alice)

    response = alice_bearer.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["a"], item["b"]) == (keep.pk, other.pk)
    assert 0.8 <= item["score"] <= 1.0
    assert "Bill is a nickname of William" in item["reasons"]


def test_it_lists_one_persons_duplicates(alice_bearer: JsonClient, alice: Any) -> None:
    keep, other = twins(alice)
    PersonFactory(owner=alice, first_name="Zoe", last_name="Ng")

    items = alice_bearer.get(LIST, {"person_id": other.pk}).json()["items"]

    assert [(i["a"], i["b"]) for i in items] == [(other.pk, keep.pk)]


def test_it_previews_a_merge_without_writing(alice_bearer: JsonClient, alice: Any) -> None:
    keep, other = twins(alice)
    EmailAddressFactory(person=other, email="bill@okafor.example")

    response = alice_bearer.get(merge_url(keep, other))

    assert response.status_code == 200
    body = response.json()
    assert body["keep_id"] == keep.pk and body["emails"] == ["bill@okafor.example"]
    assert body["jobs"] == 2
    assert Person.objects.filter(owner=alice).count() == 2


def test_it_merges_and_answers_the_merged_person(alice_bearer: JsonClient, alice: Any) -> None:
    keep, other = twins(alice)
    EmailAddressFactory(person=other, email="bill@okafor.example")
    tie = TieFactory(to_person=other, from_person=PersonFactory(owner=alice, first_name="Carol"))

    response = alice_bearer.post(merge_url(keep, other), {})

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == keep.pk and body["full_name"] == "William Okafor"
    assert body["emails"] == ["bill@okafor.example"]
    assert not Person.objects.filter(pk=other.pk).exists()
    tie.refresh_from_db()
    assert tie.to_person_id == keep.pk


def test_it_refuses_to_merge_a_person_with_themselves(alice_bearer: JsonClient, alice: Any) -> None:
    keep, _ = twins(alice)

    response = alice_bearer.post(merge_url(keep, keep), {})

    assert response.status_code == 422
    assert "same person" in response.json()["errors"][0]["msg"]


def test_it_marks_reads_and_forgets_not_the_same(alice_bearer: JsonClient, alice: Any) -> None:
    keep, other = twins(alice)

    assert alice_bearer.get(not_same_url(keep, other)).json()["not_duplicate"] is False
    marked = alice_bearer.post(not_same_url(other, keep), {})
    assert marked.status_code == 200 and marked.json()["not_duplicate"] is True
    assert alice_bearer.post(not_same_url(keep, other), {}).status_code == 200  # idempotent
    assert NotDuplicate.objects.count() == 1
    assert alice_bearer.get(LIST).json()["count"] == 0
    assert alice_bearer.get(not_same_url(keep, other)).json()["not_duplicate"] is True

    assert alice_bearer.delete(not_same_url(keep, other)).status_code == 204
    assert alice_bearer.get(LIST).json()["count"] == 1


def test_another_users_people_answer_404_and_nothing_changes(
    bob_api: JsonClient, alice: Any, bob: Any
) -> None:
    keep, other = twins(alice)
    EmailAddressFactory(person=other)
    bobs = PersonFactory(owner=bob, first_name="William", last_name="Okafor")

    for a, b in [(keep, other), (bobs, keep), (keep, bobs)]:
        for method, url in [
            ("get", merge_url(a, b)),
            ("post", merge_url(a, b)),
            ("get", not_same_url(a, b)),
            ("post", not_same_url(a, b)),
            ("delete", not_same_url(a, b)),
        ]:
            response = bob_api.send(method, url, {} if method == "post" else None)
            assert response.status_code == 404, (method, url)
            assert response.json() == {"detail": "Not Found", "errors": []}
    assert bob_api.get(LIST, {"person_id": keep.pk}).status_code == 404

    assert Person.objects.filter(owner=alice).count() == 2
    assert EmailAddress.objects.filter(person=other).count() == 1
    assert not NotDuplicate.objects.exists()
    assert not Tie.objects.exists()
    assert bob_api.get(LIST).json() == {"items": [], "count": 0}


def test_it_needs_credentials(alice: Any) -> None:
    keep, other = twins(alice)
    anonymous = JsonClient()

    assert anonymous.get(LIST).status_code == 401
    assert anonymous.post(merge_url(keep, other), {}).status_code == 401
    assert Person.objects.filter(owner=alice).count() == 2
