"""The deployment artefacts in deploy/: the entrypoint they all run, run here for real.

No container runtime is needed: the image, the compose file and the systemd units only
call deploy/entrypoint.sh with a role, and these tests run that script directly against
a throwaway SQLite data directory, then check that every artefact calls it the same way.
"""

from __future__ import annotations

import configparser
import http.client
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENTRYPOINT = DEPLOY / "entrypoint.sh"
ROLES = {"migrate", "web", "worker"}


def environment(data: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.pop("COFFEECHAT_CACHE_URL", None)
    env.pop("COFFEECHAT_TEST_FROZEN_AT", None)
    program = Path(sys.executable).parent / "coffeechat"
    env.update({"COFFEECHAT_DATA_DIR": str(data), "COFFEECHAT_BIN": str(program), **extra})
    return env


def run(data: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ENTRYPOINT), *args],
        env=environment(data, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


def tables(data: Path) -> set[str]:
    database = sqlite3.connect(data / "coffeechat.sqlite3")
    try:
        rows = database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows}
    finally:
        database.close()


def test_the_roles_migrate_then_serve_then_work(tmp_path: Path) -> None:
    migrated = run(tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert {"accounts_user", "network_person", "coffeechat_cache"} <= tables(tmp_path)

    port = free_port()
    log = tmp_path / "web.log"
    with log.open("w") as out:
        web = subprocess.Popen(
            ["bash", str(ENTRYPOINT), "web", "--processes", "1"],
            env=environment(tmp_path, COFFEECHAT_HOST="127.0.0.1", COFFEECHAT_PORT=str(port)),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while "is running on" not in log.read_text():
            if web.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the web role did not start:\n{log.read_text()}")
            time.sleep(0.3)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(100):
            try:
                connection.request("GET", "/health/")
                break
            except ConnectionRefusedError:
                time.sleep(0.2)
        assert connection.getresponse().status == 200
        text = log.read_text()
        assert "Applying database migrations" not in text  # a release step, not each start
        assert "background worker" not in text  # the worker role does that
    finally:
        web.terminate()
        web.wait(timeout=20)

    worked = run(tmp_path, "worker", "--batch")
    assert worked.returncode == 0, worked.stderr
    database = sqlite3.connect(tmp_path / "coffeechat.sqlite3")
    try:
        beat = database.execute(
            "SELECT count(*) FROM followups_servicestatus WHERE key = 'worker'"
        ).fetchone()[0]
    finally:
        database.close()
    assert beat == 1


def test_any_other_command_passes_through(tmp_path: Path) -> None:
    checked = run(tmp_path, "check")
    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout


def test_it_says_when_it_cannot_find_coffeechat(tmp_path: Path) -> None:
    missing = run(tmp_path, "web", COFFEECHAT_BIN=str(tmp_path / "nothing-here"))
    assert missing.returncode == 127
    assert "COFFEECHAT_BIN" in missing.stderr


def roles_in(command: Any) -> str:
    assert isinstance(command, list) and command, command
    return str(command[0])


def test_the_image_and_compose_file_run_the_entrypoint_roles() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "COPY deploy/entrypoint.sh /usr/local/bin/coffeechat-entrypoint" in dockerfile
    assert re.search(r'^ENTRYPOINT \["coffeechat-entrypoint"\]$', dockerfile, re.M)
    assert re.search(r'^CMD \["web"\]$', dockerfile, re.M)

    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "web", "worker"} <= set(services)
    for name in ("migrate", "web", "worker"):
        assert roles_in(services[name]["command"]) == name
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    documented = (ROOT / "docs" / "configuration.md").read_text()
    for variable in services["web"]["environment"]:
        assert f"`{variable}`" in documented, variable


def test_the_systemd_units_run_the_entrypoint_roles() -> None:
    for unit, role in (("coffeechat-web.service", "web"), ("coffeechat-worker.service", "worker")):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read(DEPLOY / "systemd" / unit)
        start = parser["Service"]["ExecStart"].split()
        assert start[0].endswith("/deploy/entrypoint.sh") and start[1] == role
        assert parser["Service"]["UMask"] == "0077"
        assert parser["Install"]["WantedBy"] == "multi-user.target"
