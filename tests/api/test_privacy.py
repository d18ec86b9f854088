"""Another user's objects: invisible, untouchable, and impossible to point at."""

from __future__ import annotations

import json
from typing import Any

import pytest

from coffeechat.accounts.models import MyAffiliation
from coffeechat.network.models import (
    Affiliation,
    EmailAddress,
    Employment,
    Membership,
    Organization,
    Person,
    PhoneNumber,
    Tag,
    Tie,
)
from tests.api.conftest import KINDS, detail_url, list_url
from tests.factories import (
    AffiliationFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
    network_of,
)

pytestmark = pytest.mark.django_db

SECRETS = ["Secretia", "Privatova", "Hiddenia", "Confidential", "Private Alumni", "secret-tag"]

MODELS = [
    Person,
    Organization,
    Employment,
    Affiliation,
    Membership,
    Tie,
    EmailAddress,
    PhoneNumber,
    Tag,
    Person.tags.through,
    MyAffiliation,
]


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every network table, to prove that nothing changed."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in MODELS
    }


@pytest.fixture
def alices(alice: Any) -> dict[str, Any]:
    return network_of(alice)


@pytest.fixture
def bobs(bob: Any) -> dict[str, Any]:
    person = PersonFactory(owner=bob, first_name="Bobby")
    organization = OrganizationFactory(owner=bob, name="Bob Inc")
    affiliation = AffiliationFactory(owner=bob, name="Bob Club")
    return {
        "person": person,
        "other": PersonFactory(owner=bob, first_name="Bobbina"),
        "organization": organization,
        "affiliation": affiliation,
        "employment": EmploymentFactory(person=person, organization=organization),
        "tie": TieFactory(to_person=person),
    }


def valid_payload(kind: str, bobs: dict[str, Any]) -> dict[str, Any]:
    """A body that would be accepted for one of bob's own objects of this kind."""
    return {
        "person": {"first_name": "Hijacked", "notes": "bob was here"},
        "organization": {"name": "Hijacked"},
        "employment": {
            "person_id": bobs["person"].pk,
            "organization_id": bobs["organization"].pk,
            "title": "Hijacked",
        },
        "affiliation": {"name": "Hijacked", "kind": "community"},
        "membership": {"person_id": bobs["person"].pk, "affiliation_id": bobs["affiliation"].pk},
        "tie": {"to_person_id": bobs["person"].pk, "kind": "family", "note": "Hijacked"},
    }[kind]


# Detail routes -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
@pytest.mark.parametrize("kind", KINDS)
def test_it_answers_404_to_every_detail_route_for_another_users_object(
    bob_api, alices, bobs, kind, method
):
    url = detail_url(kind, alices[kind].pk)
    before = snapshot()

    if method in ("put", "patch"):
        response = getattr(bob_api, method)(url, valid_payload(kind, bobs))
    else:
        response = getattr(bob_api, method)(url)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found", "errors": []}
    assert snapshot() == before


@pytest.mark.parametrize("kind", KINDS)
def test_it_answers_the_same_404_for_another_users_object_as_for_none(bob_api, alices, kind):
    theirs = bob_api.get(detail_url(kind, alices[kind].pk))
    missing = bob_api.get(detail_url(kind, 10**9))

    assert (theirs.status_code, theirs.content) == (missing.status_code, missing.content)


@pytest.mark.parametrize("kind", KINDS)
def test_it_lets_the_owner_still_read_after_another_user_tried(
    alice_api, bob_api, alices, bobs, kind
):
    bob_api.delete(detail_url(kind, alices[kind].pk))
    bob_api.patch(detail_url(kind, alices[kind].pk), valid_payload(kind, bobs))

    response = alice_api.get(detail_url(kind, alices[kind].pk))

    assert response.status_code == 200
    assert "Hijacked" not in response.content.decode()


# Lists -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_it_never_lists_another_users_rows(bob_api, alices, kind):
    response = bob_api.get(list_url(kind))

    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


@pytest.mark.parametrize("kind", KINDS)
def test_it_lists_only_the_users_own_rows_next_to_another_users(bob_api, alices, bobs, kind):
    response = bob_api.get(list_url(kind))

    returned = {item["id"] for item in response.json()["items"]}
    assert alices[kind].pk not in returned
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("person", lambda a: {"q": "Secretia"}),
        ("person", lambda a: {"q": "confidential"}),
        ("person", lambda a: {"q": "secretia@confidential.example"}),
        ("person", lambda a: {"tag": "secret-tag"}),
        ("person", lambda a: {"organization_id": a["organization"].pk}),
        ("organization", lambda a: {"q": "Confidential"}),
        ("affiliation", lambda a: {"q": "Private"}),
        ("employment", lambda a: {"person_id": a["person"].pk}),
        ("employment", lambda a: {"organization_id": a["organization"].pk}),
        ("membership", lambda a: {"person_id": a["person"].pk}),
        ("membership", lambda a: {"affiliation_id": a["affiliation"].pk}),
        ("tie", lambda a: {"person_id": a["person"].pk}),
    ],
)
def test_it_finds_nothing_of_another_user_through_filters(bob_api, alices, bobs, kind, params):
    response = bob_api.get(list_url(kind), params(alices))

    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


# Creating rows that point at another user's rows -------------------------------------------


REFERENCES = [
    ("employment", {"person_id": ("alice", "person"), "organization_id": ("bob", "organization")}),
    ("employment", {"person_id": ("bob", "person"), "organization_id": ("alice", "organization")}),
    ("membership", {"person_id": ("alice", "person"), "affiliation_id": ("bob", "affiliation")}),
    ("membership", {"person_id": ("bob", "person"), "affiliation_id": ("alice", "affiliation")}),
    ("tie", {"to_person_id": ("alice", "person")}),
    ("tie", {"to_person_id": ("bob", "person"), "from_person_id": ("alice", "person")}),
    ("tie", {"to_person_id": ("bob", "person"), "introduced_by_id": ("alice", "person")}),
    ("affiliation", {"organization_id": ("alice", "organization")}),
]
EXTRA = {
    "employment": {},
    "membership": {},
    "tie": {"kind": "friend"},
    "affiliation": {"name": "Stolen", "kind": "school"},
}


def resolve(refs: dict[str, tuple[str, str]], alices: Any, bobs: Any) -> tuple[dict, set[str]]:
    payload: dict[str, Any] = {}
    foreign: set[str] = set()
    for field, (whose, key) in refs.items():
        payload[field] = (alices if whose == "alice" else bobs)[key].pk
        if whose == "alice":
            foreign.add(field)
    return payload, foreign


@pytest.mark.parametrize(("kind", "refs"), REFERENCES)
def test_it_refuses_to_create_a_row_pointing_at_another_users_row(
    bob_api, alices, bobs, kind, refs
):
    payload, foreign = resolve(refs, alices, bobs)
    before = snapshot()

    response = bob_api.post(list_url(kind), {**EXTRA[kind], **payload})

    assert response.status_code in (404, 422), response.content
    if response.status_code == 422:
        named = {item["loc"][-1] for item in response.json()["errors"]}
        assert foreign <= named
    assert snapshot() == before


@pytest.mark.parametrize(("kind", "refs"), REFERENCES)
def test_it_refuses_to_point_an_own_row_at_another_users_row(bob_api, alices, bobs, kind, refs):
    payload, _foreign = resolve(refs, alices, bobs)
    own = {
        "employment": bobs["employment"],
        "membership": Membership.objects.create(
            owner=bobs["person"].owner, person=bobs["person"], affiliation=bobs["affiliation"]
        ),
        "tie": bobs["tie"],
        "affiliation": bobs["affiliation"],
    }[kind]
    before = snapshot()

    patched = bob_api.patch(detail_url(kind, own.pk), payload)
    replaced = bob_api.put(detail_url(kind, own.pk), {**EXTRA[kind], **payload})

    assert patched.status_code in (404, 422)
    assert replaced.status_code in (404, 422)
    assert snapshot() == before


def test_it_words_the_refusal_the_same_for_another_users_id_and_a_missing_id(bob_api, alices, bobs):
    theirs = bob_api.post(
        list_url("tie"), {"to_person_id": alices["person"].pk, "kind": "friend"}
    ).json()
    missing = bob_api.post(list_url("tie"), {"to_person_id": 10**9, "kind": "friend"}).json()

    assert theirs["errors"][0]["msg"].replace(str(alices["person"].pk), "N") == missing["errors"][
        0
    ]["msg"].replace(str(10**9), "N")


def test_it_gives_a_user_their_own_tag_of_the_same_name(bob_api, bob, alices):
    response = bob_api.post(list_url("person"), {"first_name": "B", "tags": ["secret-tag"]})

    assert response.status_code == 201
    bobs_tag = Tag.objects.get(owner=bob, name="secret-tag")
    assert bobs_tag != alices["tag"]
    assert list(alices["tag"].people.all()) == [alices["person"]]


# The owner field ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["person", "organization", "affiliation"])
def test_it_ignores_an_owner_in_a_create_payload(alice_api, alice, bob, bob_api, kind):
    payload = {
        "person": {"first_name": "Mine"},
        "organization": {"name": "Mine"},
        "affiliation": {"name": "Mine", "kind": "school"},
    }[kind]

    response = alice_api.post(list_url(kind), {**payload, "owner": bob.pk, "owner_id": bob.pk})

    assert response.status_code == 201
    assert "owner" not in response.json()
    model = {"person": Person, "organization": Organization, "affiliation": Affiliation}[kind]
    assert model.objects.get(pk=response.json()["id"]).owner == alice
    assert bob_api.get(list_url(kind)).json()["count"] == 0


def test_it_ignores_an_owner_in_put_and_patch(alice_api, alice, bob, bob_api):
    person = PersonFactory(owner=alice, first_name="Mine")
    url = detail_url("person", person.pk)

    patched = alice_api.patch(url, {"owner_id": bob.pk, "owner": bob.pk})
    replaced = alice_api.put(url, {"first_name": "Still mine", "owner_id": bob.pk})

    assert patched.status_code == 200
    assert replaced.status_code == 200
    person.refresh_from_db()
    assert person.owner == alice
    assert bob_api.get(url).status_code == 404


def test_it_never_shows_the_owner_in_a_response(alice_api, alice, alices):
    for kind in KINDS:
        body = alice_api.get(detail_url(kind, alices[kind].pk)).json()
        assert "owner" not in body and "owner_id" not in body
        assert alice.email not in json.dumps(body)


def test_it_keeps_a_write_by_bob_out_of_alices_data(alice_api, bob_api, alices, bobs):
    bob_api.post(list_url("person"), {"first_name": "Bobs", "tags": ["secret-tag"]})
    bob_api.post(list_url("organization"), {"name": "Confidential Corp"})

    people = alice_api.get(list_url("person")).json()
    organizations = alice_api.get(list_url("organization")).json()

    assert "Bobs" not in json.dumps(people)
    assert organizations["count"] == 1
