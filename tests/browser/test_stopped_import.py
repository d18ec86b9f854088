"""An import whose process died, seen from the browser: the page polls while the batch
says "Importing", the worker's step fails it, the page reloads by itself with what
happened, and Cancel takes it off the list (issue 19, item 6)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_DIR = tmp_path / "uploads"


def test_a_stopped_import_is_failed_by_the_worker_and_the_page_says_so(
    logged_in_page: Page, user: Any
) -> None:
    from coffeechat.imports import services, stale
    from coffeechat.imports.models import ImportBatch, Status
    from coffeechat.server.worker import run_periodic

    class Source:
        data = b"First Name,Last Name\nAda,Lovelace\n"

        def read(self, size: int = -1) -> bytes:
            data, self.data = self.data, b""
            return data

    batch = services.create_batch(user, Source(), "alumni.csv")
    # The state a killed `coffeechat import` leaves: importing, its progress file written.
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.IMPORTING, phase="Writing people", rows_total=2
    )
    batch.refresh_from_db()
    services.write_live_progress(batch, "Writing people", 1, 2)
    page = logged_in_page
    page.goto(batch.get_absolute_url())
    expect(page.get_by_role("status")).to_contain_text("Writing people")

    # The worker's periodic step, past the stated time without a heartbeat.
    run_periodic(now=stale.heartbeat(batch) + stale.STALE_AFTER + datetime.timedelta(seconds=1))

    # The polling panel sees the end and reloads the page, which says what happened.
    alert = page.get_by_role("alert").filter(has_text="the import stopped without finishing")
    expect(alert).to_be_visible(timeout=15_000)
    expect(page.get_by_role("alert").filter(has_text="Nothing was written")).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)
    assert not services.upload_dir().exists() or list(services.upload_dir().iterdir()) == []

    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import your network")
    expect(page.get_by_text("Cancelled alumni.csv; nothing was imported.")).to_be_visible()
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.CANCELLED


def test_the_import_page_refuses_an_image_and_names_it(
    logged_in_page: Page, tmp_path: Path
) -> None:
    from coffeechat.imports.models import ImportBatch

    picture = tmp_path / "contacts.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page = logged_in_page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    page.locator("#id_file").set_input_files(picture)
    page.get_by_role("button", name="Preview the import").click()
    expect(
        page.get_by_text("contacts.csv: the name says .csv but the content is a PNG image")
    ).to_be_visible()
    assert not ImportBatch.objects.exists()
