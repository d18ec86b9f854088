"""The career-centre figures: consenting users only, the progress page's definitions,
withheld under five users, and against a hand-built set where the answer is known."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from coffeechat.accounts.services import create_api_token
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.outreach.models import Status as MessageStatus
from coffeechat.staff import career
from coffeechat.staff.career import career_centre, set_counted
from coffeechat.staff.models import CareerCentreConsent
from tests.factories import (
    ConversationFactory,
    EmploymentFactory,
    MessageFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=datetime.UTC)
NOV_1 = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)
OCT_10 = datetime.datetime(2026, 10, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def hiring_manager(owner: Any) -> Any:
    person = PersonFactory(owner=owner, first_name="Hermione", last_name="Hiresalot")
    EmploymentFactory(person=person, has_hiring_authority=True)
    return person


def searcher(days_to_conversation: int, *, consenting: bool = True) -> Any:
    """A user who wrote a first note on 1 November and talked with its hiring manager
    ``days_to_conversation`` days later (a conversation held in November)."""
    owner = UserFactory()
    manager = hiring_manager(owner)
    MessageFactory(person=manager, status=MessageStatus.SENT, sent_at=NOV_1)
    ConversationFactory(
        owner=owner,
        people=[manager],
        status=ConversationStatus.HELD,
        starts_at=NOV_1 + datetime.timedelta(days=days_to_conversation),
    )
    if consenting:
        set_counted(owner, True)
    return owner


@pytest.fixture
def five() -> list[Any]:
    users = [searcher(days) for days in (2, 4, 6, 8, 10)]
    first = users[0]
    # One more held conversation in November, with someone who does not hire.
    ConversationFactory(
        owner=first,
        people=[PersonFactory(owner=first)],
        status="held",
        starts_at=NOV_1 + datetime.timedelta(days=3),
    )
    # Not held: scheduled and cancelled ones are never counted.
    ConversationFactory(owner=first, starts_at=NOV_1 + datetime.timedelta(days=20))
    ConversationFactory(owner=first, status=ConversationStatus.CANCELLED, starts_at=NOV_1)
    # October: two users only.
    for owner in users[:2]:
        ConversationFactory(owner=owner, status=ConversationStatus.HELD, starts_at=OCT_10)
    return users


def month(figures: career.CareerCentre, first_day: datetime.date) -> career.Month:
    return next(m for m in figures.months if m.first_day == first_day)


def test_it_counts_a_known_set_of_consenting_users(five: list[Any]) -> None:
    figures = career_centre(NOW.date())
    assert figures.consenting == 5
    assert [m.first_day for m in figures.months][0] == datetime.date(2026, 1, 1)
    assert figures.months[-1].first_day == datetime.date(2026, 12, 1)
    november = month(figures, datetime.date(2026, 11, 1))
    assert november.conversations_held.value == 6
    assert november.with_someone_who_hires.value == 5
    assert november.days_to_conversation.value == 6.0  # the median of 2, 4, 6, 8, 10
    october = month(figures, datetime.date(2026, 10, 1))
    assert october.conversations_held.raw == 2
    assert october.conversations_held.value is None  # two users: too few to show
    assert figures.total.conversations_held.value == 8
    assert figures.total.with_someone_who_hires.value == 5


def test_it_never_counts_someone_who_did_not_consent(five: list[Any]) -> None:
    stranger = searcher(100, consenting=False)
    for _ in range(3):
        ConversationFactory(
            owner=stranger, people=[hiring_manager(stranger)], status="held", starts_at=NOV_1
        )
    november = month(career_centre(NOW.date()), datetime.date(2026, 11, 1))
    assert november.conversations_held.value == 6
    assert november.with_someone_who_hires.value == 5
    assert november.days_to_conversation.value == 6.0


def test_it_withholds_every_figure_under_five_users(five: list[Any]) -> None:
    set_counted(five[-1], False)
    figures = career_centre(NOW.date())
    assert figures.consenting == 4
    assert not figures.enough_users
    everything = [*figures.months, figures.total]
    for each in everything:
        for figure in (
            each.conversations_held,
            each.with_someone_who_hires,
            each.days_to_conversation,
        ):
            assert figure.value is None
    november = month(figures, datetime.date(2026, 11, 1))
    assert november.conversations_held.raw == 5  # the opted-out user's is gone at once


def test_a_deactivated_account_is_not_counted(five: list[Any]) -> None:
    five[0].is_active = False
    five[0].save()
    assert career_centre(NOW.date()).consenting == 4


def test_the_page_and_the_api_show_the_same_figures(five: list[Any]) -> None:
    staff = UserFactory(email="charlie@example.com", is_staff=True)
    client = Client()
    client.force_login(staff)
    body = client.get(reverse("staff:career-centre")).content.decode()
    row = body[body.index('data-month="2026-11"') :]
    row = row[: row.index("</tr>")]
    assert '<td data-figure="held">6</td>' in row
    assert '<td data-figure="hiring">5</td>' in row
    assert '<td data-figure="days">6.0</td>' in row
    october = body[body.index('data-month="2026-10"') :]
    assert "too few to show" in october[: october.index("</tr>")]
    assert "Hermione" not in body and "Hiresalot" not in body
    for user in five:
        assert user.email not in body

    _token, raw = create_api_token(staff, "figures")
    response = Client().get(
        reverse("api-1:staff-career-centre"), headers={"Authorization": f"Bearer {raw}"}
    )
    data = json.loads(response.content)
    assert data["consenting"] == 5
    november = next(m for m in data["months"] if m["month"] == "2026-11")
    assert november["conversations_held"] == {"value": 6.0, "shown": True}
    assert november["with_someone_who_hires"] == {"value": 5.0, "shown": True}
    assert november["median_days_to_conversation"] == {"value": 6.0, "shown": True}
    october = next(m for m in data["months"] if m["month"] == "2026-10")
    assert october["conversations_held"] == {"value": None, "shown": False}


def test_it_reads_the_same_number_of_queries_at_any_size(
    five: list[Any], django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        career_centre(NOW.date())
    for days in range(1, 20):
        searcher(days)
    with CaptureQueriesContext(connection) as large:
        career_centre(NOW.date())
    assert len(large) == len(small)


def test_a_user_opts_in_and_out_on_their_settings_page(alice_client: Client, alice: Any) -> None:
    url = reverse("career_centre:consent")
    page = alice_client.get(url).content.decode()
    assert "Count me in my career centre&#x27;s anonymous figures" in page
    assert 'name="counted"' in page and "checked" not in page
    assert not CareerCentreConsent.objects.exists()
    alice_client.post(url, {"counted": "on"})
    assert CareerCentreConsent.objects.filter(user=alice).exists()
    assert "checked" in alice_client.get(url).content.decode()
    alice_client.post(url, {})
    assert not CareerCentreConsent.objects.exists()


def test_a_user_opts_in_and_out_through_the_api(alice: Any) -> None:
    _token, raw = create_api_token(alice, "script")
    headers = {"Authorization": f"Bearer {raw}"}
    url = reverse("api-1:career-centre-consent")
    assert json.loads(Client().get(url, headers=headers).content) == {"counted": False}
    response = Client().put(
        url, data={"counted": True}, content_type="application/json", headers=headers
    )
    assert json.loads(response.content) == {"counted": True}
    assert CareerCentreConsent.objects.filter(user=alice).exists()
    Client().put(url, data={"counted": False}, content_type="application/json", headers=headers)
    assert not CareerCentreConsent.objects.exists()
