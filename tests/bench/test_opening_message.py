"""The "something has opened up" message, keep-warm notes, and the picked follow-ups closing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from coffeechat.bench import services
from coffeechat.followups.models import FollowUp, Status
from coffeechat.network.models import Channel as PersonChannel
from coffeechat.outreach import purposes
from coffeechat.outreach.models import Channel, Purpose
from coffeechat.outreach.services import compose, mark_sent, save_draft
from tests.bench.conftest import TODAY, bench, opening
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)


def picked(owner: Any, *names: str, **fields: Any) -> tuple[Any, list[Any]]:
    job = opening(owner, ["python"], title=fields.pop("title", "Data engineer"), **fields)
    entries = [bench(owner, name) for name in names]
    services.follow_up_picked(owner, job, [e.person for e in entries], today=TODAY)
    return job, entries


def item(entry: Any) -> FollowUp:
    return FollowUp.objects.get(rule=services.OPENING_RULE, person=entry.person)


def test_the_opening_purpose_has_its_row() -> None:
    rule = purposes.rule_of(Purpose.OPENING)
    assert rule.label == "Something has opened up"
    assert rule.closes_follow_up == services.OPENING_RULE
    assert Purpose.OPENING not in purposes.FIRST_NOTES  # not a seeker's first note
    assert Purpose.OPENING not in purposes.INFORMATION_ONLY
    assert Purpose.OPENING in purposes.ASKS_FOR_CONVERSATION


def test_the_draft_names_the_opening_only_as_far_as_it_was_given(alice: Any) -> None:
    person = PersonFactory(owner=alice, first_name="Ada")
    given = compose(
        alice,
        person,
        Purpose.OPENING,
        extra={"opening_title": "Data engineer", "opening_start": "2026-06-01"},
    )
    assert "An opening has come up on my team: Data engineer, starting around 1 June 2026." in (
        given.body
    )
    assert "This is not an offer" in given.body
    assert given.subject == "Something has opened up on my team"
    bare = compose(alice, person, Purpose.OPENING)
    assert "Something has opened up on my team." in bare.body
    assert "starting" not in bare.body and "opening has come up" not in bare.body
    note = compose(
        alice, person, Purpose.OPENING, channel=Channel.LINKEDIN, extra={"opening_title": "QA"}
    )
    assert note.body.startswith("Hi Ada, An opening has come up on my team: QA.")
    assert "not an offer" in note.body and len(note.body) < 300


def test_the_ranking_links_the_draft_in_their_channel_with_the_opening(
    alice: Any, alice_client: Client
) -> None:
    person = PersonFactory(owner=alice, first_name="Ada", preferred_channel=PersonChannel.LINKEDIN)
    bench(alice, "Ada", "python:4", person=person)
    job = opening(alice, ["python"], title="Optics postdoc", start_on=datetime.date(2026, 9, 1))
    url = services.opening_draft_url(person, job)
    assert "purpose=opening" in url and "opening_start=2026-09-01" in url
    assert url.replace("&", "&amp;") in alice_client.get(job.get_absolute_url()).content.decode()
    page = alice_client.get(url).content.decode()
    assert "Optics postdoc, starting around 1 September 2026" in page
    assert 'value="linkedin" selected' in page or 'value="linkedin" checked' in page


def test_keep_warm_notes_say_they_came_to_mind(alice: Any, alice_client: Client) -> None:
    person = PersonFactory(owner=alice, first_name="Ada")
    entry = bench(alice, "Ada", person=person)
    page = alice_client.get(services.draft_url(person)).content.decode()
    assert services.KEEP_WARM_WHY in page and services.KEEP_WARM_SUBJECT in page
    assert "your advice shaped" not in page
    entry_page = alice_client.get(entry.get_absolute_url()).content.decode()
    assert 'name="shared"' in entry_page and "Draft a note about it" in entry_page
    composed = alice_client.get(
        "/outreach/compose/",
        {"person": person.pk, "purpose": "keep_in_touch", "shared": "your optics preprint"},
    ).content.decode()
    assert "I saw your optics preprint and thought of you." in composed
    shared = compose(alice, person, Purpose.KEEP_IN_TOUCH, extra={"shared": "your optics preprint"})
    assert "I saw your optics preprint and thought of you." in shared.body
    assert shared.subject == "Saw this and thought of you"
    # A seeker's keep-in-touch note is as it was.
    plain = compose(alice, person, Purpose.KEEP_IN_TOUCH)
    assert "your advice shaped what I did next" in plain.body
    assert plain.subject == "A short update, and thanks again"


def test_logging_a_contact_closes_their_follow_ups(alice: Any) -> None:
    _job, (ada, ben) = picked(alice, "Ada", "Ben")
    services.log_contact(alice, ada, TODAY - datetime.timedelta(days=30), note="last month")
    assert item(ada).status == Status.OPEN  # before I picked her: nothing to close
    services.log_contact(alice, ada, TODAY, note="told her on the phone")
    done = item(ada)
    assert done.status == Status.DONE
    assert done.closed_reason == "You were in touch with them on 2 March 2026."
    assert item(ben).status == Status.OPEN


def test_sending_the_opening_message_closes_the_follow_up(alice: Any) -> None:
    job, (ada, ben) = picked(alice, "Ada", "Ben")
    keep = compose(alice, ben.person, Purpose.KEEP_IN_TOUCH)
    save_draft(alice, keep)
    mark_sent(keep, NOON)
    assert item(ben).status == Status.OPEN  # another purpose leaves it
    message = compose(alice, ada.person, Purpose.OPENING, extra={"opening_title": job.title})
    save_draft(alice, message)
    mark_sent(message, NOON)
    closed = item(ada)
    assert closed.status == Status.DONE
    assert closed.closed_reason.startswith("You told them about the opening on")
    assert item(ben).status == Status.OPEN


def test_closing_the_opening_closes_the_others_follow_ups_with_a_reason(alice: Any) -> None:
    job, (hired, approached, other) = picked(alice, "Hired", "Approached", "Other")
    elsewhere, (_same,) = picked(alice, "Elsewhere", title="Another opening")
    services.close_opening(alice, job, hired=[hired], approached=[approached], today=TODAY)
    other_item = item(other)
    assert other_item.status == Status.RETIRED
    assert "was closed without them" in other_item.closed_reason
    assert item(hired).status == Status.DONE
    assert item(hired).closed_reason == "Recorded as hired when “Data engineer” closed."
    assert item(approached).closed_reason.startswith("Recorded as approached")
    assert item(_same).status == Status.OPEN  # another opening's follow-up stays
    assert elsewhere.status == "open"
