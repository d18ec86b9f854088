"""Helpers for the API tests: a JSON client, URLs by name, personal tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.services import create_api_token

# The six resources of the API: URL name prefix and the id keyword of the detail route.
KINDS = ["person", "organization", "employment", "affiliation", "membership", "tie"]


def list_url(kind: str) -> str:
    return reverse(f"api-1:{kind}-list")


def detail_url(kind: str, object_id: int) -> str:
    return reverse(f"api-1:{kind}-detail", kwargs={f"{kind}_id": object_id})


class JsonClient:
    """A test client that sends and expects JSON, with optional extra headers."""

    def __init__(self, client: Client | None = None, **headers: str) -> None:
        self.client = client or Client()
        self.headers = headers

    def get(self, path: str, params: dict[str, Any] | None = None, **extra: Any) -> HttpResponse:
        return self.client.get(path, params or {}, headers={**self.headers, **extra})

    def send(self, method: str, path: str, data: Any = None, **extra: Any) -> HttpResponse:
        call = getattr(self.client, method)
        if data is None:
            return call(path, headers={**self.headers, **extra})
        return call(path, data, content_type="application/json", headers={**self.headers, **extra})

    def post(self, path: str, data: Any, **extra: Any) -> HttpResponse:
        return self.send("post", path, data, **extra)

    def put(self, path: str, data: Any, **extra: Any) -> HttpResponse:
        return self.send("put", path, data, **extra)

    def patch(self, path: str, data: Any, **extra: Any) -> HttpResponse:
        return self.send("patch", path, data, **extra)

    def delete(self, path: str, **extra: Any) -> HttpResponse:
        return self.send("delete", path, **extra)


def error_fields(response: HttpResponse) -> set[str]:
    """The field names a 422 answer points at (the last part of each ``loc``)."""
    assert response["Content-Type"].startswith("application/json"), response.content
    return {str(item["loc"][-1]) for item in response.json()["errors"]}


def error_text(response: HttpResponse) -> str:
    return " ".join(str(item["msg"]) for item in response.json()["errors"])


@pytest.fixture
def alice_api(alice_client: Client) -> JsonClient:
    """Alice through her web session."""
    return JsonClient(alice_client)


@pytest.fixture
def bob_api(bob_client: Client) -> JsonClient:
    return JsonClient(bob_client)


@pytest.fixture
def alice_token(alice: Any) -> str:
    _token, raw = create_api_token(alice, "tests")
    return raw


@pytest.fixture
def bob_token(bob: Any) -> str:
    _token, raw = create_api_token(bob, "tests")
    return raw


@pytest.fixture
def alice_bearer(alice_token: str) -> JsonClient:
    """Alice through a personal token, with no session (and CSRF checks on)."""
    return JsonClient(Client(enforce_csrf_checks=True), Authorization=f"Bearer {alice_token}")
