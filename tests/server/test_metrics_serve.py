"""/metrics and the JSON logs of a real `coffeechat serve --processes 2`.

Nothing is simulated: the real server (waitress, two forked web processes, the embedded
worker in one of them) on SQLite in a throwaway data directory, a real SMTP server
(aiosmtpd) as its EMAIL_URL, and HTTP requests on fresh connections, which the kernel
hands to either process. The scrape must add up what both processes counted.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from aiosmtpd.controller import Controller
from prometheus_client.parser import text_string_to_metric_families

from tests.outreach.conftest import Collector
from tests.ports import free_port
from tests.server.test_processes import children_of

TOKEN = "serve-scrape-token-7b2e"
EMAIL = "walter@example.com"
PASSWORD = "a long test password 1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = tmp_path_factory.mktemp("metrics-serve")
    inbox = Collector()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    port = free_port()
    tmp = data / "tmp"  # the Supervisor makes the run's metrics directory in here
    tmp.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.pop("COFFEECHAT_CACHE_URL", None)
    env.pop("COFFEECHAT_TEST_FROZEN_AT", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.update(
        COFFEECHAT_DATA_DIR=str(data),
        COFFEECHAT_METRICS_TOKEN=TOKEN,
        COFFEECHAT_LOG_FORMAT="json",
        COFFEECHAT_TICK_SECONDS="2",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        TMPDIR=str(tmp),
        PYTHONUNBUFFERED="1",
    )
    subprocess.run([sys.executable, "-m", "coffeechat", "migrate", "-v", "0"], env=env, check=True)
    subprocess.run(
        [sys.executable, "-m", "coffeechat", "createuser", EMAIL, "--password-stdin"],
        env=env, input=PASSWORD.encode(), check=True, capture_output=True,
    )  # fmt: skip
    out, err = data / "serve.out", data / "serve.err"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "coffeechat", "serve", "--port", str(port), "--processes", "2"],
            env=env, stdout=stdout, stderr=stderr,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while out.read_text().count("Web process") < 2:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"coffeechat serve did not start:\n{out.read_text()}{err.read_text()}")
            time.sleep(0.3)
        yield {
            "pid": process.pid,
            "url": f"http://127.0.0.1:{port}",
            "err": err,
            "inbox": inbox,
            "tmp": tmp,
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        smtp.stop()
    assert not list(tmp.glob("coffeechat-metrics-*")), "the metrics directory outlived the run"


def fresh_get(url: str) -> requests.Response:
    with requests.Session() as session:  # a new connection each time
        return session.get(url, timeout=30)


def scrape(server: dict[str, Any]) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = fresh_get_with_token(server["url"] + "/metrics")
    assert response.status_code == 200
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def fresh_get_with_token(url: str) -> requests.Response:
    with requests.Session() as session:
        return session.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)


def count(samples: dict[Any, float], route: str, method: str = "GET", status: str = "2xx") -> float:
    labels = tuple(sorted({"route": route, "method": method, "status": status}.items()))
    return samples.get(("coffeechat_http_request_duration_seconds_count", labels), 0.0)


def metric_files(server: dict[str, Any]) -> set[str]:
    """The files in the run's metrics directory (named after the process that wrote them)."""
    (folder,) = server["tmp"].glob("coffeechat-metrics-*")
    return {path.name for path in folder.iterdir()}


def log_lines(server: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in server["err"].read_text().splitlines() if line.strip()]


def test_requests_spread_over_both_processes_are_all_counted(server: dict[str, Any]) -> None:
    before = count(scrape(server), "pages:health")
    children = children_of(server["pid"])
    sent = 0
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _round in range(20):  # bounded: at most 20 × 12 requests
            answers = list(pool.map(fresh_get, [server["url"] + "/health/"] * 12))
            assert all(answer.status_code == 200 for answer in answers)
            sent += len(answers)
            files = metric_files(server)
            if all(f"histogram_{pid}.db" in files for pid in children):
                break
    assert all(f"histogram_{pid}.db" in metric_files(server) for pid in children), (
        "the requests all went to one process"
    )
    after = count(scrape(server), "pages:health")
    assert after - before == sent


def test_the_metrics_need_the_token(server: dict[str, Any]) -> None:
    assert fresh_get(server["url"] + "/metrics").status_code == 404
    with requests.Session() as session:
        wrong = session.get(
            server["url"] + "/metrics", headers={"Authorization": "Bearer nope"}, timeout=30
        )
    assert wrong.status_code == 404


def test_every_log_line_is_json_and_the_worker_writes_some(server: dict[str, Any]) -> None:
    deadline = time.monotonic() + 30
    while not any(line["request_id"] is None for line in log_lines(server)):
        assert time.monotonic() < deadline, "no log line from outside a request"
        time.sleep(0.5)
    lines = log_lines(server)  # json.loads of every line: a non-JSON line fails here
    assert {"time", "level", "logger", "message", "request_id"} <= set(lines[0])


def test_a_user_adds_a_person_and_sends_a_note_and_it_all_shows(server: dict[str, Any]) -> None:
    """Sign in, add a person, send them an outreach e-mail through the real SMTP server:
    the e-mails-sent counter and those pages' histograms go up, and each response's
    X-Request-ID names its own JSON log line."""
    url = server["url"]
    before = scrape(server)
    seen: list[requests.Response] = []
    with requests.Session() as browser:

        def csrf_of(response: requests.Response) -> str:
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
            assert found, response.text[:500]
            return found.group(1)

        def post(path: str, data: dict[str, str], form: requests.Response) -> requests.Response:
            answer = browser.post(
                url + path,
                data={"csrfmiddlewaretoken": csrf_of(form), **data},
                headers={"Referer": url + path},
                allow_redirects=False,
                timeout=30,
            )
            seen.append(answer)
            return answer

        login_form = browser.get(url + "/accounts/login/", timeout=30)
        seen.append(login_form)
        signed_in = post("/accounts/login/", {"login": EMAIL, "password": PASSWORD}, login_form)
        assert signed_in.status_code == 302

        person_form = browser.get(url + "/people/new/", timeout=30)
        seen.append(person_form)
        added = post(
            "/people/new/",
            {"first_name": "Dana", "last_name": "Reyes", "emails": "dana@acme.example",
             "source": "manual"},
            person_form,
        )  # fmt: skip
        assert added.status_code == 302
        person_id = re.search(r"/people/(\d+)/", added.headers["Location"]).group(1)  # type: ignore[union-attr]

        compose = f"/outreach/compose/?person={person_id}"
        composer = browser.get(url + compose, timeout=30)
        seen.append(composer)
        sent = post(
            compose,
            {"to_email": "dana@acme.example", "subject": "A question about Acme",
             "body": "Hello Dana, would you have 20 minutes for a call next week? Thank you.",
             "action": "send"},
            composer,
        )  # fmt: skip
        assert sent.status_code == 302
        detail = browser.get(url + sent.headers["Location"], timeout=30)
        seen.append(detail)
        assert "Sent to Dana Reyes" in detail.text

    assert [e.rcpt_tos for e in server["inbox"].envelopes] == [["dana@acme.example"]]
    after = scrape(server)
    assert (
        after[("coffeechat_emails_sent_total", ())]
        - before.get(("coffeechat_emails_sent_total", ()), 0)
        == 1
    )
    for route, method in [
        ("network:person-create", "POST"),
        ("network:person-create", "GET"),
        ("outreach:compose", "POST"),
        ("account_login", "POST"),
    ]:
        status = "3xx" if method == "POST" else "2xx"
        assert count(after, route, method, status) - count(before, route, method, status) == 1

    lines = log_lines(server)
    for response in seen:
        given = response.headers["X-Request-ID"]
        mine = [line for line in lines if line["request_id"] == given]
        request_line = [line for line in mine if line["logger"] == "coffeechat.request"]
        assert len(request_line) == 1, given
        assert request_line[0]["status"] == response.status_code
        assert request_line[0]["path"] == response.request.path_url.split("?")[0]
    user_ids = {line.get("user_id") for line in lines if line.get("route") == "outreach:compose"}
    assert len(user_ids) == 1 and None not in user_ids
    text = server["err"].read_text()
    assert EMAIL not in text and "dana@acme.example" not in text and PASSWORD not in text
