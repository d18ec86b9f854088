from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from coffeechat.bench import team
from coffeechat.network.services import create_person
from tests.bench.conftest import bench, opening

pytestmark = pytest.mark.django_db


def test_it_prints_the_ranked_bench(alice: Any) -> None:
    bench(alice, "Weak", "python:1")
    bench(alice, "Strong", "python:4")
    job = opening(alice, ["python"])
    out = StringIO()
    call_command("bench", "--user", alice.email, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Data engineer")
    assert "Strong" in lines[2] and "Weak" in lines[3]
    out = StringIO()
    call_command("bench", "--user", alice.email, "--opening", str(job.pk), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [row["person"] for row in data["ranked"]] == ["Strong Doe", "Weak Doe"]
    assert set(data["ranked"][0]["scores"]) == {
        "skills",
        "fit",
        "availability",
        "recency",
        "vouched",
    }


def test_it_refuses_another_users_opening(alice: Any, bob: Any) -> None:
    job = opening(bob, ["python"])
    with pytest.raises(CommandError):
        call_command("bench", "--user", alice.email, "--opening", str(job.pk))


def test_the_json_names_who_vouches_as_the_api_does(alice: Any, bob: Any) -> None:
    link = team.accept_invitation(bob, team.invite(alice, bob.email))
    team.accept_proposal(
        alice,
        team.refer(
            bob, link, create_person(bob, first_name="Referred"), why="great", skills="python:3"
        ),
    )
    bench(alice, "Plain", "python:3")
    job = opening(alice, ["python"])
    out = StringIO()
    call_command("bench", "--user", alice.email, "--opening", str(job.pk), "--json", stdout=out)
    rows = {row["person"].split()[0]: row for row in json.loads(out.getvalue())["ranked"]}
    assert rows["Referred"]["team_referrer"].endswith("(bob@example.com)")
    assert rows["Referred"]["referred_by_id"] is None
    assert rows["Plain"]["team_referrer"] is None
