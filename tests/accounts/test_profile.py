from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coffeechat.accounts.models import ApiToken, MyAffiliation
from coffeechat.network.models import Affiliation
from tests.factories import AffiliationFactory

pytestmark = pytest.mark.django_db


def test_it_saves_the_profile(alice_client: Any, alice: Any) -> None:
    response = alice_client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Alice Moreau",
            "time_zone": "America/Chicago",
            "country": "US",
            "intro": "Data analyst moving into public health.",
            "signature": "Alice\n+1 555 0100",
        },
    )
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.time_zone == "America/Chicago"
    assert alice.profile.country == "US"
    assert alice.profile.intro.startswith("Data analyst")


def test_it_refuses_an_unknown_time_zone(alice_client: Any, alice: Any) -> None:
    response = alice_client.post(
        reverse("accounts:profile"), {"time_zone": "Mars/Olympus", "country": "US"}
    )
    assert response.status_code == 200
    assert b"Mars/Olympus" in response.content
    alice.profile.refresh_from_db()
    assert alice.profile.time_zone != "Mars/Olympus"


def test_it_shows_times_in_the_users_time_zone(alice: Any, rf: Any) -> None:
    from django.http import HttpResponse
    from django.utils import timezone

    from coffeechat.core.middleware import UserTimezoneMiddleware

    alice.profile.time_zone = "Asia/Tokyo"
    alice.profile.save()
    seen: list[str] = []

    def view(request: Any) -> HttpResponse:
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    request = rf.get("/")
    request.user = type(alice).objects.select_related("profile").get(pk=alice.pk)
    UserTimezoneMiddleware(view)(request)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    UserTimezoneMiddleware(view)(request)
    assert seen == ["Asia/Tokyo", "UTC"]


def test_it_adds_my_affiliation_with_a_new_group(alice_client: Any, alice: Any) -> None:
    response = alice_client.post(
        reverse("network:my-affiliation-create"),
        {"new_name": "Northfield University", "new_kind": "school", "class_year": 2016},
    )
    assert response.status_code == 302
    item = MyAffiliation.objects.get(owner=alice)
    assert item.affiliation.name == "Northfield University"
    assert item.affiliation.owner == alice
    assert item.class_year == 2016
    page = alice_client.get(reverse("accounts:profile")).content
    assert b"Northfield University" in page
    assert b"class of 2016" in page


def test_it_adds_my_affiliation_to_an_existing_group(alice_client: Any, alice: Any) -> None:
    group = AffiliationFactory(owner=alice, name="Data Guild", kind="association")
    alice_client.post(
        reverse("network:my-affiliation-create"), {"affiliation": group.pk, "detail": "Chapter"}
    )
    assert MyAffiliation.objects.get(owner=alice).affiliation == group
    assert Affiliation.objects.filter(owner=alice).count() == 1


def test_it_refuses_another_users_group_and_an_empty_choice(
    alice_client: Any, alice: Any, bob: Any
) -> None:
    theirs = AffiliationFactory(owner=bob)
    response = alice_client.post(
        reverse("network:my-affiliation-create"), {"affiliation": theirs.pk}
    )
    assert b"Select a valid choice" in response.content
    response = alice_client.post(reverse("network:my-affiliation-create"), {})
    assert b"Pick one of your affiliations or name a new one." in response.content
    response = alice_client.post(
        reverse("network:my-affiliation-create"),
        {"new_name": "X", "new_kind": "school", "start_year": 2020, "end_year": 2010},
    )
    assert b"The end year is before the start year." in response.content
    assert not MyAffiliation.objects.exists()
    assert not Affiliation.objects.filter(owner=alice).exists()


def test_it_creates_shows_once_and_revokes_an_api_token(alice_client: Any, alice: Any) -> None:
    response = alice_client.post(reverse("accounts:token-create"), {"name": "laptop"}, follow=True)
    token = ApiToken.objects.get(owner=alice)
    shown = response.context["new_token"]
    assert shown.startswith("cc_")
    assert token.key_hash != shown and shown[:10] == token.prefix
    assert shown.encode() in response.content
    again = alice_client.get(reverse("accounts:profile"))
    assert shown.encode() not in again.content
    api = alice_client.get(
        reverse("api-1:person-list"), headers={"Authorization": f"Bearer {shown}"}
    )
    assert api.status_code == 200
    alice_client.post(reverse("accounts:token-revoke", kwargs={"token_id": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None
    from django.test import Client

    api = Client().get(reverse("api-1:person-list"), headers={"Authorization": f"Bearer {shown}"})
    assert api.status_code == 401


def test_the_security_pages_render(alice_client: Any) -> None:
    for name in ("mfa_index", "account_change_password", "account_email"):
        response = alice_client.get(reverse(name))
        assert response.status_code == 200, name
    # Turning on two-factor authentication first wants a verified address and a
    # fresh password: allauth sends the user back rather than failing.
    response = alice_client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].split("?")[0] in {
        reverse("account_reauthenticate"),
        reverse("mfa_index"),
    }


def test_staff_manage_accounts_but_not_networks_in_the_admin(alice: Any) -> None:
    from django.contrib import admin

    from coffeechat.accounts.models import User
    from coffeechat.network.models import Person

    assert admin.site.is_registered(User)
    assert not admin.site.is_registered(Person)


def test_it_edits_my_affiliation_at_its_own_address_not_a_groups(
    alice: Any, alice_client: Any
) -> None:
    # A group and one of my affiliations have ids of their own: each address must reach
    # its own view (they once shared /affiliations/<id>/edit/).
    for number in range(3):
        AffiliationFactory(owner=alice, name=f"Club {number}")
    group = AffiliationFactory(owner=alice, name="Lakemont")
    mine = MyAffiliation.objects.create(owner=alice, affiliation=group, detail="BSc")
    assert mine.pk != group.pk
    update = reverse("network:my-affiliation-update", kwargs={"my_affiliation_id": mine.pk})
    delete = reverse("network:my-affiliation-delete", kwargs={"my_affiliation_id": mine.pk})
    assert update.startswith("/profile/") and delete.startswith("/profile/")
    assert alice_client.get(update).status_code == 200
    assert "BSc" in alice_client.get(update).content.decode()
    assert alice_client.get(delete).status_code == 200
