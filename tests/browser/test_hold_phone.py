"""The in-conversation page on a phone (375 px): nothing scrolls sideways, the notes
come first, and "they asked me to follow up on X by Y" reaches the debrief and Today."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def conversation(user: Any) -> Any:
    from django.utils import timezone

    from coffeechat.conversations import services
    from coffeechat.conversations.models import ChosenQuestion, Conversation
    from tests.factories import EmailAddressFactory, EmploymentFactory, PersonFactory

    dana = PersonFactory(
        owner=user, first_name="Dana-Maria", last_name="Reyes-Villanueva de la Fuente"
    )
    EmailAddressFactory(person=dana, email="dana.maria.reyes-villanueva@acme-logistics.example")
    EmploymentFactory(
        person=dana, organization__name="Acme Logistics International", title="Planner"
    )
    conversation = services.schedule_conversation(
        user,
        Conversation(
            starts_at=timezone.now() - datetime.timedelta(minutes=5),
            mode_detail="https://video.example/a/very/long/meeting/link/that/never/breaks/by/itself",
        ),
        [dana],
    )
    for number in range(12):
        ChosenQuestion.objects.create(
            owner=user,
            conversation=conversation,
            text=f"Question {number}: what does a great first month look like in your team?",
        )
    return conversation


def scroll_width(page: Page) -> int:
    return int(page.evaluate("() => document.scrollingElement.scrollWidth"))


def test_it_fits_a_phone_and_takes_a_follow_up_request_to_today(
    page: Page, user: Any, conversation: Any, browser_log: Any
) -> None:
    from coffeechat.conversations.models import Promise
    from coffeechat.core.calendar import local_today
    from coffeechat.followups import health
    from tests.factories import PASSWORD

    health.record(health.WORKER, "browser test")
    by = local_today(user) + datetime.timedelta(days=3)
    log_in(page, user.email, PASSWORD)
    page.goto(f"/conversations/{conversation.pk}/hold/")

    # One-handed on a phone: nothing scrolls sideways, the notes are on screen at once.
    assert scroll_width(page) <= PHONE["width"]
    assert page.evaluate("() => window.scrollY") == 0
    expect(page.get_by_role("textbox", name="Notes")).to_be_in_viewport()
    page.get_by_role("textbox", name="Notes").fill("Hiring for an analyst in spring.")
    expect(page.locator("#save-status")).to_contain_text("Saved")

    # "They asked me to follow up on X by Y", right under the notes.
    page.get_by_label("They asked me to follow up on").fill("the analyst opening")
    page.get_by_label("By when").fill(by.isoformat())
    page.get_by_role("button", name="Note it for the debrief").click()
    expect(page.locator(".messages")).to_contain_text(
        "Noted for the debrief: Follow up on the analyst opening."
    )
    expect(page.get_by_role("list", name="Noted for the debrief")).to_contain_text(
        f"Follow up on the analyst opening · by {by.day} {by:%b %Y}"
    )
    expect(page.get_by_label("They asked me to follow up on")).to_have_value("")
    expect(page.get_by_role("textbox", name="Notes")).to_have_value(
        "Hiring for an analyst in spring."
    )
    assert scroll_width(page) <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone-in-conversation.png", full_page=True)
    promise = Promise.objects.get()
    assert (promise.direction, promise.due_on) == ("mine", by)
    assert promise.person_id == conversation.participants.get().pk

    # The debrief has it already; once the debrief is saved, Today has the follow-up.
    page.get_by_role("button", name="Done: debrief").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/debrief/$"))
    promises = page.locator("section[aria-labelledby=p-h]")
    expect(promises).to_contain_text("Follow up on the analyst opening")
    expect(promises).to_contain_text(f"due {by.day} {by:%b %Y}")
    assert scroll_width(page) <= PHONE["width"]
    page.get_by_role("button", name="Save the debrief").click()
    expect(page.locator(".messages")).to_contain_text("Debrief saved")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("Today")
    ).click()
    expect(page.get_by_text("You promised: Follow up on the analyst opening")).to_be_visible()
    assert browser_log.errors() == [] and browser_log.csp_violations() == []


class TestWithoutJavaScript:
    @pytest.fixture
    def context_options(self) -> dict[str, Any]:
        return {"viewport": PHONE, "java_script_enabled": False}

    def test_the_follow_up_request_is_a_plain_form(
        self, page: Page, user: Any, conversation: Any
    ) -> None:
        from coffeechat.conversations.models import Promise
        from tests.factories import PASSWORD

        log_in(page, user.email, PASSWORD)
        page.goto(f"/conversations/{conversation.pk}/hold/")
        page.get_by_role("textbox", name="Notes").fill("Typed without JavaScript.")
        page.get_by_label("They asked me to follow up on").fill("the team's reading list")
        # Enter in the field submits the whole form: the notes and the request, both kept.
        page.get_by_label("They asked me to follow up on").press("Enter")
        expect(page.locator(".messages")).to_contain_text(
            "Noted for the debrief: Follow up on the team's reading list."
        )
        conversation.refresh_from_db()
        assert conversation.quick_notes == "Typed without JavaScript."
        assert Promise.objects.get().text == "Follow up on the team's reading list"
