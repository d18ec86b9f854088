"""The weekly review page, its API and command: same numbers, constant queries, privacy."""

from __future__ import annotations

import datetime
import json
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coffeechat.conversations.models import Referral
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.followups.models import Kind
from coffeechat.followups.models import Status as FollowUpStatus
from coffeechat.outreach.models import Purpose
from coffeechat.progress.models import WeeklyReviewSettings
from tests.factories import (
    ConversationFactory,
    FollowUpFactory,
    PersonFactory,
    TargetFactory,
)
from tests.progress.conftest import sent

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# The clock is Wednesday 4 March 2026; the last complete week is 23 Feb to 1 March.
IN_WEEK = datetime.datetime(2026, 2, 25, 10, tzinfo=UTC)
NEXT_WEEK = datetime.datetime(2026, 3, 5, 10, tzinfo=UTC)


def grow(owner: Any, size: int) -> None:
    """``size`` of everything the review reads, in the last complete week."""
    for _ in range(size):
        target = TargetFactory(organization__owner=owner)
        person, other = PersonFactory(owner=owner), PersonFactory(owner=owner)
        sent(owner, person, organization=target.organization, sent_at=IN_WEEK, replied_after=1)
        sent(owner, person, purpose=Purpose.THANK_YOU, sent_at=IN_WEEK)
        held = ConversationFactory(
            owner=owner, people=[person], starts_at=IN_WEEK, status=ConversationStatus.HELD
        )
        ConversationFactory(owner=owner, people=[other], starts_at=NEXT_WEEK, status="scheduled")
        referral = Referral.objects.create(
            owner=owner, conversation=held, referred_by=person, person=other
        )
        Referral.objects.filter(pk=referral.pk).update(created_at=IN_WEEK)
        FollowUpFactory(
            owner=owner, status=FollowUpStatus.DONE, done_at=IN_WEEK, due_on=IN_WEEK.date()
        )
        FollowUpFactory(owner=owner, due_on=NEXT_WEEK.date(), person=person)
        FollowUpFactory(owner=owner, due_on=NEXT_WEEK.date(), kind=Kind.THANK_YOU)


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/progress/review/", "/api/v1/progress/review"])
def test_it_runs_a_constant_number_of_queries(alice, alice_client, url):
    grow(alice, 2)
    small = queries(alice_client, url)
    grow(alice, 30)

    assert queries(alice_client, url) == small


def counts_on_page(html: str) -> dict[str, int]:
    return {
        key: int(count)
        for key, count in re.findall(
            r'data-section="(\w+)".*?<span class="count" data-count="(\d+)"', html, re.S
        )
    }


def test_the_page_and_the_api_give_the_same_numbers(alice, alice_client):
    grow(alice, 3)

    html = alice_client.get("/progress/review/").content.decode()
    data = alice_client.get("/api/v1/progress/review").json()

    assert data["week"] == {"key": "2026-W09", "first_day": "2026-02-23", "last_day": "2026-03-01"}
    assert data["coming_week"]["first_day"] == "2026-03-02"
    expected = {
        "notes": 3,
        "replies": 3,  # sent 25 Feb, replied 26 Feb: in the week
        "held": 3,
        "thank_yous": 3,
        "referrals": 3,
        "on_time": 3,
        "late": 0,
        "due_follow_ups": 3,
        "due_conversations": 3,
        "due_thank_yous": 3,
        "quiet": 0,
        "stalled": 0,
    }
    assert data["counts"] == expected
    assert counts_on_page(html) == expected
    assert data["first_notes"] == 3 and "3 notes sent; first notes among them: 3." in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None and "style=" not in html


def test_it_links_every_item_to_its_object(alice, alice_client):
    grow(alice, 1)

    data = alice_client.get("/api/v1/progress/review").json()

    urls = [item["url"] for section in data["happened"] + data["due"] for item in section["items"]]
    assert len(urls) == 9
    for url in urls:
        assert alice_client.get(url).status_code == 200, url


def test_empty_sections_say_so(alice_client):
    html = alice_client.get("/progress/review/").content.decode()

    assert "No note went out this week." in html
    assert "No referral chain stalled." in html
    assert "The weekly review e-mail is off." in html


def test_it_navigates_to_earlier_weeks_but_not_past_the_last_complete_one(alice_client):
    html = alice_client.get("/progress/review/?week=2026-W05").content.decode()

    assert "Weekly review: week of 26 Jan 2026" in html
    assert 'href="/progress/review/?week=2026-W04" rel="prev"' in html
    assert 'href="/progress/review/?week=2026-W06" rel="next"' in html
    latest = alice_client.get("/progress/review/").content.decode()
    assert 'rel="next"' not in latest


@pytest.mark.parametrize("week", ["2026-W10", "soon", "2026-W99"])
def test_a_bad_week_is_named_and_never_crashes(alice_client, week):
    page = alice_client.get("/progress/review/", {"week": week})
    api = alice_client.get("/api/v1/progress/review", {"week": week})

    assert page.status_code == 400
    assert "Showing the last complete week instead." in page.content.decode()
    assert api.status_code == 422
    assert api.json()["errors"][0]["loc"][-1] == "week"


def test_another_users_data_never_appears(alice, bob, alice_client, bob_client):
    grow(alice, 2)
    PersonFactory(owner=alice, first_name="Secretia", last_name="Privatova")
    secret = PersonFactory(owner=alice, first_name="Secretia", last_name="Weekly")
    sent(alice, secret, sent_at=IN_WEEK)

    page = bob_client.get("/progress/review/").content.decode()
    data = bob_client.get("/api/v1/progress/review").json()

    assert "Secretia" not in page and "Secretia" not in json.dumps(data)
    assert set(data["counts"].values()) == {0}
    assert "Secretia Weekly" in alice_client.get("/progress/review/").content.decode()


def test_it_needs_a_login(client):
    assert client.get("/progress/review/").status_code == 302
    assert client.get("/progress/review/settings/").status_code == 302
    assert client.get("/api/v1/progress/review").status_code == 401
    assert client.get("/api/v1/progress/review/settings").status_code == 401


def test_the_e_mail_setting_is_off_by_default_and_saved_from_the_page(alice, alice_client):
    assert alice_client.get("/api/v1/progress/review/settings").json() == {
        "email_enabled": False,
        "weekday": 0,
    }
    assert not WeeklyReviewSettings.objects.exists()  # reading creates nothing

    response = alice_client.post(
        "/progress/review/settings/", {"email_enabled": "on", "weekday": "4"}
    )

    assert response.status_code == 302 and response["Location"] == "/progress/review/"
    assert alice_client.get("/api/v1/progress/review/settings").json() == {
        "email_enabled": True,
        "weekday": 4,
    }
    html = alice_client.get("/progress/review/").content.decode()
    assert "every Friday morning" in html


def test_a_bad_setting_is_refused_and_nothing_is_saved(alice_client):
    page = alice_client.post("/progress/review/settings/", {"email_enabled": "on", "weekday": "9"})
    api = alice_client.put(
        "/api/v1/progress/review/settings",
        {"email_enabled": True, "weekday": 7},
        content_type="application/json",
    )

    assert page.status_code == 200 and 'class="error"' in page.content.decode()
    assert api.status_code == 422
    assert not WeeklyReviewSettings.objects.exists()


def test_the_api_sets_the_e_mail_for_me_only(alice, bob, alice_client, bob_client):
    response = alice_client.put(
        "/api/v1/progress/review/settings",
        {"email_enabled": True, "weekday": 2},
        content_type="application/json",
    )

    assert response.json() == {"email_enabled": True, "weekday": 2}
    assert bob_client.get("/api/v1/progress/review/settings").json()["email_enabled"] is False
    assert WeeklyReviewSettings.objects.get().owner == alice


def test_the_command_prints_the_review_as_the_api_does(alice, alice_client):
    grow(alice, 2)
    out = StringIO()
    call_command(
        "progress", "--user", alice.email, "--review", "--week", "2026-W09", "--json", stdout=out
    )

    assert (
        json.loads(out.getvalue())
        == alice_client.get("/api/v1/progress/review?week=2026-W09").json()
    )

    text = StringIO()
    call_command("progress", "--user", alice.email, "--review", stdout=text)
    printed = text.getvalue()
    assert "Weekly review 2026-W09" in printed
    assert re.search(r"Conversations held\s+2\n", printed)
    assert "No follow-up was done late." in printed


def test_the_command_names_a_bad_week(alice):
    with pytest.raises(CommandError, match="not over yet"):
        call_command("progress", "--user", alice.email, "--review", "--week", "2026-W11")
    with pytest.raises(CommandError, match="goes with --review"):
        call_command("progress", "--user", alice.email, "--week", "2026-W09")


def test_the_progress_page_links_to_the_review(alice_client):
    assert 'href="/progress/review/"' in alice_client.get("/progress/").content.decode()
