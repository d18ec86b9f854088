"""A coach, with consent, in a real browser: networking → Progress figures → a coach
invited by e-mail → the coach accepts and sees the figures with names hidden → leaves a
comment → it is on Today → access ends → the coach's page is gone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import UNLABELLED, BrowserLog, log_in
from tests.browser.test_team_referrals import log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coach_sees_my_progress_comments_and_loses_access_when_i_end_it(
    logged_in_page: Page, user: Any, smtp: Any, browser_log: BrowserLog
) -> None:
    from coffeechat.core.calendar import local_today
    from tests.factories import PASSWORD, UserFactory

    carol = UserFactory(email="carol@example.com")
    page = logged_in_page
    main = page.get_by_role("navigation", name="Main")

    # Some networking: a person, a first note sent and answered, a conversation held.
    main.get_by_role("link", name="People").click()
    page.get_by_role("link", name="Add a person").click()
    page.locator("#id_first_name").fill("Dana")
    page.locator("#id_last_name").fill("Reyes")
    page.locator("#id_emails").fill("dana@acme.example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dana Reyes")
    person_url = page.url
    page.goto(person_url.replace("/people/", "/outreach/compose/?person=").rstrip("/"))
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.locator("#status")).to_have_text("Sent")
    page.get_by_role("button", name=re.compile(r"^Mark .* as replied$")).click()
    expect(page.locator("#status")).to_have_text("Replied")
    page.goto(person_url)
    page.get_by_role("link", name="Schedule a conversation").click()
    page.get_by_label("Date").fill(local_today(user).isoformat())
    page.get_by_label("Start time").fill("00:01")
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/prep/$"))
    page.goto(page.url.replace("/prep/", "/debrief/"))
    page.get_by_label("Learned: Projects").fill("A new planning tool arrives in spring.")
    page.get_by_role("button", name="Save the debrief").click()
    expect(page.locator(".messages")).to_contain_text("Debrief saved")

    # Invite Carol: targets and conversations, names hidden.
    main.get_by_role("link", name="Coaching").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coaching")
    assert page.evaluate(UNLABELLED) == []
    invite = page.locator("#invite-coach")
    invite.get_by_label("Your coach's e-mail address").fill("carol@example.com")
    invite.get_by_label("Progress, plus targets and conversations").check()
    invite.get_by_role("button", name="Invite").click()
    expect(page.locator(".messages")).to_contain_text("Invitation saved")
    expect(page.locator(".my-coaches")).to_contain_text("carol@example.com")
    (mail,) = smtp.parsed()
    assert mail["To"] == "carol@example.com"
    assert "/coaching/people/" in mail.get_content()
    log_out(page)

    # Carol accepts and sees the figures, with names hidden.
    log_in(page, carol.email, PASSWORD)
    page.goto("/coaching/people/")
    page.locator(".coach-invitations").get_by_role("button", name="Accept").click()
    expect(page.locator(".messages")).to_contain_text("Accepted")
    card = page.locator("article.coachee")
    expect(card.locator("tr[data-step='conversations'] td.step-count")).to_have_text("1")
    expect(card.locator("tr[data-step='replies'] td.step-count")).to_have_text("1")
    card.get_by_role("link", name=re.compile(user.email)).click()
    expect(page.locator("#funnel-table tr[data-step='first_notes'] td.step-count")).to_have_text(
        "1"
    )
    expect(page.locator("#funnel svg.chart")).to_be_visible()
    expect(page.locator(".coach-conversations")).to_contain_text("Contact 1")
    expect(page.locator("main")).not_to_contain_text("Dana")
    expect(page.locator("main")).not_to_contain_text("planning tool")  # notes not shared
    detail_url = page.url
    page.get_by_role("textbox", name="Comment or suggestion").fill(
        "Ask your contact who else to talk to."
    )
    page.get_by_role("button", name="Leave the comment").click()
    expect(page.locator(".messages")).to_contain_text("Comment left")
    log_out(page)

    # Alice sees it on Today, then ends Carol's access.
    log_in(page, user.email, PASSWORD)
    main.get_by_role("link", name=re.compile(r"^Today")).click()
    expect(page.locator("#today-list")).to_contain_text("Ask your contact who else to talk to.")
    main.get_by_role("link", name="Coaching").click()
    expect(page.locator(".coach-comments")).to_contain_text("Ask your contact who else")
    page.get_by_role("button", name="End access for carol@example.com").click()
    expect(page.locator(".messages")).to_contain_text("no longer sees anything")
    log_out(page)

    # Carol's page for Alice is gone.
    log_in(page, carol.email, PASSWORD)
    response = page.goto(detail_url)
    assert response is not None and response.status == 404
    page.goto("/coaching/people/")
    expect(page.locator("article.coachee")).to_have_count(0)
    errors = [line for line in browser_log.errors() if "404" not in line]
    assert errors == [] and browser_log.csp_violations() == []
