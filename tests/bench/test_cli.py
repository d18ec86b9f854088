from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

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
