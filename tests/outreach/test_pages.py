"""The outreach pages: composer, live checks, message list, person page, templates, insight."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coffeechat.network.models import Interaction
from coffeechat.outreach import services
from coffeechat.outreach.models import (
    Channel,
    ConnectionKind,
    Message,
    MessageTemplate,
    Purpose,
    SmtpSettings,
    Status,
)
from tests.factories import MessageFactory, MessageTemplateFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_composer_drafts_and_saves(alice_client, dana):
    url = reverse("outreach:compose") + f"?person={dana.pk}&purpose=informational&ask=lunch"
    page = alice_client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Write to" in body and "Dana Reyes" in body
    assert "a lunch" in body
    assert 'id="checks"' in body and "No stated connection" in body

    response = alice_client.post(
        url,
        {
            "to_email": "dana@acme.example",
            "subject": "Lunch?",
            "body": "Hello Dana, lunch?",
            "action": "save",
            "dismissed": "no_connection",
        },
    )
    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"] == message.get_absolute_url()
    assert (message.subject, message.body, message.status) == (
        "Lunch?",
        "Hello Dana, lunch?",
        Status.DRAFT,
    )
    assert message.dismissed_checks == ["no_connection"]
    assert message.purpose == Purpose.INFORMATIONAL and message.ask == "lunch"


def test_the_composer_marks_sent_by_hand_in_one_step(alice_client, dana):
    url = reverse("outreach:compose") + f"?person={dana.pk}&channel=linkedin"
    response = alice_client.post(url, {"body": "Hi Dana, a quick question?", "action": "mark_sent"})
    message = Message.objects.get()
    assert response.status_code == 302
    assert message.status == Status.SENT and message.channel == Channel.LINKEDIN
    assert Interaction.objects.filter(
        person=dana, source_key=f"outreach:message:{message.pk}"
    ).exists()


def test_the_composer_refuses_a_header_injection_with_a_clear_message(alice_client, dana):
    url = reverse("outreach:compose") + f"?person={dana.pk}"
    response = alice_client.post(
        url, {"to_email": "dana@acme.example", "subject": "Hi\nBcc: x@y.org", "body": "Hello?"}
    )
    assert response.status_code == 422
    assert "The subject must be a single line" in response.content.decode()
    assert not Message.objects.exists()


def test_the_composer_passes_unknown_parameters_to_the_template(alice_client, dana):
    url = reverse("outreach:compose")
    response = alice_client.get(
        url, {"person": dana.pk, "purpose": "thank_you", "learned": "hire for curiosity"}
    )
    assert "What stayed with me most: hire for curiosity." in response.content.decode()


def test_nobody_composes_to_another_users_person(bob_client, dana):
    url = reverse("outreach:compose")
    assert bob_client.get(url, {"person": dana.pk}).status_code == 404
    assert (
        bob_client.post(f"{url}?person={dana.pk}", {"body": "Hi", "action": "save"}).status_code
        == 404
    )
    assert (
        bob_client.post(reverse("outreach:checks"), {"person": dana.pk, "body": "x"}).status_code
        == 404
    )
    assert not Message.objects.exists()


def test_the_live_checks_fire_explain_and_can_be_dismissed(alice_client, dana):
    url = reverse("outreach:checks")
    data = {
        "person": dana.pk,
        "purpose": "informational",
        "channel": "email",
        "subject": "Hi",
        "body": "Hello. Could you refer me for a job?",
    }
    body = alice_client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert "A job request inside an information request" in body
    assert "it asks “refer me”" in body
    assert "No stated connection" in body

    body = alice_client.post(url, {**data, "dismiss": "job_ask"}).content.decode()
    assert "A job request inside an information request (show again)" in body
    assert 'name="dismissed" value="job_ask"' in body
    assert "it asks “refer me”" not in body

    body = alice_client.post(
        url, {**data, "dismissed": "job_ask", "undismiss": "job_ask"}
    ).content.decode()
    assert "it asks “refer me”" in body


def test_the_live_checks_count_characters_for_linkedin(alice_client, dana):
    data = {"person": dana.pk, "purpose": "informational", "channel": "linkedin", "body": "x" * 301}
    body = alice_client.post(reverse("outreach:checks"), data).content.decode()
    assert "301 characters" in body and "Over LinkedIn" in body


def test_one_click_mark_replied_from_the_person_page(alice_client, dana):
    message = MessageFactory(person=dana, subject="Coffee next week?")
    services.mark_sent(message)
    page = alice_client.get(dana.get_absolute_url()).content.decode()
    assert "Coffee next week?" in page and "Mark replied" in page

    response = alice_client.post(
        reverse("outreach:message-replied", kwargs={"message_id": message.pk}),
        {"next": dana.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == dana.get_absolute_url()
    message.refresh_from_db()
    assert message.status == Status.REPLIED
    page = alice_client.get(dana.get_absolute_url()).content.decode()
    assert "Reply: Coffee next week?" in page  # on the timeline


def test_mark_replied_never_redirects_off_site(alice_client, dana):
    message = MessageFactory(person=dana)
    services.mark_sent(message)
    response = alice_client.post(
        reverse("outreach:message-replied", kwargs={"message_id": message.pk}),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == message.get_absolute_url()


def make_messages(owner: Any, count: int) -> None:
    for index in range(count):
        person = PersonFactory(owner=owner)
        message = MessageFactory(person=person, subject=f"Question {index}")
        if index % 2:
            services.mark_sent(message)


@pytest.mark.parametrize("count", [2, 20])
def test_the_message_list_runs_a_fixed_number_of_queries(
    alice, alice_client, django_assert_num_queries, count
):
    make_messages(alice, count)
    with django_assert_num_queries(7):
        response = alice_client.get(reverse("outreach:message-list"))
    assert response.status_code == 200
    assert response.content.decode().count("Mark replied") == count // 2


@pytest.mark.parametrize("count", [2, 20])
def test_the_insight_page_runs_a_fixed_number_of_queries(
    alice, alice_client, django_assert_num_queries, count
):
    make_messages(alice, count)
    with django_assert_num_queries(5):
        response = alice_client.get(reverse("outreach:insights"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_a_message_page_runs_a_fixed_number_of_queries(
    alice, dana, alice_client, django_assert_num_queries, count
):
    for _ in range(count):
        services.mark_sent(MessageFactory(person=dana))
    draft = MessageFactory(person=dana)
    # 18: two of them read who may be named as a mutual connection (network.connections),
    # one the person's addresses (does the draft's "To" bounce?)
    with django_assert_num_queries(18):
        response = alice_client.get(draft.get_absolute_url())
    assert response.status_code == 200


def test_the_person_page_stays_at_a_fixed_number_of_queries(
    alice, dana, alice_client, django_assert_num_queries
):
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert alice_client.get(dana.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    MessageFactory(person=dana)
    few = count_queries()
    for _ in range(20):
        services.mark_sent(MessageFactory(person=dana))
    assert count_queries() == few


def test_reply_rates_by_purpose_template_channel_and_connection(alice, alice_client, dana):
    def sent(
        purpose: str, channel: str, kind: str, replied: bool, template: str = "Built-in"
    ) -> None:
        message = MessageFactory(
            person=dana,
            purpose=purpose,
            channel=channel,
            connection_kind=kind,
            template_name=template,
        )
        services.mark_sent(message)
        if replied:
            services.mark_replied(message)

    sent(Purpose.INFORMATIONAL, Channel.EMAIL, ConnectionKind.ALUMNI, True)
    sent(Purpose.INFORMATIONAL, Channel.EMAIL, ConnectionKind.COLD, False)
    sent(Purpose.INFORMATIONAL, Channel.LINKEDIN, ConnectionKind.COLD, False, "Mine")
    sent(Purpose.REFERRAL, Channel.EMAIL, ConnectionKind.INTRODUCED, True)
    MessageFactory(person=dana)  # a draft does not count

    rates = services.reply_rates(alice)

    assert (rates.total.sent, rates.total.replied, rates.total.percent) == (4, 2, 50)
    by_purpose = {r.label: (r.sent, r.replied) for r in rates.by_purpose}
    assert by_purpose == {
        "Informational request": (3, 1),
        "Referral (someone suggested I write)": (1, 1),
    }
    assert {r.label: (r.sent, r.replied) for r in rates.by_channel} == {
        "E-mail": (3, 2),
        "LinkedIn message": (1, 0),
    }
    assert {r.label: (r.sent, r.replied) for r in rates.by_connection} == {
        "Alumni": (1, 1),
        "Cold": (2, 0),
        "Introduced or referred": (1, 1),
    }
    assert {r.label: r.sent for r in rates.by_template} == {"Built-in": 3, "Mine": 1}
    page = alice_client.get(reverse("outreach:insights")).content.decode()
    assert "2 of 4 messages sent got a reply (50%)" in page


def test_a_template_copy_preview_and_an_unknown_variable(alice, alice_client, dana):
    create = reverse("outreach:template-create") + "?from=informational:email"
    page = alice_client.get(create).content.decode()
    assert "{connection}" in page and "{first_name}" in page  # the built-in text and variables

    response = alice_client.post(
        create,
        {
            "name": "Mine",
            "purpose": "informational",
            "channel": "email",
            "subject": "Hi {first_name}",
            "body": "Dear {first_nmae},",
            "is_default": "on",
        },
    )
    assert response.status_code == 200
    assert "Unknown variable {first_nmae}" in response.content.decode()
    assert not MessageTemplate.objects.exists()

    response = alice_client.post(
        create,
        {
            "name": "Mine",
            "purpose": "informational",
            "channel": "email",
            "subject": "Hi {first_name}",
            "body": "Dear {first_name}, {ask}?",
            "is_default": "on",
        },
    )
    template = MessageTemplate.objects.get()
    assert response.status_code == 302 and template.owner == alice
    preview = alice_client.get(template.get_absolute_url(), {"person": dana.pk}).content.decode()
    assert "Dear Dana, a 20-30 minute call?" in preview


def test_another_users_template_is_not_found(bob_client, alice):
    template = MessageTemplateFactory(owner=alice)
    assert (
        bob_client.get(
            reverse("outreach:template-update", kwargs={"template_id": template.pk})
        ).status_code
        == 404
    )
    assert (
        bob_client.get(
            reverse("outreach:compose"),
            {"person": PersonFactory(owner=alice).pk, "template": template.pk},
        ).status_code
        == 404
    )


def test_the_smtp_password_is_never_shown_back(alice, alice_client):
    url = reverse("outreach:smtp-settings")
    response = alice_client.post(
        url,
        {
            "host": "smtp.example.org",
            "port": 587,
            "security": "starttls",
            "username": "alice",
            "password": "hunter2-secret",
            "from_email": "alice@example.org",
        },
    )
    assert response.status_code == 302
    smtp = SmtpSettings.objects.get(owner=alice)
    assert smtp.has_password and "hunter2" not in smtp.password_encrypted
    page = alice_client.get(url).content.decode()
    assert "hunter2" not in page and smtp.password_encrypted not in page
    assert "a password is saved" in page


def test_the_eml_download_is_the_owners_only(alice_client, bob_client, dana):
    message = MessageFactory(person=dana, to_email="dana@acme.example")
    url = reverse("outreach:message-eml", kwargs={"message_id": message.pk})
    response = alice_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "message/rfc822"
    assert b"dana@acme.example" in response.content
    assert bob_client.get(url).status_code == 404


def test_the_message_list_shows_nudge_dates(alice, alice_client, dana):
    message = MessageFactory(person=dana)
    services.mark_sent(message, datetime.datetime(2026, 10, 2, 9, 0, tzinfo=datetime.UTC))
    page = alice_client.get(reverse("outreach:message-list")).content.decode()
    assert ">13 Oct<" in page
    assert timezone.now()  # the page renders whatever today is
