"""/health/: the database, the worker, e-mail, backups and the mailbox-sync slot, for
anyone, cheaply, without user data."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from typing import Any

import pytest
import requests
import time_machine
from django.test import Client
from django.utils import timezone

from coffeechat.followups import health
from tests.ports import free_port

pytestmark = pytest.mark.django_db


def test_it_names_every_part_with_mailbox_syncs(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert set(data) == {
        "status",
        "ok",
        "database",
        "worker",
        "email",
        "backups",
        "mailbox_syncs",
    }
    assert data["database"] == {"ok": True}
    assert data["mailbox_syncs"] == {"connected": 0, "failing": 0, "stalled": 0}
    assert data["backups"]["schedule"] == "not configured"
    assert data["email"]["state"] == "no e-mail sent yet"


def test_it_says_since_when_e_mail_fails_and_not_why(client: Client) -> None:
    now = timezone.now().replace(microsecond=0)
    with time_machine.travel(now, tick=False):
        health.record(health.EMAIL_SUCCESS, "digest to user 3", now - datetime.timedelta(hours=2))
        health.record(health.EMAIL_FAILURE, "SMTPAuthenticationError: 535 bob@x.org", now)
        data = client.get("/health/").json()
    assert data["email"]["state"] == f"failing since {now.isoformat()}"
    assert data["ok"] is False and data["status"] == "degraded"
    text = json.dumps(data)
    assert "535" not in text and "bob@x.org" not in text and "user 3" not in text
    with time_machine.travel(now + datetime.timedelta(minutes=5), tick=False):
        health.record(health.EMAIL_SUCCESS, "digest to user 3")
        assert client.get("/health/").json()["email"]["state"] == "ok"


def test_it_costs_two_queries(client: Client, django_assert_num_queries: Any) -> None:
    health.record(health.WORKER, "tick")
    with django_assert_num_queries(2):  # the service states; the mailbox counts
        client.get("/health/")


def test_a_database_that_does_not_answer_is_a_503(tmp_path: Any) -> None:
    """A real `coffeechat serve` whose PostgreSQL is not there (nothing listens)."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "COFFEECHAT_TEST_FROZEN_AT"}
    env.update(
        COFFEECHAT_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{free_port()}/gone",
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "coffeechat", "serve", "--port", str(port),
             "--processes", "1", "--no-migrate", "--no-worker", "--skip-checks"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while "is running on" not in log.read_text():
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"coffeechat serve did not start:\n{log.read_text()}")
            time.sleep(0.3)
        for _attempt in range(50):  # waitress may need a moment after saying so
            try:
                response = requests.get(f"http://127.0.0.1:{port}/health/", timeout=30)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        assert response.status_code == 503
        assert response.json() == {"status": "down", "ok": False, "database": {"ok": False}}
        assert "nobody" not in response.text and "gone" not in response.text
    finally:
        server.terminate()
        server.wait(timeout=20)
