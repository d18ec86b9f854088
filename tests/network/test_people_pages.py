from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coffeechat.network.models import EmailAddress, Person
from tests.factories import (
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def test_it_lists_only_my_people(alice_client: Any, alice: Any, bob: Any) -> None:
    PersonFactory(owner=alice, first_name="Dana", last_name="Reyes")
    PersonFactory(owner=bob, first_name="Bobsfriend", last_name="Elsewhere")
    response = alice_client.get(reverse("network:person-list"))
    assert response.status_code == 200
    assert b"Dana Reyes" in response.content
    assert b"Bobsfriend" not in response.content


def test_it_says_what_to_do_when_empty(alice_client: Any) -> None:
    response = alice_client.get(reverse("network:person-list"))
    assert b"Add the first person" in response.content


def test_it_searches_by_name_organization_title_and_tag(alice_client: Any, alice: Any) -> None:
    dana = PersonFactory(owner=alice, first_name="Dana", last_name="Reyes")
    EmploymentFactory(
        person=dana, organization=OrganizationFactory(owner=alice, name="Acme"), title="Analyst"
    )
    lee = PersonFactory(owner=alice, first_name="Lee", last_name="Park")
    lee.tags.add(TagFactory(owner=alice, name="mentor"))
    url = reverse("network:person-list")
    for query, expected, absent in [
        ("dana", b"Dana Reyes", b"Lee Park"),
        ("acme", b"Dana Reyes", b"Lee Park"),
        ("analyst", b"Dana Reyes", b"Lee Park"),
        ("mentor", b"Lee Park", b"Dana Reyes"),
        ("dana acme", b"Dana Reyes", b"Lee Park"),
    ]:
        content = alice_client.get(url, {"q": query}).content
        assert expected in content, query
        assert absent not in content, query
    assert b"Nobody matches" in alice_client.get(url, {"q": "zzz"}).content


def test_it_returns_only_the_rows_partial_to_htmx(alice_client: Any, alice: Any) -> None:
    PersonFactory(owner=alice, first_name="Dana", last_name="Reyes")
    response = alice_client.get(
        reverse("network:person-list"),
        {"q": "dana"},
        headers={"HX-Request": "true", "HX-Target": "people-rows"},
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="people-rows">')
    assert "<html" not in content
    assert "Dana Reyes" in content


def test_it_filters_by_level_and_tag(alice_client: Any, alice: Any) -> None:
    PersonFactory(owner=alice, first_name="Mana", last_name="Ger", level="manager")
    PersonFactory(owner=alice, first_name="Staf", last_name="Fer", level="staff")
    content = alice_client.get(reverse("network:person-list"), {"level": "manager"}).content
    assert b"Mana Ger" in content
    assert b"Staf Fer" not in content


def test_it_paginates(alice_client: Any, alice: Any, settings: Any) -> None:
    settings.PAGE_SIZE = 5
    for index in range(12):
        PersonFactory(owner=alice, first_name=f"P{index:02d}", last_name="Zed")
    response = alice_client.get(reverse("network:person-list"), {"page": 3})
    assert response.context["page"].number == 3
    assert len(response.context["page"].object_list) == 2
    assert b"Page 3 of 3" in response.content


def test_it_creates_a_person_with_emails_phones_and_tags(alice_client: Any, alice: Any) -> None:
    response = alice_client.post(
        reverse("network:person-create"),
        {
            "first_name": "Dana",
            "last_name": "Reyes",
            "emails": "dana@acme.example\n  second@acme.example  \n",
            "phones": "+1 555 0100",
            "tag_names": "mentor, data",
            "source": "manual",
            "notes": "Met at **meetup**",
        },
    )
    person = Person.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert [e.email for e in person.email_addresses.all()] == [
        "dana@acme.example",
        "second@acme.example",
    ]
    assert sorted(t.name for t in person.tags.all()) == ["data", "mentor"]
    page = alice_client.get(person.get_absolute_url()).content
    assert b"<strong>meetup</strong>" in page


def test_it_explains_a_bad_email_and_writes_nothing(alice_client: Any, alice: Any) -> None:
    response = alice_client.post(
        reverse("network:person-create"),
        {"first_name": "Dana", "emails": "not-an-email", "source": "manual"},
    )
    assert response.status_code == 200
    assert b"Not a valid e-mail address: not-an-email" in response.content
    assert not Person.objects.exists()
    assert not EmailAddress.objects.exists()


def test_it_sanitises_markdown_notes(alice_client: Any, alice: Any) -> None:
    person = PersonFactory(
        owner=alice,
        notes='<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="alert(3)">',
    )
    content = alice_client.get(person.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content
    assert "javascript:alert" not in content
    assert "onerror" not in content


def test_it_edits_and_deletes_a_person(alice_client: Any, alice: Any) -> None:
    person = PersonFactory(owner=alice, first_name="Dana", last_name="Reyes")
    response = alice_client.post(
        reverse("network:person-update", kwargs={"person_id": person.pk}),
        {"first_name": "Dana", "last_name": "Reyes-Smith", "source": "linkedin"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Reyes-Smith"
    assert person.source == "linkedin"
    url = reverse("network:person-delete", kwargs={"person_id": person.pk})
    assert b"cannot be undone" in alice_client.get(url).content
    assert alice_client.post(url).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()


def test_it_shows_ties_both_ways(alice_client: Any, alice: Any) -> None:
    from tests.factories import TieFactory

    dana = PersonFactory(owner=alice, first_name="Dana", last_name="Reyes")
    sam = PersonFactory(owner=alice, first_name="Sam", last_name="Ortiz")
    kim = PersonFactory(owner=alice, first_name="Kim", last_name="Lo")
    TieFactory(owner=alice, from_person=sam, to_person=dana, kind="colleague")
    TieFactory(owner=alice, from_person=dana, to_person=kim, kind="friend", introduced_by=sam)
    content = alice_client.get(dana.get_absolute_url()).content.decode()
    assert "Sam Ortiz" in content
    assert "Kim Lo" in content
    assert "introduced by" in content


def test_it_requires_login(client: Any) -> None:
    response = client.get(reverse("network:person-list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_explains_an_overlong_phone_number_and_writes_nothing(
    alice_client: Any, alice: Any
) -> None:
    response = alice_client.post(
        reverse("network:person-create"),
        {"first_name": "Dana", "phones": "+1 555 " + "0" * 60, "source": "manual"},
    )
    assert response.status_code == 200
    assert b"is longer than 40 characters" in response.content
    assert not Person.objects.exists()


def test_it_varies_the_list_on_htmx_so_back_shows_a_whole_page(alice_client: Any) -> None:
    for name in ("network:person-list", "network:organization-list"):
        assert "HX-Request" in alice_client.get(reverse(name))["Vary"]


def test_it_words_job_dates_without_a_dangling_dash(alice_client: Any, alice: Any) -> None:
    import datetime

    person = PersonFactory(owner=alice)
    EmploymentFactory(person=person, is_current=True, start_date=None)
    EmploymentFactory(
        person=person, is_current=False, start_date=None, end_date=datetime.date(2020, 3, 1)
    )
    content = alice_client.get(person.get_absolute_url()).content.decode()
    assert "current job" in content
    assert "until Mar 2020" in content
    assert "– now" not in content
