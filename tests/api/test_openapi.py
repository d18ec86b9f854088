"""The OpenAPI document and the interactive docs page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.api.conftest import KINDS, detail_url, list_url

pytestmark = pytest.mark.django_db

PLURALS = {
    "person": "people",
    "organization": "organizations",
    "employment": "employments",
    "affiliation": "affiliations",
    "membership": "memberships",
    "tie": "ties",
    "target": "targets",
    "posting": "postings",
    "application": "applications",
    "follow_up": "follow-ups",
    "conversation": "conversations",
    "story": "stories",
    "question": "questions",
    "referral": "referrals",
    "promise": "promises",
    "template": "message-templates",
}
# Read-only and action routes beside the CRUD ones.
EXTRA_PATHS = {
    "/api/v1/targets/ranked": {"get"},
    "/api/v1/targets/bulk": {"post"},
    "/api/v1/targets/{target_id}/paths": {"get"},
    "/api/v1/organizations/{organization_id}/paths": {"get"},
    "/api/v1/people/{person_id}/paths": {"get"},
    "/api/v1/people/{person_id}/situations": {"get"},
    "/api/v1/organizations/{organization_id}/situations": {"get"},
    "/api/v1/applications/{application_id}/situations": {"get"},
    "/api/v1/applications/outcomes": {"get"},
    "/api/v1/today": {"get"},
    "/api/v1/follow-ups/{follow_up_id}/done": {"post"},
    "/api/v1/follow-ups/{follow_up_id}/snooze": {"post"},
    "/api/v1/follow-ups/{follow_up_id}/skip": {"post"},
    "/api/v1/conversations/{conversation_id}/schedule": {"get", "put"},
    "/api/v1/conversations/{conversation_id}/cancel": {"post"},
    "/api/v1/conversations/{conversation_id}/debrief": {"get", "put"},
    "/api/v1/conversations/{conversation_id}/questions": {"get", "put"},
    "/api/v1/questions/bank": {"get"},
    "/api/v1/people/{person_id}/referral-chain": {"get"},
    "/api/v1/organizations/{organization_id}/conversation-tree": {"get"},
    "/api/v1/messages": {"get", "post"},
    "/api/v1/messages/{message_id}": {"get", "patch", "delete"},
    "/api/v1/messages/{message_id}/checks": {"get"},
    "/api/v1/messages/{message_id}/send": {"post"},
    "/api/v1/messages/{message_id}/sent": {"post"},
    "/api/v1/messages/{message_id}/replied": {"post"},
    "/api/v1/messages/{message_id}/status": {"post"},
    "/api/v1/messages/{message_id}/queue": {"post"},
    "/api/v1/messages/{message_id}/eml": {"get"},
    "/api/v1/outreach/checks": {"post"},
    "/api/v1/outreach/reply-rates": {"get"},
    "/api/v1/outreach/purposes": {"get"},
    "/api/v1/outreach/no-reply-policy": {"get", "put"},
    "/api/v1/bench/entries": {"get", "post"},
    "/api/v1/bench/entries/{entry_id}": {"get", "put", "patch", "delete"},
    "/api/v1/bench/entries/{entry_id}/contacts": {"post"},
    "/api/v1/bench/openings": {"get", "post"},
    "/api/v1/bench/openings/{opening_id}": {"get", "put", "patch", "delete"},
    "/api/v1/bench/openings/{opening_id}/close": {"post"},
    "/api/v1/bench/openings/{opening_id}/ranking": {"get"},
    "/api/v1/bench/settings": {"get", "patch"},
    "/api/v1/bench/team/links": {"get", "post"},
    "/api/v1/bench/team/links/{link_id}": {"get"},
    "/api/v1/bench/team/links/{link_id}/end": {"post"},
    "/api/v1/bench/team/invitations": {"get"},
    "/api/v1/bench/team/invitations/{invitation_id}": {"get"},
    "/api/v1/bench/team/invitations/{invitation_id}/accept": {"post"},
    "/api/v1/bench/team/invitations/{invitation_id}/decline": {"post"},
    "/api/v1/bench/team/invitations/{invitation_id}/end": {"post"},
    "/api/v1/bench/team/referrals": {"get", "post"},
    "/api/v1/bench/team/referrals/{sent_id}": {"get"},
    "/api/v1/bench/proposals": {"get"},
    "/api/v1/bench/proposals/{proposal_id}": {"get"},
    "/api/v1/bench/proposals/{proposal_id}/accept": {"post"},
    "/api/v1/bench/proposals/{proposal_id}/decline": {"post"},
    "/api/v1/progress": {"get"},
    "/api/v1/coaching/links": {"get", "post"},
    "/api/v1/coaching/links/{coach_link_id}": {"get", "patch"},
    "/api/v1/coaching/links/{coach_link_id}/end": {"post"},
    "/api/v1/coaching/comments": {"get", "post"},
    "/api/v1/coaching/comments/{comment_id}": {"get"},
    "/api/v1/coaching/comments/{comment_id}/dismiss": {"post"},
    "/api/v1/coaching/invitations": {"get"},
    "/api/v1/coaching/invitations/{coaching_id}": {"get"},
    "/api/v1/coaching/invitations/{coaching_id}/accept": {"post"},
    "/api/v1/coaching/invitations/{coaching_id}/decline": {"post"},
    "/api/v1/coaching/invitations/{coaching_id}/end": {"post"},
    "/api/v1/coaching/people": {"get"},
    "/api/v1/coaching/people/{coaching_id}": {"get"},
    "/api/v1/progress/review": {"get"},
    "/api/v1/progress/review/settings": {"get", "put"},
    "/api/v1/mailbox": {"get"},
    "/api/v1/mailbox/sync": {"post"},
    "/api/v1/mailbox/stored": {"get"},
    "/api/v1/mailbox/stored/{record_id}": {"get", "delete"},
    "/api/v1/bench/requests": {"get"},
    "/api/v1/bench/requests/{request_id}": {"get", "delete"},
    "/api/v1/bench/requests/{request_id}/accept": {"post"},
    "/api/v1/bench/requests/{request_id}/decline": {"post"},
    "/api/v1/staff/usage": {"get"},
    "/api/v1/staff/users": {"get"},
    "/api/v1/staff/users/{user_id}/deactivate": {"post"},
    "/api/v1/staff/users/{user_id}/reactivate": {"post"},
    "/api/v1/staff/users/{user_id}/end-sessions": {"post"},
    "/api/v1/staff/invitations": {"get", "post"},
    "/api/v1/staff/invitations/{staff_invitation_id}/resend": {"post"},
    "/api/v1/staff/invitations/{staff_invitation_id}/revoke": {"post"},
    "/api/v1/staff/actions": {"get"},
    "/api/v1/staff/career-centre": {"get"},
    "/api/v1/career-centre/consent": {"get", "put"},
}


@pytest.fixture
def schema(alice_client: Client) -> dict[str, Any]:
    response = alice_client.get(reverse("api-1:openapi-json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_it_serves_the_openapi_document_at_its_path(alice_client):
    assert reverse("api-1:openapi-json") == "/api/v1/openapi.json"
    assert alice_client.get("/api/v1/openapi.json").status_code == 200


def test_it_describes_an_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Coffeechat API"
    assert schema["info"]["version"] == "1"


def test_it_lists_every_path_with_its_methods(schema):
    expected: dict[str, set[str]] = {}
    for kind, plural in PLURALS.items():
        expected[f"/api/v1/{plural}"] = {"get", "post"}
        expected[f"/api/v1/{plural}/{{{kind}_id}}"] = {"get", "put", "patch", "delete"}
    expected.update(EXTRA_PATHS)
    # Duplicates: 6 operations.
    expected["/api/v1/duplicates"] = {"get"}
    expected["/api/v1/people/{person_id}/merge/{other_id}"] = {"get", "post"}
    expected["/api/v1/people/{person_id}/not-duplicate/{other_id}"] = {"get", "post", "delete"}

    assert {path: set(item) for path, item in schema["paths"].items()} == expected


@pytest.mark.parametrize("kind", KINDS)
def test_it_lists_the_paths_the_urls_resolve_to(schema, kind):
    assert list_url(kind) in schema["paths"]
    assert detail_url(kind, 7).replace("7", f"{{{kind}_id}}") in schema["paths"]


def test_it_gives_every_operation_a_unique_id(schema):
    ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]

    extra = sum(len(methods) for methods in EXTRA_PATHS.values())
    assert len(ids) == len(set(ids)) == 6 * len(PLURALS) + extra + 6


def test_it_declares_the_path_id_of_every_detail_operation(schema):
    for kind, plural in PLURALS.items():
        for operation in schema["paths"][f"/api/v1/{plural}/{{{kind}_id}}"].values():
            params = [(p["in"], p["name"], p["required"]) for p in operation["parameters"]]
            assert ("path", f"{kind}_id", True) in params


def test_it_documents_the_three_ways_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert schemes["HeaderToken"]["name"] == "X-API-Key"
    assert schemes["SessionAuth"]["in"] == "cookie"
    for item in schema["paths"].values():
        for operation in item.values():
            assert operation["security"]


def test_it_documents_the_list_filters_and_pagination(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/people"]["get"]["parameters"]}

    assert {"q", "level", "source", "tag", "organization_id", "limit", "offset"} <= names


def test_it_documents_201_for_create_and_204_for_delete(schema):
    for kind, plural in PLURALS.items():
        assert "201" in schema["paths"][f"/api/v1/{plural}"]["post"]["responses"]
        assert "204" in schema["paths"][f"/api/v1/{plural}/{{{kind}_id}}"]["delete"]["responses"]


def test_it_documents_patch_bodies_with_no_required_field(schema):
    for kind, plural in PLURALS.items():
        operation = schema["paths"][f"/api/v1/{plural}/{{{kind}_id}}"]["patch"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert not component.get("required"), kind
        put = schema["paths"][f"/api/v1/{plural}/{{{kind}_id}}"]["put"]
        put_ref = put["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert schema["components"]["schemas"][put_ref.rsplit("/", 1)[-1]].get("required"), kind


def test_it_keeps_field_limits_in_the_patch_schema(schema):
    person_patch = schema["components"]["schemas"]["PersonInPatch"]["properties"]

    assert person_patch["first_name"]["maxLength"] == 150
    assert person_patch["emails"]["items"]["maxLength"] == 254
    assert "staff" in person_patch["level"]["description"]


def test_it_refers_only_to_schemas_it_defines(schema):
    text = json.dumps(schema)
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', text))

    assert refs
    assert refs <= set(schema["components"]["schemas"])


# The docs page --------------------------------------------------------------------------------


class AssetParser(HTMLParser):
    """Collects the URLs of scripts, stylesheets, icons and images on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for attribute in ("src", "href"):
            if tag in ("script", "link", "img", "iframe") and values.get(attribute):
                self.urls.append(values[attribute] or "")


@pytest.fixture
def docs_page(alice_client: Client) -> str:
    response = alice_client.get(reverse("api-1:openapi-view"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_it_renders_the_docs_page_for_a_signed_in_user(alice_client, docs_page):
    assert reverse("api-1:openapi-view") == "/api/v1/docs"
    assert "Coffeechat API" in docs_page
    assert "/api/v1/openapi.json" in docs_page


def test_it_loads_the_docs_page_assets_only_from_this_site(docs_page):
    parser = AssetParser()
    parser.feed(docs_page)

    assert any(url.endswith(".js") for url in parser.urls)
    assert any(url.endswith(".css") for url in parser.urls)
    for url in parser.urls:
        assert url.startswith("/") and not url.startswith("//"), url
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", docs_page)
    # A host name, not any "cdn" (the random CSRF token on the page may contain those letters).
    assert not re.search(r"cdn[.\-/]|//[^/]*cdn", docs_page.lower())


def test_it_serves_every_asset_of_the_docs_page_from_static_files(docs_page):
    parser = AssetParser()
    parser.feed(docs_page)

    for url in parser.urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url


def test_it_keeps_the_docs_page_within_the_content_security_policy(alice_client):
    response = alice_client.get(reverse("api-1:openapi-view"))
    policy = response.get("Content-Security-Policy", "")

    assert "script-src 'self'" in policy
    # The only inline <script> is the JSON settings block, which browsers do not run.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert all('type="application/json"' in attrs for attrs in inline)


def test_it_turns_off_swagger_uis_online_validator(docs_page):
    settings = re.search(
        r'<script type="application/json" id="swagger-settings">(.*?)</script>', docs_page, re.S
    )

    assert settings is not None
    config = json.loads(settings.group(1))
    assert config["validatorUrl"] is None
    assert config["url"] == "/api/v1/openapi.json"


def test_no_two_schemas_share_a_name() -> None:
    """The schema's components are named after the classes: two of one name would make
    one operation document the other's body (it happened: progress's TargetOut)."""
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    import coffeechat.api.routers as routers

    homes: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(routers.__path__):
        module = importlib.import_module(f"{routers.__name__}.{info.name}")
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Schema) and value.__module__ == module.__name__:
                homes.setdefault(name, set()).add(module.__name__)
    shared = {name: sorted(places) for name, places in homes.items() if len(places) > 1}
    assert shared == {}
