"""Importing files through the real pages: upload, preview, columns, import, undo, progress."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONNECTIONS = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    'Dana,Reyes,https://www.linkedin.com/in/dana-reyes,,"Acme, Inc.",Engineering Manager,'
    "05 Jan 2026\n"
    "Lee,Park,https://www.linkedin.com/in/lee-park,lee@park.example,Globex,Data Scientist,"
    "16 Sep 2021\n"
    "Mira,Okafor,https://www.linkedin.com/in/mira-okafor,,Initech,Recruiter,1/8/18\n"
)
LINKEDIN_NAMES = ["Dana Reyes", "Lee Park", "Mira Okafor"]
ALUMNI = (
    "Full Name,Employer,Class Year,Degree\n"
    "Sam Ortiz,Umbrella,2019,MSc Physics\n"
    "Kim Wu,Hooli,2015,BA History\n"
)
DETAIL_LABEL = "Affiliation detail (degree, chapter, program)"


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> None:
    """The live server runs in this process, so the settings fixture reaches its views."""
    settings.IMPORT_DIR = tmp_path / "uploads"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def open_imports(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import your network")


def upload(page: Page, path: Path, group: str = "") -> None:
    open_imports(page)
    page.locator("#id_file").set_input_files(path)
    if group:
        page.get_by_label("…or a new group named").fill(group)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(path.name)


def stat(page: Page, text: str) -> Any:
    """The summary line ending in ``text`` ("new people", "new organizations"...)."""
    return page.locator("ul.stats li").filter(has_text=re.compile(rf"^\s*\d+\s+{text}\s*$"))


def test_it_previews_imports_remaps_and_undoes(logged_in_page: Page, tmp_path: Path) -> None:
    from coffeechat.imports.models import ImportBatch, Status
    from coffeechat.network.models import Affiliation, Person

    page = logged_in_page
    people_rows = page.locator("#people-rows tbody tr")

    # 1. A LinkedIn Connections.csv: preview first, nothing written yet.
    upload(page, write(tmp_path, "Connections.csv", CONNECTIONS))
    expect(page.get_by_role("heading", name="If you import this file")).to_be_visible()
    expect(stat(page, "new people")).to_have_text(re.compile(r"^\s*3\s+new people"))
    new_table = page.locator("section[aria-labelledby=new-title] tbody")
    for name in LINKEDIN_NAMES:
        expect(new_table).to_contain_text(name)
    expect(new_table).to_contain_text("Engineering Manager, Acme, Inc.")
    assert not Person.objects.exists()

    page.get_by_role("button", name="Import 3 new and update 0").click()
    expect(page.locator(".messages")).to_contain_text("Imported Connections.csv: 3 new, 0 updated.")
    expect(page.get_by_role("heading", name="What this import did")).to_be_visible()
    expect(page.locator(".page-head")).to_contain_text("Imported")
    first = ImportBatch.objects.get(original_name="Connections.csv")
    assert first.status == Status.IMPORTED
    assert first.stored_name == ""

    page.get_by_role("link", name="See your people").click()
    expect(people_rows).to_have_count(3)
    for name in LINKEDIN_NAMES:
        expect(page.locator("#people-rows")).to_contain_text(name)

    # 2. An alumni directory into a new group, with one column corrected by hand.
    upload(page, write(tmp_path, "alumni.csv", ALUMNI), group="Northfield Alumni")
    expect(stat(page, "new people")).to_have_text(re.compile(r"^\s*2\s+new people"))
    expect(stat(page, "new organizations")).to_have_text(re.compile(r"^\s*2\s+new organizations"))
    columns = page.locator("section[aria-labelledby=columns-title]")
    expect(columns.get_by_role("heading", name="Columns")).to_be_visible()
    expect(columns.get_by_label("Full Name")).to_have_value("full_name")
    expect(columns.get_by_label("Employer")).to_have_value("organization")
    expect(columns.get_by_label("Class Year")).to_have_value("class_year")
    degree = columns.get_by_label("Degree")
    expect(degree).to_have_value("affiliation_detail")
    expect(degree.locator("option:checked")).to_have_text(DETAIL_LABEL)

    columns.get_by_label("Employer").select_option(label="— ignore —")
    columns.get_by_role("button", name="Preview again with these columns").click()
    expect(page.locator(".messages")).to_contain_text("Columns updated; here is the new preview.")
    expect(stat(page, "new organizations")).to_have_text(re.compile(r"^\s*0\s+new organizations"))
    expect(columns.get_by_label("Employer")).to_have_value("")
    expect(page.locator("section[aria-labelledby=new-title] tbody")).to_contain_text("Sam Ortiz")

    page.get_by_role("button", name="Import 2 new and update 0").click()
    expect(page.locator(".messages")).to_contain_text("Imported alumni.csv: 2 new, 0 updated.")
    group = Affiliation.objects.get(name="Northfield Alumni")
    page.goto(group.get_absolute_url())
    members = page.locator("tbody tr")
    expect(members).to_have_count(2)
    expect(members.filter(has_text="Sam Ortiz")).to_contain_text("2019")
    expect(members.filter(has_text="Sam Ortiz")).to_contain_text("MSc Physics")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(people_rows).to_have_count(5)
    expect(people_rows.filter(has_text="Sam Ortiz")).not_to_contain_text("Umbrella")

    # 3. Undo the LinkedIn import from its page: its people go, the alumni stay.
    open_imports(page)
    page.get_by_role("link", name="Connections.csv").click()
    page.get_by_role("link", name="Undo this import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Undo the import of Connections.csv?")
    page.get_by_role("button", name="Undo this import").click()
    expect(page.locator(".messages")).to_contain_text("Undid Connections.csv: removed 3 people")
    expect(page.locator(".page-head")).to_contain_text("Undone")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(people_rows).to_have_count(2)
    for name in LINKEDIN_NAMES:
        expect(page.locator("#people-rows")).not_to_contain_text(name)
    expect(page.locator("#people-rows")).to_contain_text("Kim Wu")
    assert set(Person.objects.values_list("last_name", flat=True)) == {"Ortiz", "Wu"}


def shares_one_connection() -> bool:
    """In-memory SQLite: the live server shares the test's connection (pytest-django).

    A worker thread would open a second connection to the shared-cache database, whose
    table locks fail at once ("database table is locked") instead of waiting, so there
    the worker runs in the test thread, between two polls of the page.
    """
    from django.db import connection

    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def wait_for_poll(page: Page) -> Any:
    """The next request of the progress panel, made by htmx on its own."""
    with page.expect_response(
        lambda r: "/progress/" in r.url and r.request.headers.get("hx-request") == "true"
    ) as polled:
        pass
    assert polled.value.ok
    return polled.value


def test_large_files_show_live_progress_until_the_worker_is_done(
    logged_in_page: Page, tmp_path: Path, settings: Any
) -> None:
    from django.db import connections

    from coffeechat.imports.models import ImportBatch, Status
    from coffeechat.server.worker import make_worker

    settings.IMPORT_INLINE_BYTES = 0  # every file goes to the worker
    page = logged_in_page
    upload(page, write(tmp_path, "Connections.csv", CONNECTIONS))

    progress = page.locator("#progress")
    expect(progress.locator("progress")).to_be_visible()
    expect(progress.get_by_role("heading")).to_have_text("Waiting for the worker")
    expect(progress).to_contain_text("rows")
    assert ImportBatch.objects.get().status == Status.PREVIEWING
    # The panel polls by itself, and nothing changes while no worker runs.
    page.evaluate("() => { window.__samePage = true; }")
    assert "hx-refresh" not in wait_for_poll(page).headers
    expect(progress.locator("progress")).to_be_visible()
    assert page.evaluate("() => window.__samePage") is True

    in_thread = not shares_one_connection()

    def run_worker() -> None:
        """Run the queued task: in a thread beside the page, or (one shared in-memory
        connection) right here after a poll. The thread runs for one phase only, so the
        page is always seen waiting before a worker exists."""
        if not in_thread:
            wait_for_poll(page)
            make_worker(batch=True, interval=0).run()
            return
        worker = make_worker(interval=0.05, name="browser-test")

        def loop() -> None:
            try:
                worker.run()
            finally:
                connections.close_all()

        thread = threading.Thread(target=loop, name="browser-test-worker", daemon=True)
        thread.start()
        running.append((worker, thread))

    def stop_workers() -> None:
        while running:
            worker, thread = running.pop()
            worker.running = False
            thread.join(timeout=10)
            assert not thread.is_alive()

    running: list[tuple[Any, threading.Thread]] = []
    try:
        run_worker()
        # htmx sees the run end, asks for a refresh, and the page shows the preview.
        expect(page.get_by_role("heading", name="If you import this file")).to_be_visible()
        expect(page.locator("#progress")).to_have_count(0)
        expect(stat(page, "new people")).to_have_text(re.compile(r"^\s*3\s+new people"))
        # Reloaded by htmx (HX-Refresh), not by the test.
        assert page.evaluate("() => window.__samePage === undefined") is True
        stop_workers()

        # The import itself runs in the worker too, and the page follows it the same way.
        page.get_by_role("button", name="Import 3 new and update 0").click()
        expect(progress.get_by_role("heading")).to_have_text("Waiting for the worker")
        expect(page.locator(".page-head")).to_contain_text("Importing")
        run_worker()
        expect(page.get_by_role("heading", name="What this import did")).to_be_visible()
        expect(page.locator(".page-head")).to_contain_text("Imported")
    finally:
        stop_workers()
    batch = ImportBatch.objects.get()
    assert batch.status == Status.IMPORTED
    assert batch.stored_name == ""
