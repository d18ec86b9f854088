"""Mail I sent from another program closes the follow-up it answers, as the same message
sent from Coffeechat would (issue 17): a thank-you, a nudge, a keep-in-touch note."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from coffeechat.conversations import services as conversations
from coffeechat.followups import rules
from coffeechat.followups.models import ACTIVE, FollowUp, Kind, Status
from coffeechat.mailbox import services
from coffeechat.mailbox.models import Mailbox
from coffeechat.network.models import Person
from coffeechat.outreach.models import Message
from coffeechat.outreach.services import mark_sent
from tests.conversations.conftest import schedule
from tests.factories import MessageFactory
from tests.mailbox import messages
from tests.mailbox.conftest import NOW
from tests.mailbox.dovecot import Dovecot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_clock")]
MET_AT = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)


def sent_from_phone(server: Dovecot, *, subject: str, date: str, message_id: str) -> None:
    server.append(
        "Sent",
        messages.apple_mail(
            from_name="Alice",
            from_address="alice@example.com",
            to_name="Lena Hoffmann",
            to_address="lena.hoffmann@gmail.example",
            subject=subject,
            message_id=message_id,
            date=date,
            text="Thank you for your time yesterday — it helped a lot.",
        ),
    )


def test_a_thank_you_sent_from_elsewhere_closes_the_thank_you_follow_up(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    conversation = schedule(alice, [lena], starts_at=MET_AT)
    conversations.mark_held(alice, conversation)
    thank_you = FollowUp.objects.get(owner=alice, kind=Kind.THANK_YOU, person=lena)
    # Mail from before the conversation is not its thank-you.
    before = "Sat, 28 Nov 2026 10:00:00 +0100"
    sent_from_phone(dovecot, subject="See you Monday", date=before, message_id="<a1@x>")
    services.sync_now(alice)
    thank_you.refresh_from_db()
    assert thank_you.status == Status.OPEN

    sent_from_phone(
        dovecot, subject="Thank you!", date="Tue, 1 Dec 2026 18:00:00 +0100", message_id="<a2@x>"
    )
    result = services.sync_now(alice)

    assert result.sent_logged == 1
    thank_you.refresh_from_db()
    assert thank_you.status == Status.DONE
    assert thank_you.closed_reason == "Sent from your mailbox on 1 December 2026."


def test_a_nudge_sent_from_elsewhere_closes_the_nudge_and_plans_the_next_step(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    asked = MessageFactory(
        owner=alice, person=lena, to_email="lena.hoffmann@gmail.example", subject="Your path"
    )
    asked.email_message_id = "<coffeechat.1.abc@example.com>"
    asked.save()
    with time_machine.travel(datetime.datetime(2026, 11, 16, 9, tzinfo=datetime.UTC)):
        mark_sent(asked, datetime.datetime(2026, 11, 16, 9, tzinfo=datetime.UTC))
    nudge = FollowUp.objects.get(owner=alice, rule_key__endswith=":nudge:1")
    assert nudge.status == Status.OPEN

    sent_from_phone(
        dovecot,
        subject="Re: Your path",
        date="Wed, 2 Dec 2026 08:00:00 +0100",
        message_id="<nudge@x>",
    )
    services.sync_now(alice)

    nudge.refresh_from_db()
    assert nudge.status == Status.DONE
    assert nudge.closed_reason == "Sent from your mailbox on 2 December 2026."
    # The thread moves on as after a nudge sent from Coffeechat: the next step is planned
    # from the day the nudge went out.
    upcoming = FollowUp.objects.filter(owner=alice, person=lena, status__in=ACTIVE).exclude(
        pk=nudge.pk
    )
    keys = {item.rule_key.split(":", 3)[-1] for item in upcoming}
    assert keys & {"nudge:2", "stop"}
    assert all(item.due_on > datetime.date(2026, 12, 2) for item in upcoming)
    assert Message.objects.filter(owner=alice).count() == 1, "no message is invented"


def test_sent_mail_counts_as_contact_for_the_keep_in_touch_cadence(
    alice: Any, mailbox: Mailbox, dovecot: Dovecot, lena: Person
) -> None:
    Person.objects.filter(pk=lena.pk).update(
        keep_in_touch_days=30, last_contacted_on=datetime.date(2026, 10, 1)
    )
    rules.keep_in_touch(NOW)
    item = FollowUp.objects.get(owner=alice, kind=Kind.KEEP_IN_TOUCH)
    assert item.status == Status.OPEN
    # Old mail read for the first time (from before the item was due) answers nothing.
    old = "Tue, 1 Sep 2026 18:00:00 +0200"
    sent_from_phone(dovecot, subject="Summer", date=old, message_id="<old@x>")
    services.sync_now(alice)
    item.refresh_from_db()
    assert item.status == Status.OPEN

    sent_from_phone(
        dovecot, subject="Long time", date="Tue, 1 Dec 2026 18:00:00 +0100", message_id="<k@x>"
    )
    services.sync_now(alice)

    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.closed_reason == "Sent from your mailbox on 1 December 2026."
    lena.refresh_from_db()
    assert lena.last_contacted_on == datetime.date(2026, 12, 1)
    rules.keep_in_touch(NOW)  # the next one is 30 days after the mail, not due yet
    later = FollowUp.objects.filter(owner=alice, kind=Kind.KEEP_IN_TOUCH, status__in=ACTIVE)
    assert [f.due_on for f in later] == [datetime.date(2026, 12, 31)]
