"""Each factor of the ranking moves the order as docs/bench.md says."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from coffeechat.bench import ranking, services
from coffeechat.bench.models import Availability, Fit
from coffeechat.network.models import Tie, TieKind
from tests.bench.conftest import TODAY, bench, opening
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def order(owner: Any, job: Any) -> list[str]:
    return [r.person.first_name for r in ranking.rank(owner, job, TODAY)]


def test_it_puts_required_skills_before_nice_to_have_ones(alice: Any) -> None:
    bench(alice, "Nice", "dbt:4")
    bench(alice, "Required", "python:4")
    job = opening(alice, ["python"], ("dbt",))
    assert order(alice, job) == ["Required", "Nice"]


def test_it_counts_the_level_of_a_skill(alice: Any) -> None:
    bench(alice, "Basic", "python:1")
    bench(alice, "Expert", "python:4")
    ranked = ranking.rank(alice, opening(alice, ["python"]), TODAY)
    assert [r.person.first_name for r in ranked] == ["Expert", "Basic"]
    assert [r.scores["skills"] for r in ranked] == [100, 25]
    assert [m.level for m in ranked[1].matches] == [1]


def test_it_puts_a_better_fit_first(alice: Any) -> None:
    bench(alice, "Weak", "python:3", fit=Fit.WEAK)
    bench(alice, "Strong", "python:3", fit=Fit.STRONG)
    assert order(alice, opening(alice, ["python"])) == ["Strong", "Weak"]


def test_it_puts_who_can_start_by_the_start_date_first(alice: Any) -> None:
    start = TODAY + datetime.timedelta(days=30)
    bench(
        alice,
        "Late",
        "python:3",
        availability=Availability.FROM_DATE,
        available_from=start + datetime.timedelta(weeks=6),
    )
    bench(alice, "Notice", "python:3", notice_weeks=2)
    bench(alice, "Resting", "python:3", availability=Availability.NOT_LOOKING)
    ranked = ranking.rank(alice, opening(alice, ["python"], start_on=start), TODAY)
    assert [r.person.first_name for r in ranked] == ["Notice", "Late", "Resting"]
    assert [r.scores["availability"] for r in ranked] == [100, 40, 0]


def test_it_puts_the_one_i_was_in_touch_with_lately_first(alice: Any) -> None:
    bench(alice, "Stale", "python:3")
    recent = bench(alice, "Recent", "python:3")
    services.log_contact(alice, recent, TODAY - datetime.timedelta(days=10), note="coffee")
    ranked = ranking.rank(alice, opening(alice, ["python"]), TODAY)
    assert [r.person.first_name for r in ranked] == ["Recent", "Stale"]
    assert ranked[0].last_contact == TODAY - datetime.timedelta(days=10)
    assert [r.scores["recency"] for r in ranked] == [100, 0]


def test_it_puts_the_one_someone_vouches_for_first(alice: Any) -> None:
    referrer = PersonFactory(owner=alice, first_name="Scientist")
    bench(alice, "Alone", "python:3")
    bench(alice, "Referred", "python:3", referred_by=referrer)
    tied = bench(alice, "Tied", "python:3")
    Tie.objects.create(
        owner=alice, from_person=referrer, to_person=tied.person, kind=TieKind.COLLEAGUE
    )
    ranked = ranking.rank(alice, opening(alice, ["python"]), TODAY)
    assert [r.person.first_name for r in ranked] == ["Referred", "Tied", "Alone"]
    assert [r.scores["vouched"] for r in ranked] == [60, 20, 0]


def test_the_total_is_the_weighted_mean_of_the_factors(alice: Any) -> None:
    assert sum(ranking.WEIGHTS.values()) == 100
    bench(alice, "Only", "python:4", fit=Fit.STRONG)
    (row,) = ranking.rank(alice, opening(alice, ["python"]), TODAY)
    assert row.scores == {
        "skills": 100,
        "fit": 100,
        "availability": 100,
        "recency": 0,
        "vouched": 0,
    }
    assert row.total == 45 + 20 + 15


def test_it_ranks_only_my_bench(alice: Any, bob: Any) -> None:
    bench(bob, "Bobs", "python:4")
    bench(alice, "Mine", "python:1")
    assert order(alice, opening(alice, ["python"])) == ["Mine"]
