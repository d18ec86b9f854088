"""Invitations: e-mailed through a real SMTP server, single-use, expiring, and working
while open sign-up is closed."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from allauth.account.models import EmailAddress as SignInAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.adapter import signup_is_open
from coffeechat.accounts.models import User
from coffeechat.staff.models import Invitation, StaffAction

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-new-passphrase-42"


def invite(staff_client: Client, smtp: Any, email: str) -> str:
    response = staff_client.post(reverse("staff:invitation-create"), {"email": email})
    assert response.status_code == 302
    message = smtp.parsed()[-1]
    assert message["To"] == email
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/invited/\S+/", body)
    assert link, body
    return urlsplit(link.group(0)).path


def test_an_invitation_signs_up_while_sign_up_is_closed_once(
    staff_client: Client, smtp: Any, settings: Any
) -> None:
    settings.SIGNUP_OPEN = False
    assert not signup_is_open()
    path = invite(staff_client, smtp, "dora@example.com")
    assert smtp.parsed()[0]["Subject"] == "[Coffeechat] You are invited"

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert "dora@example.com" in page.content.decode()
    response = visitor.post(
        path, {"full_name": "Dora Vance", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    dora = User.objects.get(email="dora@example.com")
    assert dora.profile.full_name == "Dora Vance"
    assert SignInAddress.objects.get(user=dora).verified
    assert visitor.get(reverse("network:person-list")).status_code == 200  # signed in
    assert Invitation.objects.get().used_at is not None

    again = Client()
    assert again.get(path).status_code == 404
    post = again.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert post.status_code == 404
    assert User.objects.filter(email="dora@example.com").count() == 1
    # Open sign-up stays closed for everyone else.
    assert b"closed" in Client().get(reverse("account_signup")).content.lower()


def test_an_invitation_expires_after_seven_days(staff_client: Client, smtp: Any) -> None:
    path = invite(staff_client, smtp, "eve@example.com")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        response = Client().post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 404
    assert not User.objects.filter(email="eve@example.com").exists()


def test_a_weak_password_keeps_the_link_open(staff_client: Client, smtp: Any) -> None:
    path = invite(staff_client, smtp, "finn@example.com")
    response = Client().post(path, {"password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="finn@example.com").exists()
    assert Invitation.objects.get().used_at is None


def test_a_made_up_link_is_a_404(db: Any) -> None:
    assert Client().get("/invited/inv_made-up/").status_code == 404
    assert Client().get("/invited/x/").status_code == 404


def test_it_refuses_an_address_that_has_an_account(
    staff_client: Client, smtp: Any, alice: Any
) -> None:
    response = staff_client.post(reverse("staff:invitation-create"), {"email": "alice@example.com"})
    assert response.status_code == 200
    assert "There is already an account with this address." in response.content.decode()
    assert smtp.envelopes == []
    assert not Invitation.objects.exists()


def test_nothing_is_kept_when_the_mail_server_is_down(staff_client: Client, settings: Any) -> None:
    from tests.outreach.conftest import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    response = staff_client.post(reverse("staff:invitation-create"), {"email": "gus@example.com"})
    assert response.status_code == 200
    assert "The invitation could not be sent" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not StaffAction.objects.exists()
