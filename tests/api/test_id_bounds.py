"""Ids too large for the database are refused as bad input, never a server error.

Every id the API takes (body, path, query) is bounded to a signed 64-bit integer; a
larger one is a 422 naming the field (in a body or a filter) or a 404 (in a path: no
such object), never the 500 of an overflowing query (issue 19, item 5).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from coffeechat.api.api import api
from tests.api.conftest import JsonClient
from tests.api.test_foreign_ids import FIELDS, NUDGE, OPERATIONS, _objects, _set, nudge

pytestmark = pytest.mark.django_db

TOO_LARGE = [2**63, 2**64 + 5]


@pytest.mark.parametrize("value", TOO_LARGE)
@pytest.mark.parametrize(("operation", "field"), FIELDS, ids=[f"{o}:{f}" for o, f in FIELDS])
def test_it_refuses_a_too_large_id_in_a_body(
    operation: str, field: str, value: int, bob: Any, bob_client: Client
) -> None:
    bobs = _objects(bob)
    method, path, make_body = OPERATIONS[operation]
    if f"{operation}:{field}" == NUDGE:
        make_body = nudge
    url = "/api/v1" + path.format(**{key: item.pk for key, item in bobs.items()})
    response = JsonClient(bob_client).send(method, url, _set(make_body(bobs), field, value))
    assert response.status_code == 422, response.content
    named = [".".join(str(part) for part in item["loc"]) for item in response.json()["errors"]]
    last = field.rsplit(".", 1)[-1]
    assert any(last in where for where in named), named


def _paths() -> list[tuple[str, str]]:
    found = []
    for path, item in api.get_openapi_schema()["paths"].items():
        if "{" in path:
            found.extend((method, path) for method in item)
    return found


PATHS = _paths()


@pytest.mark.parametrize(("method", "path"), PATHS, ids=[f"{m} {p}" for m, p in PATHS])
def test_it_answers_a_too_large_id_in_a_path_with_not_found(
    method: str, path: str, bob: Any, bob_client: Client
) -> None:
    url = re.sub(r"\{[a-z_]+\}", str(2**63), path)
    body: dict[str, Any] | None = None if method in ("get", "delete") else {}
    response = JsonClient(bob_client).send(method, url, body)
    assert response.status_code in (404, 422), (url, response.content)
    assert set(response.json()) == {"detail", "errors"}


def _filters() -> list[tuple[str, str]]:
    found = []
    for path, item in api.get_openapi_schema()["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"].endswith("_id"):
                found.append((path, parameter["name"]))
    return found


FILTERS = _filters()


def test_it_finds_the_filters() -> None:
    assert ("/api/v1/conversations", "organization_id") in FILTERS


@pytest.mark.parametrize(("path", "name"), FILTERS, ids=[f"{p}?{n}" for p, n in FILTERS])
def test_it_refuses_a_too_large_id_in_a_filter(
    path: str, name: str, bob: Any, bob_client: Client
) -> None:
    response = JsonClient(bob_client).get(path, {name: str(2**63)})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["loc"][-1] == name
