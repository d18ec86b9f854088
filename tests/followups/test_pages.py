"""The today list, follow-up pages, settings, the nav count, the banner and /health/."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.followups import health
from coffeechat.followups.models import FollowUp, Status
from coffeechat.outreach.policy import NoReplyPolicy, policy_of
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory
from tests.followups.conftest import utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 3, 2, 9)  # Monday 10:00 in Berlin
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client(alice_client: Any) -> Any:
    health.record(health.WORKER, "test", NOW)
    return alice_client


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def fill(owner: Any, n: int) -> None:
    organization = OrganizationFactory(owner=owner)
    for i in range(n):
        person = PersonFactory(owner=owner)
        FollowUpFactory(
            owner=owner, person=person, organization=organization, due_on=day(i % 9 - 1)
        )


def test_it_groups_overdue_today_and_the_next_seven_days(client: Any, alice: Any) -> None:
    FollowUpFactory(owner=alice, due_on=day(-3), title="Late thank-you")
    FollowUpFactory(owner=alice, due_on=day(0), title="Call Ada")
    FollowUpFactory(owner=alice, due_on=day(7), title="Next week")
    FollowUpFactory(owner=alice, due_on=day(8), title="Too far")
    FollowUpFactory(owner=alice, due_on=day(0), title="Already done", status=Status.DONE)
    body = client.get(reverse("followups:today")).content.decode()
    assert body.index("Late thank-you") < body.index("Call Ada") < body.index("Next week")
    assert "Too far" not in body and "Already done" not in body
    assert 'id="group-overdue"' in body and 'id="group-upcoming"' in body


def test_it_shows_the_count_in_the_navigation(client: Any, alice: Any) -> None:
    FollowUpFactory(owner=alice, due_on=day(-1))
    FollowUpFactory(owner=alice, due_on=day(0))
    FollowUpFactory(owner=alice, due_on=day(1))
    body = client.get(reverse("network:person-list")).content.decode()
    assert 'title="1 overdue, 1 today">2</span>' in body


@pytest.mark.parametrize("url_name", ["followups:today", "followups:follow-up-list"])
def test_it_renders_in_the_same_number_of_queries_for_2_and_200(
    client: Any, alice: Any, url_name: str
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        return len(captured)

    client.get(reverse(url_name))  # the first visit creates the settings row
    fill(alice, 2)
    small = count()
    fill(alice, 198)
    assert count() == small


def test_it_marks_done_without_javascript(client: Any, alice: Any) -> None:
    item = FollowUpFactory(owner=alice, due_on=day(0))
    response = client.post(reverse("followups:follow-up-done", kwargs={"follow_up_id": item.pk}))
    assert response.status_code == 302 and response["Location"] == reverse("followups:today")
    item.refresh_from_db()
    assert item.status == Status.DONE and item.done_at == NOW


def test_it_snoozes_with_htmx_and_answers_the_list(client: Any, alice: Any) -> None:
    item = FollowUpFactory(owner=alice, due_on=day(0), title="Call Ada")
    response = client.post(
        reverse("followups:follow-up-snooze", kwargs={"follow_up_id": item.pk}),
        {"days": "7"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="today-list"') or 'id="today-list"' in body[:200]
    assert "<html" not in body and "Snoozed until 9 March" in body
    item.refresh_from_db()
    assert item.remind_on == day(7)


def test_it_skips_with_a_reason_only(client: Any, alice: Any) -> None:
    item = FollowUpFactory(owner=alice, due_on=day(0))
    url = reverse("followups:follow-up-skip", kwargs={"follow_up_id": item.pk})
    assert "reason" in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 200
    item.refresh_from_db()
    assert item.status == Status.OPEN
    client.post(url, {"reason": "They changed jobs"})
    item.refresh_from_db()
    assert item.status == Status.SKIPPED and item.skip_reason == "They changed jobs"


def test_it_does_not_redirect_off_site_after_an_action(client: Any, alice: Any) -> None:
    item = FollowUpFactory(owner=alice, due_on=day(0))
    response = client.post(
        reverse("followups:follow-up-done", kwargs={"follow_up_id": item.pk}),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("followups:today")


def test_it_adds_a_follow_up_with_the_persons_channel(client: Any, alice: Any) -> None:
    person = PersonFactory(owner=alice, preferred_channel="phone")
    response = client.post(
        reverse("followups:follow-up-create"),
        {
            "title": "Call about the article",
            "kind": "promised",
            "due_on": "2026-03-04",
            "person": person.pk,
        },
    )
    assert response.status_code == 302
    item = FollowUp.objects.get(owner=alice)
    assert item.channel == "phone" and item.rule == "" and item.rule_key == ""


def test_the_organization_is_typed_not_picked_from_every_one(client: Any, alice: Any) -> None:
    acme = OrganizationFactory(owner=alice, name="Acme, Inc.")
    for n in range(40):
        OrganizationFactory(owner=alice, name=f"Listed {n}")
    url = reverse("followups:follow-up-create")
    form = client.get(url, {"organization": acme.pk}).content.decode()
    assert "Listed 7" not in form  # no list of every organization on the page
    assert 'value="Acme, Inc."' in form  # ?organization=ID from another page fills it
    assert 'list="organization-names"' in form and '<datalist id="organization-names">' in form
    fields = {"title": "Ask about the team", "kind": "custom", "due_on": "2026-03-04"}
    assert client.post(url, {**fields, "organization_name": "ACME inc"}).status_code == 302
    assert FollowUp.objects.get(owner=alice).organization == acme  # found by its name
    item = FollowUp.objects.get(owner=alice)
    edit = reverse("followups:follow-up-update", kwargs={"follow_up_id": item.pk})
    assert 'value="Acme, Inc."' in client.get(edit).content.decode()
    assert client.post(edit, {**fields, "organization_name": "Brand New Co"}).status_code == 302
    item.refresh_from_db()
    assert item.organization is not None and item.organization.name == "Brand New Co"
    assert item.organization.owner == alice
    assert client.post(edit, {**fields, "organization_name": ""}).status_code == 302
    item.refresh_from_db()
    assert item.organization is None


def test_another_users_organization_id_fills_nothing(client: Any, bob: Any) -> None:
    theirs = OrganizationFactory(owner=bob, name="Bob's Secret Employer")
    url = reverse("followups:follow-up-create")
    page = client.get(url, {"organization": theirs.pk}).content.decode()
    assert "Bob&#x27;s Secret Employer" not in page and "Secret" not in page


def test_it_refuses_another_users_person_on_the_form(client: Any, bob: Any) -> None:
    person = PersonFactory(owner=bob)
    response = client.post(
        reverse("followups:follow-up-create"),
        {"title": "x", "kind": "custom", "due_on": "2026-03-04", "person": person.pk},
    )
    assert response.status_code == 200 and not FollowUp.objects.exists()


def test_it_answers_404_for_another_users_follow_up(bob_client: Any, alice: Any) -> None:
    item = FollowUpFactory(owner=alice, due_on=day(0))
    for name in ("follow-up-update", "follow-up-skip"):
        url = reverse(f"followups:{name}", kwargs={"follow_up_id": item.pk})
        assert bob_client.get(url).status_code == 404
    for name in ("follow-up-done", "follow-up-snooze", "follow-up-reopen"):
        url = reverse(f"followups:{name}", kwargs={"follow_up_id": item.pk})
        assert bob_client.post(url).status_code == 404
    item.refresh_from_db()
    assert item.status == Status.OPEN


def test_it_saves_the_rule_settings(client: Any, alice: Any) -> None:
    url = reverse("followups:settings")
    page = client.get(url).content.decode()
    assert "Business days" in page and "Calendar feed" in page
    data = {
        "thank_you_timing": "next_morning",
        "thank_you_hour": 8,
        "debrief_delay_minutes": 90,
        "try_another_after_days": 4,
        "nudge_after_days": 8,
        "max_nudges": 1,
        "supervisor_check_in_days": 60,
        "weekly_outreach_target": 3,
        "weekly_conversation_target": 1,
        "digest_enabled": "on",
        "digest_hour": 6,
    }
    assert client.post(url, data).status_code == 302
    saved = alice.follow_up_settings
    saved.refresh_from_db()
    assert (saved.prepare_day_before, saved.digest_hour) == (False, 6)
    alice.profile.refresh_from_db()
    assert policy_of(alice) == NoReplyPolicy(4, 8, 1)
    data["nudge_after_days"] = 2
    assert "Nudge later" in client.post(url, data).content.decode()


def test_it_shows_weekly_progress(client: Any, alice: Any) -> None:
    from tests.factories import ConversationFactory, MessageFactory

    person = PersonFactory(owner=alice)
    for offset in (0, -1, -7):
        MessageFactory(
            owner=alice,
            person=person,
            status="sent",
            sent_at=NOW + datetime.timedelta(days=offset),
        )
    # A nudge and a thank-you are not new outreach.
    MessageFactory(owner=alice, person=person, status="sent", sent_at=NOW, purpose="nudge")
    MessageFactory(owner=alice, person=person, status="sent", sent_at=NOW, purpose="thank_you")
    ConversationFactory(owner=alice, starts_at=NOW + datetime.timedelta(days=2))
    ConversationFactory(owner=alice, starts_at=NOW + datetime.timedelta(days=2), status="cancelled")
    body = client.get(reverse("followups:today")).content.decode()
    # Monday: only today's message is this week's (Sunday's was last week).
    assert "New outreach messages: <strong>1</strong> of 5" in body
    assert "Conversations: <strong>1</strong> of 2" in body


# Health --------------------------------------------------------------------------------


def test_it_reports_health_as_json(client: Any) -> None:
    data = json.loads(client.get("/health/").content)
    assert data["ok"] is True and data["worker"]["stale"] is False
    assert data["email"] == {
        "last_success": None,
        "last_failure": None,
        "failing": False,
        "state": "no e-mail sent yet",
    }


def test_it_warns_when_the_worker_stopped(alice_client: Any) -> None:
    health.record(health.WORKER, "test", NOW - datetime.timedelta(minutes=11))
    body = alice_client.get(reverse("followups:today")).content.decode()
    assert 'class="banner warning"' in body and "coffeechat worker" in body
    assert json.loads(alice_client.get("/health/").content)["ok"] is False


def test_it_warns_when_the_last_e_mail_failed(client: Any) -> None:
    health.record(health.EMAIL_SUCCESS, "", NOW - datetime.timedelta(hours=1))
    health.record(health.EMAIL_FAILURE, "SMTPAuthenticationError: 535", NOW)
    body = client.get(reverse("followups:today")).content.decode()
    assert "could not be sent (SMTPAuthenticationError: 535)" in body
    data = json.loads(client.get("/health/").content)
    assert data["email"]["failing"] is True and "535" not in json.dumps(data)


def test_it_shows_no_banner_when_all_is_well(client: Any) -> None:
    assert "banner" not in client.get(reverse("followups:today")).content.decode()
