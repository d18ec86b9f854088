"""A whole conversation in a real browser: schedule, prepare, hold, debrief, thank."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dana(user: Any) -> Any:
    from tests.factories import EmailAddressFactory, EmploymentFactory, PersonFactory

    person = PersonFactory(owner=user, first_name="Dana", last_name="Reyes", level="staff")
    EmailAddressFactory(person=person, email="dana@acme.example")
    EmploymentFactory(person=person, organization__name="Acme Logistics", title="Planner")
    return person


def test_a_conversation_from_schedule_to_thank_you(
    logged_in_page: Page, dana: Any, browser_log: Any
) -> None:
    from coffeechat.conversations.models import Conversation, Referral
    from coffeechat.network.models import Person
    from coffeechat.outreach.models import Message

    page = logged_in_page
    page.goto(f"/people/{dana.pk}/")
    page.get_by_role("link", name="Schedule a conversation").click()

    # Schedule.
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a conversation")
    expect(page.get_by_label("Dana Reyes")).to_be_checked()
    page.get_by_label("Mode").select_option("coffee")
    page.get_by_label("Number, link, place or address").fill("Blue Door Café")
    page.get_by_label("Date").fill("2030-05-06")
    page.get_by_label("Start time").fill("09:30")
    page.get_by_role("button", name="Schedule").click()

    # Prepare.
    expect(page).to_have_url(re.compile(r"/conversations/\d+/prep/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare: Dana Reyes")
    expect(page.locator("ol.questions li")).to_have_count(10)
    expect(page.get_by_text("Say clearly that you are interested")).to_be_visible()
    page.get_by_label("Your own question").fill("What does a great first month look like?")
    page.get_by_role("button", name="Add my question").click()
    expect(page.locator("ol.questions li").last).to_contain_text("great first month")
    conversation = Conversation.objects.get()

    # Hold: a note typed is saved without pressing anything.
    page.get_by_role("link", name="Start the conversation").click()
    expect(page.locator("#countdown")).to_contain_text("Starts in")  # the script runs
    page.get_by_role("textbox", name="Notes").fill("Dana: the team moves to a new WMS in spring.")
    page.locator("ul.checklist input[name=asked]").first.check()
    expect(page.locator("#save-status")).to_contain_text("Saved")
    conversation.refresh_from_db()
    assert conversation.quick_notes == "Dana: the team moves to a new WMS in spring."
    assert conversation.chosen_questions.filter(asked=True).count() == 1
    page.reload()
    expect(page.get_by_role("textbox", name="Notes")).to_have_value(
        "Dana: the team moves to a new WMS in spring."
    )

    # A referral captured on the spot.
    page.get_by_text("Referral: capture a name").click()
    page.locator(".referral-quick").get_by_label("Name").fill("Kim Ng")
    page.get_by_role("button", name="Save the name").click()
    expect(page.locator(".messages")).to_contain_text("Kim Ng added to your network")

    # Debrief.
    page.get_by_role("button", name="Done: debrief").click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+/debrief/$"))
    page.get_by_label("Learned: Projects").fill("A new warehouse system goes live in spring.")
    page.get_by_label("Fit:").select_option("strong")
    page.get_by_label("How they want to be followed up").fill("every couple of months")
    page.get_by_role("button", name="Save the debrief").click()
    expect(page.locator(".messages")).to_contain_text("Debrief saved")

    # Thank-you drafts, one per participant: the composer, prefilled from the conversation.
    thanks = page.locator("#thanks")
    expect(thanks).to_contain_text("Dana Reyes")
    thanks.get_by_role("link", name="Draft thank-you").click()
    draft = page.locator("#id_body")
    expect(draft).to_have_value(re.compile("A new warehouse system goes live in spring."))
    expect(draft).to_have_value(re.compile("Kim Ng"))
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.locator(".messages")).to_contain_text("Marked as sent to Dana Reyes")
    thank_you = Message.objects.get(purpose="thank_you")
    assert (thank_you.person_id, thank_you.conversation_id) == (dana.pk, conversation.pk)

    referral = Referral.objects.get()
    assert referral.referred_by_id == dana.pk
    kim = Person.objects.get(first_name="Kim")
    assert kim.ties_in.get().introduced_by_id == dana.pk
    dana.refresh_from_db()
    assert dana.follow_up_wish == "every couple of months"
    assert browser_log.errors() == [] and browser_log.csp_violations() == []


def test_notes_typed_before_the_tab_closed_are_restored(
    logged_in_page: Page, dana: Any, context: Any
) -> None:
    from django.utils import timezone

    from coffeechat.conversations import services
    from coffeechat.conversations.models import Conversation

    conversation = services.schedule_conversation(
        dana.owner, Conversation(starts_at=timezone.now()), [dana]
    )
    page = logged_in_page
    page.goto(f"/conversations/{conversation.pk}/hold/")
    # As if the tab had closed before the server got the notes: only the backup has them.
    page.evaluate(
        """(id) => localStorage.setItem("coffeechat:notes:" + id,
             JSON.stringify({notes: "Lost in a crash", at: Date.now()}))""",
        conversation.pk,
    )
    page.reload()
    expect(page.get_by_role("textbox", name="Notes")).to_have_value("Lost in a crash")
    expect(page.locator("#save-status")).to_contain_text("Saved")
    conversation.refresh_from_db()
    assert conversation.quick_notes == "Lost in a crash"
