"""A person's day, seen from the operator's side: every page the browser loaded names its
request id, that id leads to the page's JSON log line, and /metrics counted the pages
and the e-mail the real SMTP server received."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect
from prometheus_client.parser import text_string_to_metric_families

from coffeechat.core.logs import JsonFormatter, RequestIdFilter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOKEN = "browser-scrape-token-91d"


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def scrape(page: Page) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = page.request.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status == 200
    found = {}
    for family in text_string_to_metric_families(response.text()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def requests_of(samples: dict[Any, float], route: str, method: str, status: str) -> float:
    labels = tuple(sorted({"route": route, "method": method, "status": status}.items()))
    return samples.get(("coffeechat_http_request_duration_seconds_count", labels), 0.0)


def test_each_page_names_its_request_id_and_the_operator_finds_it(
    logged_in_page: Page, smtp: Any, settings: Any, json_log: io.StringIO, browser_log: Any
) -> None:
    settings.METRICS_TOKEN = TOKEN
    settings.MAILERS["default"]["BACKEND"] = "coffeechat.core.mailers.SmtpBackend"
    page = logged_in_page
    before = scrape(page)
    documents: list[Response] = []
    page.on(
        "response",
        lambda response: (
            documents.append(response) if response.request.resource_type == "document" else None
        ),
    )

    page.goto("/people/new/")
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Last name").fill("Reyes")
    page.get_by_label("E-mail addresses").fill("dana@acme.example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Dana Reyes")).to_be_visible()

    page.get_by_role("link", name="Write a message").click()
    page.get_by_label("Subject").fill("A question about Acme")
    page.locator("#id_body").fill(
        "Hello Dana, would you have 20 minutes for a call next week? Thank you."
    )
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_role("status")).to_contain_text("Sent to Dana Reyes")
    assert [e.rcpt_tos for e in smtp.envelopes] == [["dana@acme.example"]]

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    request_lines = {
        line["request_id"]: line for line in lines if line["logger"] == "coffeechat.request"
    }
    assert len(documents) >= 5  # the form, its POST's redirect and page, composer, sent
    for response in documents:
        given = response.headers["x-request-id"]
        assert given in request_lines, response.url
        assert request_lines[given]["status"] == response.status
    ours = [line for line in lines if line["logger"] != "mail.log"]  # not the test's SMTP server
    assert "dana@acme.example" not in json.dumps(ours)

    after = scrape(page)
    sent = ("coffeechat_emails_sent_total", ())
    assert after[sent] - before.get(sent, 0) == 1
    for route, method, status in [
        ("network:person-create", "GET", "2xx"),
        ("network:person-create", "POST", "3xx"),
        ("network:person-detail", "GET", "2xx"),
        ("outreach:compose", "POST", "3xx"),
    ]:
        assert requests_of(after, route, method, status) > requests_of(
            before, route, method, status
        )
    assert browser_log.errors() == [] and browser_log.csp_violations() == []
