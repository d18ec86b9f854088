"""One way to create a person: the same name, e-mail and LinkedIn rules everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from coffeechat.network import services
from coffeechat.network.models import EmailAddress, Employment, Person
from tests.api.conftest import JsonClient, error_fields


def test_it_creates_a_person_from_a_whole_name_with_clean_details(alice: Any) -> None:
    person = services.create_person(
        alice,
        name="Dr. Jane Doe, PhD",
        emails=["Jane Doe <jane@doe.example>", "mailto:jane@doe.example"],
        phones=["+1 415 555 0100"],
        linkedin_url="de.linkedin.com/in/jane-doe/?trk=x",
        job=services.NewJob("Globex", title="CTO", has_hiring_authority=True),
    )
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Jane", "Doe")
    assert person.linkedin_url == "https://www.linkedin.com/in/jane-doe"
    assert [e.email for e in person.email_addresses.all()] == ["jane@doe.example"]
    job = Employment.objects.get(person=person)
    assert (job.organization.name, job.title, job.has_hiring_authority) == ("Globex", "CTO", True)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "Kim Ng", "emails": ["kim@"]}, "emails"),
        ({"name": "Kim Ng", "linkedin_url": "https://example.com/in/kim"}, "linkedin_url"),
        ({"name": "  "}, "name"),
        ({"name": "Kim Ng", "job": services.NewJob("", title="CTO")}, "organization_name"),
    ],
)
def test_it_refuses_bad_details_naming_the_field(
    alice: Any, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_person(alice, **fields)
    assert field in caught.value.message_dict
    assert not Person.objects.exists()
    assert not EmailAddress.objects.exists()


def test_it_normalises_the_linkedin_url_given_to_the_people_api(
    alice_client: Client, alice: Any
) -> None:
    api = JsonClient(alice_client)
    good = api.post(
        reverse("api-1:person-list"),
        {"first_name": "Jane", "linkedin_url": "http://de.linkedin.com/in/jane-doe?trk=x"},
    )
    bad = api.post(
        reverse("api-1:person-list"),
        {"first_name": "Jane", "linkedin_url": "https://example.com/in/jane-doe"},
    )
    assert good.status_code == 201, good.content
    assert good.json()["linkedin_url"] == "https://www.linkedin.com/in/jane-doe"
    assert bad.status_code == 422 and error_fields(bad) == {"linkedin_url"}


def test_it_keeps_honorifics_and_suffixes_out_of_names_typed_on_the_page(
    alice_client: Client, alice: Any
) -> None:
    response = alice_client.post(
        reverse("network:person-create"),
        {
            "first_name": "Dr. Felix",
            "last_name": "Ong, PhD",
            "linkedin_url": "https://www.linkedin.com/in/felix-ong/",
            "source": "manual",
        },
    )
    assert response.status_code == 302, response.content
    person = Person.objects.get(owner=alice)
    assert (person.first_name, person.last_name) == ("Felix", "Ong")
    assert person.linkedin_url == "https://www.linkedin.com/in/felix-ong"
