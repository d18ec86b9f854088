"""The today list in a real browser: htmx actions swap the list in place; without
JavaScript the same buttons are plain forms."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from coffeechat.core.calendar import local_today
from coffeechat.followups.models import FollowUp, Status
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, FollowUpFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_list(user: Any) -> tuple[FollowUp, FollowUp]:
    from coffeechat.followups import health

    health.record(health.WORKER, "browser test")
    today = local_today(user)
    ada = PersonFactory(owner=user, first_name="Ada", last_name="Byrne")
    thank = FollowUpFactory(owner=user, person=ada, due_on=today, title="Thank Ada")
    nudge = FollowUpFactory(owner=user, due_on=today - datetime.timedelta(days=2), title="Nudge Bo")
    return thank, nudge


def test_it_marks_done_and_snoozes_in_place(logged_in_page: Page, user: Any) -> None:
    thank, nudge = make_list(user)
    page = logged_in_page
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("Today")
    ).click()
    expect(page).to_have_url(re.compile(r"/today/$"))
    item = page.locator(f"#follow-up-{thank.pk}")
    item.get_by_role("button", name="Done").click()
    expect(page.get_by_role("status").filter(has_text="Done: Thank Ada.")).to_be_visible()
    expect(page.locator(f"#follow-up-{thank.pk}")).to_have_count(0)
    page.locator(f"#follow-up-{nudge.pk}").get_by_role("button", name="1 week").click()
    # A week from today is the last day of "Next 7 days": it moves there.
    expect(page.locator(f".today-upcoming #follow-up-{nudge.pk}")).to_be_visible()
    expect(page.locator(".today-overdue")).to_have_count(0)
    assert FollowUp.objects.get(pk=thank.pk).status == Status.DONE
    assert FollowUp.objects.get(pk=nudge.pk).status == Status.SNOOZED


class TestWithoutJavaScript:
    @pytest.fixture
    def context_options(self) -> dict[str, Any]:
        return {"java_script_enabled": False}

    def test_it_skips_with_a_reason_without_javascript(self, page: Page, user: Any) -> None:
        thank, _nudge = make_list(user)
        log_in(page, user.email, PASSWORD)
        page.goto("/today/")
        page.locator(f"#follow-up-{thank.pk}").get_by_role("link", name="Skip…").click()
        page.get_by_label("Reason").fill("Already thanked in person")
        page.get_by_role("button", name="Skip it").click()
        expect(page).to_have_url(re.compile(r"/today/$"))
        expect(page.get_by_text("Skipped: Thank Ada.")).to_be_visible()
        assert FollowUp.objects.get(pk=thank.pk).skip_reason == "Already thanked in person"
