"""`coffeechat serve` on every core: several web processes, one worker, shared rate limits.

A real `coffeechat serve --processes 2` on SQLite in a throwaway data directory; the
requests arrive on fresh connections, so the kernel hands them to either process.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from coffeechat.config import CACHE_TABLE, ConfigError, cache_config
from coffeechat.server.processes import CRASH_LIMIT, Supervisor
from tests.ports import free_port


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid …: comm may hold spaces, so split after its ")".
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.pop("COFFEECHAT_CACHE_URL", None)  # the default: the database's cache table
    env.pop("COFFEECHAT_TEST_FROZEN_AT", None)
    env.update(
        COFFEECHAT_DATA_DIR=str(data),
        COFFEECHAT_LOGIN_RATE_LIMIT="3/m/ip",
        COFFEECHAT_TICK_SECONDS="2",
        PYTHONUNBUFFERED="1",
    )
    log = data / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "coffeechat", "serve", "--port", str(port), "--processes", "2"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while log.read_text().count("Web process") < 2:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"coffeechat serve did not start:\n{log.read_text()}")
            time.sleep(0.3)
        yield {"pid": server.pid, "port": port, "log": log, "data": data}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def request(port: int, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, **kwargs)
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response.status, dict(response.getheaders()), body


def failed_login(port: int) -> str:
    """One wrong password, on new connections, with the form's own CSRF token."""
    status, headers, page = request(port, "GET", "/accounts/login/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    assert token and cookie
    status, _, page = request(
        port,
        "POST",
        "/accounts/login/",
        body=urlencode(
            {"csrfmiddlewaretoken": token[1], "login": "nobody@example.com", "password": "wrong"}
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie[1]}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    assert status in {200, 429}
    return page


def test_it_runs_one_web_process_per_slot_and_the_worker_in_exactly_one(
    served: dict[str, Any],
) -> None:
    assert len(children_of(served["pid"])) == 2
    log = served["log"].read_text()
    assert "2 web processes" in log
    assert log.count("also runs the background worker") == 1
    for _ in range(6):
        assert request(served["port"], "GET", "/health/")[0] == 200


def test_a_web_process_that_dies_is_started_again(served: dict[str, Any]) -> None:
    before = children_of(served["pid"])
    os.kill(before[0], 9)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = children_of(served["pid"])
        if len(now) == 2 and before[0] not in now:
            break
        time.sleep(0.3)
    else:
        pytest.fail(f"still {children_of(served['pid'])} after killing {before[0]}")
    assert request(served["port"], "GET", "/health/")[0] == 200


def test_sign_in_limits_are_counted_in_the_shared_cache(served: dict[str, Any]) -> None:
    pages = [failed_login(served["port"]) for _ in range(4)]
    limited = ["Too many failed login attempts" in page for page in pages]
    assert limited == [False, False, False, True]
    database = sqlite3.connect(served["data"] / "coffeechat.sqlite3")
    try:
        rows = database.execute(f"SELECT count(*) FROM {CACHE_TABLE}").fetchone()[0]
    finally:
        database.close()
    assert rows >= 1


def test_the_cache_can_be_redis_and_refuses_what_it_does_not_know() -> None:
    config = cache_config("redis://127.0.0.1:6379/15")
    cache = RedisCache(config["LOCATION"], {"KEY_PREFIX": config["KEY_PREFIX"]})
    cache.set("probe", "shared", 30)
    try:
        assert cache.get("probe") == "shared"
        keys = redis.Redis.from_url("redis://127.0.0.1:6379/15").keys("coffeechat:*probe")
        assert len(keys) == 1  # in the real server, where every process sees it
    finally:
        cache.delete("probe")
    assert cache_config("")["LOCATION"] == CACHE_TABLE
    with pytest.raises(ConfigError, match="COFFEECHAT_CACHE_URL"):
        cache_config("memcached://127.0.0.1:11211")


def test_web_processes_that_keep_dying_stop_the_server_instead_of_looping() -> None:
    said: list[str] = []

    def broken(slot: int) -> None:
        raise RuntimeError("cannot serve")  # in the forked child, which then ends

    handlers = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        supervisor = Supervisor(1, broken, said.append)
        supervisor.run()
    finally:
        signal.signal(signal.SIGTERM, handlers[0])
        signal.signal(signal.SIGINT, handlers[1])
    assert supervisor.exit_code == 1
    assert len([line for line in said if "starting another" in line]) == CRASH_LIMIT
    assert "stopping" in said[-1]
