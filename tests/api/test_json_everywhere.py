"""Every answer under /api/v1/ is JSON with one error shape; 401, 405, 201 carry their headers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from coffeechat.network.models import Organization
from tests.api.conftest import JsonClient, detail_url, list_url
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    for item in body["errors"]:
        assert set(item) == {"loc", "msg", "type"}
    return body


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here", "/api/v1/people/abc", "/api/v1/people/1/nope", "/api/v1/people/-1"],
)
def test_it_answers_a_json_404_to_an_unknown_address(alice_api, path):
    assert assert_error(alice_api.get(path), 404)["detail"] == "Not Found"


def test_it_answers_a_json_405_with_allow_to_a_wrong_method(alice_api, alice):
    person = PersonFactory(owner=alice)

    response = alice_api.post(detail_url("person", person.pk), {"first_name": "X"})

    body = assert_error(response, 405)
    assert set(response["Allow"].split(", ")) == {
        "DELETE",
        "GET",
        "HEAD",
        "OPTIONS",
        "PATCH",
        "PUT",
    }
    assert "POST" in body["detail"]


def test_it_answers_head_like_get_without_a_body(alice_api, alice):
    PersonFactory(owner=alice)

    response = alice_api.client.head(list_url("person"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.content == b""


def test_it_answers_options_with_the_methods_of_the_route(alice_api):
    response = alice_api.client.options(list_url("person"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"allow": ["GET", "HEAD", "OPTIONS", "POST"]}
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"


def test_it_asks_for_credentials_with_www_authenticate():
    response = Client().get(list_url("person"))

    assert_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_gives_field_errors_a_location_a_message_and_a_type(alice_api):
    body = assert_error(alice_api.post(list_url("person"), {"last_name": "Only"}), 422)

    assert body["errors"] == [
        {"loc": ["body", "payload", "first_name"], "msg": "Field required", "type": "missing"}
    ]
    assert body["detail"] == "first_name: Field required"


def test_it_gives_a_malformed_body_the_same_shape(alice_api):
    response = alice_api.client.post(list_url("person"), "{nope", content_type="application/json")

    assert_error(response, response.status_code)
    assert 400 <= response.status_code < 500


def test_it_points_location_at_what_it_created(alice_api):
    response = alice_api.post(list_url("organization"), {"name": "Acme"})

    assert response.status_code == 201
    created = Organization.objects.get()
    assert response["Location"] == detail_url("organization", created.pk)
    assert alice_api.get(response["Location"]).json()["name"] == "Acme"


def test_it_points_location_of_a_bulk_creation_at_the_list(alice_api):
    response = alice_api.post("/api/v1/targets/bulk", {"names": ["Acme", "Globex"]})

    assert response.status_code == 201
    assert response["Location"] == "/api/v1/targets"


def test_it_refuses_an_organization_whose_name_exists_naming_it(alice_api: JsonClient, alice):
    existing = OrganizationFactory(owner=alice, name="Acme, Inc.")

    response = alice_api.post(list_url("organization"), {"name": "ACME inc"})

    body = assert_error(response, 409)
    assert "Acme, Inc." in body["detail"]
    assert detail_url("organization", existing.pk) in body["detail"]
    assert Organization.objects.count() == 1


def test_it_refuses_renaming_an_organization_to_another_ones_name(alice_api, alice):
    OrganizationFactory(owner=alice, name="Acme")
    other = OrganizationFactory(owner=alice, name="Globex")

    response = alice_api.patch(detail_url("organization", other.pk), {"name": "acme"})

    assert_error(response, 409)
    other.refresh_from_db()
    assert other.name == "Globex"


def test_it_lets_an_organization_keep_its_own_name(alice_api, alice):
    organization = OrganizationFactory(owner=alice, name="Acme")

    response = alice_api.put(detail_url("organization", organization.pk), {"name": "ACME"})

    assert response.status_code == 200
    assert response.json()["name"] == "ACME"


def test_it_lets_two_users_have_organizations_of_the_same_name(bob_api, alice):
    OrganizationFactory(owner=alice, name="Acme")

    assert bob_api.post(list_url("organization"), {"name": "Acme"}).status_code == 201


def test_it_refuses_conversation_ids_too_large_for_the_database(alice_api, alice):
    person = PersonFactory(owner=alice)
    payload = {
        "person_ids": [person.pk, 2146436515069738090496],
        "organization_id": 563295235,
        "posting_id": -935,
        "duration_minutes": 365,
        "starts_at": "8787-12-08T12:06:37Z",
    }

    body = assert_error(alice_api.post("/api/v1/conversations", payload), 422)

    assert {item["loc"][-1] for item in body["errors"]} >= {1, "posting_id"}


def test_it_answers_json_to_an_unknown_address_without_a_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    assert_error(client.delete("/api/v1/people/null,null"), 404)


def test_it_answers_json_at_the_root_of_the_api(alice_api):
    assert_error(alice_api.get("/api/v1/"), 404)


def test_it_answers_json_to_a_bug_and_still_reports_it(alice_token, monkeypatch):
    from coffeechat.api.routers import followups

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(followups, "today_list", broken)
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/today", headers={"Authorization": f"Bearer {alice_token}"})

    assert response.status_code == 500
    assert response.json() == {"detail": "Server error.", "errors": []}


def test_it_answers_head_on_a_route_without_get_with_an_empty_405(alice_api):
    response = alice_api.client.head("/api/v1/targets/bulk")

    assert response.status_code == 405
    assert response["Allow"] == "OPTIONS, POST"
    assert response.content == b""
