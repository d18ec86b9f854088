"""Weekly activity, bucketed by the user's own Monday-to-Sunday weeks."""

from __future__ import annotations

import datetime

import pytest

from coffeechat.followups.models import Status as FollowUpStatus
from coffeechat.followups.services import settings_for
from coffeechat.outreach.models import Purpose
from coffeechat.progress.weekly import weekly
from tests.factories import FollowUpFactory
from tests.progress.conftest import sent

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def week_of(data, day):
    return next(w for w in data.weeks if w.first_day == day)


def test_it_buckets_by_the_users_own_monday(alice, bob):
    profile = alice.profile
    profile.time_zone = "Pacific/Auckland"  # UTC+13 in March
    profile.save()
    # Sunday 1 March 12:00 UTC is Monday 2 March 01:00 in Auckland: this week.
    sent(alice, purpose=Purpose.THANK_YOU, sent_at=datetime.datetime(2026, 3, 1, 12, tzinfo=UTC))
    # Sunday 1 March 10:00 UTC is Sunday 23:00 there: the week before.
    sent(alice, purpose=Purpose.THANK_YOU, sent_at=datetime.datetime(2026, 3, 1, 10, tzinfo=UTC))
    sent(alice, sent_at=datetime.datetime(2026, 3, 2, 9, tzinfo=UTC))  # a first note
    sent(bob, purpose=Purpose.THANK_YOU, sent_at=datetime.datetime(2026, 3, 2, 9, tzinfo=UTC))

    data = weekly(alice)

    this_week = week_of(data, datetime.date(2026, 3, 2))
    last_week = week_of(data, datetime.date(2026, 2, 23))
    assert len(data.weeks) == 12 and data.weeks[-1] is this_week
    assert this_week.counts["thank_you"] == 1
    assert last_week.counts["thank_you"] == 1
    assert this_week.counts["outreach"] == 1


def test_it_tells_follow_ups_done_on_time_from_late_ones(alice):
    day = datetime.date(2026, 3, 3)
    done = datetime.datetime(2026, 3, 3, 9, tzinfo=UTC)  # 3 March in Berlin
    FollowUpFactory(owner=alice, due_on=day, status=FollowUpStatus.DONE, done_at=done)
    FollowUpFactory(
        owner=alice,
        due_on=day - datetime.timedelta(days=1),
        status=FollowUpStatus.DONE,
        done_at=done,
    )
    FollowUpFactory(owner=alice, due_on=day, status=FollowUpStatus.SKIPPED, done_at=done)

    this_week = week_of(weekly(alice), datetime.date(2026, 3, 2))

    assert (this_week.counts["on_time"], this_week.counts["late"]) == (1, 1)


def test_it_shows_the_weekly_targets_from_the_follow_up_settings(alice):
    settings = settings_for(alice)
    settings.weekly_outreach_target = 7
    settings.save()

    targets = {m.key: m.target for m in weekly(alice).measures}

    assert targets["outreach"] == 7
    assert targets["conversation"] == settings.weekly_conversation_target
    assert targets["thank_you"] is None
