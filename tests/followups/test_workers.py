"""Exactly once with real worker processes and a real SMTP server process (aiosmtpd).

Each test gets its own database (a PostgreSQL database named wt7_procs_… in the
PostgreSQL run, a SQLite file otherwise), migrated by the `coffeechat` command, so
that separate processes share it. Workers are `coffeechat worker --tick-seconds 1`.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller

from tests.ports import free_port

SETUP = """
import datetime
from coffeechat.accounts.models import Profile, User
from coffeechat.core.calendar import local_today
from coffeechat.followups.models import FollowUp, FollowUpSettings
for i in range({users}):
    user = User.objects.create_user(f"user{{i}}@example.com", "a-long-password")
    Profile.objects.update_or_create(user=user, defaults={{"time_zone": "UTC"}})
    FollowUpSettings.objects.create(owner=user, digest_hour=0)
    FollowUp.objects.create(
        owner=user, title=f"Thank person {{i}}",
        due_on=local_today(user) - datetime.timedelta(days=1),
    )
"""

REPORT = """
import json
from coffeechat.followups.models import Digest, Notification
print(json.dumps({
    "sent": Digest.objects.filter(status="sent").count(),
    "digests": Digest.objects.count(),
    "attempts": sorted(Digest.objects.values_list("attempts", flat=True)),
    "notifications": Notification.objects.count(),
}))
"""


class Sink:
    """Keeps every message the SMTP server accepted."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@pytest.fixture
def env(tmp_path: Path, smtp: tuple[Sink, int]) -> Iterator[dict[str, str]]:
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base["COFFEECHAT_DATA_DIR"] = str(tmp_path)
    base["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp[1]}"
    base["COFFEECHAT_DIGEST_EMAIL"] = "1"
    base["COFFEECHAT_LOG_LEVEL"] = "INFO"
    url = os.environ.get("DATABASE_URL", "")
    name = f"wt7_procs_{os.getpid()}"
    admin = None
    if url:
        import psycopg

        parts = urlsplit(url)
        admin = psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        base["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    coffeechat(base, "migrate", "--verbosity", "0")
    try:
        yield base
    finally:
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def coffeechat(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "coffeechat", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def python(env: dict[str, str], code: str) -> str:
    return coffeechat(env, "shell", "--no-startup", "--interface", "python", "-c", code)


class Worker:
    def __init__(self, env: dict[str, str], **extra: str) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coffeechat", "worker", "--tick-seconds", "1"],
            env={**env, **extra},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "".join(seen)
                continue
            seen.append(line)
            if text in line:
                return
        raise AssertionError(f"{text!r} never appeared:\n{''.join(seen)}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_until(predicate: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_two_workers_at_once_send_each_digest_exactly_once(
    env: dict[str, str], smtp: tuple[Sink, int]
) -> None:
    sink, _port = smtp
    users = 20
    python(env, SETUP.format(users=users))
    workers = [Worker(env), Worker(env)]
    try:
        wait_until(lambda: sink.count() >= users)
        time.sleep(4)  # several more ticks of both workers
    finally:
        for worker in workers:
            worker.stop()
    recipients = sorted(
        line.split(b":", 1)[1].strip()
        for message in sink.messages
        for line in message.splitlines()
        if line.lower().startswith(b"to:")
    )
    assert len(sink.messages) == users
    assert len(set(recipients)) == users
    report = json.loads(python(env, REPORT).strip().splitlines()[-1])
    assert report == {
        "sent": users,
        "digests": users,
        "attempts": [1] * users,
        "notifications": users,
    }


def test_a_worker_killed_mid_digest_then_restarted_delivers_it_exactly_once(
    env: dict[str, str], smtp: tuple[Sink, int]
) -> None:
    sink, _port = smtp
    python(env, SETUP.format(users=1))
    fast_retry = {"COFFEECHAT_DIGEST_CLAIM_TIMEOUT": "3"}
    doomed = Worker(env, COFFEECHAT_TEST_DIGEST_PAUSE="60", **fast_retry)
    try:
        doomed.wait_for("Claimed the digest")
        os.kill(doomed.process.pid, signal.SIGKILL)
        doomed.process.wait(timeout=10)
    finally:
        doomed.stop()
    assert sink.count() == 0
    restarted = Worker(env, **fast_retry)
    try:
        restarted.wait_for("(attempt 2)")
        wait_until(lambda: sink.count() >= 1)
        time.sleep(4)
    finally:
        restarted.stop()
    assert sink.count() == 1
    message = sink.messages[0]
    assert b"Message-ID: <digest." in message and b"Thank person 0" in message
    report = json.loads(python(env, REPORT).strip().splitlines()[-1])
    assert report == {"sent": 1, "digests": 1, "attempts": [2], "notifications": 1}
