"""The weekly review e-mail: on the chosen morning in each user's own time zone, once per
week, through a real SMTP server, from the worker's periodic run."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from coffeechat.followups import delivery
from coffeechat.followups.models import DigestStatus
from coffeechat.progress.models import WeeklyReviewSent
from coffeechat.progress.services import save_review_settings
from coffeechat.server.worker import run_periodic
from coffeechat.targets.models import Target
from tests.factories import PersonFactory, TargetFactory, UserFactory
from tests.outreach.conftest import Collector, smtp_server  # noqa: F401 (a fixture)
from tests.progress.conftest import sent

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
WEEK = datetime.date(2026, 2, 23)  # 2026-W09, Monday 23 Feb to Sunday 1 March


@pytest.fixture(autouse=True)
def _instance(settings: Any) -> None:
    settings.EMAIL_CONFIGURED = True
    settings.DIGEST_EMAIL = False  # only the reviews in these tests
    settings.DIGEST_CLAIM_TIMEOUT = 300
    settings.SITE_URL = "https://coffee.example.org"


@pytest.fixture
def inbox(smtp_server: tuple[Collector, int]) -> Collector:  # noqa: F811
    return smtp_server[0]


def user_in(zone: str, email: str, *, weekday: int = 0) -> Any:
    user = UserFactory(email=email, profile__time_zone=zone)
    save_review_settings(user, email_enabled=True, weekday=weekday)
    return user


def tick_at(moment: datetime.datetime) -> None:
    """The worker's periodic run, with the clock frozen at ``moment``."""
    with time_machine.travel(moment, tick=False):
        run_periodic("test")


@pytest.fixture
def auckland() -> Iterator[Any]:
    user = user_in("Pacific/Auckland", "kiri@example.com")
    # Sunday 1 March 23:30 in Auckland (UTC+13): in Kiri's week 9.
    sent(
        user,
        PersonFactory(owner=user, first_name="Aroha", last_name="Late"),
        sent_at=datetime.datetime(2026, 3, 1, 10, 30, tzinfo=UTC),
    )
    quiet = TargetFactory(organization__owner=user, organization__name="Kauri Labs")
    Target.objects.filter(pk=quiet.pk).update(created_at=datetime.datetime(2026, 1, 5, tzinfo=UTC))
    yield user


@pytest.fixture
def los_angeles() -> Iterator[Any]:
    user = user_in("America/Los_Angeles", "lou@example.com")
    # Sunday 1 March 23:30 in Los Angeles (UTC-8) is Monday 07:30 UTC: Lou's week 9.
    sent(
        user,
        PersonFactory(owner=user, first_name="Lupe", last_name="Late"),
        sent_at=datetime.datetime(2026, 3, 2, 7, 30, tzinfo=UTC),
    )
    yield user


def recipients(inbox: Collector) -> list[str]:
    return [message["To"] for message in inbox.parsed()]


def test_it_comes_on_the_chosen_morning_in_each_users_zone_once(inbox, auckland, los_angeles):
    # Monday 07:59 in Auckland; still Sunday in Los Angeles.
    tick_at(datetime.datetime(2026, 3, 1, 18, 59, tzinfo=UTC))
    assert inbox.parsed() == []
    # Monday 08:00 in Auckland, twice.
    tick_at(datetime.datetime(2026, 3, 1, 19, 0, tzinfo=UTC))
    tick_at(datetime.datetime(2026, 3, 1, 19, 5, tzinfo=UTC))
    assert recipients(inbox) == ["kiri@example.com"]
    # Monday 07:59, then 08:00, in Los Angeles (Tuesday in Auckland: nothing more there).
    tick_at(datetime.datetime(2026, 3, 2, 15, 59, tzinfo=UTC))
    assert len(inbox.parsed()) == 1
    tick_at(datetime.datetime(2026, 3, 2, 16, 0, tzinfo=UTC))
    tick_at(datetime.datetime(2026, 3, 2, 20, 0, tzinfo=UTC))
    assert recipients(inbox) == ["kiri@example.com", "lou@example.com"]

    kiri, lou = inbox.parsed()
    assert kiri["Subject"] == "Coffeechat: your week of 23 Feb (2026-W09)"
    kiri_text = kiri.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Informational request to Aroha Late, Sun 1 Mar" in kiri_text
    assert "Open the review: https://coffee.example.org/progress/review/?week=2026-W09" in (
        kiri_text
    )
    kiri_html = kiri.get_body(("html",)).get_content()
    assert 'href="https://coffee.example.org/progress/review/?week=2026-W09"' in kiri_html
    assert "Lupe" not in kiri_text + kiri_html
    assert "Targets quiet for 3 weeks: 1\n    Kauri Labs (no activity recorded)" in kiri_text
    assert "Referral chains stalled: 0" in kiri_text
    assert "<p>No referral chain stalled.</p>" in kiri_html
    lou_text = lou.get_body(("plain",)).get_content()
    assert "Informational request to Lupe Late, Sun 1 Mar" in lou_text
    assert "Aroha" not in lou_text
    rows = WeeklyReviewSent.objects.order_by("pk")
    assert [(r.owner_id, r.week, r.status) for r in rows] == [
        (auckland.pk, WEEK, DigestStatus.SENT),
        (los_angeles.pk, WEEK, DigestStatus.SENT),
    ]
    assert rows[0].message_id == kiri["Message-ID"]
    assert rows[0].counts["notes"] == 1 and rows[0].recipient == "kiri@example.com"
    # The next Monday morning: the next week, once.
    tick_at(datetime.datetime(2026, 3, 8, 19, 0, tzinfo=UTC))
    tick_at(datetime.datetime(2026, 3, 8, 19, 1, tzinfo=UTC))
    assert recipients(inbox)[2:] == ["kiri@example.com"]
    assert "(2026-W10)" in inbox.parsed()[2]["Subject"]


def test_it_comes_only_when_turned_on_and_on_the_chosen_day(inbox, auckland):
    UserFactory(email="off@example.com", profile__time_zone="Pacific/Auckland")
    save_review_settings(auckland, email_enabled=True, weekday=2)  # Wednesday

    tick_at(datetime.datetime(2026, 3, 1, 19, 0, tzinfo=UTC))  # Monday in Auckland
    assert inbox.parsed() == []
    tick_at(datetime.datetime(2026, 3, 3, 19, 0, tzinfo=UTC))  # Wednesday 08:00
    assert recipients(inbox) == ["kiri@example.com"]
    assert "(2026-W09)" in inbox.parsed()[0]["Subject"]  # still the last complete week

    save_review_settings(auckland, email_enabled=False, weekday=2)
    tick_at(datetime.datetime(2026, 3, 10, 19, 0, tzinfo=UTC))
    assert len(inbox.parsed()) == 1


def test_a_claim_held_by_another_worker_is_not_sent_twice(inbox, auckland):
    monday_morning = datetime.datetime(2026, 3, 1, 19, 0, tzinfo=UTC)
    keys = {"owner_id": auckland.pk, "week": WEEK}
    # Another worker claimed it and died (or is sending right now).
    assert delivery.claim(WeeklyReviewSent, keys, monday_morning, "other") is not None
    assert delivery.claim(WeeklyReviewSent, keys, monday_morning, "third") is None

    tick_at(monday_morning + datetime.timedelta(minutes=1))
    assert inbox.parsed() == []
    # Its claim goes stale (DIGEST_CLAIM_TIMEOUT): this worker sends it, once.
    tick_at(monday_morning + datetime.timedelta(minutes=6))
    tick_at(monday_morning + datetime.timedelta(minutes=20))
    assert recipients(inbox) == ["kiri@example.com"]
    row = WeeklyReviewSent.objects.get()
    assert (row.status, row.attempts, row.claimed_by.startswith("test-")) == (
        DigestStatus.SENT,
        2,
        True,
    )


def test_a_failed_send_is_retried_later_and_then_sent_once(settings, inbox, auckland):
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens
        }
    }
    monday_morning = datetime.datetime(2026, 3, 1, 19, 0, tzinfo=UTC)
    tick_at(monday_morning)
    assert WeeklyReviewSent.objects.get().status == DigestStatus.FAILED

    settings.MAILERS = working
    tick_at(monday_morning + datetime.timedelta(minutes=1))  # too soon to retry
    assert inbox.parsed() == []
    tick_at(monday_morning + datetime.timedelta(minutes=6))
    tick_at(monday_morning + datetime.timedelta(minutes=7))
    assert recipients(inbox) == ["kiri@example.com"]
    assert WeeklyReviewSent.objects.get().status == DigestStatus.SENT


def test_nothing_is_sent_without_a_mail_server(settings, inbox, auckland):
    settings.EMAIL_CONFIGURED = False

    tick_at(datetime.datetime(2026, 3, 1, 19, 0, tzinfo=UTC))

    assert inbox.parsed() == [] and not WeeklyReviewSent.objects.exists()
