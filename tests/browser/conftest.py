"""Fixtures for the browser tests: one headless Chromium per session, a context per test.

Playwright never downloads a browser here: it always launches the Chromium named by
COFFEECHAT_CHROMIUM (default /usr/bin/chromium), and the tests fail when it is missing.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the main thread; Django would otherwise
# refuse ORM calls made from the test (factories, assertions) as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Belt and braces: nothing in these tests may fetch a browser build.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    expect,
    sync_playwright,
)

DEFAULT_CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Every visible form control without a programmatic label (its <label>s, or an ARIA name).
UNLABELLED = """() => [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => el.type !== "hidden" && el.getClientRects().length > 0)
    .filter((el) => {
        const labels = [...(el.labels || [])].filter((l) => l.textContent.trim());
        return labels.length === 0 && !el.getAttribute("aria-label")
            && !el.getAttribute("aria-labelledby");
    })
    .map((el) => el.outerHTML)"""


def chromium_executable() -> str:
    """The Chromium to drive, or a test failure (never a skip) naming what is missing."""
    wanted = os.environ.get("COFFEECHAT_CHROMIUM") or DEFAULT_CHROMIUM
    found = shutil.which(wanted)
    if found is None:
        pytest.fail(
            f"No Chromium executable at {wanted!r}. Install Debian's chromium package or set "
            "COFFEECHAT_CHROMIUM to the path of a Chromium binary. The browser tests never "
            "download a browser.",
            pytrace=False,
        )
    return found


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Give the browser tests their own test database on a server (e.g. test_coffeechat_browser).

    So they can run beside the rest of the suite on the same PostgreSQL without one run
    creating, flushing or dropping the other's tables. SQLite's in-memory test database is
    private to the process already.
    """
    from django.conf import settings

    for db in settings.DATABASES.values():
        test = db.setdefault("TEST", {})
        if db["ENGINE"] == "django.db.backends.sqlite3" and not test.get("NAME"):
            continue
        name = test.get("NAME") or f"test_{db['NAME']}"
        if name != ":memory:" and not name.endswith("_browser"):
            test["NAME"] = f"{name}_browser"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=LAUNCH_ARGS
            )
        except Error as error:
            pytest.fail(f"Could not start Chromium at {executable}: {error}", pytrace=False)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@dataclass
class BrowserLog:
    """Everything the page said on the console, and every uncaught JS error."""

    console: list[ConsoleMessage] = field(default_factory=list)
    page_errors: list[Error] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"{m.type}: {m.text} ({m.location.get('url', '')})" for m in self.console]

    def errors(self) -> list[str]:
        return [f"{m.type}: {m.text}" for m in self.console if m.type == "error"] + [
            f"pageerror: {e.message}" for e in self.page_errors
        ]

    def csp_violations(self) -> list[str]:
        return [
            line
            for line in self.lines()
            if re.search(r"content security policy|refused to", line, re.IGNORECASE)
        ]


FAILED_KEY = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED_KEY] = report.failed
    return report


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """allauth keeps its rate-limit counters in the (process-wide) local-memory cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def context_options() -> dict[str, Any]:
    """Override in a test module (or parametrize) to change the browser context."""
    return {}


@pytest.fixture
def context(
    browser: Browser, live_server: Any, context_options: dict[str, Any]
) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def page(
    context: BrowserContext, browser_log: BrowserLog, request: pytest.FixtureRequest
) -> Iterator[Page]:
    page = context.new_page()
    page.on("console", lambda message: browser_log.console.append(message))
    page.on("pageerror", lambda error: browser_log.page_errors.append(error))
    yield page
    if request.node.stash.get(FAILED_KEY, False) and not page.is_closed():
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"failed-{request.node.name}.png", full_page=True)


@pytest.fixture
def first_run() -> None:
    """A brand-new instance: no account at all, so the first visit goes to sign-up."""
    from coffeechat.accounts.models import User

    assert not User.objects.exists()


def log_in(page: Page, email: str, password: str) -> None:
    """Sign in through the real login form and land on the home page."""
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))


@pytest.fixture
def user(transactional_db: None) -> Any:
    from tests.factories import UserFactory

    return UserFactory(email="walter@example.com")


@pytest.fixture
def imap_server(settings: Any, user: Any) -> Iterator[Any]:
    """A real IMAP server (dovecot) holding the browser user's mailbox."""
    from tests.mailbox.dovecot import running_dovecot

    with running_dovecot(settings, username=user.email) as server:
        yield server


@pytest.fixture
def logged_in_page(page: Page, user: Any) -> Page:
    from tests.factories import PASSWORD

    log_in(page, user.email, PASSWORD)
    return page


@pytest.fixture
def smtp(settings: Any) -> Iterator[Any]:
    """A real SMTP server process (aiosmtpd) as the instance's mail server; yields what
    it received."""
    from aiosmtpd.controller import Controller

    from tests.outreach.conftest import Collector
    from tests.ports import free_port

    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    settings.EMAIL_CONFIGURED = True
    yield collector
    controller.stop()


def run_worker_after_poll(page: Page, polled_path: str) -> None:
    """Run the queued background tasks once, right after the page's own next poll (an
    htmx request to a URL holding ``polled_path``). The live server may share the test's
    database connection (in-memory SQLite), so the worker runs here, between two polls,
    not in a thread beside the page (see tests/browser/test_imports.py)."""
    from coffeechat.server.worker import make_worker

    with page.expect_response(
        lambda r: polled_path in r.url and r.request.headers.get("hx-request") == "true"
    ) as polled:
        pass
    assert polled.value.ok
    make_worker(batch=True, interval=0).run()
