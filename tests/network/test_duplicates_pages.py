"""The review of possible duplicates, the merge page and "not the same person"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.network.models import EmailAddress, NotDuplicate, Person, Tie
from tests.factories import (
    EmailAddressFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db

REVIEW = "/people/duplicates/"


def twins(owner: Any, first: str = "William", nickname: str = "Bill", last: str = "Okafor") -> Any:
    """Two records of one person: a nickname, one organization."""
    organization = OrganizationFactory(owner=owner, name=f"{last} Studio")
    keep = EmploymentFactory(
        person__owner=owner,
        person__first_name=first,
        person__last_name=last,
        organization=organization,
    ).person
    other = EmploymentFactory(
        person__owner=owner,
        person__first_name=nickname,
        person__last_name=last,
        organization=organization,
        title="Director",
    ).person
    return keep, other


def merge_url(keep: Person, other: Person) -> str:
    return reverse("network:person-merge", kwargs={"person_id": keep.pk, "other_id": other.pk})


def not_same_url(a: Person, b: Person) -> str:
    return reverse("network:person-not-duplicate", kwargs={"person_id": a.pk, "other_id": b.pk})


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# The review ------------------------------------------------------------------------------


def test_the_review_lists_proposals_with_reasons_side_by_side(
    alice_client: Client, alice: Any
) -> None:
    keep, other = twins(alice)
    EmailAddressFactory(person=other, email="bill@okafor.example")

    response = alice_client.get(REVIEW)

    assert response.status_code == 200
    body = text(response)
    assert "Bill is a nickname of William" in body
    assert "Same organization: Okafor Studio" in body
    assert "bill@okafor.example" in body and "Director, Okafor Studio" in body
    assert merge_url(keep, other) in body
    assert f'action="{not_same_url(keep, other)}"' in body
    assert "csrfmiddlewaretoken" in body  # the forms work without JavaScript


def test_the_people_list_links_to_the_review(alice_client: Client) -> None:
    assert f'href="{REVIEW}"' in alice_client.get(reverse("network:person-list")).content.decode()


def test_the_review_says_when_there_is_nothing_to_review(alice_client: Client, alice: Any) -> None:
    PersonFactory(owner=alice, first_name="Ana", last_name="Silva")

    assert "No possible duplicates" in text(alice_client.get(REVIEW))


def test_the_review_shows_fifty_proposals_a_page(
    alice_client: Client, alice: Any, settings: Any
) -> None:
    for i in range(52):
        twins(alice, last=f"Zyx{chr(97 + i // 26)}{chr(97 + i % 26)}qor")

    first = text(alice_client.get(REVIEW))
    second = text(alice_client.get(REVIEW, {"page": 2}))

    assert first.count('class="proposal"') == 50
    assert "52 possible duplicates" in first and "Page 1 of 2" in first
    assert second.count('class="proposal"') == 2


def test_the_review_runs_in_constant_queries(alice_client: Client, alice: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(REVIEW).status_code == 200
        return len(captured)

    twins(alice, last="Aqorb")
    twins(alice, last="Bqorc")
    few = count()
    for i in range(30):
        keep, other = twins(alice, last=f"Cq{chr(97 + i // 26)}{chr(97 + i % 26)}x")
        EmailAddressFactory(person=keep)
        TieFactory(to_person=other, from_person=keep)
    many = count()

    assert few == many


def test_the_review_leaves_out_pairs_marked_not_the_same(alice_client: Client, alice: Any) -> None:
    keep, other = twins(alice)
    NotDuplicate.objects.create(owner=alice, person_a=keep, person_b=other)

    assert "No possible duplicates" in text(alice_client.get(REVIEW))


# Merge -------------------------------------------------------------------------------------


def test_the_merge_page_shows_what_is_kept_and_what_the_merged_person_will_have(
    alice_client: Client, alice: Any
) -> None:
    keep, other = twins(alice)
    EmailAddressFactory(person=other, email="bill@okafor.example")
    other.location = "Lagos"
    other.save()

    body = text(alice_client.get(merge_url(keep, other)))

    assert "Kept: William Okafor" in body and "Merged in: Bill Okafor" in body
    assert "bill@okafor.example" in body
    assert "Lagos" in body and "(from Bill Okafor)" in body
    assert "Bill is a nickname of William" in body
    assert f'href="{merge_url(other, keep)}' in body  # keep the other one instead
    assert "Merge into William Okafor" in body


def test_merging_from_the_review_goes_back_to_the_review(alice_client: Client, alice: Any) -> None:
    keep, other = twins(alice)
    TieFactory(to_person=other, from_person=PersonFactory(owner=alice, first_name="Carol"))

    response = alice_client.post(merge_url(keep, other), {"next": REVIEW}, follow=True)

    assert response.redirect_chain[-1][0] == REVIEW
    assert "Merged Bill Okafor into William Okafor" in text(response)
    assert not Person.objects.filter(pk=other.pk).exists()
    assert Tie.objects.get().to_person_id == keep.pk


def test_the_user_chooses_which_record_to_keep(alice_client: Client, alice: Any) -> None:
    keep, other = twins(alice)

    response = alice_client.post(merge_url(other, keep))

    assert response.status_code == 302
    assert response["Location"] == other.get_absolute_url()
    assert list(Person.objects.filter(owner=alice)) == [other]


def test_merging_ignores_a_next_url_elsewhere(alice_client: Client, alice: Any) -> None:
    keep, other = twins(alice)

    response = alice_client.post(merge_url(keep, other), {"next": "https://evil.example/"})

    assert response["Location"] == keep.get_absolute_url()


def test_merging_needs_a_post_with_the_csrf_token(alice: Any) -> None:
    keep, other = twins(alice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    assert client.post(merge_url(keep, other)).status_code == 403
    assert Person.objects.filter(owner=alice).count() == 2
    assert client.get(merge_url(keep, other)).status_code == 200
    assert Person.objects.filter(owner=alice).count() == 2


def test_a_person_cannot_be_merged_with_themselves(alice_client: Client, alice: Any) -> None:
    keep, _ = twins(alice)

    assert alice_client.post(merge_url(keep, keep)).status_code == 404


def test_the_merge_page_runs_in_constant_queries(alice_client: Client, alice: Any) -> None:
    keep, other = twins(alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(merge_url(keep, other)).status_code == 200
        return len(captured)

    few = count()
    for _ in range(20):
        EmailAddressFactory(person=other)
        EmploymentFactory(person=other)
        TieFactory(to_person=other, from_person=PersonFactory(owner=alice))
    assert count() == few


# Not the same person --------------------------------------------------------------------------


def test_not_the_same_is_remembered_and_goes_back_to_the_review(
    alice_client: Client, alice: Any
) -> None:
    keep, other = twins(alice)

    response = alice_client.post(not_same_url(keep, other), {"next": REVIEW}, follow=True)

    assert response.redirect_chain[-1][0] == REVIEW
    assert "They will not be proposed again" in text(response)
    assert NotDuplicate.objects.filter(owner=alice).count() == 1
    assert "No possible duplicates" in text(response)


def test_not_the_same_answers_htmx_with_the_row_that_replaces_the_proposal(
    alice_client: Client, alice: Any
) -> None:
    keep, other = twins(alice)

    response = alice_client.post(not_same_url(keep, other), headers={"HX-Request": "true"})

    assert response.status_code == 200
    body = text(response)
    assert body.strip().startswith('<li class="proposal"')
    assert "are two people" in body
    assert NotDuplicate.objects.count() == 1


def test_not_the_same_asks_first_on_get(alice_client: Client, alice: Any) -> None:
    keep, other = twins(alice)

    body = text(alice_client.get(not_same_url(keep, other)))

    assert "Two different people?" in body and 'method="post"' in body
    assert not NotDuplicate.objects.exists()


# The box on a person's page -----------------------------------------------------------------


def test_a_persons_duplicates_show_on_their_own_page_and_as_a_fragment(
    alice_client: Client, alice: Any
) -> None:
    keep, other = twins(alice)
    url = reverse("network:person-duplicates", kwargs={"person_id": keep.pk})

    page = text(alice_client.get(url))
    fragment = text(alice_client.get(url, headers={"HX-Request": "true"}))

    assert "Possible duplicates of William Okafor" in page and "Bill Okafor" in page
    assert fragment.strip().startswith('<section class="card wide" id="duplicates-box"')
    assert "Bill is a nickname of William" in fragment
    assert "<html" not in fragment
    # A merge from here ends on the kept person's page, not on the page of the one merged away.
    assert f'href="{merge_url(keep, other)}"' in fragment


def test_the_box_include_loads_lazily_with_a_link_for_no_javascript(alice: Any) -> None:
    from django.template.loader import render_to_string

    person = PersonFactory(owner=alice, first_name="Ana")
    html = render_to_string("network/duplicates_person.html#box", {"person": person})

    url = reverse("network:person-duplicates", kwargs={"person_id": person.pk})
    assert f'hx-get="{url}"' in html and f'href="{url}"' in html
    assert "<script" not in html


# Privacy ----------------------------------------------------------------------------------


def test_bob_gets_404_for_alices_people(bob_client: Client, alice: Any, bob: Any) -> None:
    keep, other = twins(alice)
    bobs = PersonFactory(owner=bob, first_name="William", last_name="Okafor")
    urls = [
        merge_url(keep, other),
        not_same_url(keep, other),
        merge_url(bobs, keep),
        merge_url(keep, bobs),
        not_same_url(bobs, other),
        reverse("network:person-duplicates", kwargs={"person_id": keep.pk}),
    ]

    for url in urls:
        assert bob_client.get(url).status_code == 404, url
        assert bob_client.post(url, {"next": REVIEW}).status_code in (404, 405), url

    assert Person.objects.filter(owner=alice).count() == 2
    assert not NotDuplicate.objects.exists()
    body = text(bob_client.get(REVIEW))
    assert "Okafor Studio" not in body and "Bill" not in body


def test_the_review_never_mixes_users(alice_client: Client, alice: Any, bob: Any) -> None:
    PersonFactory(owner=alice, first_name="Ana", last_name="Zyxwvu")
    EmailAddress.objects.create(
        owner=bob,
        person=PersonFactory(owner=bob, first_name="Ana", last_name="Zyxwvu"),
        email="ana@zyxwvu.example",
    )

    assert "No possible duplicates" in text(alice_client.get(REVIEW))
