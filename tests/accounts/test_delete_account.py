"""Delete my account: every row the user owns goes (in short chunks); others stay."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.models import User
from coffeechat.demo.network import MIN_PEOPLE, build_demo_network
from coffeechat.imports.models import ImportBatch, ImportChange
from coffeechat.mydata import services as mydata
from coffeechat.network.models import Person
from tests.accounts.everything import fill_every_kind

pytestmark = pytest.mark.django_db


def rows_of(user_pk: int) -> dict[str, int]:
    """How many rows point at the user, per model and field, over every installed model."""
    return {
        f"{model._meta.label}.{name}": model._default_manager.filter(**{name: user_pk}).count()
        for model, name in mydata.user_model_relations()
    }


def models_with_owner() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if any(f.name == "owner" for f in model._meta.concrete_fields)
    ]


def test_it_deletes_a_demo_network_with_every_owned_row(
    alice: Any, bob: Any, _private_uploads: Path
) -> None:
    build_demo_network(alice, people=MIN_PEOPLE)
    alice_secrets = fill_every_kind(alice)
    bob_secrets = fill_every_kind(bob)
    alice_pk = alice.pk
    alice_people = list(Person.objects.filter(owner=alice).values_list("pk", flat=True))
    alice_batches = list(ImportBatch.objects.filter(owner=alice).values_list("pk", flat=True))

    before = rows_of(alice_pk)
    owner_models = models_with_owner()
    assert len(owner_models) >= 30, "expected the project's owned models"
    for model in owner_models:
        assert before[f"{model._meta.label}.owner"] > 0, f"no {model.__name__} to delete"
    bob_before = rows_of(bob.pk)
    assert (_private_uploads / alice_secrets.upload_name).is_file()

    result = mydata.delete_account(alice)

    assert result.email == "alice@example.com"
    assert result.files == 1
    assert result.rows >= sum(before.values())
    assert not User.objects.filter(pk=alice_pk).exists()
    after = rows_of(alice_pk)
    assert {key: count for key, count in after.items() if count} == {}
    for model in owner_models:
        assert not model._default_manager.filter(owner_id=alice_pk).exists(), model
    tags_through = Person.tags.through.objects.filter(person_id__in=alice_people)
    assert not tags_through.exists()
    assert not ImportChange.objects.filter(batch_id__in=alice_batches).exists()
    assert not (_private_uploads / alice_secrets.upload_name).exists()

    assert rows_of(bob.pk) == bob_before
    assert (_private_uploads / bob_secrets.upload_name).is_file()


def test_the_relations_it_checks_include_sign_in_and_two_factor_rows() -> None:
    found = {f"{m._meta.label}.{name}" for m, name in mydata.user_model_relations()}
    assert {
        "accounts.Profile.user",
        "account.EmailAddress.user",
        "mfa.Authenticator.user",
        "socialaccount.SocialAccount.user",
    } <= found
    assert {f"{m._meta.label}.owner" for m in models_with_owner()} <= found
    # Every one of them cascades, so that deleting the user deletes the rows; but for the
    # hidden account an import writes under until it publishes (imports/staging.py):
    # that account goes when the import is done, and the batch stays its owner's.
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    lent = {"imports.ImportBatch.staging_owner": models.SET_NULL}
    for model, name in mydata.user_model_relations():
        field = model._meta.get_field(name)
        assert field.related_model is user_model
        expected = lent.get(f"{model._meta.label}.{name}", models.CASCADE)
        assert field.remote_field.on_delete is expected, f"{model.__name__}.{name}"


# The page ---------------------------------------------------------------------------


def test_the_page_explains_what_goes_and_offers_the_export_first(
    alice: Any, alice_client: Client
) -> None:
    fill_every_kind(alice)
    people = Person.objects.filter(owner=alice).count()
    response = alice_client.get(reverse("mydata:account-delete"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{people} people" in body
    assert "alice@example.com" in body
    assert reverse("mydata:export-all") in body
    assert 'name="confirm_email"' in body


@pytest.mark.parametrize("typed", ["", "bob@example.com", "alice@example", "  "])
def test_it_deletes_nothing_without_the_right_address(
    alice: Any, alice_client: Client, typed: str
) -> None:
    fill_every_kind(alice)
    before = rows_of(alice.pk)
    response = alice_client.post(reverse("mydata:account-delete"), {"confirm_email": typed})
    assert response.status_code == 200
    assert "Nothing was deleted" in response.content.decode() or "required" in (
        response.content.decode()
    )
    assert rows_of(alice.pk) == before
    assert alice_client.get(reverse("accounts:profile")).status_code == 200


def test_a_get_deletes_nothing(alice: Any, alice_client: Client) -> None:
    alice_client.get(reverse("mydata:account-delete"), {"confirm_email": alice.email})
    assert User.objects.filter(pk=alice.pk).exists()


def test_it_deletes_signs_out_and_confirms(
    alice: Any, bob: Any, alice_client: Client, _private_uploads: Path
) -> None:
    secrets = fill_every_kind(alice)
    fill_every_kind(bob)
    bob_before = rows_of(bob.pk)
    alice_pk = alice.pk

    response = alice_client.post(
        reverse("mydata:account-delete"), {"confirm_email": " ALICE@Example.com "}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mydata:account-deleted")
    assert not User.objects.filter(pk=alice_pk).exists()
    assert {key: n for key, n in rows_of(alice_pk).items() if n} == {}
    assert not (_private_uploads / secrets.upload_name).exists()
    assert rows_of(bob.pk) == bob_before
    goodbye = alice_client.get(response["Location"])
    assert goodbye.status_code == 200
    assert "Your account is deleted" in goodbye.content.decode()
    # Shown once; and the session is signed out.
    assert alice_client.get(reverse("mydata:account-deleted")).status_code == 302
    profile = alice_client.get(reverse("accounts:profile"))
    assert profile.status_code == 302
    assert "/accounts/login/" in profile["Location"]


def test_it_cannot_delete_another_account(alice: Any, bob: Any, bob_client: Client) -> None:
    fill_every_kind(alice)
    before = rows_of(alice.pk)
    response = bob_client.post(reverse("mydata:account-delete"), {"confirm_email": alice.email})
    assert response.status_code == 200
    assert rows_of(alice.pk) == before
    assert User.objects.filter(pk=bob.pk).exists()


def test_it_asks_an_anonymous_visitor_to_sign_in(alice: Any) -> None:
    client = Client()
    for method in ("get", "post"):
        response = getattr(client, method)(
            reverse("mydata:account-delete"), {"confirm_email": alice.email}
        )
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert User.objects.filter(pk=alice.pk).exists()


def test_the_goodbye_page_without_a_deletion_goes_home(alice_client: Client) -> None:
    response = alice_client.get(reverse("mydata:account-deleted"))
    assert response.status_code == 302
    assert response["Location"] == reverse("pages:home")


# The command ------------------------------------------------------------------------


def test_the_command_deletes_with_yes(alice: Any, bob: Any) -> None:
    fill_every_kind(alice)
    fill_every_kind(bob)
    bob_before = rows_of(bob.pk)
    alice_pk = alice.pk
    out = io.StringIO()
    call_command("delete-account", user="alice@example.com", yes=True, stdout=out)
    assert "Deleted alice@example.com" in out.getvalue()
    assert "1 uploaded files" in out.getvalue()
    assert {key: n for key, n in rows_of(alice_pk).items() if n} == {}
    assert rows_of(bob.pk) == bob_before


def test_the_command_asks_first_and_refuses_without_a_terminal(alice: Any) -> None:
    # Under pytest, standard input is not a terminal.
    with pytest.raises(CommandError, match="--yes"):
        call_command("delete-account", user=alice.email)
    with pytest.raises(CommandError, match="no account"):
        call_command("delete-account", user="nobody@example.com", yes=True)
    assert User.objects.filter(pk=alice.pk).exists()
