"""Staff in a real browser: an invitation e-mailed and used while sign-up is closed, the
newcomer's first person and conversation, their consent to be counted, the staff pages'
counts and career-centre figures moving, and a deactivation that logs the open browser
out."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ivy-chooses-a-long-passphrase"


@pytest.fixture
def counted_five(transactional_db: None) -> list[Any]:
    """Five users who opted in, each with one conversation held this month (UTC) with
    someone who hires."""
    from django.utils import timezone

    from coffeechat.staff.career import set_counted
    from tests.factories import (
        ConversationFactory,
        EmploymentFactory,
        PersonFactory,
        UserFactory,
    )

    now = timezone.now()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    starts = max(month_start, now - datetime.timedelta(hours=1))
    users = []
    for _ in range(5):
        owner = UserFactory()
        manager = PersonFactory(owner=owner, first_name="Magnolia", last_name="Hireswell")
        EmploymentFactory(person=manager, has_hiring_authority=True)
        ConversationFactory(owner=owner, people=[manager], status="held", starts_at=starts)
        set_counted(owner, True)
        users.append(owner)
    return users


def this_month() -> str:
    from django.utils import timezone

    return f"{timezone.now().astimezone(datetime.UTC):%Y-%m}"


def held_this_month(page: Page) -> Any:
    return page.locator(f"#career-centre tr[data-month='{this_month()}'] td[data-figure='held']")


def test_staff_invite_someone_who_signs_up_is_counted_and_is_deactivated(
    page: Page,
    browser: Browser,
    live_server: Any,
    smtp: Any,
    settings: Any,
    counted_five: list[Any],
    browser_log: Any,
) -> None:
    from tests.factories import PASSWORD as STAFF_PASSWORD
    from tests.factories import UserFactory

    settings.SIGNUP_OPEN = False
    UserFactory(email="carla@example.com", is_staff=True)
    log_in(page, "carla@example.com", STAFF_PASSWORD)

    # The career-centre figures before: five people counted, five conversations this month.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Career centre").click()
    expect(page.locator("#consenting")).to_contain_text("People counted: 5")
    expect(held_this_month(page)).to_have_text("5")

    # An invitation, e-mailed through the real SMTP server.
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Invite").click()
    page.get_by_label("E-mail address").fill("ivy@example.com")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to ivy@example.com")
    first_body = smtp.parsed()[0].get_body(preferencelist=("plain",)).get_content()
    first_link = re.search(r"https?://\S+/invited/\S+/", first_body)
    assert first_link, first_body
    # Ivy lost the e-mail: send it again; only the new link works.
    page.get_by_role("button", name="Send the invitation to ivy@example.com again").click()
    expect(page.get_by_role("status")).to_contain_text("Sent again to ivy@example.com")
    message = smtp.parsed()[1]
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/invited/\S+/", body)
    assert link, body
    assert link.group(0) != first_link.group(0)
    invited_path = urlsplit(link.group(0)).path

    # Ivy, in her own browser, signs up from the link although sign-up is closed.
    ivy_context = browser.new_context(base_url=live_server.url)
    ivy = ivy_context.new_page()
    ivy.goto("/accounts/signup/")
    expect(ivy.get_by_text(re.compile("closed", re.IGNORECASE)).first).to_be_visible()
    assert ivy.goto(urlsplit(first_link.group(0)).path).status == 404  # the old link
    ivy.goto(invited_path)
    expect(ivy.get_by_text("ivy@example.com")).to_be_visible()
    ivy.get_by_label("Your name").fill("Ivy Newcombe")
    ivy.locator("#id_password1").fill(PASSWORD)
    ivy.locator("#id_password2").fill(PASSWORD)
    ivy.get_by_role("button", name="Create my account").click()
    expect(ivy.get_by_role("button", name="Log out")).to_be_visible()

    # She adds a person who hires, holds a conversation with them and opts in.
    ivy.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    ivy.get_by_role("link", name="Add a person").click()
    ivy.locator("#id_first_name").fill("Rowan")
    ivy.locator("#id_last_name").fill("Quillfeather")
    ivy.get_by_role("button", name="Save").click()
    expect(ivy.get_by_role("heading", level=1)).to_have_text("Rowan Quillfeather")
    ivy.get_by_role("link", name="Schedule a conversation").click()
    from django.utils import timezone

    ivy.get_by_label("Date").fill(timezone.now().astimezone(datetime.UTC).date().isoformat())
    ivy.get_by_label("Start time").fill("00:01")
    ivy.get_by_role("button", name="Schedule").click()
    expect(ivy).to_have_url(re.compile(r"/conversations/\d+/prep/$"))
    ivy.goto(ivy.url.replace("/prep/", "/debrief/"))
    ivy.get_by_label("Learned: Projects").fill("Quillfeather plans a new team.")
    ivy.get_by_role("button", name="Save the debrief").click()
    expect(ivy.locator(".messages")).to_contain_text("Debrief saved")
    ivy.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    ivy.get_by_role("link", name="Career-centre figures").click()
    checkbox = ivy.get_by_label("Count me in my career centre's anonymous figures")
    expect(checkbox).not_to_be_checked()
    checkbox.check()
    ivy.get_by_role("button", name="Save").click()
    expect(ivy.get_by_role("status")).to_contain_text("You are counted")

    # Staff see her account with its counts, never her people, and the figures move.
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Accounts").click()
    page.get_by_label("E-mail contains").fill("ivy@")
    row = page.locator("#users tr[data-email='ivy@example.com']")
    expect(row.locator(".people-count")).to_have_text("1")
    expect(row.locator(".held-count")).to_have_text("1")
    expect(page.locator("#users tbody tr")).to_have_count(1)
    assert "Quillfeather" not in page.content()
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Career centre").click()
    expect(page.locator("#consenting")).to_contain_text("People counted: 6")
    expect(held_this_month(page)).to_have_text("6")
    assert "Quillfeather" not in page.content() and "ivy@" not in page.content()

    # Deactivated: her open browser is logged out at its next request.
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Accounts").click()
    row = page.locator("#users tr[data-email='ivy@example.com']")
    row.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("status")).to_contain_text("ivy@example.com is deactivated")
    expect(row.locator(".status")).to_have_text("deactivated")
    ivy.reload()
    expect(ivy).to_have_url(re.compile(r"/accounts/login/"))
    expect(ivy.get_by_role("button", name="Log out")).to_have_count(0)
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Action log").click()
    expect(page.locator("#actions tr[data-kind='deactivate']")).to_contain_text("ivy@example.com")
    expect(page.locator("#actions tr[data-kind='invite']")).to_contain_text("carla@example.com")
    ivy_context.close()
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
