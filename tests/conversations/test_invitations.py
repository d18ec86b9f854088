"""E-mailed invitations, sent to a real SMTP server (aiosmtpd) started by the test.

Every calendar part is parsed with icalendar and with vobject.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import time
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest
import time_machine
import vobject
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.utils import timezone

from coffeechat.conversations import services
from coffeechat.conversations.models import Conversation, Mode
from coffeechat.outreach.services import save_smtp_settings
from tests.conversations.conftest import schedule
from tests.factories import EmailAddressFactory, PersonFactory
from tests.ports import free_port

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def wait_for(self, count: int) -> list[Mail]:
        deadline = time.monotonic() + 10
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.05)
        assert len(self.messages) == count
        found = [Mail(*m) for m in self.messages]
        self.messages.clear()
        return found


class Mail:
    """One delivered message, its parts checked, its calendar parsed twice."""

    def __init__(self, mail_from: str, recipients: list[str], raw: bytes) -> None:
        self.mail_from = mail_from
        self.recipients = recipients
        self.message: Any = email.message_from_bytes(raw, policy=email.policy.default)
        assert self.message.get_content_type() == "multipart/mixed"
        alternative, attachment = self.message.get_payload()
        assert alternative.get_content_type() == "multipart/alternative"
        text, html, calendar = alternative.get_payload()
        assert text.get_content_type() == "text/plain"
        assert html.get_content_type() == "text/html"
        assert calendar.get_content_type() == "text/calendar"
        assert attachment.get_content_type() == "application/ics"
        assert attachment.get_filename() == "invite.ics"
        assert attachment.get_param("method") == calendar.get_param("method")
        self.text: str = text.get_content()
        self.html: str = html.get_content()
        self.method = calendar.get_param("method")
        source = calendar.get_content()
        self.calendar = icalendar.Calendar.from_ical(source)
        self.event = self.calendar.walk("VEVENT")[0]
        self.vobject = vobject.readOne(source)
        assert self.vobject.method.value == self.method == str(self.calendar["METHOD"])
        assert self.vobject.vevent.uid.value == str(self.event["UID"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def sequence(self) -> int:
        assert int(self.vobject.vevent.sequence.value) == int(self.event["SEQUENCE"])
        return int(self.event["SEQUENCE"])

    @property
    def attendees(self) -> list[str]:
        found = self.event.get("ATTENDEE", [])
        found = found if isinstance(found, list) else [found]
        return sorted(str(a).removeprefix("mailto:") for a in found)


def start(handler: Inbox) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    """The instance's mail server (EMAIL_URL)."""
    handler = Inbox()
    controller, port = start(handler)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    settings.EMAIL_CONFIGURED = True
    settings.DEFAULT_FROM_EMAIL = "Coffeechat <coffeechat@instance.example>"
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def no_server(settings: Any) -> None:
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    settings.EMAIL_CONFIGURED = False


@pytest.fixture
def erin(alice: Any) -> Any:
    person = PersonFactory(owner=alice, first_name="Erin", last_name="Bauer", time_zone="")
    EmailAddressFactory(person=person, email="erin@example.org")
    return person


def invited(alice: Any, people: list[Any], inbox: Inbox) -> Conversation:
    conversation = schedule(alice, people, invite=True)
    inbox.wait_for(len(people))
    conversation.refresh_from_db()
    return conversation


def test_it_sends_the_invitation_from_the_instance_for_the_user(
    inbox: Inbox, alice: Any, dana: Any
) -> None:
    alice.profile.full_name = "Alice Martin"
    alice.profile.time_zone = "Europe/Berlin"
    alice.profile.save()
    conversation = schedule(alice, [dana], invite=True, mode_detail="https://meet.example/chat")
    (mail,) = inbox.wait_for(1)

    assert mail.recipients == ["dana@acme.example"]
    assert mail.mail_from == "coffeechat@instance.example"
    assert mail.message["From"].addresses[0].addr_spec == "coffeechat@instance.example"
    assert "Alice Martin" in str(mail.message["From"])
    assert mail.message["Reply-To"].addresses[0].addr_spec == "alice@example.com"
    assert mail.method == "REQUEST" and mail.sequence == 0
    assert mail.subject.startswith("Invitation: coffee chat")
    assert str(mail.event["ORGANIZER"]) == "mailto:alice@example.com"
    assert str(mail.event["UID"]) == conversation.uid
    # Dana lives in New York, Alice in Berlin: both times, in the text and the HTML.
    local = conversation.starts_at.astimezone(datetime.UTC)
    assert "When: " in mail.text and "Your time: " in mail.text
    assert "(CET)" in mail.text or "(CEST)" in mail.text
    assert "(EST)" in mail.text or "(EDT)" in mail.text
    assert "Your time: " in mail.html
    assert '<a href="https://meet.example/chat"' in mail.html
    assert mail.event.decoded("DTSTART") == local
    conversation.refresh_from_db()
    assert conversation.invitation_sent_at is not None


def test_it_sends_through_the_users_own_server_from_the_user(
    no_server: None, alice: Any, dana: Any
) -> None:
    """The instance has no mail server: the user's own is enough."""
    own = Inbox()
    controller, port = start(own)
    try:
        save_smtp_settings(
            alice,
            host="127.0.0.1",
            port=port,
            security="none",
            username="",
            password=None,
            from_email="alice@own.example",
        )
        schedule(alice, [dana], invite=True)
        (mail,) = own.wait_for(1)
    finally:
        controller.stop()
    assert mail.mail_from == "alice@own.example"
    assert mail.message["From"].addresses[0].addr_spec == "alice@own.example"
    assert str(mail.event["ORGANIZER"]) == "mailto:alice@own.example"
    assert mail.vobject.vevent.organizer.value == "mailto:alice@own.example"
    assert mail.message["Sender"] is None


def test_it_sends_an_update_to_everyone_when_the_place_changes(
    inbox: Inbox, alice: Any, dana: Any, erin: Any
) -> None:
    conversation = invited(alice, [dana, erin], inbox)
    conversation.mode = Mode.COFFEE
    conversation.mode_detail = "Café Central, Herrengasse 14"
    services.update_conversation(alice, conversation)
    mails = inbox.wait_for(2)

    assert sorted(r for m in mails for r in m.recipients) == [
        "dana@acme.example",
        "erin@example.org",
    ]
    for mail in mails:
        assert mail.method == "REQUEST" and mail.sequence == 1
        assert mail.subject.startswith("Updated:")
        assert str(mail.event["LOCATION"]) == "Café Central, Herrengasse 14"
        assert mail.vobject.vevent.location.value == "Café Central, Herrengasse 14"


def test_it_invites_a_person_added_and_updates_the_others(
    inbox: Inbox, alice: Any, dana: Any, erin: Any
) -> None:
    conversation = invited(alice, [dana], inbox)
    services.update_conversation(alice, conversation, [dana, erin])
    mails = {m.recipients[0]: m for m in inbox.wait_for(2)}

    assert mails["erin@example.org"].subject.startswith("Invitation:")
    assert mails["dana@acme.example"].subject.startswith("Updated:")
    for mail in mails.values():
        assert mail.method == "REQUEST" and mail.sequence == 1
        assert mail.attendees == ["dana@acme.example", "erin@example.org"]


def test_it_cancels_for_a_person_removed_and_updates_the_others(
    inbox: Inbox, alice: Any, dana: Any, erin: Any
) -> None:
    conversation = invited(alice, [dana, erin], inbox)
    services.update_conversation(alice, conversation, [dana])
    mails = {m.recipients[0]: m for m in inbox.wait_for(2)}

    removed = mails["erin@example.org"]
    assert removed.method == "CANCEL" and removed.sequence == 1
    assert removed.attendees == ["erin@example.org"]
    assert "STATUS" not in removed.event  # only Erin is taken off, the event stands
    assert removed.subject.startswith("Cancelled:")
    kept = mails["dana@acme.example"]
    assert kept.method == "REQUEST" and kept.attendees == ["dana@acme.example"]
    assert str(kept.event["UID"]) == str(removed.event["UID"]) == conversation.uid


def test_it_sends_the_new_time_and_then_the_cancellation(
    inbox: Inbox, alice: Any, dana: Any
) -> None:
    conversation = invited(alice, [dana], inbox)
    services.reschedule_conversation(
        alice, conversation, conversation.starts_at + datetime.timedelta(days=1)
    )
    (mail,) = inbox.wait_for(1)
    assert mail.method == "REQUEST" and mail.sequence == 1
    assert mail.event.decoded("DTSTART") == conversation.starts_at
    assert mail.vobject.vevent.dtstart.value == conversation.starts_at

    services.cancel_conversation(alice, conversation)
    (mail,) = inbox.wait_for(1)
    assert mail.method == "CANCEL" and mail.sequence == 2
    assert str(mail.event["STATUS"]) == "CANCELLED"
    assert mail.vobject.vevent.status.value == "CANCELLED"
    assert mail.subject.startswith("Cancelled:")


def test_the_cancellation_subject_uses_the_local_date(inbox: Inbox, alice: Any, erin: Any) -> None:
    alice.profile.time_zone = "Europe/Berlin"
    alice.profile.save()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC), tick=True):
        # 23:30 UTC on 9 March is already 10 March in Berlin.
        starts_at = datetime.datetime(2026, 3, 9, 23, 30, tzinfo=datetime.UTC)
        conversation = schedule(alice, [erin], starts_at=starts_at, invite=True)
        inbox.wait_for(1)
        conversation.refresh_from_db()
        services.cancel_conversation(alice, conversation)
        (mail,) = inbox.wait_for(1)
    assert mail.subject == "Cancelled: coffee chat on 10 Mar 2026"


def test_a_change_that_means_nothing_to_the_calendar_sends_nothing(
    inbox: Inbox, alice: Any, dana: Any
) -> None:
    conversation = invited(alice, [dana], inbox)
    conversation.quick_notes = "Bring the CV"
    services.update_conversation(alice, conversation)
    time.sleep(0.2)
    assert inbox.messages == []
    conversation.refresh_from_db()
    assert conversation.sequence == 0


def test_scheduling_in_the_past_does_not_e_mail_and_says_so(
    inbox: Inbox, alice: Any, dana: Any
) -> None:
    past = timezone.now() - datetime.timedelta(days=2)
    conversation = schedule(alice, [dana], starts_at=past, invite=True)
    assert "in the past" in conversation.invitation_report  # type: ignore[attr-defined]
    time.sleep(0.2)
    assert inbox.messages == []


def test_it_refuses_to_invite_when_no_server_can_send(
    no_server: None, alice: Any, dana: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        schedule(alice, [dana], invite=True)
    assert "No mail server can send" in str(raised.value)
    assert not Conversation.objects.filter(owner=alice).exists()


def test_the_page_says_why_it_cannot_invite(
    no_server: None, alice: Any, alice_client: Any, dana: Any
) -> None:
    day = (timezone.now() + datetime.timedelta(days=3)).date()
    response = alice_client.post(
        "/conversations/new/",
        {
            "people": [dana.pk],
            "day": day.isoformat(),
            "at": "10:00",
            "time_zone": "UTC",
            "duration_minutes": 30,
            "mode": "video",
            "purpose": "informational",
            "invite": "on",
        },
    )
    assert response.status_code == 200
    assert "No mail server can send" in response.content.decode()
    assert not Conversation.objects.filter(owner=alice).exists()


def test_a_refusing_server_is_reported_and_the_conversation_kept(
    settings: Any, alice: Any, dana: Any
) -> None:
    settings.EMAIL_CONFIGURED = True
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    conversation = schedule(alice, [dana], invite=True)
    assert "could not be sent" in conversation.invitation_report  # type: ignore[attr-defined]
    assert conversation.pk is not None


def test_the_invite_button_says_why_it_cannot_send(
    no_server: None, alice: Any, alice_client: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    response = alice_client.post(f"/conversations/{conversation.pk}/invite/", follow=True)
    assert "No mail server can send" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.invitation_sent_at is None


def test_the_api_refuses_invite_true_when_no_server_can_send(
    no_server: None, alice: Any, dana: Any, client: Any
) -> None:
    from coffeechat.accounts.services import create_api_token

    _row, token = create_api_token(alice, "test")
    starts = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        "/api/v1/conversations",
        {"person_ids": [dana.pk], "starts_at": starts, "invite": True},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert "No mail server can send" in response.content.decode()
    assert not Conversation.objects.filter(owner=alice).exists()


def test_it_keeps_the_sent_invitation_on_the_object_it_returns(
    inbox: Inbox, alice: Any, dana: Any, erin: Any
) -> None:
    conversation = schedule(alice, [dana], invite=True)
    inbox.wait_for(1)
    assert conversation.invitation_sent_at is not None
    services.update_conversation(alice, conversation, [dana, erin])  # the same object
    assert len(inbox.wait_for(2)) == 2


def test_a_held_conversation_sends_nothing_when_corrected(
    inbox: Inbox, alice: Any, dana: Any
) -> None:
    conversation = invited(alice, [dana], inbox)
    services.mark_held(alice, conversation)
    conversation.mode_detail = "Room 4"
    services.update_conversation(alice, conversation)
    time.sleep(0.2)
    assert inbox.messages == []
