"""The pages: invite, accept on the coach's page, comment, see it on Today, dismiss, end."""

from __future__ import annotations

import pytest

from coffeechat.coaching.models import CoachComment, CoachLink, LinkStatus
from tests.coaching.conftest import networking

pytestmark = pytest.mark.django_db


def test_a_coach_accepts_comments_and_the_owner_sees_it_on_today(
    alice, carol, alice_client, carol_client
):
    networking(alice)
    alice_client.post("/coaching/invite/", {"email": carol.email, "scope": "targets"})
    link = CoachLink.objects.get(owner=alice)

    listing = carol_client.get("/coaching/people/").content.decode()
    assert "invites you to be their coach" in listing
    assert carol_client.post(f"/coaching/invitations/{link.pk}/accept/").status_code == 302
    assert "Acme Widgets" in carol_client.get(f"/coaching/people/{link.pk}/").content.decode()

    carol_client.post(
        f"/coaching/people/{link.pk}/comments/", {"text": "Ask Contact 1 for a name."}
    )
    today = alice_client.get("/today/").content.decode()
    assert "Ask Contact 1 for a name." in today
    comment = CoachComment.objects.get(owner=alice)
    assert f"/coaching/#comment-{comment.pk}" in today

    alice_client.post(f"/coaching/comments/{comment.pk}/dismiss/")

    active, closed = (
        alice_client.get("/today/").content.decode().split('class="section today-closed"')
    )
    assert "Ask Contact 1 for a name." not in active
    assert "You dismissed the comment." in closed
    assert "Dismissed" in alice_client.get("/coaching/").content.decode()


def test_a_declined_invitation_leaves_the_list_empty(alice, carol, alice_client, carol_client):
    alice_client.post("/coaching/invite/", {"email": carol.email, "scope": "progress"})
    link = CoachLink.objects.get(owner=alice)

    carol_client.post(f"/coaching/invitations/{link.pk}/decline/")

    assert CoachLink.objects.get(pk=link.pk).status == LinkStatus.DECLINED
    assert carol_client.get(f"/coaching/people/{link.pk}/").status_code == 404
    assert "declined" in alice_client.get("/coaching/").content.decode()


def test_an_empty_comment_is_refused_with_a_message(alice, carol, alice_client, carol_client):
    alice_client.post("/coaching/invite/", {"email": carol.email, "scope": "progress"})
    link = CoachLink.objects.get(owner=alice)
    carol_client.post(f"/coaching/invitations/{link.pk}/accept/")

    response = carol_client.post(f"/coaching/people/{link.pk}/comments/", {"text": ""}, follow=True)

    assert "Write the comment" in response.content.decode()
    assert not CoachComment.objects.exists()


def test_a_bad_invitation_form_writes_nothing(alice_client):
    response = alice_client.post("/coaching/invite/", {"email": "", "scope": "all"}, follow=True)
    assert "Write your coach" in response.content.decode()
    assert not CoachLink.objects.exists()


def test_it_needs_a_login(client):
    assert client.get("/coaching/").status_code == 302
    assert client.get("/coaching/people/").status_code == 302
    assert client.get("/api/v1/coaching/people").status_code == 401
