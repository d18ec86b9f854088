"""A week of networking across the apps, then its weekly review: on the page, and by
e-mail from the worker to a real SMTP server, whose link opens the review.

The clock is frozen (it still ticks) on Wednesday 3 March 2027 in Berlin for the week's
work, then moved to Monday 8 March 08:30, when the review of 1-7 March is due.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UTC = datetime.UTC
WEDNESDAY = datetime.datetime(2027, 3, 3, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
MONDAY_MORNING = datetime.datetime(2027, 3, 8, 7, 30, tzinfo=UTC)  # 08:30 in Berlin


@pytest.fixture(autouse=True)
def _instance(settings: Any, live_server: Any) -> None:
    settings.SITE_URL = live_server.url
    settings.DIGEST_EMAIL = False  # only the weekly review in this test
    # The server's clock is frozen; the browser's is not: a cookie that lasts for the
    # browser session does not depend on either.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True


def test_a_week_across_the_apps_then_its_review_on_the_page_and_by_e_mail(
    page: Page, user: Any, smtp: Any, browser_log: Any
) -> None:
    from coffeechat.progress.models import WeeklyReviewSent
    from coffeechat.server.worker import run_periodic
    from tests.factories import PASSWORD

    with time_machine.travel(WEDNESDAY, tick=True):
        log_in(page, user.email, PASSWORD)

        # Network: add a person.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
        page.get_by_role("link", name="Add a person").click()
        page.locator("#id_first_name").fill("Noor")
        page.locator("#id_last_name").fill("Haddad")
        page.locator("#id_emails").fill("noor@harbor.example")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Noor Haddad")
        person_url = page.url

        # Outreach: write a first note and mark it sent (sent from my own mail program).
        person_id = re.search(r"/people/(\d+)/", person_url).group(1)  # type: ignore[union-attr]
        page.goto(f"/outreach/compose/?person={person_id}&purpose=informational")
        expect(page.locator("#id_body")).not_to_be_empty()
        page.get_by_role("button", name="Mark as sent").click()
        expect(page.locator(".messages")).to_contain_text("Marked as sent to Noor Haddad")

        # Conversations: schedule one for this morning, hold it, debrief.
        page.goto(person_url)
        page.get_by_role("link", name="Schedule a conversation").click()
        expect(page.get_by_label("Noor Haddad")).to_be_checked()
        page.get_by_label("Number, link, place or address").fill("https://meet.example/noor")
        page.get_by_label("Date").fill("2027-03-03")
        page.get_by_label("Start time").fill("09:00")
        page.get_by_role("button", name="Schedule").click()
        expect(page).to_have_url(re.compile(r"/conversations/\d+/prep/$"))
        page.get_by_role("link", name="Start the conversation").click()
        page.get_by_role("textbox", name="Notes").fill("Noor: the harbour team hires in May.")
        expect(page.locator("#save-status")).to_contain_text("Saved")
        page.get_by_text("Referral: capture a name").click()
        page.locator(".referral-quick").get_by_label("Name").fill("Kim Ng")
        page.get_by_role("button", name="Save the name").click()
        expect(page.locator(".messages")).to_contain_text("Kim Ng added to your network")
        page.get_by_role("button", name="Done: debrief").click()
        page.get_by_label("Fit:").select_option("strong")
        page.get_by_role("button", name="Save the debrief").click()
        expect(page.locator(".messages")).to_contain_text("Debrief saved")

        # Follow-ups: something due next week.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
        page.get_by_role("link", name="Add a follow-up").first.click()
        page.get_by_label("Title").fill("Send Noor the portfolio")
        page.get_by_label("Due on").fill("2027-03-09")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".messages")).to_contain_text("Follow-up added.")

    with time_machine.travel(MONDAY_MORNING, tick=True):
        # The review of the week that just ended, from the progress page.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
        page.get_by_role("link", name="Weekly review").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Weekly review: week of 1 Mar 2027"
        )
        notes = page.locator("#review-notes")
        expect(notes.locator(".count")).to_have_text("1")
        expect(notes.get_by_role("link")).to_have_text("Informational request to Noor Haddad")
        held = page.locator("#review-held")
        expect(held.get_by_role("link")).to_contain_text("with Noor Haddad")
        expect(page.locator("#review-referrals").get_by_role("link")).to_have_text("Kim Ng")
        due = page.locator("#review-due_follow_ups")
        expect(due.get_by_role("link", name="Send Noor the portfolio")).to_be_visible()
        expect(page.locator("#review-late")).to_contain_text("No follow-up was done late.")
        held.get_by_role("link").click()  # the link opens the conversation
        expect(page.get_by_role("heading", level=1)).to_contain_text("Noor Haddad")
        page.go_back()

        # Turn the e-mail on, for Mondays.
        page.locator("#review-email").get_by_role("link", name="Change").click()
        page.get_by_label("E-mail me my weekly review").check()
        page.get_by_label("On").select_option("0")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#review-email")).to_contain_text("every Monday morning")

        # The worker's periodic run, twice: one e-mail, on the real SMTP server.
        run_periodic("browser")
        run_periodic("browser")
    assert len(smtp.envelopes) == 1
    assert smtp.envelopes[0].rcpt_tos == [user.email]
    message = smtp.parsed()[0]
    assert message["Subject"] == "Coffeechat: your week of 1 Mar (2027-W09)"
    text = message.get_body(("plain",)).get_content()
    assert "Informational request to Noor Haddad" in text
    assert "Send Noor the portfolio" in text
    html = message.get_body(("html",)).get_content()
    link = re.search(r'href="([^"]+/progress/review/\?week=2027-W09)"', html)
    assert link is not None and link.group(1).startswith(page.url.split("/progress")[0])
    assert WeeklyReviewSent.objects.get().status == "sent"

    with time_machine.travel(MONDAY_MORNING + datetime.timedelta(minutes=5), tick=True):
        page.goto(link.group(1))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Weekly review: week of 1 Mar 2027"
        )
        expect(page.locator("#review-notes .count")).to_have_text("1")
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
