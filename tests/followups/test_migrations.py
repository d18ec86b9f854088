"""Migrations of follow-ups that change rows people already have."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coffeechat.accounts.models import User

BEFORE = [("followups", "0006_digest_sending_and_uncertain")]
AFTER = [("followups", "0007_declined_follow_ups_propose_another_time")]


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_declined_invitations_made_before_become_propose_another_time() -> None:
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    FollowUp = old.get_model("followups", "FollowUp")
    # The accounts tables are as they are now: only follow-ups went back.
    owner_id = User.objects.create_user(email="kim@example.org", password=None).pk
    made = {
        kind_rule: FollowUp.objects.create(
            owner_id=owner_id,
            title=title,
            kind="custom",
            rule=kind_rule,
            due_on=datetime.date(2026, 12, 7),
        ).pk
        for kind_rule, title in (
            ("declined", "Dana Reyes declined — propose another time?"),
            ("", "Buy a new notebook"),
        )
    }
    try:
        new = migrate(AFTER).loader.project_state(AFTER).apps
        kinds = dict(new.get_model("followups", "FollowUp").objects.values_list("pk", "kind"))
        assert kinds[made["declined"]] == "reschedule"
        assert kinds[made[""]] == "custom"  # one the user wrote stays "Other"
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
