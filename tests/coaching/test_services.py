"""Inviting a coach, answering, scope, ending, comments on Today, the invitation e-mail."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress as SignInAddress
from django.core.exceptions import ValidationError
from django.http import Http404

from coffeechat.coaching import services
from coffeechat.coaching.models import CoachComment, CoachLink, LinkStatus
from coffeechat.followups.models import FollowUp
from coffeechat.followups.models import Status as FollowUpStatus
from coffeechat.followups.today import today_list
from tests.coaching.conftest import NOW, coach
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_answers_the_same_whether_or_not_an_account_has_the_address(alice, carol, alice_client):
    known = alice_client.post(
        "/api/v1/coaching/links", {"email": carol.email}, content_type="application/json"
    )
    unknown = alice_client.post(
        "/api/v1/coaching/links", {"email": "nobody@example.org"}, content_type="application/json"
    )

    assert known.status_code == unknown.status_code == 201
    assert known.json()["detail"] == unknown.json()["detail"] == services.INVITED
    assert set(known.json()) == set(unknown.json())
    assert known.json()["status"] == unknown.json()["status"] == "pending"
    page_known = alice_client.post(
        "/coaching/invite/", {"email": "carol@example.com", "scope": "progress"}, follow=True
    )
    page_unknown = alice_client.post(
        "/coaching/invite/", {"email": "x@example.org", "scope": "progress"}, follow=True
    )
    assert services.INVITED in page_known.content.decode()
    assert services.INVITED in page_unknown.content.decode()


def test_it_puts_the_invitation_on_the_coachs_today_and_closes_it_when_answered(alice, carol):
    link = services.invite(alice, carol.email)
    line = FollowUp.objects.get(owner=carol, rule_key=f"coaching_invitation:{link.pk}")
    assert line.status == FollowUpStatus.OPEN

    services.accept(carol, link)

    line.refresh_from_db()
    assert line.status == FollowUpStatus.DONE
    link.refresh_from_db()
    assert link.status == LinkStatus.ACTIVE and link.coach == carol


def test_it_refuses_a_bad_address_my_own_and_an_unknown_scope(alice):
    with pytest.raises(ValidationError) as bad:
        services.invite(alice, "not an address")
    assert "email" in bad.value.message_dict
    with pytest.raises(ValidationError) as own:
        services.invite(alice, "ALICE@example.com")
    assert "own address" in str(own.value)
    with pytest.raises(ValidationError) as scope:
        services.invite(alice, "coach@example.org", scope="everything")
    assert "scope" in scope.value.message_dict
    assert CoachLink.objects.count() == 0


def test_inviting_the_same_address_again_returns_the_same_link(alice):
    first = services.invite(alice, "Coach@Example.org")
    again = services.invite(alice, "coach@example.org", scope="notes")

    assert again.pk == first.pk and again.scope == "progress"
    assert CoachLink.objects.count() == 1


def test_someone_who_signs_up_later_sees_it_once_they_verified_the_address(alice):
    link = services.invite(alice, "later@example.org")
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        later = UserFactory(email="later@example.org")

    assert not services.invitations_for(later).exists()  # signing up proves nothing
    SignInAddress.objects.create(user=later, email=later.email, verified=True, primary=True)
    assert list(services.invitations_for(later)) == [link]
    services.accept(later, link)
    assert services.coached_or_404(later, link.pk) == link


def test_only_the_invited_address_can_answer(alice, bob, carol):
    link = services.invite(alice, carol.email)

    with pytest.raises(Http404):
        services.invitation_or_404(bob, link.pk)
    with pytest.raises(Http404):
        services.accept(bob, link)
    link.refresh_from_db()
    assert link.status == LinkStatus.PENDING and link.coach is None


def test_a_declined_invitation_shows_nothing(alice, carol):
    link = services.decline(carol, services.invite(alice, carol.email))

    assert link.status == LinkStatus.DECLINED
    with pytest.raises(Http404):
        services.coached_or_404(carol, link.pk)
    with pytest.raises(ValidationError):
        services.accept(carol, link)


def test_ending_takes_access_away_at_once(alice, carol):
    link = coach(alice, carol)
    assert services.coached_or_404(carol, link.pk) == link

    services.end(alice, link)

    with pytest.raises(Http404):
        services.coached_or_404(carol, link.pk)
    with pytest.raises(Http404):
        services.comment(carol, link, "Still there?")
    with pytest.raises(ValidationError):
        services.change_scope(alice, link, scope="notes")


def test_the_coach_may_stop_and_nobody_else_may_end_it(alice, bob, carol):
    link = coach(alice, carol)
    with pytest.raises(Http404):
        services.end(bob, link)
    services.end(carol, link)
    assert CoachLink.objects.get(pk=link.pk).status == LinkStatus.ENDED


def test_the_owner_changes_what_the_coach_sees(alice, carol):
    link = coach(alice, carol)

    services.change_scope(alice, link, scope="notes", show_names=True)

    link.refresh_from_db()
    assert (link.scope, link.show_names) == ("notes", True)
    with pytest.raises(Http404):
        services.change_scope(carol, link, scope="progress")


def test_a_comment_is_a_line_on_the_owners_today_until_dismissed(alice, carol):
    link = coach(alice, carol)

    found = services.comment(carol, link, "  Ask each contact who else you should talk to.  ")

    assert found.owner == alice and found.text == "Ask each contact who else you should talk to."
    titles = [item.title for item in today_list(alice).due_today]
    assert any("Ask each contact who else" in title for title in titles)
    assert not FollowUp.objects.filter(owner=carol, rule="coaching_comment").exists()

    services.dismiss(alice, found)

    assert CoachComment.objects.get(pk=found.pk).dismissed
    assert not any("Ask each contact" in item.title for item in today_list(alice).due_today)


def test_marking_the_line_done_on_today_dismisses_the_comment(alice, carol, alice_client):
    found = services.comment(carol, coach(alice, carol), "Write to two alumni this week.")

    response = alice_client.post(f"/follow-ups/{found.line_id}/done/")

    assert response.status_code == 302
    assert CoachComment.objects.select_related("line").get(pk=found.pk).dismissed


def test_an_empty_or_long_comment_is_refused_and_nothing_is_written(alice, carol):
    link = coach(alice, carol)
    for text in ("   ", "x" * (services.MAX_COMMENT + 1)):
        with pytest.raises(ValidationError):
            services.comment(carol, link, text)
    assert not CoachComment.objects.exists()
    assert not FollowUp.objects.filter(rule="coaching_comment").exists()


def test_the_invitation_is_e_mailed_through_the_configured_server(alice, settings, smtp_server):
    collector, _port = smtp_server
    settings.EMAIL_CONFIGURED = True
    settings.SITE_URL = "https://coffee.example.org"

    link = services.invite(alice, "coach@example.org", scope="targets")

    (mail,) = collector.parsed()
    assert mail["To"] == "coach@example.org"
    assert "coach" in mail["Subject"]
    body = mail.get_content()
    assert "https://coffee.example.org/coaching/people/" in body
    assert "plus targets and conversations" in body
    assert CoachLink.objects.get(pk=link.pk).mailed


def test_a_mail_server_that_refuses_leaves_the_invitation_waiting(alice, carol, settings):
    settings.EMAIL_CONFIGURED = True
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }

    link = services.invite(alice, carol.email)

    assert not link.mailed
    assert list(services.invitations_for(carol)) == [link]
