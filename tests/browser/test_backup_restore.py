"""An operator's round trip: the demo network, `coffeechat backup`, an emptied instance,
`coffeechat restore`, then the demo user signs in and finds their people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "demo-restore@example.com"
PASSWORD = "restored-pass-phrase"


def test_it_signs_in_to_a_restored_demo_and_lists_its_people(
    page: Page, settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coffeechat.network.models import Person

    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir(mode=0o700)
    call_command("demo", email=EMAIL, password=PASSWORD, people=30)
    person = Person.objects.filter(owner__email=EMAIL).order_by("last_name", "pk").first()
    assert person is not None
    archive = tmp_path / "demo.tar.gz"
    call_command("backup", output=str(archive))
    call_command("flush", interactive=False, verbosity=0)
    assert not Person.objects.exists()

    call_command("restore", str(archive))
    assert "every row count and content hash matches" in capsys.readouterr().out

    log_in(page, EMAIL, PASSWORD)
    page.goto("/people/")
    rows = page.locator("#people-rows tbody tr")
    expect(rows.first).to_be_visible()
    page.goto(f"/people/?q={person.last_name}")
    expect(rows.filter(has_text=f"{person.first_name} {person.last_name}")).to_have_count(1)
