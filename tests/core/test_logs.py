"""Request ids and log lines: every record made during a request carries the id the
response names in X-Request-ID; COFFEECHAT_LOG_FORMAT=json makes each line one object."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from coffeechat.core.logs import JsonFormatter, RequestIdFilter, TextFormatter, logging_config
from tests.factories import ConversationFactory, EmailAddressFactory, PersonFactory
from tests.ports import free_port

pytestmark = pytest.mark.django_db


class Lines:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    def text(self) -> str:
        return self.stream.getvalue()

    def json(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text().splitlines() if line.strip()]


def capture(formatter: logging.Formatter) -> Iterator[Lines]:
    """The root logger's output through the handler set-up the settings use."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield Lines(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture
def json_lines() -> Iterator[Lines]:
    yield from capture(JsonFormatter())


@pytest.fixture
def text_lines() -> Iterator[Lines]:
    yield from capture(TextFormatter())


def request_lines(lines: Lines, request_id: str) -> list[dict[str, Any]]:
    return [line for line in lines.json() if line["request_id"] == request_id]


def test_the_settings_pick_json_or_text() -> None:
    json_config: Any = logging_config("INFO", "json")
    text_config: Any = logging_config("INFO", "")
    assert json_config["handlers"]["console"]["formatter"] == "json"
    assert json_config["handlers"]["console"]["filters"] == ["request_id"]
    assert text_config["handlers"]["console"]["formatter"] == "text"
    logging.config.dictConfig(json_config)  # it is a configuration logging accepts
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def test_each_response_names_its_request_id_and_its_log_line_carries_it(
    alice: Any, alice_client: Client, json_lines: Lines
) -> None:
    first = alice_client.get("/people/")
    second = alice_client.get("/people/")
    given = first["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", given)
    assert second["X-Request-ID"] != given

    (line,) = [
        line for line in request_lines(json_lines, given) if line["logger"] == "coffeechat.request"
    ]
    assert line["method"] == "GET"
    assert line["path"] == "/people/"
    assert line["route"] == "network:person-list"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] == alice.pk
    assert line["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])
    assert "GET /people/ 200" in line["message"]
    assert alice.email not in json_lines.text()


def test_a_line_written_deep_inside_a_view_carries_the_same_request_id(
    alice: Any, alice_client: Client, settings: Any, json_lines: Lines
) -> None:
    """The invitation service logs a refusing mail server; that line names the request."""
    settings.EMAIL_CONFIGURED = True
    settings.MAILERS = {
        "default": {
            "BACKEND": "coffeechat.core.mailers.SmtpBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    dana = PersonFactory(owner=alice, first_name="Dana")
    EmailAddressFactory(person=dana, email="dana@acme.example")
    conversation = ConversationFactory(owner=alice, people=[dana])

    response = alice_client.post(f"/conversations/{conversation.pk}/invite/")

    lines = request_lines(json_lines, response["X-Request-ID"])
    loggers = [line["logger"] for line in lines]
    assert "coffeechat.outreach.invitations" in loggers
    assert loggers[-1] == "coffeechat.request"
    deep = lines[loggers.index("coffeechat.outreach.invitations")]
    assert deep["level"] == "WARNING"
    assert "Could not send the invitation" in deep["message"]
    assert lines[-1]["route"] == "conversations:conversation-invite"
    assert "dana@acme.example" not in json_lines.text()


def test_lines_outside_a_request_have_no_request_id(json_lines: Lines) -> None:
    logging.getLogger("coffeechat.server.worker").warning("The follow-ups tick failed")
    (line,) = json_lines.json()
    assert line["request_id"] is None
    assert line["logger"] == "coffeechat.server.worker"
    assert "method" not in line


def test_an_exception_is_kept_in_the_json_line(json_lines: Lines) -> None:
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("coffeechat.test").exception("It failed")
    (line,) = json_lines.json()
    assert line["message"] == "It failed"
    assert "ValueError: broken" in line["exception"]


def test_the_text_format_names_the_request_id(alice_client: Client, text_lines: Lines) -> None:
    response = alice_client.get("/people/")
    given = response["X-Request-ID"]
    assert f"INFO coffeechat.request [{given}] GET /people/ 200" in text_lines.text()


@pytest.mark.parametrize(
    ("behind_proxy", "peer", "incoming", "kept"),
    [
        (False, "127.0.0.1", "abc-123", False),  # no proxy: nobody's id is believed
        (True, "127.0.0.1", "abc-123", True),  # the trusted proxy's id is kept
        (True, "192.0.2.7", "abc-123", False),  # anyone else's is not
        (True, "127.0.0.1", "two words", False),  # nor a malformed one
        (True, "127.0.0.1", "x" * 200, False),
    ],
)
def test_an_incoming_request_id_is_believed_only_from_the_trusted_proxy(
    client: Client, settings: Any, behind_proxy: bool, peer: str, incoming: str, kept: bool
) -> None:
    settings.BEHIND_PROXY = behind_proxy
    settings.TRUSTED_PROXY = "127.0.0.1"
    response = client.get("/health/", headers={"X-Request-ID": incoming}, REMOTE_ADDR=peer)
    assert (response["X-Request-ID"] == incoming) is kept
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"]) or kept


def test_a_proxy_peer_kept_by_serve_wins_over_the_forwarded_address(
    client: Client, settings: Any
) -> None:
    """Behind the proxy waitress puts the client's address in REMOTE_ADDR; `serve` keeps
    the proxy's own as coffeechat.peer, and that is what is checked."""
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY = "127.0.0.1"
    environ = {"REMOTE_ADDR": "198.51.100.4", "coffeechat.peer": "127.0.0.1"}
    response = client.get("/health/", headers={"X-Request-ID": "from-nginx-1"}, **environ)
    assert response["X-Request-ID"] == "from-nginx-1"


def test_secrets_and_addresses_in_paths_are_not_logged(
    alice_client: Client, json_lines: Lines
) -> None:
    alice_client.get("/feed/0123456789abcdef-secret.ics")
    alice_client.get("/nowhere/someone@example.org/")
    text = json_lines.text()
    assert "0123456789abcdef-secret" not in text
    assert "someone@example.org" not in text
    paths = [
        line.get("path") for line in json_lines.json() if line["logger"] == "coffeechat.request"
    ]
    assert "/feed/<token>.ics" in paths
    assert "/nowhere/<hidden>/" in paths


def test_a_separate_worker_writes_json_lines_too(tmp_path: Any) -> None:
    """`coffeechat worker` (here one batch) logs through the same settings: one JSON
    object per line, without a request id."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.pop("COFFEECHAT_TEST_FROZEN_AT", None)
    env.update(COFFEECHAT_DATA_DIR=str(tmp_path), COFFEECHAT_LOG_FORMAT="json")
    coffeechat = [sys.executable, "-m", "coffeechat"]
    subprocess.run([*coffeechat, "migrate", "-v", "0"], env=env, check=True)
    done = subprocess.run(
        [*coffeechat, "worker", "--batch"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    assert lines, "the worker wrote no log line"
    assert {line["logger"] for line in lines} & {"django_tasks_db", "coffeechat.server.worker"}
    assert all(line["request_id"] is None for line in lines)
