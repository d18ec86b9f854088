"""The network map in a real browser: it draws nodes, highlights paths, zooms, filters."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network(user: Any) -> dict[str, Any]:
    from coffeechat.network.models import TieKind
    from tests.factories import EmploymentFactory, PersonFactory, TargetFactory, TieFactory

    acme = TargetFactory(organization__owner=user, organization__name="Acme")
    globex = TargetFactory(organization__owner=user, organization__name="Globex")
    sam = PersonFactory(owner=user, first_name="Sam", last_name="Ortiz")
    lee = PersonFactory(owner=user, first_name="Lee", last_name="Park")
    TieFactory(to_person=sam, kind=TieKind.FRIEND, strength=5)
    TieFactory(from_person=sam, to_person=lee, kind=TieKind.COLLEAGUE, strength=4)
    EmploymentFactory(person=lee, organization=acme.organization)
    dana = PersonFactory(owner=user, first_name="Dana", last_name="Reyes")
    TieFactory(to_person=dana, kind=TieKind.ACQUAINTANCE, strength=2)
    EmploymentFactory(person=dana, organization=globex.organization)
    for index in range(30):  # other ties of yours, on the inner ring
        TieFactory(to_person=PersonFactory(owner=user, first_name=f"Other{index}"), strength=3)
    return {"acme": acme, "globex": globex}


def test_the_map_renders_nodes_and_highlights_a_chosen_path(
    logged_in_page: Page, network: dict[str, Any], browser_log: Any
) -> None:
    page = logged_in_page
    page.goto("/map/")

    nodes = page.locator("svg.network-map g.node")
    expect(nodes.first).to_be_visible()
    assert nodes.count() >= 35  # you, 33 people, 2 organizations
    expect(page.locator("svg.network-map g.node.organization text")).to_have_text(
        ["Acme", "Globex"]
    )
    expect(page.locator(".map-tools")).to_be_visible()  # the script is running

    page.get_by_role("link", name="you → Sam Ortiz → Lee Park → Acme").click()

    acme_path = f"t{network['acme'].pk}-1"
    highlighted = page.locator("svg.network-map .edge.is-highlighted")
    expect(highlighted).to_have_count(3)  # you–Sam, Sam–Lee, Lee–Acme
    for edge in highlighted.all():
        assert acme_path in (edge.get_attribute("data-paths") or "").split()
    expect(page.locator("svg.network-map")).to_have_class("network-map has-highlight")
    expect(page.locator("#map-detail")).to_contain_text("Sam Ortiz has worked with Lee Park")
    assert f"path={acme_path}" in page.url  # the address keeps the highlight

    page.locator("#node-o" + str(network["globex"].organization_id) + " circle").click()
    expect(page.locator("svg.network-map .edge.is-highlighted")).to_have_count(2)

    box = page.locator("svg.network-map").get_attribute("viewBox")
    page.get_by_role("button", name="Zoom in").click()
    assert page.locator("svg.network-map").get_attribute("viewBox") != box
    page.get_by_role("button", name="Reset").click()
    assert page.locator("svg.network-map").get_attribute("viewBox") == box

    page.locator("#id_target").select_option(str(network["globex"].pk))
    expect(page.locator("svg.network-map g.node.organization")).to_have_count(1)
    expect(page.locator(".map-list")).not_to_contain_text("Lee Park")
    assert browser_log.errors() == [] and browser_log.csp_violations() == []


def test_the_map_highlights_a_path_without_javascript(
    browser: Any, live_server: Any, user: Any, network: dict[str, Any]
) -> None:
    from tests.factories import PASSWORD

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.locator("#id_login").fill(user.email)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.goto("/map/")
        expect(page.locator(".map-tools")).to_be_hidden()
        page.get_by_role("link", name="you → Sam Ortiz → Lee Park → Acme").click()
        expect(page.locator("svg.network-map .edge.is-highlighted")).to_have_count(3)
    finally:
        context.close()
