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
    from tests.ports import free_port

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


def test_sending_again_gives_a_new_link_and_the_old_one_stops(
    staff_client: Client, smtp: Any
) -> None:
    old = invite(staff_client, smtp, "hana@example.com")
    invitation = Invitation.objects.get()
    later = timezone.now() + datetime.timedelta(days=6)
    with time_machine.travel(later, tick=False):
        response = staff_client.post(
            reverse("staff:invitation-resend", kwargs={"staff_invitation_id": invitation.pk}),
            follow=True,
        )
    assert "Sent again to hana@example.com" in response.content.decode()
    body = smtp.parsed()[-1].get_body(preferencelist=("plain",)).get_content()
    new = urlsplit(re.search(r"https?://\S+/invited/\S+/", body).group(0)).path
    assert new != old
    invitation.refresh_from_db()
    assert invitation.expires_at == later + datetime.timedelta(days=7)
    assert Client().get(old).status_code == 404  # the old link no longer works
    assert Client().get(new).status_code == 200
    assert list(StaffAction.objects.values_list("kind", flat=True).order_by("pk")) == [
        "invite",
        "resend_invitation",
    ]


def test_a_withdrawn_invitation_stops_working_and_cannot_be_sent_again(
    staff_client: Client, smtp: Any
) -> None:
    path = invite(staff_client, smtp, "ivo@example.com")
    invitation = Invitation.objects.get()
    revoke = reverse("staff:invitation-revoke", kwargs={"staff_invitation_id": invitation.pk})
    page = staff_client.post(revoke, follow=True).content.decode()
    assert "no longer works" in page and "withdrawn" in page
    assert Client().get(path).status_code == 404
    response = Client().post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 404
    assert not User.objects.filter(email="ivo@example.com").exists()
    sent = len(smtp.envelopes)
    again = staff_client.post(
        reverse("staff:invitation-resend", kwargs={"staff_invitation_id": invitation.pk}),
        follow=True,
    )
    assert "withdrawn: send a new one" in again.content.decode()
    assert len(smtp.envelopes) == sent
    assert StaffAction.objects.filter(kind="revoke_invitation").count() == 1


def test_a_used_invitation_is_neither_withdrawn_nor_sent_again(
    staff_client: Client, smtp: Any
) -> None:
    path = invite(staff_client, smtp, "jo@example.com")
    Client().post(path, {"password1": PASSWORD, "password2": PASSWORD})
    invitation = Invitation.objects.get()
    for name in ("staff:invitation-revoke", "staff:invitation-resend"):
        url = reverse(name, kwargs={"staff_invitation_id": invitation.pk})
        assert "was used" in staff_client.post(url, follow=True).content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_api_sends_again_and_withdraws(staff_client: Client, smtp: Any) -> None:
    invite(staff_client, smtp, "kai@example.com")
    invitation = Invitation.objects.get()
    base = f"/api/v1/staff/invitations/{invitation.pk}"
    resent = staff_client.post(f"{base}/resend")
    assert resent.status_code == 200 and resent.json()["email"] == "kai@example.com"
    revoked = staff_client.post(f"{base}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    refused = staff_client.post(f"{base}/resend")
    assert refused.status_code == 422
    assert "withdrawn" in str(refused.json())
    assert staff_client.post("/api/v1/staff/invitations/999999/revoke").status_code == 404


def test_a_staff_member_sends_at_most_so_many_invitations_an_hour(
    staff_client: Client, smtp: Any, monkeypatch: Any
) -> None:
    from coffeechat.core import throttle

    monkeypatch.setitem(throttle.LIMITS, "staff-invite", (2, 3600))
    invite(staff_client, smtp, "l1@example.com")
    invite(staff_client, smtp, "l2@example.com")
    response = staff_client.post(reverse("staff:invitation-create"), {"email": "l3@example.com"})
    assert response.status_code == 200
    assert "2 invitations in an hour" in response.content.decode()
    assert Invitation.objects.count() == 2
