"""The OpenAPI document is valid, and the live server keeps to it (schemathesis).

The server is the real application in a thread (pytest-django's ``live_server``); the
requests carry a test user's personal token. Every operation gets a bounded number of
generated requests (about 2,600 in all): none may answer 5xx or differ from the document.
It runs on SQLite and on PostgreSQL, as one test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import load_all_checks
from schemathesis.core.result import Err
from schemathesis.generation.modes import GenerationMode
from schemathesis.pytest.lazy import get_all_tests
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from coffeechat.accounts.services import create_api_token
from coffeechat.api.api import api
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

# Fuzzed requests per operation (valid and invalid), beside the coverage phase's.
EXAMPLES = 3
# Not run: whether a request is refused or accepted is about the input, not the answers.
# Pydantic accepts 0 for false (so "invalid" data is accepted), and a valid-looking id may
# name nothing (so "valid" data is refused).
NOT_RUN = [negative_data_rejection, positive_data_acceptance]


def the_schema() -> dict[str, Any]:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def test_it_publishes_a_valid_openapi_document():
    validate(the_schema())


def test_it_declares_401_404_and_422_with_their_body_for_every_operation():
    schema = the_schema()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status in ("401", "404", "422"):
                answer = operation["responses"][status]
                content = answer["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/Error"}, (path, method)
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "errors"]


def test_it_declares_the_media_type_of_the_eml_file():
    schema = the_schema()
    answer = schema["paths"]["/api/v1/messages/{message_id}/eml"]["get"]["responses"]["200"]

    assert list(answer["content"]) == ["message/rfc822"]


def test_it_declares_the_conflict_of_an_organization_name():
    schema = the_schema()

    assert "409" in schema["paths"]["/api/v1/organizations"]["post"]["responses"]


@pytest.fixture
def token(transactional_db: Any) -> str:
    """A test user with a few rows, so that some ids exist, and a personal token."""
    user = UserFactory()
    for _ in range(3):
        PersonFactory(owner=user)
        OrganizationFactory(owner=user)
    _token, raw = create_api_token(user, "schemathesis")
    return raw


SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_it_keeps_to_its_schema_on_a_live_server(live_server: Any, token: str) -> None:
    """Every operation in one test: one live server and one emptied database for them all.

    Each operation gets the test schemathesis's pytest plugin builds for it: the schema's
    examples, the coverage phase's boundary values of valid input, and EXAMPLES fuzzed
    requests, valid and invalid.
    They run one after the other here rather than as ~160 tests of their own, because
    pytest-django empties the database after every live-server test, which takes seconds
    on PostgreSQL. (schemathesis's own one-test form, ``schemathesis.pytest.from_fixture``,
    fails on pytest 9.2.)
    """
    schema = schemathesis.openapi.from_dict(the_schema())
    # Boundary values of valid input only: the invalid ones are what fuzzing's negative
    # half sends, and all of them (~8,000 requests) would take minutes more.
    schema.config.phases.coverage.generation.modes = [GenerationMode.POSITIVE]
    headers = {"Authorization": f"Bearer {token}"}

    def check(case: Any) -> None:
        case.call_and_validate(
            base_url=live_server.url, headers=headers, excluded_checks=NOT_RUN, timeout=60
        )

    load_all_checks()
    failures: dict[str, str] = {}
    operations = 0
    for result in get_all_tests(schema=schema, test_func=check, settings=SETTINGS, given_kwargs={}):
        if isinstance(result, Err):
            failures[result.err().label] = str(result.err())
            continue
        operation, fuzz = result.ok()
        operations += 1
        try:
            fuzz()
        except Exception as error:  # noqa: BLE001 (every operation is reported, then the test fails)
            failures[operation.label] = str(error)

    assert operations == len(list(schema.get_all_operations()))
    assert failures == {}
