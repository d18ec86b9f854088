"""Staff pages on accounts: 404 for everyone else, counts only, deactivation that holds."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coffeechat.accounts.services import create_api_token
from coffeechat.conversations.models import Status as ConversationStatus
from coffeechat.staff.models import ActionKind, StaffAction
from tests.factories import ConversationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "staff:overview",
    "staff:user-list",
    "staff:invitation-create",
    "staff:action-list",
    "staff:career-centre",
]


def test_it_answers_404_to_someone_who_is_not_staff(alice_client: Client, alice: Any) -> None:
    for name in PAGES:
        assert alice_client.get(reverse(name)).status_code == 404, name
        assert alice_client.post(reverse(name)).status_code in (404, 405), name
    for name in ("staff:user-deactivate", "staff:user-reactivate", "staff:user-end-sessions"):
        url = reverse(name, kwargs={"user_id": alice.pk})
        assert alice_client.post(url).status_code == 404
    assert Client().get(reverse("staff:user-list")).status_code == 404
    assert alice.__class__.objects.get(pk=alice.pk).is_active


def test_it_shows_staff_every_page(staff_client: Client) -> None:
    for name in PAGES:
        assert staff_client.get(reverse(name)).status_code == 200, name


def test_it_lists_accounts_with_counts_and_never_their_people(
    staff_client: Client, alice: Any
) -> None:
    person = PersonFactory(owner=alice, first_name="Zebulon", last_name="Quartz")
    PersonFactory(owner=alice)
    ConversationFactory(owner=alice, people=[person], status=ConversationStatus.HELD)
    ConversationFactory(owner=alice, people=[person])  # scheduled: not held
    body = staff_client.get(reverse("staff:user-list")).content.decode()
    assert "alice@example.com" in body
    assert "Zebulon" not in body and "Quartz" not in body
    row = body[body.index('data-email="alice@example.com"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="people-count">2</td>' in row
    assert '<td class="held-count">1</td>' in row


def test_it_searches_accounts_by_email(staff_client: Client, alice: Any, bob: Any) -> None:
    body = staff_client.get(reverse("staff:user-list"), {"q": "BOB@"}).content.decode()
    assert "bob@example.com" in body
    assert "alice@example.com" not in body


def test_it_lists_accounts_in_the_same_number_of_queries_at_any_size(
    staff_client: Client, django_assert_num_queries: Any
) -> None:
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(reverse("staff:user-list")).status_code == 200
        return len(captured)

    for _ in range(2):
        owner = UserFactory()
        ConversationFactory(owner=owner, status=ConversationStatus.HELD)
    small = count_queries()
    for _ in range(30):
        owner = UserFactory()
        PersonFactory(owner=owner)
        ConversationFactory(owner=owner, status=ConversationStatus.HELD)
    assert count_queries() == small


def test_deactivation_signs_the_user_out_and_stops_their_tokens(
    staff_client: Client, alice: Any, alice_client: Client
) -> None:
    _token, raw = create_api_token(alice, "script")
    bearer = {"Authorization": f"Bearer {raw}"}
    assert alice_client.get(reverse("network:person-list")).status_code == 200
    assert Client().get(reverse("api-1:person-list"), headers=bearer).status_code == 200

    response = staff_client.post(reverse("staff:user-deactivate", kwargs={"user_id": alice.pk}))

    assert response.status_code == 302
    after = alice_client.get(reverse("network:person-list"))
    assert after.status_code == 302 and "/accounts/login/" in after["Location"]
    assert Client().get(reverse("api-1:person-list"), headers=bearer).status_code == 401
    alice.refresh_from_db()
    assert not alice.is_active
    assert alice.api_tokens.filter(revoked_at__isnull=True).count() == 0
    action = StaffAction.objects.get(kind=ActionKind.DEACTIVATE)
    assert action.actor_label == "charlie@example.com"
    assert action.subject_label == "alice@example.com"
    assert action.detail == "1 session(s) ended, 1 API token(s) revoked"

    staff_client.post(reverse("staff:user-reactivate", kwargs={"user_id": alice.pk}))
    alice.refresh_from_db()
    assert alice.is_active
    assert Client().login(email="alice@example.com", password="correct-horse-battery-staple")


def test_ending_sessions_signs_out_without_deactivating(
    staff_client: Client, alice: Any, alice_client: Client
) -> None:
    staff_client.post(reverse("staff:user-end-sessions", kwargs={"user_id": alice.pk}))
    assert alice_client.get(reverse("network:person-list")).status_code == 302
    alice.refresh_from_db()
    assert alice.is_active
    assert StaffAction.objects.filter(kind=ActionKind.END_SESSIONS).count() == 1


def test_staff_cannot_deactivate_themselves(staff_client: Client, charlie: Any) -> None:
    response = staff_client.post(
        reverse("staff:user-deactivate", kwargs={"user_id": charlie.pk}), follow=True
    )
    assert "You cannot deactivate your own account." in response.content.decode()
    charlie.refresh_from_db()
    assert charlie.is_active
    assert not StaffAction.objects.exists()


def test_it_answers_404_for_an_account_that_does_not_exist(staff_client: Client) -> None:
    url = reverse("staff:user-deactivate", kwargs={"user_id": 2**63})
    assert staff_client.post(url).status_code == 404
    url = reverse("staff:user-deactivate", kwargs={"user_id": 987654})
    assert staff_client.post(url).status_code == 404


def test_the_action_log_records_every_action(staff_client: Client, alice: Any, smtp: Any) -> None:
    at = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        staff_client.post(reverse("staff:invitation-create"), {"email": "dora@example.com"})
        for name in ("staff:user-end-sessions", "staff:user-deactivate", "staff:user-reactivate"):
            staff_client.post(reverse(name, kwargs={"user_id": alice.pk}))
    logged = list(
        StaffAction.objects.order_by("pk").values_list(
            "actor_label", "kind", "subject_label", "created_at"
        )
    )
    assert logged == [
        ("charlie@example.com", ActionKind.INVITE, "dora@example.com", at),
        ("charlie@example.com", ActionKind.END_SESSIONS, "alice@example.com", at),
        ("charlie@example.com", ActionKind.DEACTIVATE, "alice@example.com", at),
        ("charlie@example.com", ActionKind.REACTIVATE, "alice@example.com", at),
    ]
    body = staff_client.get(reverse("staff:action-list")).content.decode()
    for label in ("invited", "ended the sessions of", "deactivated", "reactivated"):
        assert f"<td>{label}</td>" in body
    assert body.count("<td>alice@example.com</td>") == 3


def test_usage_counts_accounts_active_this_week_and_conversations_held(
    staff_client: Client, charlie: Any
) -> None:
    now = timezone.now()
    UserFactory(last_login=now - datetime.timedelta(days=2))
    UserFactory(last_login=now - datetime.timedelta(days=9))
    UserFactory(last_login=now - datetime.timedelta(days=1), is_active=False)
    owner = UserFactory()
    ConversationFactory(owner=owner, status=ConversationStatus.HELD)
    ConversationFactory(owner=owner, status=ConversationStatus.CANCELLED)
    body = staff_client.get(reverse("staff:overview")).content.decode()

    def figure(key: str) -> str:
        row = body[body.index(f'data-figure="{key}"') :]
        return row[row.index("<td>") + 4 : row.index("</td>")]

    assert figure("accounts") == "5"
    assert figure("active_accounts") == "4"
    # charlie's force_login set last_login now; the one 2 days ago; not 9 days, not inactive.
    assert figure("active_this_week") == "2"
    assert figure("conversations_held") == "1"


def test_it_never_lists_or_counts_an_imports_staging_account(
    staff_client: Client, charlie: Any, alice: Any
) -> None:
    from coffeechat.imports import staging
    from coffeechat.imports.models import ImportBatch
    from coffeechat.staff.figures import usage, users_for_staff

    counted = usage(timezone.now())
    batch = ImportBatch.objects.create(owner=alice, original_name="people.csv")
    hidden = staging.open_staging(batch)
    PersonFactory(owner=hidden, first_name="Staged")

    assert usage(timezone.now()) == counted
    assert hidden not in users_for_staff()
    assert not users_for_staff(staging.STAGING_DOMAIN).exists()
    body = staff_client.get(reverse("staff:user-list")).content.decode()
    assert "alice@example.com" in body
    assert staging.STAGING_DOMAIN not in body
    deactivate = reverse("staff:user-deactivate", kwargs={"user_id": hidden.pk})
    assert staff_client.post(deactivate).status_code == 404
    _token, raw = create_api_token(charlie, "staff script")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    listed = api.get(reverse("api-1:staff-user-list"), {"limit": 100}).json()
    assert staging.STAGING_DOMAIN not in str(listed)
    assert listed["count"] == 2  # alice and charlie
    url = reverse("api-1:staff-user-deactivate", kwargs={"user_id": hidden.pk})
    assert api.post(url, data="{}", content_type="application/json").status_code == 404
    admin = Client()
    admin.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    page = admin.get(reverse("admin:accounts_user_changelist"))
    assert page.status_code == 200
    assert staging.STAGING_DOMAIN not in page.content.decode()
