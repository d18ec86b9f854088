"""Each situation carries its purpose and a one-click draft; the composer proposes the
purpose the situation sets, wherever the composer is opened from."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from coffeechat.outreach import services as outreach
from coffeechat.outreach.models import Purpose
from coffeechat.outreach.situations import (
    APPLY_NOW,
    ASK_FOR_FEEDBACK,
    lead_situation,
    open_situations,
    situations_for,
)
from coffeechat.targets import services
from coffeechat.targets.models import Application, ApplicationStatus
from tests.factories import (
    ConversationFactory,
    EmploymentFactory,
    MessageFactory,
    OrganizationFactory,
    PersonFactory,
    PostingFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def acme(alice: Any) -> Any:
    return OrganizationFactory(owner=alice, name="Acme")


@pytest.fixture
def lee(alice: Any, acme: Any) -> Any:
    """Works at Acme; the listed contact of its open "Data Analyst" posting; a
    conversation with Alice is scheduled."""
    person = PersonFactory(owner=alice, first_name="Lee", last_name="Park")
    EmploymentFactory(person=person, organization=acme, title="Analytics Lead")
    ConversationFactory(owner=alice, people=[person], starts_at=NOW + datetime.timedelta(days=3))
    return person


@pytest.fixture
def posting(acme: Any, lee: Any) -> Any:
    return PostingFactory(organization=acme, title="Data Analyst", contact=lee)


def apply(owner: Any, organization: Any, *steps: str, **fields: Any) -> Application:
    application = services.save_application(
        owner,
        Application(organization=organization, role_title="Data Analyst", **fields),
        on=datetime.date(2026, 2, 1),
    )
    for day, status in enumerate(steps, start=2):
        services.set_application_status(owner, application, status, on=datetime.date(2026, 2, day))
    return application


def query(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert parts.path == reverse("outreach:compose")
    return {key: values[0] for key, values in parse_qs(parts.query).items()}


def composer(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    return response


# The situations' actions ----------------------------------------------------------------


def test_it_gives_apply_now_a_draft_to_the_contact_about_the_posting(
    alice: Any, acme: Any, lee: Any, posting: Any
) -> None:
    (found,) = situations_for(alice, lee)

    assert found.kind == APPLY_NOW and found.purpose == Purpose.AFTER_APPLYING
    assert query(found.action_url) == {
        "person": str(lee.pk),
        "purpose": Purpose.AFTER_APPLYING,
        "organization": str(acme.pk),
        "posting": str(posting.pk),
    }
    assert found.record_url == f"{reverse('targets:application-create')}?posting={posting.pk}"
    assert "Apply now, then tell Lee" in found.sentence


def test_the_same_situation_shows_for_the_organization_posting_and_conversation(
    alice: Any, acme: Any, lee: Any, posting: Any
) -> None:
    conversation = lee.conversations.get()
    other = PostingFactory(organization=acme, title="Engineer", contact=lee)

    for subject in (acme, posting, conversation):
        urls = {s.action_url for s in situations_for(alice, subject) if s.kind == APPLY_NOW}
        assert any(f"posting={posting.pk}" in url for url in urls), subject
    assert [s.posting_id for s in situations_for(alice, posting)] == [posting.pk]
    assert {s.posting_id for s in situations_for(alice, conversation)} == {posting.pk, other.pk}


def test_once_applied_the_action_tells_them_with_the_application(
    alice: Any, acme: Any, lee: Any, posting: Any
) -> None:
    application = apply(alice, acme, ApplicationStatus.APPLIED, posting=posting)

    for subject in (lee, application):
        (apply_now,) = [s for s in situations_for(alice, subject) if s.kind == APPLY_NOW]
        assert apply_now.action == "Tell Lee you applied" and not apply_now.record_url
        assert query(apply_now.action_url)["application"] == str(application.pk)


def test_a_rejection_after_an_interview_drafts_the_feedback_request_in_one_click(
    alice: Any, alice_client: Client, acme: Any
) -> None:
    pat = PersonFactory(owner=alice, first_name="Pat", last_name="Boss")
    EmploymentFactory(person=pat, organization=acme, has_hiring_authority=True)
    application = apply(
        alice, acme, ApplicationStatus.APPLIED, "interviewing", ApplicationStatus.REJECTED
    )

    (feedback,) = [s for s in situations_for(alice, application) if s.kind == ASK_FOR_FEEDBACK]
    assert feedback.action == "Ask Pat for feedback"
    assert query(feedback.action_url) == {
        "person": str(pat.pk),
        "purpose": Purpose.REJECTION_FEEDBACK,
        "organization": str(acme.pk),
        "application": str(application.pk),
    }

    draft = composer(alice_client, feedback.action_url).context["message"]
    assert draft.purpose == Purpose.REJECTION_FEEDBACK and draft.person == pat
    assert "Thank you for considering me for the Data Analyst role" in draft.body
    assert "five minutes" in draft.body


def test_with_nobody_marked_as_hiring_the_feedback_action_points_to_the_organization(
    alice: Any, acme: Any
) -> None:
    apply(alice, acme, ApplicationStatus.APPLIED, "interviewing", ApplicationStatus.REJECTED)

    (feedback,) = [s for s in situations_for(alice, acme) if s.kind == ASK_FOR_FEEDBACK]

    assert feedback.action_url == acme.get_absolute_url()
    assert feedback.action == "Find who decided at Acme"


# The purpose the composer proposes ------------------------------------------------------


def test_write_a_message_from_a_persons_page_says_you_applied_at_their_employer(
    alice: Any, alice_client: Client, acme: Any
) -> None:
    dana = PersonFactory(owner=alice, first_name="Dana")
    EmploymentFactory(person=dana, organization=acme)
    apply(alice, acme, ApplicationStatus.APPLIED)

    draft = composer(alice_client, f"{reverse('outreach:compose')}?person={dana.pk}")
    message = draft.context["message"]

    assert message.purpose == Purpose.AFTER_APPLYING
    assert "I should say up front that I applied for the Data Analyst role at Acme" in (
        message.body
    )
    assert outreach.suggest_purpose(alice, dana, None) == Purpose.AFTER_APPLYING


def test_the_contact_of_an_open_posting_gets_the_apply_now_note_before_any_application(
    alice: Any, alice_client: Client, lee: Any, posting: Any
) -> None:
    response = composer(alice_client, f"{reverse('outreach:compose')}?person={lee.pk}")
    message = response.context["message"]
    body = response.content.decode()

    assert message.purpose == Purpose.AFTER_APPLYING
    assert "I am applying for the Data Analyst role at Acme (you are its listed contact)." in (
        message.body
    )
    assert "Apply now, then tell Lee" in body
    assert "This draft follows it." in body


def test_a_manager_who_rejected_you_after_an_interview_gets_the_feedback_purpose(
    alice: Any, acme: Any
) -> None:
    pat = PersonFactory(owner=alice, first_name="Pat")
    EmploymentFactory(person=pat, organization=acme, has_hiring_authority=True)
    apply(alice, acme, ApplicationStatus.APPLIED, "interviewing", ApplicationStatus.REJECTED)

    assert outreach.suggest_purpose(alice, pat, None) == Purpose.REJECTION_FEEDBACK
    assert outreach.suggest_purpose(alice, pat, acme) == Purpose.REJECTION_FEEDBACK


def test_without_a_situation_an_introduction_or_a_question_is_proposed(
    alice: Any, acme: Any
) -> None:
    sam = PersonFactory(owner=alice)
    assert lead_situation(alice, sam) is None
    assert outreach.suggest_purpose(alice, sam, None) == Purpose.INFORMATIONAL
    TieFactory(from_person=None, to_person=sam, introduced_by=PersonFactory(owner=alice))
    assert outreach.suggest_purpose(alice, sam, None) == Purpose.REFERRAL
    apply(alice, acme, ApplicationStatus.APPLIED)
    assert outreach.suggest_purpose(alice, sam, acme) == Purpose.AFTER_APPLYING


def test_the_composer_refuses_another_users_application_or_posting(
    alice: Any, bob: Any, bob_client: Client, lee: Any, posting: Any
) -> None:
    bobs = PersonFactory(owner=bob)
    url = reverse("outreach:compose")
    assert bob_client.get(f"{url}?person={bobs.pk}&posting={posting.pk}").status_code == 404
    application = apply(alice, posting.organization, ApplicationStatus.APPLIED)
    assert bob_client.get(f"{url}?person={bobs.pk}&application={application.pk}").status_code == (
        404
    )


# Today ----------------------------------------------------------------------------------


def test_today_lists_what_still_waits_for_its_message(
    alice: Any, acme: Any, lee: Any, posting: Any
) -> None:
    pat = PersonFactory(owner=alice, first_name="Pat")
    EmploymentFactory(person=pat, organization=acme, has_hiring_authority=True)
    apply(alice, acme, ApplicationStatus.APPLIED, "interviewing", ApplicationStatus.REJECTED)
    old = OrganizationFactory(owner=alice, name="Old Corp")
    application = services.save_application(
        alice, Application(organization=old, role_title="Clerk"), on=datetime.date(2025, 9, 1)
    )
    services.set_application_status(
        alice, application, "interviewing", on=datetime.date(2025, 9, 9)
    )
    services.set_application_status(
        alice, application, ApplicationStatus.REJECTED, on=datetime.date(2025, 10, 1)
    )

    assert [(s.kind, s.organization) for s in open_situations(alice)] == [
        (APPLY_NOW, "Acme"),
        (ASK_FOR_FEEDBACK, "Acme"),
    ]

    told = MessageFactory(person=lee, purpose=Purpose.AFTER_APPLYING, organization=acme)
    asked = MessageFactory(person=pat, purpose=Purpose.REJECTION_FEEDBACK, organization=acme)
    assert len(open_situations(alice)) == 2  # drafts do not count
    for message in (told, asked):
        outreach.mark_sent(message)
    assert open_situations(alice) == []


# The API drafts the same way ------------------------------------------------------------


def test_the_api_proposes_the_situations_purpose_and_takes_its_context(
    alice: Any, alice_client: Client, bob: Any, lee: Any, posting: Any
) -> None:
    from tests.api.conftest import JsonClient

    api = JsonClient(alice_client)
    created = api.post("/api/v1/messages", {"person_id": lee.pk})
    assert created.status_code == 201, created.content
    assert created.json()["purpose"] == Purpose.AFTER_APPLYING
    assert "I am applying for the Data Analyst role at Acme" in created.json()["body"]

    application = apply(alice, posting.organization, ApplicationStatus.APPLIED, posting=posting)
    explicit = api.post(
        "/api/v1/messages",
        {"person_id": lee.pk, "purpose": "informational", "application_id": application.pk},
    ).json()
    assert (
        "I should say up front that I applied for the Data Analyst role at Acme"
        in (explicit["body"])
    )
    theirs = PostingFactory(organization__owner=bob)
    refused = api.post("/api/v1/messages", {"person_id": lee.pk, "posting_id": theirs.pk})
    assert refused.status_code == 404
