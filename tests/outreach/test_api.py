"""The outreach API: draft, check, send, mark sent and replied, reply rates, templates."""

from __future__ import annotations

import email
from email.policy import default
from typing import Any

import pytest
from django.test import Client

from coffeechat.outreach.models import Message, Status
from tests.api.conftest import JsonClient
from tests.factories import MessageFactory, MessageTemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice_client: Client) -> JsonClient:
    return JsonClient(alice_client)


@pytest.fixture
def bob_api(bob_client: Client) -> JsonClient:
    return JsonClient(bob_client)


def test_it_drafts_checks_sends_and_marks_replied(api, dana, smtp_server):
    created = api.post(
        "/api/v1/messages",
        {"person_id": dana.pk, "purpose": "thank_you", "extra": {"learned": "ship small"}},
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft" and data["person_name"] == "Dana Reyes"
    assert "What stayed with me most: ship small." in data["body"]
    message_id = data["id"]

    checks = api.get(f"/api/v1/messages/{message_id}/checks").json()
    assert all({"key", "title", "explanation", "dismissed"} <= set(c) for c in checks)

    sent = api.post(f"/api/v1/messages/{message_id}/send", {})
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "sent"
    assert smtp_server[0].envelopes[0].rcpt_tos == ["dana@acme.example"]

    replied = api.post(f"/api/v1/messages/{message_id}/replied", {})
    assert replied.json()["status"] == "replied" and replied.json()["replied_at"]

    rates = api.get("/api/v1/outreach/reply-rates").json()
    assert rates["total"] == {"label": "All messages", "sent": 1, "replied": 1, "percent": 100}


def test_it_marks_sent_by_hand_with_a_date_and_nudge_dates(api, dana):
    message = MessageFactory(person=dana)
    response = api.post(f"/api/v1/messages/{message.pk}/sent?when=2026-10-02T09:00:00Z", {})
    assert response.status_code == 200, response.content
    assert response.json()["try_another_on"] == "2026-10-07"
    assert response.json()["nudge_due_on"] == "2026-10-13"
    response = api.post(f"/api/v1/messages/{message.pk}/status?status=no_reply", {})
    assert response.json()["status"] == "no_reply"


def test_it_refuses_a_header_injection_with_a_422_naming_the_field(api, dana, smtp_server):
    message = MessageFactory(person=dana, subject="Hello")
    Message.objects.filter(pk=message.pk).update(subject="Hi\r\nBcc: all@example.org")
    response = api.post(f"/api/v1/messages/{message.pk}/send", {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "subject"]
    assert "line break" in response.json()["errors"][0]["msg"]
    assert smtp_server[0].envelopes == []


def test_the_eml_route_answers_an_rfc822_file(api, dana):
    message = MessageFactory(person=dana, to_email="dana@acme.example")
    response = api.get(f"/api/v1/messages/{message.pk}/eml")
    assert response["Content-Type"] == "message/rfc822"
    parsed = email.message_from_bytes(response.content, policy=default)
    assert parsed["To"].addresses[0].addr_spec == "dana@acme.example"


def test_live_checks_before_saving(api, dana):
    response = api.post(
        "/api/v1/outreach/checks",
        {"person_id": dana.pk, "body": "Hello, can you review my resume?", "subject": "Hi"},
    )
    keys = {c["key"] for c in response.json()}
    assert {"job_ask", "no_connection"} <= keys


def test_nobody_drafts_to_or_reads_another_users_objects(bob_api, dana, alice):
    assert bob_api.post("/api/v1/messages", {"person_id": dana.pk}).status_code == 404
    assert bob_api.post("/api/v1/outreach/checks", {"person_id": dana.pk}).status_code == 404
    message = MessageFactory(person=dana)
    template = MessageTemplateFactory(owner=alice)
    for url in (
        f"/api/v1/messages/{message.pk}",
        f"/api/v1/messages/{message.pk}/eml",
        f"/api/v1/message-templates/{template.pk}",
    ):
        assert bob_api.get(url).status_code == 404
    assert bob_api.get("/api/v1/messages").json() == {"items": [], "count": 0}
    assert Message.objects.get().status == Status.DRAFT


def test_templates_refuse_unknown_variables(api):
    response = api.post(
        "/api/v1/message-templates",
        {"name": "Mine", "purpose": "informational", "body": "Hi {nmae}"},
    )
    assert response.status_code == 422
    assert "Unknown variable {nmae}" in response.content.decode()
    ok = api.post(
        "/api/v1/message-templates",
        {"name": "Mine", "purpose": "informational", "body": "Hi {first_name}"},
    )
    assert ok.status_code == 201


def test_patch_edits_a_draft_only(api, dana: Any):
    message = MessageFactory(person=dana)
    response = api.patch(
        f"/api/v1/messages/{message.pk}", {"body": "New text?", "dismissed_checks": ["too_long"]}
    )
    assert response.json()["body"] == "New text?" and response.json()["dismissed_checks"] == [
        "too_long"
    ]
    api.post(f"/api/v1/messages/{message.pk}/sent", {})
    assert api.patch(f"/api/v1/messages/{message.pk}", {"body": "Later"}).status_code == 422
