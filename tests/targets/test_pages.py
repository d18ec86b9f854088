"""The pages: target list and inline edit, bulk add, target, postings, applications, map."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.network.models import Source, TieKind
from coffeechat.targets.models import (
    Application,
    ApplicationStatus,
    Posting,
    Target,
    TargetStatus,
)
from tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    EmploymentFactory,
    MembershipFactory,
    MyAffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    PostingFactory,
    TargetFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def acme(alice: Any) -> Any:
    """Acme, a target, with a friend inside and a director who hires."""
    target = TargetFactory(organization__owner=alice, organization__name="Acme", motivation=4)
    friend = PersonFactory(owner=alice, first_name="Fran", last_name="Friend")
    TieFactory(to_person=friend, kind=TieKind.FRIEND, strength=5)
    EmploymentFactory(person=friend, organization=target.organization, department="Data")
    boss = PersonFactory(owner=alice, first_name="Pat", last_name="Boss")
    EmploymentFactory(
        person=boss, organization=target.organization, title="Director", has_hiring_authority=True
    )
    return target


def test_the_target_list_ranks_and_explains(alice_client: Any, acme: Any, alice: Any) -> None:
    TargetFactory(organization__owner=alice, organization__name="Zeta", motivation=1)

    page = html(alice_client.get(reverse("targets:target-list")))

    assert page.index("Acme") < page.index("Zeta")
    assert "Why this rank" in page and "Rank 1 of 2" in page
    assert "Fran Friend (Acme, Data) — a close friend of yours" in page
    assert 'hx-post="/targets/' in page  # inline edit with htmx, and a plain form without


def test_inline_edit_without_javascript_saves_and_goes_back(alice_client: Any, acme: Any) -> None:
    url = reverse("targets:target-quick", kwargs={"target_id": acme.pk})
    prefix = f"t{acme.pk}"
    response = alice_client.post(
        url,
        {
            f"{prefix}-motivation": "2",
            f"{prefix}-hiring_signal": "none_seen",
            f"{prefix}-status": "paused",
            f"{prefix}-status_reason": "",
        },
    )
    assert response.status_code == 302
    acme.refresh_from_db()
    assert (acme.motivation, acme.hiring_signal, acme.status) == (2, "none_seen", "paused")


def test_inline_edit_with_htmx_returns_the_ranking_and_asks_for_a_reason(
    alice_client: Any, acme: Any
) -> None:
    url = reverse("targets:target-quick", kwargs={"target_id": acme.pk})
    prefix = f"t{acme.pk}"
    data = {
        f"{prefix}-motivation": "5",
        f"{prefix}-hiring_signal": "unknown",
        f"{prefix}-status": "not_a_fit",
    }
    response = alice_client.post(url, data, headers={"HX-Request": "true"})
    page = html(response)
    assert page.lstrip().startswith('<div id="target-ranking">')
    assert "Say why it is not a fit" in page
    acme.refresh_from_db()
    assert acme.status == TargetStatus.EXPLORING

    data[f"{prefix}-status_reason"] = "Only sales roles"
    page = html(alice_client.post(url, data, headers={"HX-Request": "true"}))
    assert "Not a fit (1)" in page and "Only sales roles" in page
    without_js = alice_client.post(url, {**data, f"{prefix}-status_reason": ""})
    assert without_js.status_code == 422


def test_bulk_add_reports_what_it_did(alice_client: Any, alice: Any) -> None:
    OrganizationFactory(owner=alice, name="ACME Inc")
    response = alice_client.post(
        reverse("targets:target-bulk-add"), {"names": "Acme, Inc.\nNewco"}, follow=True
    )
    page = html(response)
    assert "Added 2 targets (new organizations: Newco; from your organizations: ACME Inc)." in page
    assert Target.objects.filter(owner=alice).count() == 2


def test_the_target_page_shows_paths_hiring_research_and_situations(
    alice_client: Any, acme: Any, alice: Any
) -> None:
    posting = PostingFactory(
        organization=acme.organization, title="Analyst", contact=Target.objects.none().first()
    )
    Application.objects.create(
        owner=alice,
        organization=acme.organization,
        posting=posting,
        role_title="Analyst",
        status=ApplicationStatus.APPLIED,
    )
    page = html(alice_client.get(acme.get_absolute_url()))

    assert "Warm paths (2 people reachable)" in page
    assert "Fran Friend" in page and "Pat Boss" in page
    assert "1 hop" in page or "2 hops" in page
    assert "Research (0/5)" in page and "Who hires for my kind of role" in page
    assert "You applied to Acme" in page


def test_the_organization_page_offers_to_make_it_a_target(alice_client: Any, alice: Any) -> None:
    organization = OrganizationFactory(owner=alice, name="Globex")
    page = html(alice_client.get(organization.get_absolute_url()))
    assert "Make it a target" in page and "Warmest ways in" in page

    url = reverse("targets:target-for-organization", kwargs={"organization_id": organization.pk})
    response = alice_client.post(url)
    target = Target.objects.get(owner=alice, organization=organization)
    assert response.url == target.get_absolute_url()
    assert "Target: exploring" in html(alice_client.get(organization.get_absolute_url()))
    assert alice_client.post(url).url == target.get_absolute_url()  # once only
    assert Target.objects.filter(owner=alice).count() == 1


def test_the_person_page_shows_situations_and_ways_to_reach_them(
    alice_client: Any, acme: Any, alice: Any
) -> None:
    pat = PersonFactory(owner=alice, first_name="Pat", last_name="Boss")
    boss = acme.organization.employments.get(person__first_name="Pat").person
    Application.objects.create(
        owner=alice,
        organization=acme.organization,
        role_title="Analyst",
        status=ApplicationStatus.APPLIED,
    )
    page = html(alice_client.get(boss.get_absolute_url()))
    assert "You applied to Acme" in page
    assert "Warmest ways to Pat" in page and "Fran Friend works with Pat Boss at Acme" in page
    assert pat.pk != boss.pk
    paths = html(alice_client.get(reverse("targets:person-paths", kwargs={"person_id": boss.pk})))
    assert "Ways to reach Pat Boss" in paths


def test_postings_and_applications_round_trip(alice_client: Any, alice: Any, acme: Any) -> None:
    contact = PersonFactory(owner=alice)
    response = alice_client.post(
        reverse("targets:posting-create"),
        {
            "organization_name": "acme",
            "title": "Data Analyst",
            "url": "https://jobs.example/1",
            "seen_on": "2026-05-01",
            "contact": contact.pk,
            "status": "open",
            "notes": "",
        },
    )
    posting = Posting.objects.get(owner=alice)
    assert response.url == posting.get_absolute_url()
    assert posting.organization == acme.organization  # matched by name key

    create = reverse("targets:application-create") + f"?posting={posting.pk}"
    assert "Data Analyst" in html(alice_client.get(create))
    response = alice_client.post(
        create,
        {
            "posting": posting.pk,
            "organization_name": "",
            "role_title": "",
            "applied_on": "2026-05-03",
            "channel": "job_board",
            "status": "applied",
            "notes": "",
        },
    )
    application = Application.objects.get(owner=alice)
    assert response.url == application.get_absolute_url()
    assert application.role_title == "Data Analyst"
    assert application.organization == acme.organization

    status_url = reverse("targets:application-status", kwargs={"application_id": application.pk})
    alice_client.post(status_url, {"status": "interviewing", "on": "2026-05-20", "note": "Panel"})
    page = html(alice_client.get(application.get_absolute_url()))
    assert "Interviewing — Panel" in page
    assert list(application.events.values_list("status", "on")) == [
        ("applied", date(2026, 5, 3)),
        ("interviewing", date(2026, 5, 20)),
    ]
    listing = html(alice_client.get(reverse("targets:application-list")))
    assert "Cold (job board or direct)" in listing and "Through a referral" in listing
    assert "1 interview (100%)" in listing


def test_an_application_form_needs_an_organization_or_posting(
    alice_client: Any, alice: Any
) -> None:
    response = alice_client.post(
        reverse("targets:application-create"),
        {"role_title": "Analyst", "channel": "job_board", "status": "preparing"},
    )
    page = html(response)
    assert "Name the organization, or choose a posting." in page
    assert not Application.objects.filter(owner=alice).exists()


def test_the_map_draws_nodes_and_highlights_a_chosen_path(
    alice_client: Any, acme: Any, alice: Any
) -> None:
    school = AffiliationFactory(owner=alice, name="Northfield")
    MyAffiliationFactory(owner=alice, affiliation=school)
    alum = PersonFactory(owner=alice, first_name="Al", last_name="Um")
    MembershipFactory(person=alum, affiliation=school)
    EmploymentFactory(person=alum, organization=acme.organization)
    TieFactory(to_person=PersonFactory(owner=alice, first_name="Other", last_name="Tie"))

    page = html(alice_client.get(reverse("targets:network-map")))
    assert page.count('class="node person') >= 3
    assert 'class="node organization on-path"' in page
    assert "you → Fran Friend → Acme" in page
    assert 'id="map-data"' in page

    path_id = f"t{acme.pk}-1"
    page = html(alice_client.get(reverse("targets:network-map"), {"path": path_id}))
    assert "is-highlighted" in page and "has-highlight" in page

    page = html(
        alice_client.get(
            reverse("targets:network-map"), {"affiliation": school.pk, "strength": "1"}
        )
    )
    assert "Al Um" in page and "you → Fran Friend" not in page
    partial = html(
        alice_client.get(
            reverse("targets:network-map"),
            {"strength": "5"},
            headers={"HX-Request": "true", "HX-Target": "map-area"},
        )
    )
    assert partial.lstrip().startswith('<div id="map-area"')


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_target_list_and_map_use_a_constant_number_of_queries(
    alice_client: Any, alice: Any
) -> None:
    school = AffiliationFactory(owner=alice)
    MyAffiliationFactory(owner=alice, affiliation=school)

    def grow(n: int) -> None:
        for _ in range(n):
            target = TargetFactory(organization__owner=alice)
            inside, middle = PersonFactory(owner=alice), PersonFactory(owner=alice)
            EmploymentFactory(person=inside, organization=target.organization)
            EmploymentFactory(
                person__owner=alice, organization=target.organization, has_hiring_authority=True
            )
            TieFactory(from_person=middle, to_person=inside)
            TieFactory(to_person=middle)
            MembershipFactory(person=inside, affiliation=school)
            PostingFactory(organization=target.organization, contact=inside)

    urls = [reverse("targets:target-list"), reverse("targets:network-map")]
    grow(2)
    few = [count_queries(alice_client, url) for url in urls]
    grow(38)
    assert [count_queries(alice_client, url) for url in urls] == few


def test_the_target_page_and_lists_use_a_constant_number_of_queries(
    alice_client: Any, alice: Any, acme: Any, settings: Any
) -> None:
    settings.PAGE_SIZE = 500

    def grow(n: int) -> None:
        for _ in range(n):
            person = PersonFactory(owner=alice)
            EmploymentFactory(person=person, organization=acme.organization)
            TieFactory(to_person=person)
            posting = PostingFactory(organization=acme.organization, contact=person)
            Application.objects.create(
                owner=alice,
                organization=acme.organization,
                posting=posting,
                role_title="Analyst",
                status=ApplicationStatus.APPLIED,
            )

    urls = [
        acme.get_absolute_url(),
        reverse("targets:posting-list"),
        reverse("targets:application-list"),
        acme.organization.get_absolute_url(),
    ]
    grow(2)
    few = [count_queries(alice_client, url) for url in urls]
    grow(30)
    assert [count_queries(alice_client, url) for url in urls] == few


def test_the_application_page_counts_only_people_you_know_there(
    alice_client: Any, acme: Any, alice: Any
) -> None:
    # Fran is a friend; Pat (added by hand) and two alumni-directory rows are not known.
    for name in ("Rosa", "Omar"):
        EmploymentFactory(
            person__owner=alice,
            person__first_name=name,
            person__source=Source.ALUMNI_DIRECTORY,
            organization=acme.organization,
        )
    application = ApplicationFactory(
        organization=acme.organization, status=ApplicationStatus.APPLIED
    )

    page = html(alice_client.get(application.get_absolute_url()))

    assert "You know 1 person at Acme" in page
    assert "You know 4 people" not in page
