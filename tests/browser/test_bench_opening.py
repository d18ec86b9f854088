"""From an opening to a sent "something has opened up" note: bench, Today, composer, closed."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_picked_people_go_to_today_and_the_sent_note_closes_their_follow_up(
    logged_in_page: Page, user: Any, browser_log: Any
) -> None:
    from coffeechat.bench import services
    from coffeechat.bench.models import BenchEntry, Opening
    from coffeechat.core.calendar import local_today
    from coffeechat.followups import health
    from coffeechat.followups.models import FollowUp, Status
    from tests.factories import PersonFactory

    health.record(health.WORKER, "browser test")
    people = {}
    for first, last, channel, skills in (
        ("Ada", "Okafor", "linkedin", "optics:4, python:3"),
        ("Ben", "Lund", "email", "optics:3"),
        ("Cleo", "Ruiz", "phone", "teaching:2"),
    ):
        person = PersonFactory(
            owner=user, first_name=first, last_name=last, preferred_channel=channel
        )
        services.save_entry(user, BenchEntry(person=person), skills=services.parse_skills(skills))
        people[first] = person
    start = local_today(user) + datetime.timedelta(days=60)
    opening = services.save_opening(
        user, Opening(title="Optics postdoc", start_on=start), required=["optics"]
    )

    page = logged_in_page
    page.goto(opening.get_absolute_url())
    rows = page.locator("table.ranking tbody tr")
    expect(rows.nth(0)).to_contain_text("Ada Okafor")
    page.get_by_label("Pick Ada Okafor").check()
    page.get_by_label("Pick Ben Lund").check()
    page.get_by_role("button", name="Add follow-ups for the ones I picked").click()
    expect(page.get_by_role("status")).to_contain_text("2 follow-up(s) on your Today list")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("Today")
    ).click()
    ada_item = FollowUp.objects.get(owner=user, person=people["Ada"], rule="bench_opening")
    ben_item = FollowUp.objects.get(owner=user, person=people["Ben"], rule="bench_opening")
    item = page.locator(f"#follow-up-{ada_item.pk}")
    expect(item).to_contain_text("Tell Ada Okafor about Optics postdoc")
    expect(page.locator(f"#follow-up-{ben_item.pk}")).to_be_visible()

    item.get_by_role("link", name="Open").click()
    expect(page).to_have_url(re.compile(r"/outreach/compose/\?person=\d+&purpose=opening"))
    expect(page.get_by_role("heading", name=re.compile("Write to Ada Okafor"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("Something has opened up · LinkedIn message")
    body = page.locator("#id_body")
    expect(body).to_contain_text("An opening has come up on my team: Optics postdoc")
    expect(body).to_contain_text("not an offer")

    page.get_by_role("button", name="Mark as sent").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as sent to Ada Okafor")

    page.goto("/today/")
    expect(page.locator(f"#follow-up-{ada_item.pk}")).to_have_count(0)
    expect(page.locator(f"#follow-up-{ben_item.pk}")).to_be_visible()
    ada_item.refresh_from_db()
    assert ada_item.status == Status.DONE
    assert ada_item.closed_reason.startswith("You told them about the opening on")
    assert FollowUp.objects.get(pk=ben_item.pk).status == Status.OPEN
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
