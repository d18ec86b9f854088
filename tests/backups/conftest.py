"""A real Coffeechat instance in other processes (``coffeechat serve`` with its worker, a
writer process), on its own SQLite file or PostgreSQL database, for the backup tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
COFFEECHAT = [sys.executable, "-m", "coffeechat"]


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Instance:
    """A Coffeechat instance run by other processes, as an operator runs it."""

    data_dir: Path
    database_url: str | None
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COFFEECHAT_")}
        env.pop("DATABASE_URL", None)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env["PYTHONPATH"] = f"{ROOT / 'src'}{os.pathsep}{ROOT}"
        env["COFFEECHAT_DATA_DIR"] = str(self.data_dir)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        self.env = env

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*COFFEECHAT, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, f"coffeechat {' '.join(args)}: {done.stderr[-3000:]}"
        return done

    def python(self, *args: str, **kwargs: Any) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, *args],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **kwargs,
        )

    def serve(self, port: int) -> subprocess.Popen[str]:
        env = dict(self.env, COFFEECHAT_TICK_SECONDS="1")
        process = subprocess.Popen(
            [*COFFEECHAT, "serve", "--port", str(port), "--no-migrate"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5):
                    return process
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.3)
        process.kill()
        raise AssertionError("coffeechat serve did not start")


@pytest.fixture
def source_database_url() -> Iterator[str | None]:
    """None on SQLite (a file in the instance's data directory); on PostgreSQL a
    database of its own beside the test database, dropped afterwards."""
    if not on_postgres():
        yield None
        return
    import psycopg

    name = f"{connection.settings_dict['NAME']}_source"
    url = urlsplit(os.environ["DATABASE_URL"])
    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(url._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def source(tmp_path: Path, source_database_url: str | None) -> Instance:
    instance = Instance(tmp_path / "source", source_database_url)
    instance.run("migrate", "-v0")
    return instance


class WebWriter:
    """Creates people through the API of the running server until stopped."""

    def __init__(self, port: int, token: str) -> None:
        self.url = f"http://127.0.0.1:{port}/api/v1/people"
        self.token = token
        self.created = 0
        self.statuses: set[int] = set()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            body = json.dumps({"first_name": f"Web{self.created}", "last_name": "Written"})
            request = urllib.request.Request(
                self.url,
                data=body.encode(),
                method="POST",
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                self.statuses.add(response.status)
                self.created += 1
