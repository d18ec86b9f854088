from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coffeechat.accounts.models import Profile, User

PROJECT_COMMANDS = ["serve", "demo", "createuser"]


def cli(*args: str, env: dict[str, str] | None = None, **kwargs: Any) -> Any:
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "coffeechat", *args],
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kwargs,
    )


@pytest.mark.parametrize("command", PROJECT_COMMANDS)
def test_it_explains_every_command(command: str) -> None:
    result = cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert f"usage: coffeechat {command}" in result.stdout
    assert len(result.stdout.splitlines()) > 5


@pytest.mark.django_db
def test_it_creates_a_user_from_the_command_line() -> None:
    call_command(
        "createuser", "dana@example.com", "--password", "a-strong-pass-phrase", "--name", "Dana"
    )
    user = User.objects.get(email="dana@example.com")
    assert user.check_password("a-strong-pass-phrase")
    assert Profile.objects.get(user=user).full_name == "Dana"
    assert not user.is_staff
    with pytest.raises(CommandError, match="exists already"):
        call_command("createuser", "dana@example.com", "--password", "a-strong-pass-phrase")


@pytest.mark.django_db
def test_it_refuses_a_weak_password_on_the_command_line() -> None:
    with pytest.raises(CommandError, match="Password refused"):
        call_command("createuser", "weak@example.com", "--password", "12345678")
    assert not User.objects.exists()


def test_serve_migrates_and_serves_for_real(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}}
    env["COFFEECHAT_DATA_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "coffeechat", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health/", timeout=2) as response:
                    assert response.status == 200
                    break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        with urllib.request.urlopen(f"{base}/", timeout=5) as response:
            # No account yet: the first visit lands on sign-up.
            assert response.url.endswith("/accounts/signup/")
            assert "Sign Up" in response.read().decode()
        with urllib.request.urlopen(f"{base}/static/coffeechat/app.css", timeout=5) as response:
            assert b"--accent" in response.read()
        assert (tmp_path / "coffeechat.sqlite3").exists()
        assert (tmp_path / "static" / "coffeechat" / "app.css").exists()
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert f"http://127.0.0.1:{port}/" in output
    # Links in e-mails and calendars follow the port served, for the worker too.
    assert (tmp_path / "site_url").read_text().strip() == f"http://127.0.0.1:{port}"
    code = "from django.conf import settings; print(settings.SITE_URL)"
    shown = cli("shell", "--no-imports", "-c", code, env=env)
    assert shown.stdout.strip() == f"http://127.0.0.1:{port}", shown.stderr
