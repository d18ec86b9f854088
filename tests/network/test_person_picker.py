"""Person pickers: search as you type, never every person on the page, work without JS."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.network.models import Tie
from coffeechat.network.pickers import PICKER_SIZE
from coffeechat.targets.models import Application, Posting
from tests.factories import EmploymentFactory, PersonFactory, PostingFactory, TieFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("network:person-search")


def page_queries(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def radios(page: str, name: str) -> list[str]:
    """The values of the radio buttons named ``name``, in page order."""
    return re.findall(rf'type="radio" name="{re.escape(name)}" value="(\d*)"', page)


def search(client: Any, field: str, query: str) -> str:
    response = client.get(SEARCH, {"field": field, f"{field}_q": query}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def tie_data(**fields: Any) -> dict[str, Any]:
    return {"kind": "friend", "strength": 3, "since": "", "note": "", **fields}


# Pages stay small and constant ------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["tie", "posting-create", "posting-update", "application-create", "tie-update"]
)
def test_it_renders_forms_with_pickers_in_constant_queries(
    alice_client: Any, alice: Any, url_name: str
) -> None:
    person = PersonFactory(owner=alice, first_name="Kim", last_name="Quist")
    posting = PostingFactory(owner=alice, organization__owner=alice, contact=person)
    tie = TieFactory(owner=alice, to_person=person, introduced_by=person)
    url = {
        "tie": reverse("network:tie-create", kwargs={"person_id": person.pk}),
        "tie-update": reverse("network:tie-update", kwargs={"tie_id": tie.pk}),
        "posting-create": reverse("targets:posting-create"),
        "posting-update": reverse("targets:posting-update", kwargs={"posting_id": posting.pk}),
        "application-create": reverse("targets:application-create"),
    }[url_name]
    PersonFactory.create_batch(1, owner=alice)
    few, _ = page_queries(alice_client, url)
    PersonFactory.create_batch(199, owner=alice, first_name="Many")
    many, page = page_queries(alice_client, url)
    assert few == many
    assert "Many" not in page  # nobody is listed who was not chosen or searched for


def test_it_shows_the_current_choice_ticked(alice_client: Any, alice: Any) -> None:
    person = PersonFactory(owner=alice, first_name="Kim", last_name="Quist")
    page = alice_client.get(reverse("network:tie-create", kwargs={"person_id": person.pk}))
    text = page.content.decode()
    assert f'name="to_person" value="{person.pk}" checked' in text
    assert 'name="from_person" value="" checked' in text and "Me" in text
    assert 'hx-get="/people/search/?field=from_person"' in text


# The search endpoint ------------------------------------------------------------------


def test_it_finds_people_best_match_first(alice_client: Any, alice: Any) -> None:
    later = PersonFactory(owner=alice, first_name="Diana", last_name="Bo")  # inside a name
    prefix = PersonFactory(owner=alice, first_name="Anaïs", last_name="Zed")
    exact = PersonFactory(owner=alice, first_name="Ana", last_name="")
    EmploymentFactory(person=exact, title="Nurse", organization__name="City Clinic")
    PersonFactory(owner=alice, first_name="Carl", last_name="Berg")
    page = search(alice_client, "contact", "ana")
    assert radios(page, "contact") == [str(exact.pk), str(prefix.pk), str(later.pk)]
    assert "Nurse, City Clinic" in page
    assert "Carl" not in page


def test_it_never_finds_another_users_people(alice_client: Any, alice: Any, bob: Any) -> None:
    PersonFactory(owner=bob, first_name="Secret", last_name="Agent")
    mine = PersonFactory(owner=alice, first_name="Secret", last_name="Keeper")
    page = search(alice_client, "contact", "secret")
    assert radios(page, "contact") == [str(mine.pk)]
    assert "Agent" not in page


def test_it_shows_at_most_a_few_matches(alice_client: Any, alice: Any) -> None:
    PersonFactory.create_batch(PICKER_SIZE + 5, owner=alice, first_name="Lee")
    page = search(alice_client, "introduced_by", "lee")
    assert len(radios(page, "introduced_by")) == PICKER_SIZE
    assert "type more of the name" in page


def test_it_says_when_nobody_matches(alice_client: Any, alice: Any) -> None:
    assert "Nobody in your network matches “xyz”" in search(alice_client, "contact", "xyz")
    assert radios(search(alice_client, "contact", "  "), "contact") == []


def test_it_needs_a_login(client: Any) -> None:
    assert client.get(SEARCH, {"q": "a"}).status_code == 302


# Without JavaScript: the name typed is resolved --------------------------------------


def test_it_takes_the_one_person_a_typed_name_matches(alice_client: Any, alice: Any) -> None:
    to = PersonFactory(owner=alice, first_name="Kim", last_name="Quist")
    friend = PersonFactory(owner=alice, first_name="Rosa", last_name="Marsh")
    PersonFactory(owner=alice, first_name="Ross", last_name="Geller")
    url = reverse("network:tie-create", kwargs={"person_id": to.pk})
    response = alice_client.post(
        url, tie_data(from_person_q="rosa marsh", to_person=to.pk, introduced_by="")
    )
    assert response.status_code == 302
    tie = Tie.objects.get(owner=alice)
    assert (tie.from_person, tie.to_person, tie.introduced_by) == (friend, to, None)


def test_it_lists_the_people_a_typed_name_matches_to_choose_from(
    alice_client: Any, alice: Any
) -> None:
    to = PersonFactory(owner=alice, first_name="Kim", last_name="Quist")
    one = PersonFactory(owner=alice, first_name="Sam", last_name="Ode")
    two = PersonFactory(owner=alice, first_name="Sam", last_name="Park")
    url = reverse("network:tie-create", kwargs={"person_id": to.pk})
    data = tie_data(to_person=to.pk, introduced_by_q="sam")
    response = alice_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Introduced by: several people match “sam”; choose one in the list." in page
    assert radios(page, "introduced_by") == ["", str(one.pk), str(two.pk)]
    assert 'value="sam"' in page  # the text typed is kept
    assert not Tie.objects.exists()

    response = alice_client.post(url, {**data, "introduced_by": two.pk})
    assert response.status_code == 302
    assert Tie.objects.get(owner=alice).introduced_by == two


def test_it_prefers_the_one_exact_name_among_several_matches(alice_client: Any, alice: Any) -> None:
    to = PersonFactory(owner=alice, first_name="Kim", last_name="Quist")
    exact = PersonFactory(owner=alice, first_name="Sam", last_name="Ode")
    PersonFactory(owner=alice, first_name="Sam", last_name="Oden")
    url = reverse("network:tie-create", kwargs={"person_id": to.pk})
    response = alice_client.post(url, tie_data(to_person=to.pk, from_person_q="Sam Ode"))
    assert response.status_code == 302
    assert Tie.objects.get(owner=alice).from_person == exact


def test_it_names_the_field_when_nobody_matches(alice_client: Any, alice: Any) -> None:
    to = PersonFactory(owner=alice, first_name="Kim", last_name="Quist")
    url = reverse("network:tie-create", kwargs={"person_id": to.pk})
    response = alice_client.post(url, tie_data(to_person=to.pk, from_person_q="Nobody Known"))
    assert response.status_code == 200
    assert "From: nobody in your network matches “Nobody Known”." in response.content.decode()
    assert not Tie.objects.exists()


def test_it_resolves_a_typed_name_only_among_the_owners_people(
    alice_client: Any, alice: Any, bob: Any
) -> None:
    to = PersonFactory(owner=alice, first_name="Kim", last_name="Quist")
    PersonFactory(owner=bob, first_name="Bobs", last_name="Friend")
    url = reverse("network:tie-create", kwargs={"person_id": to.pk})
    response = alice_client.post(url, tie_data(to_person=to.pk, from_person_q="Bobs Friend"))
    assert "nobody in your network matches" in response.content.decode()
    assert not Tie.objects.exists()


def test_it_refuses_another_users_person_by_id(alice_client: Any, alice: Any, bob: Any) -> None:
    to = PersonFactory(owner=alice, first_name="Kim", last_name="Quist")
    theirs = PersonFactory(owner=bob)
    url = reverse("network:tie-create", kwargs={"person_id": to.pk})
    response = alice_client.post(url, tie_data(to_person=to.pk, introduced_by=theirs.pk))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Tie.objects.exists()


def test_the_typed_text_wins_over_an_old_choice_it_does_not_match(
    alice_client: Any, alice: Any
) -> None:
    """Without JS the old choice stays ticked while a new name is typed."""
    old = PersonFactory(owner=alice, first_name="Old", last_name="Contact")
    new = PersonFactory(owner=alice, first_name="Nina", last_name="New")
    posting = PostingFactory(owner=alice, organization__owner=alice, contact=old)
    url = reverse("targets:posting-update", kwargs={"posting_id": posting.pk})
    response = alice_client.post(
        url,
        {
            "organization_name": posting.organization.name,
            "title": posting.title,
            "url": "",
            "seen_on": "2026-05-01",
            "contact": old.pk,
            "contact_q": "nina",
            "status": "open",
            "notes": "",
        },
    )
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.contact == new


def test_a_postings_contact_and_an_applications_referrer_are_typed(
    alice_client: Any, alice: Any
) -> None:
    contact = PersonFactory(owner=alice, first_name="Lena", last_name="Vogt")
    alice_client.post(
        reverse("targets:posting-create"),
        {
            "organization_name": "Acme",
            "title": "Analyst",
            "url": "",
            "seen_on": "2026-05-01",
            "contact_q": "vogt",
            "status": "open",
            "notes": "",
        },
    )
    posting = Posting.objects.get(owner=alice)
    assert posting.contact == contact
    response = alice_client.post(
        reverse("targets:application-create"),
        {
            "posting": posting.pk,
            "organization_name": "",
            "role_title": "",
            "applied_on": "2026-05-03",
            "channel": "referral",
            "referred_by_q": "Lena",
            "status": "applied",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert Application.objects.get(owner=alice).referred_by == contact


def test_it_keeps_a_resolved_name_ticked_when_another_field_is_wrong(
    alice_client: Any, alice: Any
) -> None:
    to = PersonFactory(owner=alice, first_name="Kim", last_name="Quist")
    friend = PersonFactory(owner=alice, first_name="Rosa", last_name="Marsh")
    url = reverse("network:tie-create", kwargs={"person_id": to.pk})
    response = alice_client.post(url, tie_data(to_person=to.pk, from_person_q="rosa", kind=""))
    page = response.content.decode()
    assert response.status_code == 200 and "This field is required" in page
    assert f'name="from_person" value="{friend.pk}" checked' in page
    assert 'name="from_person_q" id="id_from_person" value=""' in page
