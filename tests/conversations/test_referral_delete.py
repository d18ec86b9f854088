"""Editing and deleting a referral: its tie goes, the person only when asked and alone."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.accounts.services import create_api_token
from coffeechat.conversations import services
from coffeechat.conversations.models import Conversation, Referral
from coffeechat.network.models import EmailAddress, Employment, Person, Tie, TieKind
from tests.conversations.conftest import schedule
from tests.factories import MessageFactory, PersonFactory, TieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(alice: Any, dana: Any) -> Conversation:
    return schedule(alice, [dana])


def refer(alice: Any, conversation: Conversation, dana: Any, **fields: Any) -> Referral:
    fields.setdefault("name", "Kim Ng")
    return services.add_referral(alice, conversation, referred_by=dana, **fields)


def referred_ties(alice: Any, person_id: int) -> Any:
    return Tie.objects.filter(owner=alice, to_person_id=person_id, kind=TieKind.REFERRED)


def delete_url(referral: Referral) -> str:
    return reverse("conversations:referral-delete", kwargs={"referral_id": referral.pk})


# The service --------------------------------------------------------------------------


def test_it_deletes_the_referral_and_its_tie_and_keeps_the_person(
    alice: Any, dana: Any, conversation: Conversation
) -> None:
    referral = refer(alice, conversation, dana, email="kim@example.org", organization_name="Acme")
    kim = referral.person
    assert referred_ties(alice, kim.pk).count() == 1

    assert services.delete_referral(alice, referral) is False

    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not referred_ties(alice, kim.pk).exists()
    assert Person.objects.filter(pk=kim.pk).exists()


def test_a_person_the_referral_created_alone_can_go_with_it(
    alice: Any, dana: Any, conversation: Conversation
) -> None:
    referral = refer(alice, conversation, dana, email="kim@example.org", organization_name="Acme")
    kim = referral.person
    assert services.person_attachments(alice, referral) == []

    assert services.delete_referral(alice, referral, delete_person=True) is True

    assert not Person.objects.filter(pk=kim.pk).exists()
    assert not EmailAddress.objects.filter(person_id=kim.pk).exists()
    assert not Employment.objects.filter(person_id=kim.pk).exists()
    assert Person.objects.filter(pk=dana.pk).exists()


def test_a_person_who_was_already_in_the_network_is_never_deleted(
    alice: Any, dana: Any, conversation: Conversation
) -> None:
    lee = PersonFactory(owner=alice, first_name="Lee", last_name="Park")
    referral = refer(alice, conversation, dana, name="", person=lee)
    assert referral.matched_existing
    assert services.person_attachments(alice, referral) == ["they were already in your network"]

    with pytest.raises(ValidationError) as error:
        services.delete_referral(alice, referral, delete_person=True)

    assert "Lee Park stays in your network" in str(error.value)
    assert Referral.objects.filter(pk=referral.pk).exists()  # nothing was deleted
    assert referred_ties(alice, lee.pk).count() == 1


def test_a_created_person_with_anything_else_stays(
    alice: Any, dana: Any, conversation: Conversation
) -> None:
    referral = refer(alice, conversation, dana)
    kim = referral.person
    MessageFactory(owner=alice, person=kim)
    TieFactory(owner=alice, from_person=kim, to_person=dana, kind=TieKind.COLLEAGUE)
    schedule(alice, [kim])

    assert services.person_attachments(alice, referral) == ["ties", "conversations", "messages"]
    with pytest.raises(ValidationError, match="they also have ties, conversations, messages"):
        services.delete_referral(alice, referral, delete_person=True)
    assert Person.objects.filter(pk=kim.pk).exists()
    assert Referral.objects.filter(pk=referral.pk).exists()


def test_the_tie_stays_while_another_referral_of_the_same_name_needs_it(
    alice: Any, dana: Any, conversation: Conversation
) -> None:
    first = refer(alice, conversation, dana)
    later = schedule(alice, [dana], starts_at=conversation.starts_at + datetime.timedelta(days=9))
    second = refer(alice, later, dana, name="", person=first.person)
    assert referred_ties(alice, first.person_id).count() == 1
    assert services.person_attachments(alice, first) == ["other referrals"]

    services.delete_referral(alice, first)
    assert referred_ties(alice, second.person_id).count() == 1
    services.delete_referral(alice, second)
    assert not referred_ties(alice, second.person_id).exists()


def test_it_edits_what_was_agreed(alice: Any, dana: Any, conversation: Conversation) -> None:
    referral = refer(alice, conversation, dana)
    assert referral.follow_up_on is not None
    services.update_referral(
        alice, referral, will_introduce=True, note="She will e-mail first", clear_follow_up=True
    )
    referral.refresh_from_db()
    assert referral.will_introduce and referral.note == "She will e-mail first"
    assert referral.follow_up_on is None


# Pages --------------------------------------------------------------------------------


def test_the_page_offers_the_person_only_when_nothing_else_holds_them(
    alice_client: Client, alice: Any, dana: Any, conversation: Conversation
) -> None:
    alone = refer(alice, conversation, dana)
    page = alice_client.get(delete_url(alone)).content.decode()
    assert "Delete Kim Ng too" in page and 'value="0" checked' in page

    lee = PersonFactory(owner=alice, first_name="Lee", last_name="Park")
    matched = refer(alice, conversation, dana, name="", person=lee)
    page = alice_client.get(delete_url(matched)).content.decode()
    assert "Lee Park stays in your network" in page and "delete_person" not in page

    debrief = alice_client.get(
        reverse("conversations:conversation-debrief", kwargs={"conversation_id": conversation.pk})
    ).content.decode()
    assert delete_url(alone) in debrief and delete_url(matched) in debrief


def test_deleting_on_the_page_keeps_the_person_unless_chosen(
    alice_client: Client, alice: Any, dana: Any, conversation: Conversation
) -> None:
    debrief = reverse(
        "conversations:conversation-debrief", kwargs={"conversation_id": conversation.pk}
    )
    kept = refer(alice, conversation, dana)
    response = alice_client.post(delete_url(kept))
    assert response.status_code == 302 and response["Location"] == debrief
    assert Person.objects.filter(pk=kept.person_id).exists()
    assert not Referral.objects.filter(pk=kept.pk).exists()

    gone = refer(alice, conversation, dana, name="Sam Ortiz")
    response = alice_client.post(delete_url(gone), {"delete_person": "1"}, follow=True)
    assert "Deleted the referral and Sam Ortiz." in response.content.decode()
    assert not Person.objects.filter(pk=gone.person_id).exists()


def test_a_person_who_gained_something_meanwhile_is_not_deleted(
    alice_client: Client, alice: Any, dana: Any, conversation: Conversation
) -> None:
    referral = refer(alice, conversation, dana)
    alice_client.get(delete_url(referral))  # the choice was offered...
    MessageFactory(owner=alice, person=referral.person)  # ...then a message was written
    response = alice_client.post(delete_url(referral), {"delete_person": "1"})
    assert response.status_code == 200
    assert "Kim Ng stays in your network: they also have messages." in response.content.decode()
    assert Referral.objects.filter(pk=referral.pk).exists()


def test_the_edit_page_saves_the_agreement(
    alice_client: Client, alice: Any, dana: Any, conversation: Conversation
) -> None:
    referral = refer(alice, conversation, dana)
    edit = reverse("conversations:referral-update", kwargs={"referral_id": referral.pk})
    assert "Referred by Dana Reyes" in alice_client.get(edit).content.decode()
    response = alice_client.post(
        edit, {"will_introduce": "on", "note": "Mention the meetup", "follow_up_on": "2031-02-03"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.will_introduce and referral.note == "Mention the meetup"
    assert referral.follow_up_on == datetime.date(2031, 2, 3)
    bad = alice_client.post(edit, {"follow_up_on": "not a date"})
    assert bad.status_code == 200 and "Enter a valid date." in bad.content.decode()


def test_another_users_referral_is_404(
    bob_client: Client, alice: Any, dana: Any, conversation: Conversation
) -> None:
    referral = refer(alice, conversation, dana)
    for name in ("referral-update", "referral-delete"):
        path = reverse(f"conversations:{name}", kwargs={"referral_id": referral.pk})
        assert bob_client.get(path).status_code == 404
        assert bob_client.post(path, {"delete_person": "1"}).status_code == 404
    assert Referral.objects.filter(pk=referral.pk).exists()


def test_the_delete_page_runs_a_constant_number_of_queries(
    alice_client: Client, alice: Any, dana: Any, conversation: Conversation
) -> None:
    few = refer(alice, conversation, dana)
    many = refer(alice, conversation, dana, name="Sam Ortiz")
    for index in range(10):
        MessageFactory(owner=alice, person=many.person)
        TieFactory(owner=alice, from_person=many.person, to_person=PersonFactory(owner=alice))
        schedule(alice, [many.person], starts_at=conversation.starts_at + datetime.timedelta(index))
    alice_client.get(delete_url(few))
    counts = []
    for referral in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(delete_url(referral)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# API ----------------------------------------------------------------------------------


@pytest.fixture
def api(alice: Any) -> Any:
    _token, raw = create_api_token(alice, "tests")
    client = Client()
    headers = {"Authorization": f"Bearer {raw}"}

    def send(method: str, path: str, data: Any = None) -> Any:
        return getattr(client, method)(
            path,
            json.dumps(data) if data is not None else "",
            content_type="application/json",
            headers=headers,
        )

    return send


def test_the_api_deletes_a_referral_and_keeps_or_deletes_the_person(
    alice: Any, dana: Any, conversation: Conversation, api: Any
) -> None:
    kept = refer(alice, conversation, dana)
    assert api("delete", f"/api/v1/referrals/{kept.pk}").status_code == 204
    assert Person.objects.filter(pk=kept.person_id).exists()
    assert not referred_ties(alice, kept.person_id).exists()

    gone = refer(alice, conversation, dana, name="Sam Ortiz")
    response = api("delete", f"/api/v1/referrals/{gone.pk}?delete_person=true")
    assert response.status_code == 204
    assert not Person.objects.filter(pk=gone.person_id).exists()


def test_the_api_refuses_to_delete_a_person_with_more_than_the_referral(
    alice: Any, dana: Any, conversation: Conversation, api: Any
) -> None:
    referral = refer(alice, conversation, dana)
    MessageFactory(owner=alice, person=referral.person)
    response = api("delete", f"/api/v1/referrals/{referral.pk}?delete_person=true")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "loc": ["body", "delete_person"],
            "msg": "Kim Ng stays in your network: they also have messages.",
            "type": "value_error",
        }
    ]
    assert Referral.objects.filter(pk=referral.pk).exists()
    assert api("delete", f"/api/v1/referrals/{referral.pk}?delete_person=maybe").status_code == 422


def test_the_api_edits_a_referral_but_not_who_gave_it(
    alice: Any, dana: Any, conversation: Conversation, api: Any
) -> None:
    referral = refer(alice, conversation, dana)
    path = f"/api/v1/referrals/{referral.pk}"
    changed = api("patch", path, {"note": "met at the meetup", "follow_up_on": None})
    assert changed.status_code == 200, changed.content
    assert changed.json()["note"] == "met at the meetup" and changed.json()["follow_up_on"] is None
    other = PersonFactory(owner=alice)
    moved = api("patch", path, {"referred_by_id": other.pk})
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["loc"] == ["body", "referred_by_id"]
    referral.refresh_from_db()
    assert referral.referred_by_id == dana.pk
