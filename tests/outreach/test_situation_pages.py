"""The same situations, with their one-click action, on every page that needs them:
person, organization, posting, application, conversation, prep, composer and Today;
each page in a constant number of queries however many situations there are."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from coffeechat.conversations.models import Participant
from coffeechat.followups import health
from coffeechat.outreach.situations import situations_for
from coffeechat.targets import services
from coffeechat.targets.models import Application, ApplicationStatus
from tests.factories import (
    ConversationFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    PostingFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen(db: Any) -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        health.record(health.WORKER, "test", NOW)
        yield


class World:
    """Lee works at Acme, is the listed contact of its open posting, and a conversation
    with Alice is scheduled; Alice has not applied yet (an application is being
    prepared)."""

    def __init__(self, owner: Any) -> None:
        self.owner = owner
        self.acme = OrganizationFactory(owner=owner, name="Acme")
        self.lee = PersonFactory(owner=owner, first_name="Lee", last_name="Park")
        EmploymentFactory(person=self.lee, organization=self.acme)
        self.conversation = ConversationFactory(
            owner=owner, people=[self.lee], starts_at=NOW + datetime.timedelta(days=2)
        )
        self.posting = PostingFactory(
            organization=self.acme, title="Data Analyst", contact=self.lee
        )
        self.application = services.save_application(
            owner,
            Application(organization=self.acme, role_title="Data Analyst", posting=self.posting),
        )
        self.pat = PersonFactory(owner=owner, first_name="Pat", last_name="Boss")
        EmploymentFactory(person=self.pat, organization=self.acme, has_hiring_authority=True)

    def grow(self, count: int) -> None:
        """More of everything: participants who are contacts of open postings,
        applications sent and rejected after an interview."""
        start = self.conversation.participants.count()
        for index in range(count):
            other = PersonFactory(owner=self.owner)
            EmploymentFactory(person=other, organization=OrganizationFactory(owner=self.owner))
            Participant.objects.create(
                owner=self.owner,
                conversation=self.conversation,
                person=other,
                position=start + index,
            )
            PostingFactory(organization=other.employments.get().organization, contact=other)
            PostingFactory(organization=self.acme, contact=self.lee)
            for steps in (
                [ApplicationStatus.APPLIED],
                ["interviewing", ApplicationStatus.REJECTED],
            ):
                application = services.save_application(
                    self.owner,
                    Application(organization=self.acme, role_title=f"Role {index}"),
                    on=datetime.date(2026, 2, 1),
                )
                for day, status in enumerate(steps, start=2):
                    services.set_application_status(
                        self.owner, application, status, on=datetime.date(2026, 2, day)
                    )


PAGES: dict[str, Callable[[World], str]] = {
    "person": lambda w: reverse("network:person-detail", kwargs={"person_id": w.lee.pk}),
    "organization": lambda w: reverse(
        "network:organization-detail", kwargs={"organization_id": w.acme.pk}
    ),
    "posting": lambda w: reverse("targets:posting-detail", kwargs={"posting_id": w.posting.pk}),
    "application": lambda w: reverse(
        "targets:application-detail", kwargs={"application_id": w.application.pk}
    ),
    "conversation": lambda w: reverse(
        "conversations:conversation-detail", kwargs={"conversation_id": w.conversation.pk}
    ),
    "prep": lambda w: reverse(
        "conversations:conversation-prep", kwargs={"conversation_id": w.conversation.pk}
    ),
    "composer": lambda w: f"{reverse('outreach:compose')}?person={w.lee.pk}",
    "today": lambda w: reverse("followups:today"),
}


@pytest.mark.parametrize("page", PAGES)
def test_it_shows_apply_now_with_its_draft_on_every_page(
    alice: Any, alice_client: Client, page: str
) -> None:
    world = World(alice)
    (apply_now,) = [s for s in situations_for(alice, world.lee) if s.kind == "apply_now"]

    body = alice_client.get(PAGES[page](world)).content.decode()

    assert "Apply now, then tell Lee you did before your conversation" in body
    if page == "composer":
        assert "This draft follows it." in body
    else:
        assert f'href="{escape(apply_now.action_url)}"' in body
    assert f'href="{escape(apply_now.record_url)}">Record the application</a>' in body


@pytest.mark.parametrize("page", ["organization", "application", "today"])
def test_it_shows_the_feedback_request_with_its_draft(
    alice: Any, alice_client: Client, page: str
) -> None:
    world = World(alice)
    world.application = services.set_application_status(
        alice, world.application, ApplicationStatus.APPLIED, on=datetime.date(2026, 2, 2)
    )
    services.set_application_status(alice, world.application, "interviewing")
    services.set_application_status(alice, world.application, ApplicationStatus.REJECTED)
    (feedback,) = [
        s for s in situations_for(alice, world.application) if s.kind == "ask_for_feedback"
    ]

    body = alice_client.get(PAGES[page](world)).content.decode()

    assert "Rejected after interviewing for Data Analyst at Acme" in body
    assert f'href="{escape(feedback.action_url)}">Ask Pat for feedback</a>' in body


@pytest.mark.parametrize("page", PAGES)
def test_it_shows_them_in_a_constant_number_of_queries(
    alice: Any, alice_client: Client, page: str
) -> None:
    world = World(alice)
    world.grow(2)
    url = PAGES[page](world)
    alice_client.get(url)  # warm the session and the settings rows

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(url).status_code == 200
        return len(captured)

    few = count()
    world.grow(6)
    assert count() == few
