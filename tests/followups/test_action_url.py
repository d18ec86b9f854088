"""A follow-up's action link stays on this site, whatever its spelling (issue 19, item 9)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from coffeechat.core.links import is_local_path
from coffeechat.followups.models import FollowUp
from tests.factories import FollowUpFactory

NASTY = [
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\\/evil.example",
    "//evil.example/",
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\r\n/evil.example/",
    "/\x00/evil.example/",
    " //evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "///evil.example/",
    "evil.example",
]
FINE = ["/today/", "/outreach/compose/?person=3&purpose=nudge", "/people/3/#notes"]


@pytest.mark.parametrize("url", NASTY)
def test_it_refuses_links_that_leave_the_site(url: str) -> None:
    assert not is_local_path(url)


@pytest.mark.parametrize("url", FINE)
def test_it_accepts_links_inside_the_site(url: str) -> None:
    assert is_local_path(url)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/\\evil.example/", "/\t/evil.example/", "//evil.example/"])
def test_the_api_refuses_them_naming_the_field(url: str, alice_client: Client) -> None:
    response = alice_client.post(
        "/api/v1/follow-ups",
        {"title": "Open it", "due_on": "2031-01-01", "action_url": url},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["loc"][-1] == "action_url"
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_a_row_saved_before_the_check_links_to_its_own_page(
    alice: Any, alice_client: Client
) -> None:
    item = FollowUpFactory(owner=alice, title="Old row", action_url="/\\evil.example/")
    page = alice_client.get("/today/").content.decode()
    assert "evil.example" not in page
    assert item.safe_action_url == ""
