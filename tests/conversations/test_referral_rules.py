"""A referral creates a person by the network's rules: name, e-mail, role and hiring."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from coffeechat.conversations import services
from coffeechat.conversations.models import Referral
from coffeechat.network.models import EmailAddress, Employment, Person
from coffeechat.outreach import services as outreach
from coffeechat.outreach.models import Purpose
from tests.api.conftest import JsonClient, error_fields
from tests.conversations.conftest import schedule
from tests.factories import EmploymentFactory, MessageTemplateFactory, PersonFactory


def _referral_url(conversation: Any) -> str:
    return reverse("conversations:referral-create", kwargs={"conversation_id": conversation.pk})


def test_it_refuses_an_invalid_email_in_the_referrals_api_like_the_people_api(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    api = JsonClient(alice_client)
    conversation = schedule(alice, [dana])
    people_before = Person.objects.count()

    person = api.post(reverse("api-1:person-list"), {"first_name": "Kim", "emails": ["nope"]})
    referral = api.post(
        reverse("api-1:referral-list"),
        {
            "conversation_id": conversation.pk,
            "referred_by_id": dana.pk,
            "name": "Kim Ng",
            "email": "nope",
        },
    )

    assert person.status_code == referral.status_code == 422
    assert error_fields(person) == {"emails"}
    assert error_fields(referral) == {"email"}
    assert Person.objects.count() == people_before
    assert not Referral.objects.exists()
    assert not EmailAddress.objects.filter(email="nope").exists()


def test_it_refuses_an_invalid_email_on_the_referral_page(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    response = alice_client.post(
        _referral_url(conversation),
        {"name": "Kim Ng", "referred_by": dana.pk, "email": "kim@@example"},
    )
    assert response.status_code == 200
    assert "Not a valid e-mail address: kim@@example" in response.content.decode()
    assert not Person.objects.filter(first_name="Kim").exists()
    assert not Referral.objects.exists()


def test_it_splits_a_referred_name_with_the_one_splitter(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    doe = services.add_referral(
        alice, conversation, referred_by=dana, name="Dr. Jane Doe, PhD", email="jane@doe.example"
    ).person
    berg = services.add_referral(
        alice, conversation, referred_by=dana, name="Jan van der Berg"
    ).person
    assert (doe.first_name, doe.last_name) == ("Jane", "Doe")
    assert (berg.first_name, berg.last_name) == ("Jan", "van der Berg")
    assert [e.email for e in doe.email_addresses.all()] == ["jane@doe.example"]


def test_it_records_the_role_and_hiring_of_a_referred_person_from_the_page(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    response = alice_client.post(
        _referral_url(conversation),
        {
            "name": "Kim Ng",
            "referred_by": dana.pk,
            "organization_name": "Globex",
            "title": "Head of Data",
            "has_hiring_authority": "on",
        },
    )
    assert response.status_code == 302, response.content
    job = Employment.objects.get(person__first_name="Kim")
    assert (job.organization.name, job.title, job.has_hiring_authority, job.is_current) == (
        "Globex",
        "Head of Data",
        True,
        True,
    )


def test_it_records_the_role_and_hiring_of_a_referred_person_through_the_api(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    response = JsonClient(alice_client).post(
        reverse("api-1:referral-list"),
        {
            "conversation_id": conversation.pk,
            "referred_by_id": dana.pk,
            "name": "Kim Ng",
            "organization_name": "Globex",
            "title": "Head of Data",
            "has_hiring_authority": True,
        },
    )
    assert response.status_code == 201, response.content
    job = Employment.objects.get(person_id=response.json()["person_id"])
    assert (job.title, job.has_hiring_authority) == ("Head of Data", True)


def test_it_completes_the_job_of_a_matched_person(alice: Any, dana: Any, acme: Any) -> None:
    conversation = schedule(alice, [dana])
    lee = PersonFactory(owner=alice, first_name="Lee", last_name="Park")
    EmploymentFactory(person=lee, organization=acme, title="")
    referral = services.add_referral(
        alice,
        conversation,
        referred_by=dana,
        person=lee,
        organization_name="Acme Logistics",
        title="Warehouse lead",
        has_hiring_authority=True,
    )
    assert referral.matched_existing
    job = Employment.objects.get(person=lee)
    assert (job.title, job.has_hiring_authority) == ("Warehouse lead", True)


def test_it_needs_an_organization_for_a_role(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    with pytest.raises(ValidationError) as caught:
        services.add_referral(
            alice, conversation, referred_by=dana, name="Kim Ng", title="Head of Data"
        )
    assert "organization_name" in caught.value.message_dict
    assert not Person.objects.filter(first_name="Kim").exists()


def test_it_greets_a_referred_doctor_by_the_first_name(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    felix = services.add_referral(
        alice, conversation, referred_by=dana, name="Dr. Felix Ong"
    ).person
    MessageTemplateFactory(owner=alice, purpose=Purpose.REFERRAL, channel="email", is_default=True)
    draft = outreach.compose(alice, felix, Purpose.REFERRAL)
    assert draft.body.startswith("Hello Felix,")


def test_it_greets_a_person_stored_with_an_honorific_by_the_first_name(alice: Any) -> None:
    felix = PersonFactory(owner=alice, first_name="Dr. Felix", last_name="Ong")
    MessageTemplateFactory(
        owner=alice, purpose=Purpose.INFORMATIONAL, channel="email", is_default=True
    )
    draft = outreach.compose(alice, felix, Purpose.INFORMATIONAL)
    assert draft.body.startswith("Hello Felix,")
    assert "Dr. Felix" not in draft.subject
