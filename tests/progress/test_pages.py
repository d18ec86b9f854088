"""The progress page and its API: same numbers, a constant number of queries, privacy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coffeechat.conversations.models import Referral
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.followups.models import Status as FollowUpStatus
from coffeechat.outreach.models import ConnectionKind, Purpose
from tests.factories import (
    ApplicationFactory,
    ConversationFactory,
    EmploymentFactory,
    FollowUpFactory,
    PersonFactory,
    TargetFactory,
)
from tests.progress.conftest import days_ago, sent

pytestmark = pytest.mark.django_db


def grow(owner: Any, size: int) -> None:
    """``size`` of everything the page reads, in ``size`` target organizations."""
    for index in range(size):
        organization = TargetFactory(organization__owner=owner).organization
        person, other = PersonFactory(owner=owner), PersonFactory(owner=owner)
        EmploymentFactory(person=person, organization=organization, has_hiring_authority=True)
        sent(
            owner,
            person,
            organization=organization,
            replied_after=1 if index % 2 else None,
            connection_kind=ConnectionKind.ALUMNI if index % 3 else ConnectionKind.COLD,
            template_name=f"Template {index % 4}",
        )
        sent(owner, person, purpose=Purpose.THANK_YOU, sent_at=days_ago(index % 40))
        held = ConversationFactory(
            owner=owner,
            organization=organization,
            people=[person],
            starts_at=days_ago(1 + index % 20),
            status=ConversationStatus.HELD,
        )
        Referral.objects.create(owner=owner, conversation=held, referred_by=person, person=other)
        ApplicationFactory(organization=organization)
        FollowUpFactory(owner=owner, status=FollowUpStatus.DONE, done_at=days_ago(index % 30))


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/progress/?period=all", "/api/v1/progress?period=all"])
def test_it_runs_a_constant_number_of_queries(alice, alice_client, url):
    grow(alice, 2)
    alice_client.get(url)  # the first visit creates the follow-up settings with defaults
    small = queries(alice_client, url)
    grow(alice, 40)

    assert queries(alice_client, url) == small


def test_it_draws_each_chart_beside_a_table_of_the_same_numbers(alice, alice_client):
    grow(alice, 6)

    html = alice_client.get("/progress/?period=30").content.decode()

    assert html.count('<svg class="chart') >= 1 + 5 + 1
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None  # no inline script
    assert "style=" not in html
    row = re.search(
        r'data-step="conversations"><th scope="row">Conversations held</th>'
        r'<td class="step-count">(\d+)',
        html,
    )
    assert row is not None and row.group(1) == "6"
    assert "<title>Conversations held: 6</title>" in html
    assert "too few to tell" in html  # the templates, used fewer than five times each


def test_it_offers_the_four_periods_and_keeps_the_chosen_one(alice_client):
    html = alice_client.get("/progress/?period=365").content.decode()

    assert re.findall(r'<option value="(\w+)"', html) == ["30", "90", "365", "all"]
    assert '<option value="365" selected>' in html


def test_the_api_gives_the_page_numbers_and_only_mine(alice, bob, alice_client, bob_client):
    grow(alice, 6)

    mine = alice_client.get("/api/v1/progress?period=30").json()
    theirs = bob_client.get("/api/v1/progress?period=30").json()

    steps = {s["key"]: s["count"] for s in mine["funnel"]}
    assert steps["conversations"] == 6 and steps["referrals"] == 6 and steps["people"] == 12
    assert {s["key"]: s["count"] for s in theirs["funnel"]} == dict.fromkeys(steps, 0)
    assert theirs["targets"] == [] and theirs["replies"]["sent"] == 0
    assert len(mine["targets"]) == 6 and mine["min_count"] == 5
    connection_rates = next(g for g in mine["reply_rates"] if g["key"] == "connection")
    alumni = next(r for r in connection_rates["rates"] if r["key"] == "alumni")
    assert (alumni["sent"], alumni["enough"], alumni["low"] is None) == (4, False, True)


def test_the_api_refuses_an_unknown_period_naming_it(alice_client):
    response = alice_client.get("/api/v1/progress?period=week")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "period"


def test_it_needs_a_login(client):
    assert client.get("/progress/").status_code == 302
    assert client.get("/api/v1/progress").status_code == 401


def test_the_command_prints_the_figures_as_the_api_does(alice, alice_client):
    import json
    from io import StringIO

    from django.core.management import call_command

    grow(alice, 6)
    out = StringIO()
    call_command("progress", "--user", alice.email, "--period", "30", "--json", stdout=out)
    printed = json.loads(out.getvalue())

    assert printed == alice_client.get("/api/v1/progress?period=30").json()

    text = StringIO()
    call_command("progress", "--user", alice.email, "--period", "30", stdout=text)
    assert "Conversations held" in text.getvalue() and "too few to tell" in text.getvalue()
