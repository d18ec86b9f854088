"""An invented, deterministic network for a demo account.

:func:`build_demo_network` fills an account with a few hundred people, the
organizations they work at, the schools, associations, alumni groups and
communities they belong to, and the ties between them: the user's own friends,
family, former colleagues and classmates, referral chains ("X suggested I talk
to Y") and chains several links deep ("my mother's hairdresser's brother has a
friend at …"). Every name, organization and text is made up and lives in the data
files of ``data/`` (:mod:`coffeechat.demo.catalog`); the same seed always gives the
same rows.

Everything is planned in memory first (:func:`plan_network`, one module per step),
then written with ``bulk_create`` inside one transaction
(:mod:`coffeechat.demo.writing`), so a full build takes well under a few seconds on
SQLite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from coffeechat.demo.bench import build_demo_bench
from coffeechat.demo.catalog import catalog
from coffeechat.demo.chains import make_referral_chains, make_social_chains
from coffeechat.demo.conversations import build_demo_conversations
from coffeechat.demo.details import make_details
from coffeechat.demo.memberships import make_memberships
from coffeechat.demo.outreach import build_demo_messages
from coffeechat.demo.people import choose_cohorts, make_careers, make_people, place_people
from coffeechat.demo.plan import DEFAULT_PEOPLE, DEMO_TODAY, Plan
from coffeechat.demo.targets import build_demo_targets
from coffeechat.demo.ties import make_background_ties, make_my_ties
from coffeechat.demo.writing import write_network

DEMO_EMAIL = "demo@coffeechat.local"
DEFAULT_SEED = 2026
MIN_PEOPLE = 30

STEPS: tuple[str, ...] = (
    "Inventing the network",
    "Saving organizations and groups",
    "Saving people",
    "Saving jobs",
    "Saving memberships",
    "Saving e-mail addresses and phone numbers",
    "Saving ties and introductions",
    "Saving tags",
    "Saving your profile and affiliations",
    "Saving targets, openings and applications",
    "Saving conversations and stories",
    "Writing a few messages",
    "Keeping a bench",
)

StepCallback = Callable[[str], None]


def demo_full_name() -> str:
    """The demo user's name (from ``data/me.toml``)."""
    return catalog().me.full_name


def plan_network(seed: int, count: int) -> Plan:
    """The demo network of ``count`` people for ``seed``, planned in memory, step by step.

    The order of the steps is part of the demo: each draws from the same generator.
    """
    plan = Plan(seed, count)
    make_people(plan)
    choose_cohorts(plan)
    make_careers(plan)
    place_people(plan)
    make_memberships(plan)
    make_my_ties(plan)
    make_referral_chains(plan)
    make_social_chains(plan)
    make_background_ties(plan)
    make_details(plan)
    return plan


def build_demo_network(
    owner: Any,
    *,
    seed: int = DEFAULT_SEED,
    people: int = DEFAULT_PEOPLE,
    on_step: StepCallback | None = None,
) -> dict[str, int]:
    """Fill ``owner``'s empty account with the demo network and return counts of the rows.

    The same ``seed`` and ``people`` always give the same data. ``on_step`` is called
    with the label of each step in :data:`STEPS` as it begins (for progress display).
    """
    if people < MIN_PEOPLE:
        raise ValueError(f"The demo network needs at least {MIN_PEOPLE} people.")

    def step(number: int) -> None:
        if on_step is not None:
            on_step(STEPS[number])

    with transaction.atomic():
        step(0)
        plan = plan_network(seed, people)
        counts = write_network(owner, plan, step)
        target_names = [spec.name for spec in plan.data.organizations if spec.target]

        step(9)
        target_counts = build_demo_targets(owner, target_names, DEMO_TODAY)

        step(10)
        conversation_counts = build_demo_conversations(owner)

        step(11)
        target_counts.update(build_demo_messages(owner, target_names, DEMO_TODAY))

        step(12)
        bench_counts = build_demo_bench(owner)

    return {**counts, **target_counts, **conversation_counts, **bench_counts}
