"""Another user's id in a request body is answered exactly like an id nobody ever used.

Every write operation of the OpenAPI schema that takes a ``*_id``/``*_ids`` reference
is listed here (a new one without an entry in ``OPERATIONS`` fails the walk): Bob sends
a body that would be accepted with his own objects, once with Alice's object in one
field and once with an id that was never used. The two answers must be the same 4xx,
with the same body apart from the id number, so the API cannot tell Bob that Alice's
row exists (issue 19, "a cross-account existence oracle").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from coffeechat.api.api import api
from coffeechat.conversations.models import ChosenQuestion
from tests.api.conftest import JsonClient
from tests.factories import network_of

pytestmark = pytest.mark.django_db

NEVER_USED = 987_654_321

Objects = dict[str, Any]
Body = Callable[[Objects], dict[str, Any]]


def _when() -> str:
    return "2031-03-04T10:00:00+00:00"


def employment(o: Objects) -> dict[str, Any]:
    return {"person_id": o["other_person"].pk, "organization_id": o["organization"].pk}


def affiliation(o: Objects) -> dict[str, Any]:
    return {"name": "Alumni", "kind": "school", "organization_id": o["organization"].pk}


def membership(o: Objects) -> dict[str, Any]:
    return {"person_id": o["other_person"].pk, "affiliation_id": o["affiliation"].pk}


def tie(o: Objects) -> dict[str, Any]:
    return {
        "from_person_id": o["person"].pk,
        "to_person_id": o["other_person"].pk,
        "introduced_by_id": o["second_person"].pk,
        "kind": "friend",
    }


def target(o: Objects) -> dict[str, Any]:
    return {"organization_id": o["second_organization"].pk}


def posting(o: Objects) -> dict[str, Any]:
    return {
        "organization_id": o["organization"].pk,
        "title": "Analyst",
        "contact_id": o["person"].pk,
    }


def application(o: Objects) -> dict[str, Any]:
    return {
        "posting_id": o["posting"].pk,
        "role_title": "Analyst",
        "channel": "referral",
        "referred_by_id": o["person"].pk,
    }


def follow_up(o: Objects) -> dict[str, Any]:
    return {
        "title": "Write",
        "due_on": "2031-03-04",
        "person_id": o["person"].pk,
        "organization_id": o["organization"].pk,
    }


def conversation(o: Objects) -> dict[str, Any]:
    return {
        "person_ids": [o["person"].pk],
        "purpose": "opening",
        "posting_id": o["posting"].pk,
        "starts_at": _when(),
    }


def referral(o: Objects) -> dict[str, Any]:
    return {
        "conversation_id": o["conversation"].pk,
        "referred_by_id": o["person"].pk,
        "person_id": o["second_person"].pk,
    }


def same_referral(o: Objects) -> dict[str, Any]:
    return {
        "conversation_id": o["conversation"].pk,
        "referred_by_id": o["person"].pk,
        "person_id": o["other_person"].pk,
    }


def promise(o: Objects) -> dict[str, Any]:
    return {
        "conversation_id": o["conversation"].pk,
        "direction": "mine",
        "text": "Send it",
        "person_id": o["person"].pk,
    }


def message(o: Objects) -> dict[str, Any]:
    return {
        "person_id": o["person"].pk,
        "purpose": "thank_you",
        "organization_id": o["organization"].pk,
        "template_id": o["template"].pk,
        "conversation_id": o["conversation"].pk,
        "application_id": o["application"].pk,
        "posting_id": o["posting"].pk,
    }


def nudge(o: Objects) -> dict[str, Any]:
    return {"person_id": o["person"].pk, "nudge_of_id": o["message"].pk}


def checks(o: Objects) -> dict[str, Any]:
    return {
        "person_id": o["person"].pk,
        "organization_id": o["organization"].pk,
        "purpose": "informational",
        "subject": "Hello",
        "body": "Hello there",
    }


def bench_entry(o: Objects) -> dict[str, Any]:
    return {"person_id": o["other_person"].pk, "referred_by_id": o["person"].pk}


def team_referral(o: Objects) -> dict[str, Any]:
    return {
        "invitation_id": o["team_invitation"].pk,
        "person_id": o["second_person"].pk,
        "why": "A careful analyst",
    }


def debrief(o: Objects) -> dict[str, Any]:
    return {"wishes": [{"person_id": o["person"].pk}]}


def questions(o: Objects) -> dict[str, Any]:
    chosen = o["chosen"]
    return {
        "questions": [
            {"id": chosen.pk, "text": chosen.text, "builtin_key": "", "asked": False},
        ]
    }


def nothing(o: Objects) -> dict[str, Any]:
    return {}


# operation id: (method, path under /api/v1 with {name} filled from Bob's objects, body)
def coach_comment(o: Objects) -> dict[str, Any]:
    return {"coaching_id": o["coaching"].pk, "text": "Try the alumni list"}


OPERATIONS: dict[str, tuple[str, str, Body]] = {
    "create_employment": ("post", "/employments", employment),
    "replace_employment": ("put", "/employments/{employment}", employment),
    "update_employment": ("patch", "/employments/{employment}", nothing),
    "create_affiliation": ("post", "/affiliations", affiliation),
    "replace_affiliation": ("put", "/affiliations/{affiliation}", affiliation),
    "update_affiliation": ("patch", "/affiliations/{affiliation}", nothing),
    "create_membership": ("post", "/memberships", membership),
    "replace_membership": ("put", "/memberships/{membership}", membership),
    "update_membership": ("patch", "/memberships/{membership}", nothing),
    "create_tie": ("post", "/ties", tie),
    "replace_tie": ("put", "/ties/{tie}", tie),
    "update_tie": ("patch", "/ties/{tie}", nothing),
    "create_target": ("post", "/targets", target),
    "replace_target": ("put", "/targets/{target}", target),
    "update_target": ("patch", "/targets/{target}", nothing),
    "create_posting": ("post", "/postings", posting),
    "replace_posting": ("put", "/postings/{posting}", posting),
    "update_posting": ("patch", "/postings/{posting}", nothing),
    "create_application": ("post", "/applications", application),
    "replace_application": ("put", "/applications/{application}", application),
    "update_application": ("patch", "/applications/{application}", nothing),
    "create_follow_up": ("post", "/follow-ups", follow_up),
    "replace_follow_up": ("put", "/follow-ups/{follow_up}", follow_up),
    "update_follow_up": ("patch", "/follow-ups/{follow_up}", nothing),
    "create_conversation": ("post", "/conversations", conversation),
    "replace_conversation": ("put", "/conversations/{conversation}", conversation),
    "update_conversation": ("patch", "/conversations/{conversation}", nothing),
    "create_referral": ("post", "/referrals", referral),
    "replace_referral": ("put", "/referrals/{referral}", same_referral),
    "update_referral": ("patch", "/referrals/{referral}", nothing),
    "create_promise": ("post", "/promises", promise),
    "replace_promise": ("put", "/promises/{promise}", promise),
    "update_promise": ("patch", "/promises/{promise}", nothing),
    "coffeechat_api_routers_outreach_create_message": ("post", "/messages", message),
    "coffeechat_api_routers_outreach_live_checks": ("post", "/outreach/checks", checks),
    "coffeechat_api_routers_bench_create_entry": ("post", "/bench/entries", bench_entry),
    "coffeechat_api_routers_bench_put_entry": ("put", "/bench/entries/{bench_entry}", nothing),
    "coffeechat_api_routers_bench_patch_entry": ("patch", "/bench/entries/{bench_entry}", nothing),
    "coffeechat_api_routers_bench_team_refer": ("post", "/bench/team/referrals", team_referral),
    "coffeechat_api_routers_coaching_create_comment": ("post", "/coaching/comments", coach_comment),
    "coffeechat_api_routers_conversations_save_debrief": (
        "put",
        "/conversations/{conversation}/debrief",
        debrief,
    ),
    "coffeechat_api_routers_conversations_save_questions": (
        "put",
        "/conversations/{conversation}/questions",
        questions,
    ),
}
# A nudge refers to the message it follows: its own body.
NUDGE = "coffeechat_api_routers_outreach_create_message:nudge_of_id"

# Which kind of object each field points at (the name Alice's object is found under).
POINTS_AT = {
    "person_id": "person",
    "person_ids": "person",
    "from_person_id": "person",
    "to_person_id": "person",
    "introduced_by_id": "person",
    "referred_by_id": "person",
    "contact_id": "person",
    "organization_id": "organization",
    "affiliation_id": "affiliation",
    "posting_id": "posting",
    "conversation_id": "conversation",
    "template_id": "template",
    "application_id": "application",
    "nudge_of_id": "message",
    "invitation_id": "team_invitation",
    "coaching_id": "coaching",
    "id": "chosen",
}


def _reference_fields() -> list[tuple[str, str]]:
    """(operation id, field) for every id a write operation takes in its body."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found: list[tuple[str, str]] = []

    def walk(operation: str, node: dict[str, Any], prefix: str) -> None:
        if "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[-1]]
        for name, prop in node.get("properties", {}).items():
            if name == "id" and prefix or name.endswith(("_id", "_ids")):
                found.append((operation, prefix + name))
            for sub in [prop, *prop.get("anyOf", [])]:
                if sub.get("type") == "array" and "$ref" in sub.get("items", {}):
                    walk(operation, sub["items"], f"{prefix}{name}[].")

    for item in schema["paths"].values():
        for method, operation in item.items():
            body = operation.get("requestBody")
            if method == "get" or body is None:
                continue
            walk(operation["operationId"], body["content"]["application/json"]["schema"], "")
    return found


FIELDS = _reference_fields()


def test_it_lists_every_operation_that_takes_a_reference() -> None:
    assert {operation for operation, _field in FIELDS} == set(OPERATIONS)
    assert len(FIELDS) > 80


def _objects(owner: Any) -> Objects:
    from tests.factories import (
        MessageTemplateFactory,
        OrganizationFactory,
        PersonFactory,
    )

    found = network_of(owner)
    found["second_organization"] = OrganizationFactory(owner=owner, name="Second Org")
    found["second_person"] = PersonFactory(owner=owner, first_name="Secundus")
    found["template"] = MessageTemplateFactory(owner=owner, name="Plain", body="Hello {first_name}")
    found["chosen"] = ChosenQuestion.objects.create(
        owner=owner, conversation=found["conversation"], text="What do you enjoy?"
    )
    return found


def _set(body: dict[str, Any], field: str, value: int) -> dict[str, Any]:
    if "[]." in field:
        outer, inner = field.split("[].")
        body[outer][0][inner] = value
    elif field.endswith("_ids"):
        body[field] = [value]
    else:
        body[field] = value
    return body


def _normalised(content: bytes, number: int) -> Any:
    return json.loads(re.sub(rf"\b{number}\b", "<id>", content.decode()))


@pytest.mark.parametrize(("operation", "field"), FIELDS, ids=[f"{o}:{f}" for o, f in FIELDS])
def test_it_answers_another_users_id_like_a_missing_one(
    operation: str, field: str, alice: Any, bob: Any, bob_client: Client
) -> None:
    alices, bobs = _objects(alice), _objects(bob)
    method, path, make_body = OPERATIONS[operation]
    if f"{operation}:{field}" == NUDGE:
        make_body = nudge
    url = "/api/v1" + path.format(**{key: value.pk for key, value in bobs.items()})
    foreign = alices[POINTS_AT[field.rsplit(".", 1)[-1]]].pk
    client = JsonClient(bob_client)

    answers = []
    for value in (foreign, NEVER_USED):
        body = _set(make_body(bobs), field, value)
        answers.append(client.send(method, url, body))
    theirs, missing = answers

    assert 400 <= missing.status_code < 500, (missing.status_code, missing.content)
    assert theirs.status_code == missing.status_code, (theirs.content, missing.content)
    assert _normalised(theirs.content, foreign) == _normalised(missing.content, NEVER_USED)
    shape = missing.json()
    assert set(shape) == {"detail", "errors"}
    assert all(set(item) == {"loc", "msg", "type"} for item in shape["errors"])
    # The same body with Bob's own object is accepted: the refusal was about the id.
    own = client.send(method, url, make_body(bobs))
    assert own.status_code < 300, own.content
