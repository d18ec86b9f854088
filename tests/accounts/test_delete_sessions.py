"""Deleting an account ends every session signed in as it (issue 19, item 9)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def signed_in_as(user_pk: int) -> list[str]:
    return [
        s.session_key
        for s in Session.objects.all()
        if str(s.get_decoded().get("_auth_user_id")) == str(user_pk)
    ]


def test_it_deletes_the_sessions_of_a_deleted_account(
    alice: Any, bob_client: Client, alice_client: Client
) -> None:
    phone = Client()
    phone.force_login(alice)
    alice_pk = alice.pk
    assert len(signed_in_as(alice_pk)) == 2
    bob_sessions = signed_in_as(bob_client.session["_auth_user_id"])
    assert bob_sessions

    response = alice_client.post(reverse("mydata:account-delete"), {"confirm_email": alice.email})
    assert response.status_code == 302

    assert signed_in_as(alice_pk) == []
    assert signed_in_as(bob_client.session["_auth_user_id"]) == bob_sessions
    assert phone.get(reverse("mydata:account-delete")).status_code == 302  # signed out
