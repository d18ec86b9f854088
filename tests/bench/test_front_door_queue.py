"""The manager's side of the front door: settings, the queue, accepting and declining."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coffeechat.bench import front_door
from coffeechat.bench.models import BenchEntry, ConversationRequest, FrontDoor, RequestStatus
from coffeechat.network.models import Person
from coffeechat.server.worker import run_periodic
from tests.factories import EmailAddressFactory, PersonFactory
from tests.outreach.conftest import Collector, smtp_server  # noqa: F401 (a fixture)
from tests.ports import free_port

pytestmark = pytest.mark.django_db


def ask(owner: Any, name: str = "Sam Seeker", **fields: Any) -> ConversationRequest:
    door = front_door.door_for(owner)
    if door.pk is None or not door.enabled:
        door = front_door.save_door(owner, enabled=True, display_name="Alice", intro="")
    data = {
        "name": name,
        "email": f"{name.split()[0].lower()}@seeker.example",
        "connection": "met",
        "wants_to_learn": "How you chose optics.",
        "cv_url": "https://seeker.example/cv",
        **fields,
    }
    return front_door.submit_request(door, data)


def test_the_settings_page_makes_shows_and_replaces_the_link(
    alice: Any, alice_client: Client
) -> None:
    page = alice_client.get(reverse("bench:front-door"))
    assert page.status_code == 200
    assert "save these settings to make one" in page.content.decode()
    assert not FrontDoor.objects.exists()
    saved = alice_client.post(
        reverse("bench:front-door"),
        {"enabled": "on", "display_name": "Dr Alice Martin", "intro": "Optics."},
        follow=True,
    )
    door = FrontDoor.objects.get(owner=alice)
    assert door.enabled and len(door.token) >= 32
    link = front_door.door_url(door)
    assert link.startswith("http") and link.endswith(f"/ask/{door.token}/")
    assert link in saved.content.decode()
    old_path = f"/ask/{door.token}/"
    assert Client().get(old_path).status_code == 200
    alice_client.post(reverse("bench:front-door-regenerate"))
    door.refresh_from_db()
    assert Client().get(old_path).status_code == 404
    assert Client().get(f"/ask/{door.token}/").status_code == 200
    alice_client.post(reverse("bench:front-door"), {"display_name": "Dr Alice Martin"})
    assert Client().get(f"/ask/{door.token}/").status_code == 404


def test_the_queue_shows_the_connection_first_and_links_a_known_referrer(
    alice: Any, alice_client: Client
) -> None:
    ben = PersonFactory(owner=alice, first_name="Ben", last_name="Lund")
    cleo = PersonFactory(owner=alice, first_name="Cleo", last_name="Ruiz")
    EmailAddressFactory(person=cleo, email="cleo@lab.example")
    ask(alice, "Ann Ames", connection="referred", referrer_name="ben lund")
    ask(
        alice,
        "Bo Bell",
        connection="referred",
        referrer_name="C. R.",
        referrer_email="CLEO@lab.example",
    )
    ask(alice, "Cy Cole", connection="referred", referrer_name="Nobody Known")
    page = alice_client.get(reverse("bench:request-list"))
    text = page.content.decode()
    assert f'href="{ben.get_absolute_url()}">Ben Lund</a>' in text
    assert f'href="{cleo.get_absolute_url()}">Cleo Ruiz</a>' in text
    assert "Nobody Known" in text
    row = text[text.index("Cy Cole") - 600 : text.index("Cy Cole")]
    assert row.index("Someone referred me to you") < row.index("Nobody Known")


def test_the_queue_runs_a_constant_number_of_queries(alice: Any, alice_client: Client) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(reverse("bench:request-list")).status_code == 200
        return len(queries)

    for n in range(2):
        ask(alice, f"Few{n} Person", connection="referred", referrer_name=f"Ref{n} X")
    small = count()
    for n in range(30):
        ask(alice, f"Many{n} Person", connection="referred", referrer_name=f"Ref{n} Y")
    assert count() == small


def test_another_users_request_is_a_404(alice: Any, bob_client: Client) -> None:
    asked = ask(alice)
    for name in ("request-detail", "request-decline", "request-delete"):
        assert bob_client.get(reverse(f"bench:{name}", args=[asked.pk])).status_code == 404
    for name in ("request-accept", "request-decline", "request-delete"):
        assert bob_client.post(reverse(f"bench:{name}", args=[asked.pk])).status_code == 404
    assert "Sam Seeker" not in bob_client.get(reverse("bench:request-list")).content.decode()
    asked.refresh_from_db()
    assert asked.status == RequestStatus.PENDING


def test_accepting_adds_the_person_and_lands_on_the_schedule_form(
    alice: Any, alice_client: Client
) -> None:
    ben = PersonFactory(owner=alice, first_name="Ben", last_name="Lund")
    asked = ask(alice, connection="referred", referrer_name="Ben Lund")
    response = alice_client.post(reverse("bench:request-accept", args=[asked.pk]), {"bench": "on"})
    person = Person.objects.get(owner=alice, first_name="Sam")
    assert response.status_code == 302
    assert (
        response["Location"] == f"{reverse('conversations:conversation-create')}?person={person.pk}"
    )
    assert [e.email for e in person.email_addresses.all()] == ["sam@seeker.example"]
    asked.refresh_from_db()
    assert asked.status == RequestStatus.ACCEPTED and asked.person == person
    entry = BenchEntry.objects.get(owner=alice, person=person)
    assert entry.referred_by == ben
    form = alice_client.get(response["Location"]).content.decode()
    assert f'value="{person.pk}"' in form and "checked" in form
    again = alice_client.post(reverse("bench:request-accept", args=[asked.pk]), follow=True)
    assert "already accepted" in again.content.decode()
    assert Person.objects.filter(owner=alice, first_name="Sam").count() == 1


def test_accepting_links_the_person_who_has_that_address(alice: Any) -> None:
    known = PersonFactory(owner=alice, first_name="Samantha", last_name="Seeker")
    EmailAddressFactory(person=known, email="SAM@seeker.example")
    people = Person.objects.count()
    person = front_door.accept(alice, ask(alice))
    assert person == known
    assert Person.objects.count() == people
    assert ConversationRequest.objects.get().person == known


def test_declining_emails_the_kind_answer_and_forgets_the_text(
    alice: Any,
    alice_client: Client,
    smtp_server: tuple[Collector, int],  # noqa: F811
) -> None:
    collector, _port = smtp_server
    asked = ask(alice, connection="referred", referrer_name="Ben Lund")
    page = alice_client.get(reverse("bench:request-decline", args=[asked.pk]))
    assert "Dear Sam," in page.content.decode()
    response = alice_client.post(
        reverse("bench:request-decline", args=[asked.pk]),
        {"subject": "Your request", "body": "Dear Sam,\n\nNot now, sorry. Good luck!\n\nAlice"},
    )
    assert response.status_code == 302
    (mail,) = collector.parsed()
    assert collector.envelopes[0].rcpt_tos == ["sam@seeker.example"]
    assert mail["Subject"] == "Your request"
    assert "Not now, sorry. Good luck!" in mail.get_content()
    assert mail["Reply-To"].addresses[0].addr_spec == "alice@example.com"
    asked.refresh_from_db()
    assert asked.status == RequestStatus.DECLINED and asked.decided_at is not None
    assert (asked.name, asked.email) == ("Sam Seeker", "sam@seeker.example")
    assert asked.wants_to_learn == asked.cv_url == asked.referrer_name == ""
    assert not Person.objects.filter(first_name="Sam").exists()


def test_a_decline_that_cannot_be_sent_changes_nothing(
    alice: Any, alice_client: Client, settings: Any
) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 5},
        }
    }
    asked = ask(alice)
    response = alice_client.post(
        reverse("bench:request-decline", args=[asked.pk]), {"subject": "S", "body": "B"}
    )
    assert response.status_code == 200
    assert "connection refused" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == RequestStatus.PENDING and asked.wants_to_learn


def test_declined_requests_are_forgotten_after_thirty_days(
    alice: Any,
    smtp_server: tuple[Collector, int],  # noqa: F811
) -> None:
    old, recent, pending = ask(alice, "Old One"), ask(alice, "New One"), ask(alice, "Wait One")
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=31)):
        front_door.decline(alice, old, subject="S", body="B")
    front_door.decline(alice, recent, subject="S", body="B")
    run_periodic("test")  # the worker's tick does it
    assert set(ConversationRequest.objects.values_list("name", flat=True)) == {
        "New One",
        "Wait One",
    }
    assert pending.pk in ConversationRequest.objects.values_list("pk", flat=True)
