"""The organization form refuses a name the user already has, as the API does (409)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from coffeechat.network.models import Affiliation, Organization
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


def test_an_affiliations_organization_is_typed_not_picked_from_every_one(
    alice_client: Any, alice: Any, bob: Any
) -> None:
    school = OrganizationFactory(owner=alice, name="Lakemont University")
    for n in range(40):
        OrganizationFactory(owner=alice, name=f"Listed {n}")
    OrganizationFactory(owner=bob, name="Lakemont University")
    create = reverse("network:affiliation-create")
    form = alice_client.get(create).content.decode()
    assert "Listed 7" not in form and '<datalist id="organization-names">' in form
    made = alice_client.post(
        create,
        {"name": "Lakemont alumni", "kind": "school", "organization_name": "lakemont university"},
    )
    assert made.status_code == 302
    group = Affiliation.objects.get(owner=alice)
    assert group.organization == school  # hers, found by name; not Bob's
    update = reverse("network:affiliation-update", kwargs={"affiliation_id": group.pk})
    assert 'value="Lakemont University"' in alice_client.get(update).content.decode()
    fields = {"name": "Lakemont alumni", "kind": "school"}
    alice_client.post(update, {**fields, "organization_name": "Lakemont Alumni Association"})
    group.refresh_from_db()
    assert group.organization is not None and group.organization.owner == alice
    assert group.organization.name == "Lakemont Alumni Association"
    alice_client.post(update, {**fields, "organization_name": ""})
    group.refresh_from_db()
    assert group.organization is None
