"""A conversation's .ics download: the organizer and UID its invitation and the feed use."""

from __future__ import annotations

from typing import Any

import icalendar
import vobject
from django.test import Client
from django.urls import reverse

from coffeechat.followups.services import new_feed_token
from coffeechat.outreach.services import save_smtp_settings
from tests.conversations.conftest import schedule


def download(client: Client, conversation: Any) -> tuple[Any, Any]:
    url = reverse("conversations:conversation-ics", kwargs={"conversation_id": conversation.pk})
    response = client.get(url)
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar.walk("VEVENT")[0], vobject.readOne(response.content.decode()).vevent


def test_its_organizer_is_the_account_address_without_an_own_mail_server(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])

    event, vevent = download(alice_client, conversation)

    assert str(event["ORGANIZER"]) == f"mailto:{alice.email}"
    assert vevent.organizer.value == f"mailto:{alice.email}"


def test_its_organizer_is_the_address_of_the_users_own_mail_server(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    save_smtp_settings(
        alice,
        host="127.0.0.1",
        port=2525,
        security="none",
        username="",
        password=None,
        from_email="alice@own.example",
    )
    conversation = schedule(alice, [dana])

    event, vevent = download(alice_client, conversation)

    assert str(event["ORGANIZER"]) == "mailto:alice@own.example"
    assert vevent.organizer.value == "mailto:alice@own.example"


def test_its_uid_is_the_one_of_the_feed_and_the_invitation(
    alice_client: Client, alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    feed = Client().get(reverse("followups:calendar-feed", kwargs={"token": new_feed_token(alice)}))

    event, vevent = download(alice_client, conversation)

    feed_uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")]
    vfeed_uids = [e.uid.value for e in vobject.readOne(feed.content.decode()).vevent_list]
    assert str(event["UID"]) == vevent.uid.value == conversation.uid
    assert conversation.uid in feed_uids and conversation.uid in vfeed_uids
