"""The strict Content-Security-Policy holds in a real browser: nothing is refused, no JS breaks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from tests.browser.conftest import BrowserLog, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records every violation the browser reports, whether or not it also logs it.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def check_page(page: Page, response: Response | None) -> None:
    """The page was served with the strict policy, htmx loaded under it, nothing was refused."""
    assert response is not None
    assert response.status == 200, f"{response.url} answered {response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy, f"{response.url} has no strict CSP: {policy!r}"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    page.wait_for_load_state("load")
    assert page.evaluate("() => typeof window.htmx") == "object", f"htmx missing on {page.url}"
    assert page.evaluate("() => typeof window.htmx.version") == "string"
    # The <meta name="htmx-config"> was read: eval stays off, no inline indicator styles.
    assert page.evaluate("() => window.htmx.config.allowEval") is False
    assert page.evaluate("() => window.htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("() => window.__cspViolations") == [], page.url


def visit(page: Page, url: str) -> None:
    check_page(page, page.goto(url))


def test_it_runs_every_page_under_the_csp_without_errors(
    context: BrowserContext, page: Page, browser_log: BrowserLog, user: Any
) -> None:
    from tests.factories import (
        PASSWORD,
        AffiliationFactory,
        EmploymentFactory,
        MembershipFactory,
        PersonFactory,
    )

    context.add_init_script(RECORD_VIOLATIONS)
    person = PersonFactory(owner=user, first_name="Ada", last_name="Lovelace", notes="**Hi**")
    job = EmploymentFactory(person=person, organization__name="Analytical Engines Ltd")
    membership = MembershipFactory(person=person, affiliation=AffiliationFactory(owner=user))

    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        visit(page, url)
    log_in(page, user.email, PASSWORD)
    check_page(page, page.reload())

    for url in [
        "/people/",
        "/people/new/",
        f"/people/{person.pk}/",
        f"/people/{person.pk}/edit/",
        f"/people/{person.pk}/jobs/new/",
        f"/people/{person.pk}/affiliations/new/",
        f"/people/{person.pk}/ties/new/",
        f"/people/{person.pk}/delete/",
        f"/jobs/{job.pk}/edit/",
        f"/memberships/{membership.pk}/edit/",
        "/organizations/",
        "/organizations/new/",
        f"/organizations/{job.organization_id}/",
        "/affiliations/",
        "/affiliations/new/",
        f"/affiliations/{membership.affiliation_id}/",
        "/profile/",
    ]:
        visit(page, url)

    # The active search works under the policy (htmx's XHR and swap).
    visit(page, "/people/")
    with page.expect_response(lambda r: "q=analytical" in r.url) as search:
        page.locator("#id_q").fill("analytical")
    assert search.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#people-rows")).to_contain_text("Ada Lovelace")
    # And so do htmx's filters on a select.
    with page.expect_response(lambda r: "level=manager" in r.url):
        page.locator("#id_level").select_option("manager")
    expect(page.locator("#people-rows")).to_contain_text("Nobody matches")
    assert page.evaluate("() => window.__cspViolations") == []

    # A POST through a normal form (the log-out button) is not blocked by form-action.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    assert browser_log.csp_violations() == [], browser_log.lines()
    assert browser_log.errors() == [], browser_log.lines()


def test_it_detects_a_csp_violation_when_there_is_one(
    context: BrowserContext, page: Page, browser_log: BrowserLog
) -> None:
    """Control for the test above: an injected inline script is refused, and we notice."""
    context.add_init_script(RECORD_VIOLATIONS)
    visit(page, "/accounts/login/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.__inlineRan = true;";
                document.head.appendChild(script);
            }"""
        )
    assert page.evaluate("() => window.__inlineRan") is None
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert any("script-src" in v for v in page.evaluate("() => window.__cspViolations"))
    assert browser_log.csp_violations(), browser_log.lines()
