"""The public request page: it creates one request and nothing else, shows nothing of the
owner's but the name and intro they wrote, and holds against spam and abuse."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coffeechat.bench import front_door
from coffeechat.bench.models import BenchEntry, ConversationRequest, FrontDoor, RequestStatus
from coffeechat.network.models import EmailAddress, Person
from tests.core.test_privacy import ALICE_MARKERS
from tests.factories import network_of

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Sam Seeker",
    "email": "sam@seeker.example",
    "connection": "met",
    "connection_note": "The optics meeting in Lyon",
    "wants_to_learn": "How your group chooses its projects.",
    "cv_url": "https://seeker.example/cv",
}


@pytest.fixture
def door(alice: Any) -> FrontDoor:
    return front_door.save_door(
        alice, enabled=True, display_name="Dr Alice Martin", intro="I lead the optics group."
    )


def without_csrf(content: bytes) -> str:
    """The page with its per-request CSRF token blanked, to compare two pages."""
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", content.decode())


def url(door: FrontDoor) -> str:
    return reverse("front-door:ask", kwargs={"token": door.token})


def test_it_shows_the_name_the_intro_and_what_happens_with_the_data(door: FrontDoor) -> None:
    page = Client().get(url(door))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ask Dr Alice Martin for a short conversation" in text
    assert "I lead the optics group." in text
    assert "What happens with what you send" in text
    assert "deleted" in text
    assert "csrfmiddlewaretoken" in text


def test_a_stranger_creates_one_pending_request(alice: Any, door: FrontDoor) -> None:
    people = Person.objects.count()
    response = Client().post(url(door), GOOD)
    assert response.status_code == 200
    assert "your request is sent" in response.content.decode()
    asked = ConversationRequest.objects.get()
    assert asked.owner == alice
    assert (asked.name, asked.email, asked.status) == (
        "Sam Seeker",
        "sam@seeker.example",
        RequestStatus.PENDING,
    )
    assert asked.cv_url == "https://seeker.example/cv"
    assert asked.person is None
    assert Person.objects.count() == people


def test_extra_fields_change_nothing_else(alice: Any, bob: Any, door: FrontDoor) -> None:
    alices = network_of(alice)
    bobs_person = Person.objects.create(owner=bob, first_name="Bobby")
    before = {
        "people": Person.objects.count(),
        "emails": EmailAddress.objects.count(),
        "bench": BenchEntry.objects.count(),
        "doors": list(FrontDoor.objects.values_list("pk", "token", "enabled", "display_name")),
    }
    forged = {
        **GOOD,
        "owner": bob.pk,
        "owner_id": bob.pk,
        "person": bobs_person.pk,
        "person_id": alices["person"].pk,
        "status": "accepted",
        "decided_at": "2026-01-01T00:00:00Z",
        "id": alices["conversation_request"].pk,
        "pk": alices["conversation_request"].pk,
        "token": "mine-now",
        "enabled": "",
    }
    response = Client().post(url(door), forged)
    assert response.status_code == 200
    made = ConversationRequest.objects.exclude(pk=alices["conversation_request"].pk).get()
    assert made.owner == alice
    assert made.person is None and made.status == RequestStatus.PENDING
    assert made.decided_at is None
    old = ConversationRequest.objects.get(pk=alices["conversation_request"].pk)
    assert old.name == "Petitia Petitionova"
    assert before == {
        "people": Person.objects.count(),
        "emails": EmailAddress.objects.count(),
        "bench": BenchEntry.objects.count(),
        "doors": list(FrontDoor.objects.values_list("pk", "token", "enabled", "display_name")),
    }


@pytest.mark.parametrize("who", ["anonymous", "alice", "bob"])
def test_it_shows_nothing_of_alices_data_to_anyone(alice: Any, bob: Any, who: str) -> None:
    objects = network_of(alice)
    door = objects["front_door"]
    client = Client()
    if who != "anonymous":
        client.force_login({"alice": alice, "bob": bob}[who])
    pages = [
        client.get(url(door)),
        client.post(url(door), {**GOOD, "email": f"{who}@seeker.example"}),
        client.post(url(door), {**GOOD, "connection": "referred", "referrer_name": ""}),
        client.get(reverse("front-door:ask", kwargs={"token": "x" * 32})),
    ]
    shown = [m for m in ALICE_MARKERS if m != "Hushhush intro"]  # her intro is public
    for page in pages:
        text = page.content.decode()
        for marker in shown:
            assert marker not in text, (who, marker)
        assert "alice@example.com" not in text
    assert "Hushhush intro" in pages[0].content.decode()


def test_an_unknown_closed_or_replaced_link_is_the_same_404(alice: Any, door: FrontDoor) -> None:
    unknown = Client().get(reverse("front-door:ask", kwargs={"token": "nope"}))
    assert unknown.status_code == 404
    old = url(door)
    front_door.regenerate(alice)
    replaced = Client().get(old)
    posted = Client().post(old, GOOD)
    assert replaced.status_code == posted.status_code == 404
    assert without_csrf(replaced.content) == without_csrf(unknown.content)
    assert Client().get(url(FrontDoor.objects.get())).status_code == 200
    front_door.save_door(alice, enabled=False, display_name="Dr Alice Martin", intro="")
    closed = Client().get(url(FrontDoor.objects.get()))
    assert closed.status_code == 404
    assert without_csrf(closed.content) == without_csrf(unknown.content)
    assert not ConversationRequest.objects.exists()


def test_the_honeypot_answers_like_success_and_stores_nothing(door: FrontDoor) -> None:
    response = Client().post(url(door), {**GOOD, "website": "https://spam.example"})
    assert response.status_code == 200
    assert "your request is sent" in response.content.decode()
    assert not ConversationRequest.objects.exists()


def test_a_referral_names_the_referrer(door: FrontDoor) -> None:
    response = Client().post(url(door), {**GOOD, "connection": "referred"})
    assert response.status_code == 200
    assert "Say who referred you." in response.content.decode()
    assert not ConversationRequest.objects.exists()
    Client().post(url(door), {**GOOD, "connection": "referred", "referrer_name": "Ben Lund"})
    assert ConversationRequest.objects.get().referrer_name == "Ben Lund"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "N" * 121, "at most 120 characters"),
        ("wants_to_learn", "w" * 1501, "at most 1500 characters"),
        ("connection_note", "c" * 301, "at most 300 characters"),
        ("email", "not an address", "valid email address"),
        ("cv_url", "javascript:alert(1)", "valid URL"),
        ("cv_url", "ftp://files.example/cv.pdf", "Only an http:// or https:// link"),
        ("connection", "owner", "Select a valid choice"),
    ],
)
def test_bad_fields_get_a_clear_message_and_nothing_is_stored(
    door: FrontDoor, field: str, value: str, message: str
) -> None:
    response = Client().post(url(door), {**GOOD, field: value})
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert f'id="id_{field}' in text
    assert not ConversationRequest.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(door: FrontDoor) -> None:
    response = Client().post(url(door), {**GOOD, "wants_to_learn": "x" * 20_000})
    assert response.status_code == 413
    assert "too long" in response.content.decode()
    assert not ConversationRequest.objects.exists()


def test_it_holds_the_csrf_check(door: FrontDoor) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(url(door), GOOD).status_code == 403
    assert not ConversationRequest.objects.exists()
    page = client.get(url(door))
    token = page.cookies["csrftoken"].value
    assert client.post(url(door), {**GOOD, "csrfmiddlewaretoken": token}).status_code == 200
    assert ConversationRequest.objects.count() == 1


def test_it_limits_requests_per_sender_address(door: FrontDoor) -> None:
    for n in range(front_door.ADDRESS_LIMIT):
        client = Client(REMOTE_ADDR=f"10.0.0.{n}")
        assert client.post(url(door), {**GOOD, "email": "SAM@seeker.example"}).status_code == 200
    again = Client(REMOTE_ADDR="10.0.1.1").post(url(door), GOOD)
    assert again.status_code == 429
    assert "Too many requests" in again.content.decode()
    assert ConversationRequest.objects.count() == front_door.ADDRESS_LIMIT
    other = Client(REMOTE_ADDR="10.0.1.2").post(url(door), {**GOOD, "email": "kim@x.example"})
    assert other.status_code == 200


def test_it_limits_posts_per_client_address(door: FrontDoor) -> None:
    client = Client(REMOTE_ADDR="192.0.2.7")
    for n in range(front_door.IP_LIMIT):
        response = client.post(url(door), {**GOOD, "email": f"s{n}@seeker.example"})
        assert response.status_code == 200
    assert client.post(url(door), {**GOOD, "email": "late@seeker.example"}).status_code == 429
    assert ConversationRequest.objects.count() == front_door.IP_LIMIT
    elsewhere = Client(REMOTE_ADDR="192.0.2.8")
    assert elsewhere.post(url(door), {**GOOD, "email": "late@seeker.example"}).status_code == 200


def test_the_honeypot_counts_toward_the_limit(door: FrontDoor) -> None:
    client = Client(REMOTE_ADDR="192.0.2.9")
    for n in range(front_door.IP_LIMIT):
        client.post(url(door), {**GOOD, "email": f"h{n}@x.example", "website": "x"})
    assert client.post(url(door), GOOD).status_code == 429
    assert not ConversationRequest.objects.exists()
