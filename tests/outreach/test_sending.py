"""Sending to a real SMTP server (aiosmtpd), .eml files, status, timeline, nudge dates, CLI."""

from __future__ import annotations

import datetime
import email
import json
from email.policy import default
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from coffeechat.network.models import Direction, Interaction, InteractionKind
from coffeechat.outreach import mail, services, signals
from coffeechat.outreach.models import MAX_BODY, Channel, Message, Purpose, SmtpSettings, Status
from coffeechat.outreach.secrets import decrypt
from tests.factories import MessageFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(alice: Any) -> Any:
    profile = alice.profile
    profile.full_name = "Zoë Müller-Łukasik"
    profile.signature = "Zoë Müller-Łukasik\nData analyst, Berlin"
    profile.save()
    return alice


@pytest.fixture
def draft(named: Any, dana: Any) -> Message:
    dana.first_name, dana.last_name = "Dana", "Ñúñez"
    dana.save()
    return services.save_draft(named, services.compose(named, dana, Purpose.INFORMATIONAL))


def test_it_sends_to_a_real_smtp_server_and_the_mail_reads_back(smtp_server, draft):
    collector, _port = smtp_server

    services.send_email(draft)

    assert len(collector.envelopes) == 1
    envelope = collector.envelopes[0]
    assert envelope.mail_from == "alice@example.com"
    assert envelope.rcpt_tos == ["dana@acme.example"]
    parsed = collector.parsed()[0]
    assert parsed["From"].addresses[0].display_name == "Zoë Müller-Łukasik"
    assert parsed["From"].addresses[0].addr_spec == "alice@example.com"
    assert parsed["To"].addresses[0].display_name == "Dana Ñúñez"
    assert parsed["Subject"] == "A question about your work at Acme"
    assert parsed["Reply-To"].addresses[0].addr_spec == "alice@example.com"
    assert parsed["Sender"] == "coffeechat@localhost"
    raw_headers = envelope.content.split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in raw_headers.lower()  # non-ASCII names are encoded words
    body = parsed.get_content().replace("\r\n", "\n")
    assert body.rstrip().endswith("Zoë Müller-Łukasik\nData analyst, Berlin")
    assert parsed["Message-ID"] == draft.email_message_id
    draft.refresh_from_db()
    assert draft.status == Status.SENT and draft.sent_at is not None


def test_sending_marks_sent_on_the_timeline_with_nudge_dates(smtp_server, draft):
    # Friday 2 October 2026 in Germany: 3 business days later is Wednesday 7 October
    # (Saturday 3 October, German Unity Day, is a weekend day anyway), 7 is 13 October.
    with time_machine.travel(datetime.datetime(2026, 10, 2, 9, 0, tzinfo=datetime.UTC)):
        services.send_email(draft)
    draft.refresh_from_db()
    assert draft.try_another_on == datetime.date(2026, 10, 7)
    assert draft.nudge_due_on == datetime.date(2026, 10, 13)
    entry = Interaction.objects.get(source_key=f"outreach:message:{draft.pk}")
    assert entry.kind == InteractionKind.EMAIL
    assert entry.direction == Direction.SENT
    assert entry.person_id == draft.person_id
    assert entry.subject == draft.subject


def test_nudge_dates_skip_public_holidays_of_my_country(alice, dana):
    message = MessageFactory(person=dana)
    # Thursday 24 December 2026 in Germany: 25 and 26 December are holidays, 27 a Sunday.
    services.mark_sent(message, datetime.datetime(2026, 12, 24, 9, 0, tzinfo=datetime.UTC))
    assert message.try_another_on == datetime.date(2026, 12, 30)
    assert message.nudge_due_on == datetime.date(2027, 1, 6)


def test_a_thank_you_has_no_nudge_dates(alice, dana):
    message = MessageFactory(person=dana, purpose=Purpose.THANK_YOU)
    services.mark_sent(message)
    assert message.try_another_on is None and message.nudge_due_on is None


def test_it_refuses_a_line_break_in_the_subject(smtp_server, draft):
    collector, _port = smtp_server
    draft.subject = "Hello\r\nBcc: everyone@example.org"
    with pytest.raises(ValidationError, match="line break"):
        services.send_email(draft)
    assert collector.envelopes == []
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_it_refuses_an_oversized_body(smtp_server, draft):
    draft.body = "x" * (MAX_BODY + 1)
    with pytest.raises(ValidationError, match="the limit is 10,000"):
        services.send_email(draft)


@pytest.mark.parametrize("address", ["not-an-address", "dana@", "a@b.org\nBcc: x@y.org", ""])
def test_it_refuses_what_is_not_an_e_mail_address(smtp_server, draft, address):
    draft.to_email = address
    with pytest.raises(ValidationError) as error:
        services.send_email(draft)
    assert "to_email" in error.value.message_dict
    assert smtp_server[0].envelopes == []


def test_it_refuses_to_send_without_a_mail_server(settings, draft):
    settings.MAILERS = {"default": {"BACKEND": mail.CONSOLE}}
    with pytest.raises(ValidationError, match="No way to send e-mail is configured"):
        services.send_email(draft)


def test_it_refuses_a_do_not_contact_person_unless_dismissed(smtp_server, draft):
    draft.person.do_not_contact = True
    draft.person.save()
    with pytest.raises(ValidationError, match="do not contact"):
        services.send_email(draft)
    draft.dismissed_checks = ["do_not_contact"]
    services.send_email(draft)
    assert len(smtp_server[0].envelopes) == 1


def test_the_eml_file_parses_back_with_the_standard_library(draft):
    data = mail.eml_bytes(draft)
    parsed = email.message_from_bytes(data, policy=default)
    assert parsed["To"].addresses[0].addr_spec == "dana@acme.example"
    assert parsed["From"].addresses[0].display_name == "Zoë Müller-Łukasik"
    assert parsed["Subject"] == draft.subject
    assert parsed.get_content().replace("\r\n", "\n").rstrip() == draft.body
    assert parsed["Message-ID"]


def test_the_eml_file_is_a_draft_with_crlf_line_endings(draft):
    data = mail.eml_bytes(draft)
    assert b"\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")  # no bare LF anywhere
    parsed = email.message_from_bytes(data, policy=default)
    assert parsed["X-Unsent"] == "1"
    assert parsed.get_content().replace("\r\n", "\n").rstrip() == draft.body


def test_the_eml_message_id_is_stable_for_one_message(draft, named, dana):
    first = email.message_from_bytes(mail.eml_bytes(draft), policy=default)["Message-ID"]
    again = email.message_from_bytes(mail.eml_bytes(draft), policy=default)["Message-ID"]
    other = MessageFactory(person=dana, to_email="dana@acme.example")
    third = email.message_from_bytes(mail.eml_bytes(other), policy=default)["Message-ID"]
    assert first == again != third
    assert first.startswith("<") and first.endswith(">") and "@" in first


def test_the_mailto_link_carries_subject_and_body(draft):
    url = mail.mailto_url(draft)
    assert url.startswith("mailto:dana@acme.example?subject=A%20question")
    assert "Hello%20Dana%2C%0D%0A%0D%0A" in url
    assert "%0A" not in url.replace("%0D%0A", "")


def test_a_text_too_long_for_a_mailto_link_offers_copy_and_eml(draft, client):
    draft.body = "A sentence that goes on. " * 80  # 2,000 characters
    draft.save()
    assert mail.mailto_url(draft) == ""
    client.force_login(draft.owner)
    page = client.get(f"/outreach/messages/{draft.pk}/").content.decode()
    assert 'id="mailto-too-long"' in page and "too long for a mailto: link" in page
    assert "Copy text" in page and "Download .eml" in page
    assert 'href="mailto:' not in page


def test_a_short_text_keeps_its_mailto_link(draft, client):
    client.force_login(draft.owner)
    page = client.get(f"/outreach/messages/{draft.pk}/").content.decode()
    assert 'href="mailto:dana@acme.example?' in page
    assert 'id="mailto-too-long"' not in page


def test_per_user_smtp_is_used_and_its_password_is_encrypted_at_rest(smtp_server, settings, draft):
    collector, port = smtp_server
    settings.MAILERS = {"default": {"BACKEND": mail.CONSOLE}}  # the instance cannot send
    smtp = services.save_smtp_settings(
        draft.owner,
        host="127.0.0.1",
        port=port,
        security="none",
        username="",
        password="s3cret-pässword",
        from_email="zoe@mydomain.example",
    )
    stored = SmtpSettings.objects.values_list("password_encrypted", flat=True).get(pk=smtp.pk)
    assert "s3cret" not in stored and stored
    assert decrypt(stored) == "s3cret-pässword"
    # Saving again without a password keeps the stored one.
    services.save_smtp_settings(
        draft.owner,
        host="127.0.0.1",
        port=port,
        security="none",
        username="",
        password=None,
        from_email="zoe@mydomain.example",
    )
    assert decrypt(SmtpSettings.objects.get(pk=smtp.pk).password_encrypted) == "s3cret-pässword"

    services.send_email(draft)

    assert collector.envelopes[0].mail_from == "zoe@mydomain.example"
    parsed = collector.parsed()[0]
    assert parsed["From"].addresses[0].addr_spec == "zoe@mydomain.example"
    assert "Sender" not in parsed


def test_a_refusing_server_leaves_a_draft_with_the_reason(settings, draft):
    from tests.ports import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    with pytest.raises(ValidationError, match="Cannot connect to 127.0.0.1:.*connection refused"):
        services.send_email(draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.send_error.startswith("Cannot connect to 127.0.0.1:")


def test_marking_replied_sends_signals_and_reaches_the_nudged_message(alice, dana):
    received: list[tuple[str, Any]] = []

    def on_status(sender: Any, message: Message, old: str, new: str, **kwargs: Any) -> None:
        received.append((f"{old}->{new}", message.pk))

    def on_replied(sender: Any, message: Message, **kwargs: Any) -> None:
        received.append(("replied", message.pk))

    signals.message_status_changed.connect(on_status)
    signals.message_replied.connect(on_replied)
    try:
        first = MessageFactory(person=dana)
        services.mark_sent(first)
        nudge = MessageFactory(person=dana, purpose=Purpose.NUDGE, nudge_of=first)
        services.mark_sent(nudge)
        services.mark_replied(nudge)
    finally:
        signals.message_status_changed.disconnect(on_status)
        signals.message_replied.disconnect(on_replied)

    first.refresh_from_db()
    assert first.status == Status.REPLIED and nudge.status == Status.REPLIED
    assert received == [
        ("draft->sent", first.pk),
        ("draft->sent", nudge.pk),
        ("sent->replied", nudge.pk),
        ("sent->replied", first.pk),
        ("replied", nudge.pk),
    ]
    reply = Interaction.objects.get(source_key=f"outreach:reply:{nudge.pk}")
    assert reply.direction == Direction.RECEIVED


def test_message_sent_signal(alice, dana):
    got: list[int] = []

    def on_sent(sender: Any, message: Message, **kwargs: Any) -> None:
        got.append(message.pk)

    signals.message_sent.connect(on_sent)
    try:
        message = MessageFactory(person=dana, channel=Channel.LINKEDIN, to_email="")
        services.mark_sent(message)
    finally:
        signals.message_sent.disconnect(on_sent)
    assert got == [message.pk]
    assert Interaction.objects.get(source_key=f"outreach:message:{message.pk}").kind == (
        InteractionKind.LINKEDIN_MESSAGE
    )


def test_status_changes_are_checked(alice, dana):
    message = MessageFactory(person=dana)
    with pytest.raises(ValidationError):
        services.mark_replied(message)  # not sent yet
    services.mark_sent(message)
    with pytest.raises(ValidationError):
        services.mark_sent(message)  # twice
    services.set_status(message, Status.BOUNCED)
    assert message.status == Status.BOUNCED and message.status_changed_at is not None
    with pytest.raises(ValidationError):
        services.set_status(message, "lost")


def test_send_queued_sends_the_queue_and_reports_failures(smtp_server, alice, dana):
    collector, _port = smtp_server
    good = services.queue(MessageFactory(person=dana, to_email="dana@acme.example"))
    other = PersonFactory(owner=alice, first_name="Kim")
    bad = MessageFactory(person=other, to_email="kim@acme.example", queued_at=good.queued_at)
    Message.objects.filter(pk=bad.pk).update(to_email="kim at acme")
    untouched = MessageFactory(person=dana)  # a draft, not queued

    out = StringIO()
    call_command("send-queued", "--dry-run", "--user", alice.email, stdout=out)
    assert "Would send" in out.getvalue() and collector.envelopes == []

    out = StringIO()
    with pytest.raises(CommandError, match="1 message"):
        call_command("send-queued", stdout=out)

    assert "Sent: “A question about your work” to" in out.getvalue()
    assert "Not sent" in out.getvalue() and "is not an e-mail address" in out.getvalue()
    assert [e.rcpt_tos for e in collector.envelopes] == [["dana@acme.example"]]
    good.refresh_from_db()
    bad.refresh_from_db()
    untouched.refresh_from_db()  # noqa: E702
    assert good.status == Status.SENT and good.queued_at is None
    assert bad.status == Status.DRAFT and bad.queued_at is not None
    assert untouched.status == Status.DRAFT


def test_send_queued_with_an_empty_queue(alice):
    out = StringIO()
    call_command("send-queued", "--user", alice.email, stdout=out)
    assert "Nothing is queued." in out.getvalue()


def test_send_queued_prints_what_it_sent_and_what_failed_as_json(smtp_server, alice, dana):
    collector, _port = smtp_server
    good = services.queue(MessageFactory(person=dana, to_email="dana@acme.example"))
    other = PersonFactory(owner=alice, first_name="Kim")
    bad = MessageFactory(person=other, to_email="kim@acme.example", queued_at=good.queued_at)
    Message.objects.filter(pk=bad.pk).update(to_email="kim at acme")

    out = StringIO()
    call_command("send-queued", "--dry-run", "--json", "--user", alice.email, stdout=out)
    planned = json.loads(out.getvalue())
    assert planned["dry_run"] is True
    assert [row["id"] for row in planned["sent"]] == [good.pk, bad.pk]
    assert planned["failed"] == [] and collector.envelopes == []

    out = StringIO()
    with pytest.raises(CommandError, match="1 message"):
        call_command("send-queued", "--json", stdout=out)
    done = json.loads(out.getvalue())  # one JSON document, nothing else on stdout
    assert done["dry_run"] is False
    assert done["sent"] == [
        {
            "id": good.pk,
            "subject": good.subject,
            "to_email": "dana@acme.example",
            "person_id": dana.pk,
            "person": dana.full_name,
        }
    ]
    assert [(row["id"], row["to_email"]) for row in done["failed"]] == [(bad.pk, "kim at acme")]
    assert "is not an e-mail address" in done["failed"][0]["reason"]
    assert [e.rcpt_tos for e in collector.envelopes] == [["dana@acme.example"]]


def test_send_queued_prints_an_empty_queue_as_json(alice):
    out = StringIO()
    call_command("send-queued", "--json", "--user", alice.email, stdout=out)
    assert json.loads(out.getvalue()) == {"dry_run": False, "sent": [], "failed": []}
