"""The organization form refuses a name the user already has, as the API does (409)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from coffeechat.network.models import Organization
from tests.factories import OrganizationFactory


def name_error(response: Any) -> str:
    """The error shown under the name field (the markup of its text)."""
    page = response.content.decode()
    field = re.search(r'<div class="field has-error">\s*<label for="id_name".*?</div>', page, re.S)
    assert field, "no error on the name field"
    error = re.search(r'<small class="error" role="alert">(.*?)</small>', field.group(0), re.S)
    assert error
    return error.group(1)


def test_it_refuses_creating_an_organization_whose_name_exists_and_links_to_it(
    alice_client: Any, alice: Any
) -> None:
    existing = OrganizationFactory(owner=alice, name="Acme, Inc.")

    response = alice_client.post(reverse("network:organization-create"), {"name": "  ACME   inc "})

    assert response.status_code == 200
    link = f'<a href="{existing.get_absolute_url()}">Acme, Inc.</a>'
    assert link in name_error(response)
    assert Organization.objects.filter(owner=alice).count() == 1


def test_it_refuses_renaming_an_organization_to_another_ones_name(
    alice_client: Any, alice: Any
) -> None:
    existing = OrganizationFactory(owner=alice, name="Globex")
    other = OrganizationFactory(owner=alice, name="Initech")

    response = alice_client.post(
        reverse("network:organization-update", args=[other.pk]), {"name": "globex "}
    )

    assert response.status_code == 200
    assert f'<a href="{existing.get_absolute_url()}">Globex</a>' in name_error(response)
    other.refresh_from_db()
    assert other.name == "Initech"


def test_it_lets_an_organization_keep_its_own_name_in_other_letters(
    alice_client: Any, alice: Any
) -> None:
    organization = OrganizationFactory(owner=alice, name="Acme")

    response = alice_client.post(
        reverse("network:organization-update", args=[organization.pk]),
        {"name": "ACME", "industry": "Rockets"},
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.name, organization.industry) == ("ACME", "Rockets")


def test_it_does_not_count_another_users_organization_as_existing(
    alice_client: Any, alice: Any, bob: Any
) -> None:
    OrganizationFactory(owner=bob, name="Acme")

    response = alice_client.post(reverse("network:organization-create"), {"name": "Acme"})

    assert response.status_code == 302
    assert Organization.objects.filter(owner=alice, name="Acme").exists()
