"""The whole first-day journey of a new user, through the real UI, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_EMAIL = "ada@example.com"
NEW_PASSWORD = "lamp-orchid-ferry-42"
NOTES = """\
## How we met

**Met** at the *Difference Engine* meetup.

- likes [analysis](https://example.org/analysis)
- knows `Babbage`

<script>window.__pwned = true; document.title = "pwned";</script>
"""


def htmx_search(page: Page, text: str) -> None:
    """Type into the people search box and wait until htmx has swapped the rows in place."""
    page.evaluate(
        """() => {
            window.__samePage = true;
            window.__settled = 0;
            document.body.addEventListener("htmx:afterSettle", () => { window.__settled += 1; });
        }"""
    )
    with page.expect_response(
        lambda r: (
            "/people/" in r.url
            and f"q={text}" in r.url
            and r.request.headers.get("hx-request") == "true"
        )
    ) as response_info:
        page.locator("#id_q").fill(text)
    assert response_info.value.ok
    page.wait_for_function("() => window.__settled > 0")
    # htmx did it: the page was not reloaded.
    assert page.evaluate("() => window.__samePage") is True


@pytest.mark.usefixtures("first_run")
def test_it_walks_a_new_user_from_sign_up_to_log_out(page: Page) -> None:
    from coffeechat.accounts.models import User
    from coffeechat.network.models import Organization, Person
    from tests.factories import EmploymentFactory, PersonFactory

    # First visit of a brand-new instance: straight to sign-up.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    page.locator("#id_email").fill(NEW_EMAIL)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    # Signed in, on the (empty) home page.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your network")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_text("Start with the people you already know")).to_be_visible()
    me = User.objects.get(email=NEW_EMAIL)

    # Two other people, so that the search has something to leave out.
    grace = PersonFactory(owner=me, first_name="Grace", last_name="Hopper")
    EmploymentFactory(person=grace, organization__name="Navy Computing Lab")
    PersonFactory(owner=me, first_name="Alan", last_name="Turing")

    # An affiliation, from the Affiliations page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Affiliations").click()
    page.get_by_role("link", name="Add an affiliation").click()
    page.locator("#id_name").fill("Northfield Alumni")
    page.locator("#id_kind").select_option(label="School / alumni")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northfield Alumni")
    expect(page.get_by_role("status")).to_contain_text("Saved the affiliation.")

    # A person with an e-mail, tags and Markdown notes (with a script that must not run).
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Add a person").click()
    page.locator("#id_first_name").fill("Ada")
    page.locator("#id_last_name").fill("Lovelace")
    page.locator("#id_emails").fill("ada.lovelace@example.org")
    page.locator("#id_tag_names").fill("mentor, maths")
    page.locator("#id_notes").fill(NOTES)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    expect(page.get_by_role("status")).to_contain_text("Saved Ada Lovelace.")
    expect(page.get_by_role("link", name="ada.lovelace@example.org")).to_have_attribute(
        "href", "mailto:ada.lovelace@example.org"
    )
    contact = page.locator("section[aria-labelledby=contact-h]")
    expect(contact.locator("a.badge")).to_have_text(["maths", "mentor"])

    notes = page.locator("section[aria-labelledby=notes-h] .prose")
    expect(notes.locator("h2")).to_have_text("How we met")
    expect(notes.locator("strong")).to_have_text("Met")
    expect(notes.locator("em")).to_have_text("Difference Engine")
    expect(notes.locator("li")).to_have_count(2)
    expect(notes.locator("code")).to_have_text("Babbage")
    link = notes.get_by_role("link", name="analysis")
    expect(link).to_have_attribute("href", "https://example.org/analysis")
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    # The <script> from the notes is neither in the DOM nor executed.
    expect(notes.locator("script")).to_have_count(0)
    assert page.evaluate("() => window.__pwned") is None
    assert "pwned" not in page.title()
    # Only our own static files: htmx and the person picker.
    sources = page.evaluate("() => Array.from(document.scripts, (s) => s.getAttribute('src'))")
    assert len(sources) == 2
    assert all(src and src.startswith("/static/") for src in sources)
    ada = Person.objects.get(owner=me, first_name="Ada")
    person_url = re.compile(rf"/people/{ada.pk}/$")
    expect(page).to_have_url(person_url)

    # A job at an organization that does not exist yet.
    page.get_by_role("link", name="Add a job").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a job of Ada Lovelace")
    # As you type, the datalist offers the organizations that already exist (none before).
    datalist = page.locator("datalist#organization-names option")
    expect(datalist).to_have_count(0)
    with page.expect_response(lambda r: "/organizations/names/" in r.url):
        page.locator("#id_organization_name").press_sequentially("nav")
    expect(datalist).to_have_count(1)
    expect(datalist).to_have_attribute("value", "Navy Computing Lab")
    page.locator("#id_organization_name").fill("Analytical Engines Ltd")
    page.locator("#id_title").fill("Programmer")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(person_url)
    expect(page.get_by_role("status")).to_contain_text("Saved the job of Ada Lovelace.")
    jobs = page.locator("section[aria-labelledby=jobs-h]")
    expect(jobs).to_contain_text("Programmer")
    expect(jobs.get_by_role("link", name="Analytical Engines Ltd")).to_be_visible()
    assert Organization.objects.filter(owner=me, name="Analytical Engines Ltd").count() == 1

    # A membership in the affiliation, with a class year.
    page.get_by_role("link", name="Add an affiliation").click()
    page.locator("#id_affiliation").select_option(label="Northfield Alumni")
    page.locator("#id_class_year").fill("2012")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(person_url)
    affiliations = page.locator("section[aria-labelledby=aff-h]")
    expect(affiliations.get_by_role("link", name="Northfield Alumni")).to_be_visible()
    expect(affiliations).to_contain_text("class of 2012")

    # Find her with the active search: part of the organization name.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    rows = page.locator("#people-rows tbody tr")
    expect(rows).to_have_count(3)
    htmx_search(page, "analyt")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ada Lovelace")
    expect(rows.first).to_contain_text("Programmer, Analytical Engines Ltd")
    expect(page.locator("#people-rows")).not_to_contain_text("Grace Hopper")
    expect(page.locator("#people-rows")).not_to_contain_text("Alan Turing")
    # The swap replaced the rows in place: no nested copy, no second page chrome.
    expect(page.locator("#people-rows")).to_have_count(1)
    expect(page.locator("header.topbar")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/people/\?.*q=analyt"))

    # Edit her last name.
    rows.first.get_by_role("link", name="Ada Lovelace").click()
    expect(page).to_have_url(person_url)
    page.locator(".page-head").get_by_role("link", name="Edit").click()
    expect(page.locator("#id_emails")).to_have_value("ada.lovelace@example.org")
    expect(page.locator("#id_tag_names")).to_have_value("maths, mentor")
    page.locator("#id_last_name").fill("King")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(person_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada King")
    # Editing kept what the form did not change.
    expect(page.get_by_role("link", name="ada.lovelace@example.org")).to_be_visible()
    expect(contact.locator("a.badge")).to_have_text(["maths", "mentor"])
    expect(jobs.get_by_role("link", name="Analytical Engines Ltd")).to_be_visible()

    # Delete her, through the confirmation page.
    page.locator(".page-head").get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete person?")
    expect(page.locator("main")).to_contain_text("Ada King")
    page.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(page.get_by_role("status")).to_contain_text("Deleted Ada King.")
    expect(page.locator("#people-rows")).not_to_contain_text("Ada")
    expect(page.locator("#people-rows tbody tr")).to_have_count(2)
    assert not Person.objects.filter(pk=ada.pk).exists()

    # Log out: back to the login page, and the app is closed again.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/people/$"))
