"""The tick: notifications and digests exactly once, across time zones and downtime."""

from __future__ import annotations

import datetime
import logging
import threading
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections

from coffeechat.followups import health
from coffeechat.followups.models import Digest, DigestStatus, FollowUp, Notification, Status
from coffeechat.followups.tick import claim_digest, create_notifications, run_tick
from tests.factories import FollowUpFactory, UserFactory
from tests.followups.conftest import utc

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _digest_on(settings: Any) -> None:
    settings.DIGEST_EMAIL = True
    settings.DIGEST_CLAIM_TIMEOUT = 300
    settings.SITE_URL = "https://coffee.example.org"


def test_it_notifies_once_per_follow_up_and_due_date(berliner: Any) -> None:
    FollowUpFactory(owner=berliner, due_on=MONDAY)
    FollowUpFactory(owner=berliner, due_on=MONDAY + datetime.timedelta(days=2))
    now = utc(2026, 3, 2, 9)
    run_tick(now)
    run_tick(now)
    run_tick(now + datetime.timedelta(minutes=1))
    assert Notification.objects.count() == 1


def test_each_tick_logs_what_it_did_and_how_long_it_took(berliner: Any, caplog: Any) -> None:
    FollowUpFactory(owner=berliner, due_on=MONDAY)
    with caplog.at_level(logging.INFO, logger="coffeechat.followups.tick"):
        result = run_tick(utc(2026, 3, 2, 9), worker_id="worker-a")
        run_tick(utc(2026, 3, 2, 9, 1), worker_id="worker-b")
    lines = [r.getMessage() for r in caplog.records if r.name == "coffeechat.followups.tick"]
    assert len(lines) == 2
    assert lines[0].startswith(f"Tick of worker-a done in {result.seconds:.2f} s: ")
    assert lines[0].endswith(": 1 digests sent, 0 failed, 1 notifications")
    assert lines[1].endswith(": 0 digests sent, 0 failed, 0 notifications")
    assert lines[1].startswith("Tick of worker-b done in ")


def test_it_delivers_what_came_due_during_downtime_once(berliner: Any) -> None:
    for day in range(1, 6):
        FollowUpFactory(owner=berliner, due_on=datetime.date(2026, 3, day))
    # The worker was down all week; it comes back on Saturday.
    run_tick(utc(2026, 3, 7, 10))
    run_tick(utc(2026, 3, 7, 10, 1))
    assert Notification.objects.count() == 5
    assert len(mail.outbox) == 1
    assert "5 follow-ups" in mail.outbox[0].subject


def test_it_notifies_a_snoozed_follow_up_again_on_its_new_day(berliner: Any) -> None:
    item = FollowUpFactory(owner=berliner, due_on=MONDAY)
    run_tick(utc(2026, 3, 2, 9))
    FollowUp.objects.filter(pk=item.pk).update(
        status=Status.SNOOZED, snoozed_until=datetime.date(2026, 3, 4)
    )
    run_tick(utc(2026, 3, 3, 9))
    assert Notification.objects.count() == 1
    run_tick(utc(2026, 3, 4, 9))
    assert sorted(Notification.objects.values_list("due_on", flat=True)) == [
        MONDAY,
        datetime.date(2026, 3, 4),
    ]


def test_it_waits_for_the_users_local_day(db: Any) -> None:
    tokyo = UserFactory(profile__time_zone="Asia/Tokyo")
    new_york = UserFactory(profile__time_zone="America/New_York")
    FollowUpFactory(owner=tokyo, due_on=datetime.date(2026, 3, 3))
    FollowUpFactory(owner=new_york, due_on=datetime.date(2026, 3, 3))
    # 16:00 UTC on Monday: Tuesday 01:00 in Tokyo, still Monday in New York.
    create_notifications(utc(2026, 3, 2, 16))
    assert list(Notification.objects.values_list("owner_id", flat=True)) == [tokyo.pk]


def test_it_waits_for_the_time_of_a_timed_follow_up(berliner: Any) -> None:
    FollowUpFactory(owner=berliner, due_on=MONDAY, due_at=utc(2026, 3, 2, 15))
    create_notifications(utc(2026, 3, 2, 14, 59))
    assert not Notification.objects.exists()
    create_notifications(utc(2026, 3, 2, 15))
    assert Notification.objects.count() == 1


def test_it_sends_one_digest_per_local_day_at_the_chosen_hour(berliner: Any) -> None:
    FollowUpFactory(owner=berliner, due_on=MONDAY, title="Thank Ada")
    run_tick(utc(2026, 3, 2, 5, 59))  # 06:59 in Berlin
    assert mail.outbox == []
    run_tick(utc(2026, 3, 2, 6, 0))  # 07:00
    run_tick(utc(2026, 3, 2, 12, 0))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.com"]
    assert "Thank Ada" in message.body
    assert "Open your today list: https://coffee.example.org/today/" in message.body
    assert message.extra_headers["Message-ID"].startswith(f"<digest.{berliner.pk}.20260302.")
    digest = Digest.objects.get()
    assert digest.status == DigestStatus.SENT
    assert digest.items[0]["title"] == "Thank Ada"
    assert digest.message_id == message.extra_headers["Message-ID"]
    # The next day, the still-open follow-up is in the next digest.
    run_tick(utc(2026, 3, 3, 6, 0))
    assert len(mail.outbox) == 2


def test_it_sends_no_digest_when_nothing_is_due(berliner: Any) -> None:
    FollowUpFactory(owner=berliner, due_on=MONDAY + datetime.timedelta(days=1))
    FollowUpFactory(owner=berliner, due_on=MONDAY, status=Status.DONE)
    run_tick(utc(2026, 3, 2, 9))
    assert mail.outbox == []
    assert not Digest.objects.exists()


def test_it_sends_no_digest_to_a_user_who_turned_it_off(berliner: Any) -> None:
    berliner.follow_up_settings.digest_enabled = False
    berliner.follow_up_settings.save()
    FollowUpFactory(owner=berliner, due_on=MONDAY)
    run_tick(utc(2026, 3, 2, 9))
    assert mail.outbox == []


def test_it_sends_no_digest_when_the_instance_has_no_e_mail(berliner: Any, settings: Any) -> None:
    settings.DIGEST_EMAIL = False
    FollowUpFactory(owner=berliner, due_on=MONDAY)
    run_tick(utc(2026, 3, 2, 9))
    assert mail.outbox == []
    assert Notification.objects.count() == 1


def test_it_claims_a_digest_once(berliner: Any) -> None:
    now = utc(2026, 3, 2, 9)
    assert claim_digest(berliner.pk, MONDAY, now, "a") is not None
    assert claim_digest(berliner.pk, MONDAY, now, "b") is None
    # A claim whose worker died goes stale and is taken over, once.
    later = now + datetime.timedelta(seconds=301)
    taken = claim_digest(berliner.pk, MONDAY, later, "c")
    assert taken is not None and taken.claimed_by == "c" and taken.attempts == 2
    assert claim_digest(berliner.pk, MONDAY, later, "d") is None


def test_it_retries_a_stale_claim_and_sends_once(berliner: Any) -> None:
    FollowUpFactory(owner=berliner, due_on=MONDAY)
    Digest.objects.create(
        owner=berliner,
        local_date=MONDAY,
        status=DigestStatus.CLAIMED,
        claimed_by="dead-worker",
        claimed_at=utc(2026, 3, 2, 6, 0),
    )
    run_tick(utc(2026, 3, 2, 6, 4))  # still claimed by the dead worker
    assert mail.outbox == []
    run_tick(utc(2026, 3, 2, 6, 6))
    run_tick(utc(2026, 3, 2, 6, 7))
    assert len(mail.outbox) == 1
    assert Digest.objects.get().attempts == 2


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("Connection refused by smtp.example.org")


def test_it_records_a_failed_delivery_and_retries_it(berliner: Any, settings: Any) -> None:
    FollowUpFactory(owner=berliner, due_on=MONDAY)
    settings.MAILERS = {"default": {"BACKEND": "tests.followups.test_tick.BrokenBackend"}}
    run_tick(utc(2026, 3, 2, 7))
    digest = Digest.objects.get()
    assert digest.status == DigestStatus.FAILED
    assert "Connection refused" in digest.error
    state = health.current(utc(2026, 3, 2, 7, 1))
    assert state.email_failing and not state.ok
    assert any("EMAIL_URL" in w for w in state.warnings)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    run_tick(utc(2026, 3, 2, 7, 2))  # too soon to retry
    assert mail.outbox == []
    run_tick(utc(2026, 3, 2, 7, 6))
    assert len(mail.outbox) == 1
    assert Digest.objects.get().status == DigestStatus.SENT
    assert health.current(utc(2026, 3, 2, 7, 7)).ok


def test_it_gives_up_after_five_attempts(berliner: Any, settings: Any) -> None:
    FollowUpFactory(owner=berliner, due_on=MONDAY)
    settings.MAILERS = {"default": {"BACKEND": "tests.followups.test_tick.BrokenBackend"}}
    for minutes in range(0, 60, 6):
        run_tick(utc(2026, 3, 2, 7, minutes))
    digest = Digest.objects.get()
    assert digest.status == DigestStatus.GAVE_UP and digest.attempts == 5


def test_it_records_the_heartbeat(berliner: Any) -> None:
    assert health.current(utc(2026, 3, 2, 9)).worker_stale
    run_tick(utc(2026, 3, 2, 9), worker_id="w1")
    assert not health.current(utc(2026, 3, 2, 9, 10)).worker_stale
    assert health.current(utc(2026, 3, 2, 9, 11)).worker_stale


@pytest.mark.django_db(transaction=True)
def test_it_sends_once_when_ticks_race_in_threads(settings: Any) -> None:
    """Several ticks at once in threads, each with its own database connection.

    The in-memory SQLite test database locks whole tables across threads instead of
    waiting, so there the ticks run one after another (the processes test in
    test_workers.py races real processes on a SQLite file).
    """
    users = [UserFactory() for _ in range(8)]
    for user in users:
        FollowUpFactory(owner=user, due_on=MONDAY)
    errors: list[BaseException] = []

    def tick(name: str) -> None:
        try:
            run_tick(utc(2026, 3, 2, 9), worker_id=name, rules=False)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick, args=(f"t{i}",)) for i in range(4)]
    concurrent = connection.vendor == "postgresql"
    for thread in threads:
        thread.start()
        if not concurrent:
            thread.join()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(mail.outbox) == 8
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert Notification.objects.count() == 8
    assert Digest.objects.filter(status=DigestStatus.SENT).count() == 8
