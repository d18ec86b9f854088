"""The targets, postings, applications, paths and situations API."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coffeechat.accounts.services import create_api_token
from coffeechat.network.models import TieKind
from coffeechat.targets.models import Application, Target
from tests.api.conftest import JsonClient, error_fields
from tests.factories import (
    AffiliationFactory,
    ConversationFactory,
    EmploymentFactory,
    MembershipFactory,
    MyAffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    PostingFactory,
    TargetFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


def api_for(user: Any) -> JsonClient:
    _token, raw = create_api_token(user, "tests")
    return JsonClient(Authorization=f"Bearer {raw}")


@pytest.fixture
def api(alice: Any) -> JsonClient:
    return api_for(alice)


def test_it_creates_reads_updates_and_deletes_a_target(api: JsonClient, alice: Any) -> None:
    organization = OrganizationFactory(owner=alice, name="Acme")
    created = api.post(
        "/api/v1/targets",
        {"organization_id": organization.pk, "motivation": 5, "why": "Great data team"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["organization_name"] == "Acme" and body["status"] == "exploring"
    url = f"/api/v1/targets/{body['id']}"

    patched = api.patch(url, {"status": "not_a_fit"})
    assert patched.status_code == 422 and error_fields(patched) == {"status_reason"}
    patched = api.patch(
        url, {"status": "not_a_fit", "status_reason": "Only sales", "culture_done": True}
    )
    assert patched.json()["status"] == "not_a_fit" and patched.json()["culture_done"] is True
    again = api.post("/api/v1/targets", {"organization_id": organization.pk})
    assert again.status_code == 422 and error_fields(again) == {"organization_id"}
    assert api.get("/api/v1/targets", {"status": "not_a_fit"}).json()["count"] == 1
    assert api.delete(url).status_code == 204
    assert not Target.objects.exists()


def test_it_adds_targets_in_bulk_and_ranks_them(api: JsonClient, alice: Any) -> None:
    OrganizationFactory(owner=alice, name="ACME Inc")
    response = api.post("/api/v1/targets/bulk", {"names": ["Acme, Inc.", "Newco", "newco"]})
    assert response.status_code == 201
    body = response.json()
    assert body["existing_organizations"] == ["ACME Inc"]
    assert body["new_organizations"] == ["Newco"]
    assert len(body["targets"]) == 2

    ranked = api.get("/api/v1/targets/ranked").json()
    assert [item["rank"] for item in ranked] == [1, 2]
    assert {f["key"] for f in ranked[0]["factors"]} == {"motivation", "advocacy", "hiring"}
    assert ranked[0]["why"].startswith("Rank 1 of 2: priority")


def test_it_returns_paths_with_explanations_and_hiring_authority(
    api: JsonClient, alice: Any
) -> None:
    target = TargetFactory(organization__owner=alice, organization__name="Acme")
    school = AffiliationFactory(owner=alice, name="Northfield University")
    MyAffiliationFactory(owner=alice, affiliation=school, class_year=2016)
    dana = PersonFactory(owner=alice, first_name="Dana", last_name="Reyes")
    MembershipFactory(person=dana, affiliation=school, class_year=2014)
    EmploymentFactory(person=dana, organization=target.organization, department="Data Science")
    boss = PersonFactory(owner=alice, first_name="Pat", last_name="Boss")
    EmploymentFactory(person=boss, organization=target.organization, title="Head of Data")
    TieFactory(from_person=dana, to_person=boss, kind=TieKind.COLLEAGUE)

    body = api.get(f"/api/v1/targets/{target.pk}/paths", {"limit": 5}).json()

    assert body["organization"] == "Acme" and body["reached"] == 2
    first = body["paths"][0]
    assert first["explanation"] == (
        "Dana Reyes (Acme, Data Science) — you both studied at Northfield University, "
        "Dana graduated two years before you"
    )
    assert first["links"][0]["kind"] == "affiliation" and first["hops"] == 1
    assert first["end_job"]["organization"] == "Acme"
    hiring = body["hiring_authority"][0]
    assert hiring["person"]["name"] == "Pat Boss" and hiring["flagged"] is False
    assert hiring["hops"] == 2 and hiring["route"] == "you → Dana Reyes → Pat Boss"

    same = api.get(f"/api/v1/organizations/{target.organization_id}/paths").json()
    assert same["paths"] == body["paths"][: len(same["paths"])]
    to_boss = api.get(f"/api/v1/people/{boss.pk}/paths").json()
    assert to_boss["paths"][0]["route"] == "you → Dana Reyes → Pat Boss"
    assert api.get(f"/api/v1/targets/{target.pk}/paths", {"limit": 0}).status_code == 422


def test_application_status_changes_through_patch_are_dated(api: JsonClient, alice: Any) -> None:
    posting = PostingFactory(organization__owner=alice, title="Analyst")
    created = api.post(
        "/api/v1/applications",
        {
            "posting_id": posting.pk,
            "role_title": "Analyst",
            "status": "applied",
            "status_on": "2026-03-01",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["organization_id"] == posting.organization_id
    assert [step["status"] for step in body["history"]] == ["applied"]

    url = f"/api/v1/applications/{body['id']}"
    changed = api.patch(
        url, {"status": "interviewing", "status_on": "2026-04-02", "status_note": "Panel"}
    ).json()
    assert changed["history"][-1] == {"status": "interviewing", "on": "2026-04-02", "note": "Panel"}
    assert api.patch(url, {"referred_by_id": PersonFactory(owner=alice).pk}).status_code == 422
    outcomes = api.get("/api/v1/applications/outcomes").json()
    assert outcomes["cold"]["sent"] == 1 and outcomes["cold"]["interviews"] == 1
    assert Application.objects.get().events.count() == 2


def test_situations_are_served_for_people_organizations_and_applications(
    api: JsonClient, alice: Any
) -> None:
    organization = OrganizationFactory(owner=alice, name="Acme")
    lee = PersonFactory(owner=alice, first_name="Lee")
    EmploymentFactory(person=lee, organization=organization)
    TieFactory(to_person=lee, kind=TieKind.COLLEAGUE)
    ConversationFactory(owner=alice, people=[lee])
    posting = PostingFactory(organization=organization, contact=lee)
    application = api.post(
        "/api/v1/applications",
        {"organization_id": organization.pk, "role_title": "Analyst", "status": "applied"},
    ).json()

    person = api.get(f"/api/v1/people/{lee.pk}/situations").json()
    assert {s["kind"] for s in person} == {"applied_there", "apply_now"}
    apply_now = next(s for s in person if s["kind"] == "apply_now")
    assert apply_now["posting_id"] == posting.pk
    assert (
        apply_now["purpose"] == "after_applying"
        and apply_now["action"] == "Draft the note telling Lee"
    )
    assert apply_now["action_url"].startswith(f"/outreach/compose/?person={lee.pk}&purpose=")
    assert api.get(f"/api/v1/organizations/{organization.pk}/situations").status_code == 200
    found = api.get(f"/api/v1/applications/{application['id']}/situations").json()
    assert found[0]["title"] == "You know 1 person at Acme"


def test_another_users_targets_paths_and_situations_are_404(
    alice: Any, bob: Any, api: JsonClient
) -> None:
    target = TargetFactory(organization__owner=alice)
    person = PersonFactory(owner=alice)
    bob_api = api_for(bob)
    for url in (
        f"/api/v1/targets/{target.pk}",
        f"/api/v1/targets/{target.pk}/paths",
        f"/api/v1/organizations/{target.organization_id}/paths",
        f"/api/v1/people/{person.pk}/paths",
        f"/api/v1/people/{person.pk}/situations",
    ):
        assert bob_api.get(url).status_code == 404, url
        assert api.get(url).status_code == 200, url
    refused = bob_api.post("/api/v1/targets", {"organization_id": target.organization_id})
    assert refused.status_code == 422
    assert bob_api.get("/api/v1/targets/ranked").json() == []
    assert reverse("api-1:target-paths", kwargs={"target_id": 1}) == "/api/v1/targets/1/paths"
