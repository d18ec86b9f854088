"""Every route, walked as Bob against Alice's objects.

Routes come from the URL resolver (the API's routes are in it too, and are
cross-checked against the API's own OpenAPI paths), so a route added later is
walked automatically, or this test fails because it does not know how to walk it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coffeechat.accounts.models import Profile
from coffeechat.accounts.services import create_api_token
from coffeechat.api.api import api
from coffeechat.staff.career import set_counted
from tests.factories import UserFactory, network_of

pytestmark = pytest.mark.django_db

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]

# URL keyword → the key of the object in tests.factories.network_of() (or "token").
OBJECT_KWARGS = {
    "person_id": "person",
    "other_id": "other_person",
    "organization_id": "organization",
    "employment_id": "employment",
    "affiliation_id": "affiliation",
    "membership_id": "membership",
    "tie_id": "tie",
    "my_affiliation_id": "my_affiliation",
    "token_id": "token",
    "batch_id": "import_batch",
    "target_id": "target",
    "posting_id": "posting",
    "application_id": "application",
    "follow_up_id": "follow_up",
    "conversation_id": "conversation",
    "story_id": "story",
    "question_id": "question",
    "promise_id": "promise",
    "referral_id": "referral",
    "message_id": "message",
    "template_id": "template",
    "entry_id": "bench_entry",
    "opening_id": "opening",
    "link_id": "team_link",
    "proposal_id": "team_proposal",
    "invitation_id": "team_invitation",
    "sent_id": "team_referral_sent",
    "request_id": "conversation_request",
    "coach_link_id": "coach_link",
    "coaching_id": "coaching",
    "comment_id": "coach_comment",
    "user_id": "user",  # the staff routes' account: Alice herself
    "record_id": "mail_record",
    "check_id": "connection_check",
    "staff_invitation_id": "staff_invitation",
}

# Routes that hold no user's network data, and why they are not walked.
NOT_WALKED_PREFIXES = {
    "admin/": "Django's admin: staff only; Bob is not staff and is sent to log in",
    "accounts/": "django-allauth's own pages: they show only the signed-in user's account",
    "static/": "static files",
    "feed/": "the calendar feed: its secret token is the key, not the session "
    "(tests/followups/test_feed.py checks one user's data only and revoked tokens)",
    "invited/": "an invitation's sign-up page: its secret single-use link is the key, not "
    "the session; it shows only the invited address (tests/staff/test_invitations.py)",
    "ask/": "a front door's public request page: its secret link is the key, not the "
    "session; it shows only the display name and intro its owner wrote "
    "(tests/bench/test_front_door_public.py checks it shows nothing else of Alice's, to "
    "anyone, and that an unknown or closed link is the same 404)",
}

# Strings only Alice's data contains (see network_of).
ALICE_MARKERS = [
    "Secretia",
    "Privatova",
    "Hiddenia",
    "Confidential Corp",
    "Private Alumni Club",
    "secret-tag",
    "secretia@confidential.example",
    "Covert Analyst",
    "Whisperwind reasons",
    "Murmur thank-you",
    "Sotto voce",
    "Murmured lesson",
    "Send the hushed article",
    "Clandestine success",
    "Whispered question?",
    "Hushed postdoc",
    "quietcraft",
    "Whisperwind referral",
    "Petitionova",
    "Murmured ambitions",
    "Hushhush intro",
    "Hushed coaching tip",
    "Alicia Undisclosed",  # Alice's own name on her profile
]

# Staff routes: a 404 for anyone who is not staff, whatever the method; staff see
# accounts and counts (Alice's e-mail address, her number of people), never content.
STAFF_PREFIXES = ("staff/", "api/v1/staff/")


@dataclass
class Route:
    route: str
    name: str
    kwargs: list[str]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def is_staff(self) -> bool:
        return self.route.startswith(STAFF_PREFIXES)


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = namespace
            if entry.namespace:
                space = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern):
            converters = getattr(entry.pattern, "converters", {}) or {}
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Route(prefix + str(entry.pattern), name, list(converters))


def all_routes() -> list[Route]:
    return list(walk(get_resolver().url_patterns))


def walked(route: Route) -> bool:
    return not any(route.route.startswith(prefix) for prefix in NOT_WALKED_PREFIXES)


def request(
    client: Client, method: str, url: str, headers: dict[str, str], body: str = "{}"
) -> Any:
    call = getattr(client, method.lower())
    if method in {"GET", "DELETE"}:
        return call(url, headers=headers)
    return call(url, data=body, content_type="application/json", headers=headers)


@pytest.fixture
def alice_objects(alice: Any) -> dict[str, Any]:
    objects = network_of(alice)
    objects["token"], _raw = create_api_token(alice, "alice's laptop")
    objects["user"] = alice
    Profile.objects.filter(user=alice).update(full_name="Alicia Undisclosed")
    set_counted(alice, True)  # counted in the career-centre figures: still anonymous
    return objects


def clients_for(user: Any) -> tuple[Client, dict[str, str]]:
    client = Client()
    client.force_login(user)
    _token, raw = create_api_token(user, "walk")
    return client, {"Authorization": f"Bearer {raw}"}


def test_it_knows_how_to_walk_every_route() -> None:
    unknown = [
        (route.route, kwarg)
        for route in all_routes()
        if walked(route)
        for kwarg in route.kwargs
        if kwarg not in OBJECT_KWARGS
    ]
    assert unknown == [], "Add these URL keywords to OBJECT_KWARGS (or name them by model)"
    unnamed = [route.route for route in all_routes() if walked(route) and not route.name]
    assert unnamed == [], "Every walked route needs a name so it can be reversed"


def test_it_walks_every_api_route() -> None:
    schema_paths = set(api.get_openapi_schema()["paths"])
    resolver_paths = {
        "/" + route.route.replace("<int:", "{").replace(">", "}")
        for route in all_routes()
        if route.is_api
    }
    missing = {path for path in schema_paths if path not in resolver_paths}
    assert schema_paths, "the API lists no paths"
    assert missing == set()


def test_it_answers_404_for_every_route_and_method_on_another_users_object(
    alice: Any, bob: Any, alice_objects: dict[str, Any]
) -> None:
    bob_client, bob_headers = clients_for(bob)
    alice_client, alice_headers = clients_for(alice)
    object_routes = [r for r in all_routes() if walked(r) and r.kwargs]
    assert len(object_routes) >= 20, "expected the network's object routes"
    checked = 0
    for route in object_routes:
        url = reverse(
            route.name, kwargs={kw: alice_objects[OBJECT_KWARGS[kw]].pk for kw in route.kwargs}
        )
        headers = bob_headers if route.is_api else {}
        # A valid body (the owner's own view of the object), so that the API does not
        # stop at validating the payload before it looks the object up.
        body = alice_client.get(url, headers=alice_headers).content if route.is_api else "{}"
        for method in METHODS:
            response = request(bob_client, method, url, headers, body)
            if response.status_code == 405:
                # The route does not take this method at all: the owner gets 405 too,
                # so the answer says nothing about whether Alice's object exists.
                own = request(
                    alice_client, method, url, alice_headers if route.is_api else {}, body
                ).status_code
                assert own == 405, f"{method} {url}: 405 for Bob but {own} for Alice"
                continue
            assert response.status_code == 404, f"{method} {url} gave {response.status_code}"
            if route.is_api:
                assert response["Content-Type"].startswith("application/json")
            checked += 1
    assert checked >= 60
    # Nothing of Alice's was changed or deleted along the way.
    for key, obj in alice_objects.items():
        fresh = type(obj).objects.get(pk=obj.pk)
        if hasattr(obj, "updated_at"):
            assert fresh.updated_at == obj.updated_at, key
        if key == "token":
            assert fresh.revoked_at is None
        if key == "user":
            assert fresh.is_active


def test_it_never_shows_another_users_data_on_pages_without_an_object(
    alice: Any, bob: Any, alice_objects: dict[str, Any]
) -> None:
    bob_client, bob_headers = clients_for(bob)
    collection_routes = [r for r in all_routes() if walked(r) and not r.kwargs]
    assert any(r.name == "network:person-list" for r in collection_routes)
    for route in collection_routes:
        url = reverse(route.name)
        response = bob_client.get(url, headers=bob_headers if route.is_api else {})
        # /metrics is a 404 without the operator's token (tests/server/test_metrics.py).
        not_found = {"api-1:api-root", "api-1:not-found", "metrics"}
        allowed = {200, 302, 405} | ({404} if route.name in not_found else set())
        if route.is_staff:
            allowed = {404}  # Bob is not staff
        assert response.status_code in allowed, f"GET {url}: {response.status_code}"
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode(errors="replace")
        for marker in ALICE_MARKERS:
            assert marker not in body, f"GET {url} shows {marker!r}"
    for query, absent in (
        ("Secretia", "Privatova"),
        ("Confidential", "Secretia"),
        ("secret-tag", "Secretia"),
    ):
        for url in (reverse("network:person-list"), reverse("api-1:person-list")):
            body = bob_client.get(url, {"q": query}, headers=bob_headers).content.decode()
            assert absent not in body, (url, query)


def test_it_shows_the_owner_their_own_objects(alice: Any, alice_objects: dict[str, Any]) -> None:
    """The walk above is meaningful only if the same URLs work for their owner."""
    client, headers = clients_for(alice)
    for route in all_routes():
        if not walked(route) or not route.kwargs or route.name.endswith("revoke"):
            continue
        if route.is_staff:
            continue  # not Alice's to open: walked as staff below
        url = reverse(
            route.name, kwargs={kw: alice_objects[OBJECT_KWARGS[kw]].pk for kw in route.kwargs}
        )
        response = client.get(url, headers=headers if route.is_api else {})
        if response.status_code == 405 and response["Allow"] in ("POST", "OPTIONS, POST"):
            continue  # an action (import, cancel…): Bob's POST was walked above
        assert response.status_code == 200, f"GET {url}: {response.status_code}"


def test_staff_see_accounts_and_counts_never_anyones_network(
    alice: Any, bob: Any, alice_objects: dict[str, Any]
) -> None:
    """Every staff route, page and API, walked as a staff member: Alice's network (names,
    e-mail addresses, notes) and her own name never appear; actions change only accounts."""
    charlie = UserFactory(email="charlie@example.com", is_staff=True)
    for _ in range(5):
        set_counted(UserFactory(), True)  # enough consenting users for figures to show
    client, headers = clients_for(charlie)
    staff_routes = [r for r in all_routes() if walked(r) and r.is_staff]
    assert len(staff_routes) >= 14, "expected the staff pages and their API"
    shown = 0
    for route in staff_routes:
        kwargs = {kw: alice_objects[OBJECT_KWARGS[kw]].pk for kw in route.kwargs}
        url = reverse(route.name, kwargs=kwargs)
        response = client.get(url, headers=headers if route.is_api else {})
        if route.kwargs:
            assert response.status_code == 405, f"GET {url}: {response.status_code}"
            response = request(client, "POST", url, headers if route.is_api else {})
            allowed = {200, 302}
            if route.name.endswith("invitation-resend"):
                allowed.add(422)  # walked after "revoke": a withdrawn one is not resent
            assert response.status_code in allowed, f"POST {url}: {response.status_code}"
        else:
            assert response.status_code == 200, f"GET {url}: {response.status_code}"
        body = response.content.decode(errors="replace")
        if route.is_staff and "user-list" in route.name:
            assert "alice@example.com" in body
            shown += 1
        for marker in ALICE_MARKERS:
            assert marker not in body, f"{url} shows {marker!r}"
    assert shown == 2  # the page and the API list accounts
