"""A body over the upload limit is refused by `coffeechat serve` before it is read (413),
with Coffeechat's own page, or JSON for the API (issue 19, uploads)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.ports import free_port

LIMIT_MB = 1


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    data = tmp_path_factory.mktemp("size")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.pop("COFFEECHAT_TEST_FROZEN_AT", None)
    env.update(COFFEECHAT_DATA_DIR=str(data), COFFEECHAT_IMPORT_MAX_MB=str(LIMIT_MB))
    log = data / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "coffeechat", "serve", "--port", str(port),
             "--processes", "1", "--no-worker"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"coffeechat serve did not start:\n{log.read_text()}")
                time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def headers_only(port: int, path: str, length: int, accept: str = "text/html") -> Any:
    """Send the request's headers, never its body (a waiting server would time the test
    out); return (status line, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\n"
                "Content-Type: multipart/form-data; boundary=xyz\r\n"
                f"Content-Length: {length}\r\n\r\n"
            ).encode()
        )
        received = b""
        while True:
            chunk = sock.recv(65536)  # times out (fails) if the server waits for the body
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    return lines[0], {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:])}, body


def test_it_refuses_a_too_large_upload_before_reading_its_body(server: int) -> None:
    status, headers, body = headers_only(server, "/imports/", 500 * 1024 * 1024)
    assert status.startswith("HTTP/1.1 413")
    assert headers["content-type"].startswith("text/html")
    page = body.decode()
    assert "This upload is too large" in page
    assert f"limit of {LIMIT_MB} MB (COFFEECHAT_IMPORT_MAX_MB)" in page


def test_it_answers_the_api_in_json(server: int) -> None:
    status, headers, body = headers_only(server, "/api/v1/people", 50 * 1024 * 1024)
    assert status.startswith("HTTP/1.1 413")
    assert headers["content-type"] == "application/json"
    assert b'"detail": "The upload is larger than' in body


def test_a_body_under_the_limit_reaches_the_application(server: int) -> None:
    status, _headers, _body = headers_only_small(server)
    assert status.startswith("HTTP/1.1 403")  # CSRF: the body was read and the form checked


def headers_only_small(port: int) -> Any:
    body = b"--xyz--\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /imports/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: multipart/form-data; boundary=xyz\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received.split(b"\r\n", 1)[0].decode(), {}, b""
