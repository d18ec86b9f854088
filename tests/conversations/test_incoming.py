"""Calendar messages that come in: participants' answers (iTIP REPLY) to my invitations,
and invitations from others (REQUEST, updates, CANCEL) becoming conversations."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from coffeechat.conversations.calendar_files import CalendarFileError
from coffeechat.conversations.models import Answer, Conversation, Mode, Participant, Status
from coffeechat.conversations.services import (
    reschedule_conversation,
    take_calendar_file,
    take_calendar_mail,
)
from coffeechat.conversations.services.incoming import NEW_PERSON_TAG
from coffeechat.followups.models import FollowUp, Kind
from coffeechat.followups.models import Status as FollowUpStatus
from coffeechat.network.models import Person
from tests.conversations.conftest import schedule
from tests.factories import EmailAddressFactory, PersonFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
UTC = datetime.UTC
NOW = datetime.datetime(2026, 12, 7, 18, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def reply(uid: str, address: str, partstat: str, stamp: str, *, sequence: int | None = None) -> str:
    """An iTIP REPLY the way Outlook and Google write one."""
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:Microsoft Exchange Server 2010",
        "VERSION:2.0",
        "METHOD:REPLY",
        "BEGIN:VEVENT",
        f"ATTENDEE;PARTSTAT={partstat};CN=Someone:mailto:{address}",
        "ORGANIZER;CN=Alice:mailto:alice@example.com",
        f"UID:{uid}",
        "DTSTART:20261210T090000Z",
        f"DTSTAMP:{stamp}",
        *([f"SEQUENCE:{sequence}"] if sequence is not None else []),
        f"SUMMARY;LANGUAGE=en-US:{partstat.title()}: Coffee chat",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def row(conversation: Conversation) -> Participant:
    return Participant.objects.get(conversation=conversation)


def declined_items(alice: Any) -> Any:
    return FollowUp.objects.filter(owner=alice, rule="declined")


# Answers ---------------------------------------------------------------------------


def test_it_records_an_answer_with_when_it_was_given(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    [taken] = take_calendar_mail(
        alice,
        reply(conversation.uid, "dana@acme.example", "ACCEPTED", "20261207T101500Z"),
        "dana@acme.example",
    )
    assert taken.outcome == "answered"
    answer = row(conversation)
    assert answer.answer == Answer.ACCEPTED
    assert answer.answered_at == datetime.datetime(2026, 12, 7, 10, 15, tzinfo=UTC)


def test_the_same_answer_twice_is_one_answer_and_an_older_one_never_wins(
    alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    declined = reply(conversation.uid, "dana@acme.example", "DECLINED", "20261207T101500Z")
    take_calendar_mail(alice, declined, "dana@acme.example")
    [again] = take_calendar_mail(alice, declined, "dana@acme.example")
    assert again.outcome == "unchanged"
    assert declined_items(alice).count() == 1
    older = reply(conversation.uid, "dana@acme.example", "ACCEPTED", "20261206T080000Z")
    [stale] = take_calendar_mail(alice, older, "dana@acme.example")
    assert stale.outcome == "unchanged"
    assert row(conversation).answer == Answer.DECLINED


def test_an_answer_to_an_earlier_version_changes_nothing(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    reschedule_conversation(
        alice, conversation, conversation.starts_at + datetime.timedelta(hours=1)
    )
    conversation.refresh_from_db()
    assert conversation.sequence == 1
    old = reply(conversation.uid, "dana@acme.example", "DECLINED", "20261207T101500Z", sequence=0)
    [taken] = take_calendar_mail(alice, old, "dana@acme.example")
    assert taken.outcome == "unchanged"
    assert row(conversation).answer == Answer.NEEDS_ACTION
    new = reply(conversation.uid, "dana@acme.example", "TENTATIVE", "20261207T111500Z", sequence=1)
    take_calendar_mail(alice, new, "dana@acme.example")
    assert row(conversation).answer == Answer.TENTATIVE


def test_it_matches_the_participant_by_any_of_their_addresses(alice: Any, dana: Any) -> None:
    EmailAddressFactory(person=dana, email="Dana.Reyes@Private.example", position=1)
    conversation = schedule(alice, [dana])
    # The invitation went to her first address; she answers from her private one.
    take_calendar_mail(
        alice,
        reply(conversation.uid, "dana@acme.example", "ACCEPTED", "20261207T101500Z"),
        "dana.reyes@private.example",
    )
    assert row(conversation).answer == Answer.ACCEPTED
    # Her calendar answers with the other address as the attendee.
    take_calendar_mail(
        alice,
        reply(conversation.uid, "dana.reyes@private.example", "DECLINED", "20261207T121500Z"),
        "dana.reyes@private.example",
    )
    assert row(conversation).answer == Answer.DECLINED


def test_an_answer_from_someone_not_in_the_conversation_is_ignored(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    stranger = PersonFactory(owner=alice)
    EmailAddressFactory(person=stranger, email="eve@example.org")
    [taken] = take_calendar_mail(
        alice,
        reply(conversation.uid, "eve@example.org", "DECLINED", "20261207T101500Z"),
        "eve@example.org",
    )
    assert taken.outcome == "ignored"
    assert row(conversation).answer == Answer.NEEDS_ACTION


def test_an_answer_to_another_users_invitation_is_ignored(alice: Any, bob: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    bobs_dana = PersonFactory(owner=bob)
    EmailAddressFactory(person=bobs_dana, email="dana@acme.example")
    [taken] = take_calendar_mail(
        bob,
        reply(conversation.uid, "dana@acme.example", "DECLINED", "20261207T101500Z"),
        "dana@acme.example",
    )
    assert taken.outcome == "ignored"
    assert row(conversation).answer == Answer.NEEDS_ACTION
    assert not FollowUp.objects.filter(rule="declined").exists()


def test_a_decline_proposes_another_time_until_they_accept_or_it_moves(
    alice: Any, dana: Any
) -> None:
    conversation = schedule(alice, [dana])
    take_calendar_mail(
        alice,
        reply(conversation.uid, "dana@acme.example", "DECLINED", "20261207T101500Z"),
        "dana@acme.example",
    )
    [item] = declined_items(alice)
    assert item.title == "Dana Reyes declined — propose another time?"
    assert item.kind == Kind.RESCHEDULE
    assert item.get_kind_display() == "Propose another time"
    assert item.action_url == reverse(
        "conversations:conversation-reschedule", kwargs={"conversation_id": conversation.pk}
    )
    assert item.conversation_id == conversation.pk
    assert item.person_id == dana.pk
    assert item.due_on == datetime.date(2026, 12, 7)
    take_calendar_mail(
        alice,
        reply(conversation.uid, "dana@acme.example", "ACCEPTED", "20261207T131500Z"),
        "dana@acme.example",
    )
    item.refresh_from_db()
    assert item.status == FollowUpStatus.RETIRED
    assert "Accepted" in item.closed_reason
    # Declined again, then moved: the proposal is done with, the answers start over.
    take_calendar_mail(
        alice,
        reply(conversation.uid, "dana@acme.example", "DECLINED", "20261207T141500Z"),
        "dana@acme.example",
    )
    assert declined_items(alice).filter(status=FollowUpStatus.OPEN).count() == 1
    reschedule_conversation(
        alice, conversation, conversation.starts_at + datetime.timedelta(days=1)
    )
    assert not declined_items(alice).filter(status=FollowUpStatus.OPEN).exists()
    assert row(conversation).answer == Answer.NEEDS_ACTION


# Invitations from others -------------------------------------------------------------


def file(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_an_outlook_invitation_becomes_a_scheduled_conversation(alice: Any) -> None:
    priya = PersonFactory(owner=alice, first_name="Priya", last_name="Nair")
    EmailAddressFactory(person=priya, email="Priya.Nair@contoso.example")
    [taken] = take_calendar_file(alice, file("outlook_request.ics"), "outlook_request.ics")
    assert taken.outcome == "new"
    conversation = taken.conversation
    assert conversation is not None
    conversation.refresh_from_db()
    assert conversation.status == Status.SCHEDULED
    assert conversation.title == "Coffee chat: logistics at Contoso"
    assert conversation.starts_at == datetime.datetime(2027, 6, 15, 8, 0, tzinfo=UTC)
    assert conversation.duration_minutes == 30
    assert conversation.time_zone == "Europe/Berlin"  # from "W. Europe Standard Time"
    assert conversation.mode == Mode.VIDEO
    assert conversation.mode_detail.startswith("https://teams.microsoft.example/")
    assert conversation.organizer_email == "marco.rossi@contoso.example"
    assert conversation.invitation_sent_at is None  # nothing was e-mailed
    people = [r.person for r in conversation.participant_rows.all()]
    assert [p.full_name for p in people] == ["Marco Rossi", "Priya Nair"]
    assert people[1] == priya  # matched by address, whatever its case
    marco = people[0]
    assert [t.name for t in marco.tags.all()] == [NEW_PERSON_TAG]
    assert "Coffee chat: logistics at Contoso" in marco.notes
    assert [p.full_name for p in taken.new_people] == ["Marco Rossi"]


def test_reimporting_updating_and_cancelling_follow_the_invitation(alice: Any) -> None:
    [first] = take_calendar_file(alice, file("outlook_request.ics"), "a.ics")
    [again] = take_calendar_file(alice, file("outlook_request.ics"), "a.ics")
    assert again.outcome == "unchanged"
    assert Conversation.objects.filter(owner=alice).count() == 1
    assert Person.objects.filter(owner=alice).count() == 2
    [update] = take_calendar_file(alice, file("outlook_update.ics"), "b.ics")
    assert update.outcome == "updated"
    conversation = Conversation.objects.get(owner=alice)
    assert conversation.starts_at == datetime.datetime(2027, 6, 16, 12, 30, tzinfo=UTC)
    assert conversation.duration_minutes == 45
    assert conversation.title == "Coffee chat (moved): logistics at Contoso"
    assert conversation.external_sequence == 1
    [older] = take_calendar_file(alice, file("outlook_request.ics"), "a.ics")
    assert older.outcome == "unchanged"
    conversation.refresh_from_db()
    assert conversation.external_sequence == 1
    [cancel] = take_calendar_file(alice, file("outlook_cancel.ics"), "c.ics")
    assert cancel.outcome == "cancelled"
    conversation.refresh_from_db()
    assert conversation.status == Status.CANCELLED
    [twice] = take_calendar_file(alice, file("outlook_cancel.ics"), "c.ics")
    assert twice.outcome == "unchanged"


def test_google_blackberry_lotus_and_all_day_invitations(alice: Any) -> None:
    lena = PersonFactory(owner=alice, first_name="Lena", last_name="Hoffmann")
    EmailAddressFactory(person=lena, email="lena.hoffmann@gmail.example")
    [google] = take_calendar_file(alice, file("google_request.ics"), "invite.ics")
    assert google.conversation is not None
    assert list(google.conversation.participants.all()) == [lena]
    assert google.new_people == []
    assert google.conversation.mode_detail == "https://meet.google.example/abc-defg-hij"

    [bb] = take_calendar_file(alice, file("blackberry_request.ics"), "bb.ics")
    [bb_again] = take_calendar_file(alice, file("blackberry_request.ics"), "bb.ics")
    assert bb.outcome == "new" and bb_again.outcome == "unchanged"  # the derived UID holds
    assert bb.conversation is not None
    bb.conversation.refresh_from_db()
    assert bb.conversation.time_zone == "Europe/Berlin"  # floating: read in my zone
    assert bb.conversation.starts_at == datetime.datetime(2027, 3, 5, 11, 30, tzinfo=UTC)
    assert (bb.conversation.mode, bb.conversation.mode_detail) == (
        Mode.VISIT,
        "Café Central, Herrengasse 14",
    )
    assert [p.full_name for p in bb.new_people] == ["Tom Baker"]

    [lotus] = take_calendar_file(alice, file("custom_zone_request.ics"), "notes.ics")
    assert lotus.conversation is not None
    assert lotus.conversation.starts_at == datetime.datetime(2027, 7, 7, 19, 0, tzinfo=UTC)
    assert len(lotus.new_people) == 1  # organizer and attendee are one person
    assert (lotus.conversation.mode, lotus.conversation.mode_detail) == (
        Mode.PHONE,
        "+1 555 0100 ext 42",
    )

    [day] = take_calendar_file(alice, file("all_day.ics"), "day.ics")
    assert day.conversation is not None
    day.conversation.refresh_from_db()
    assert day.conversation.duration_minutes == 480
    assert day.conversation.quick_notes == "All day: the invitation gives no time."
    # Grace (from the Lotus file) is matched, not added again.
    assert day.new_people == []


def test_my_own_invitation_is_not_imported(alice: Any, dana: Any) -> None:
    conversation = schedule(alice, [dana])
    from coffeechat.conversations.ics import REQUEST, build_calendar

    [taken] = take_calendar_file(alice, build_calendar(conversation, REQUEST), "mine.ics")
    assert taken.outcome == "ignored"
    assert Conversation.objects.filter(owner=alice).count() == 1


def test_two_users_may_hold_the_same_invitation(alice: Any, bob: Any) -> None:
    take_calendar_file(alice, file("outlook_request.ics"), "a.ics")
    take_calendar_file(bob, file("outlook_request.ics"), "a.ics")
    assert Conversation.objects.filter(owner=alice).count() == 1
    assert Conversation.objects.filter(owner=bob).count() == 1
    bobs = Conversation.objects.get(owner=bob)
    assert {p.owner_id for p in bobs.participants.all()} == {bob.pk}


def test_a_file_lands_whole_or_not_at_all(alice: Any) -> None:
    good = file("google_request.ics").decode().split("END:VCALENDAR")[0]
    only_me = (
        "BEGIN:VEVENT\r\nUID:second@example.com\r\nDTSTART:20270101T100000Z\r\n"
        "ORGANIZER:mailto:alice@example.com\r\nSUMMARY:Just me\r\nEND:VEVENT\r\n"
    )
    data = good + only_me + "END:VCALENDAR\r\n"
    with pytest.raises(CalendarFileError) as caught:
        take_calendar_file(alice, data, "two.ics")
    assert str(caught.value) == (
        "two.ics, line 50, ATTENDEE: Nobody but you is in this invitation."
    )
    assert not Conversation.objects.filter(owner=alice).exists()
    assert not Person.objects.filter(owner=alice).exists()


def test_an_unreadable_calendar_part_in_mail_is_skipped(alice: Any) -> None:
    assert take_calendar_mail(alice, b"BEGIN:VCALENDAR\r\nnonsense", "x@example.org") == []
