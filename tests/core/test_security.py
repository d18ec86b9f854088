from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COFFEECHAT_", "DJANGO_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "coffeechat",
            *args,
            *(["--no-imports"] if args[0] == "shell" else []),
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_sends_a_strict_content_security_policy(alice_client: Any) -> None:
    response = alice_client.get(reverse("network:person-list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "default-src 'self'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_scripts_or_external_resources(alice_client: Any) -> None:
    import re

    for url in (reverse("pages:home"), reverse("network:person-list"), reverse("accounts:profile")):
        html = alice_client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"""(src|href)=["']https?://""", html), url
        assert " onclick=" not in html and "javascript:" not in html


def test_debug_is_off_by_default(tmp_path: Path) -> None:
    # pytest-django forces DEBUG off too; read the settings module's own default.
    result = run_cli(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env={"COFFEECHAT_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_documented_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    env = {
        "COFFEECHAT_DATA_DIR": str(tmp_path),
        "COFFEECHAT_HTTPS": "1",
        "COFFEECHAT_ALLOWED_HOSTS": "coffeechat.example.org",
        "COFFEECHAT_SECRET_KEY": secrets.token_urlsafe(50),
        "EMAIL_URL": "smtp+tls://coffeechat%40example.org:app-password@mail.example.org",
        "DEFAULT_FROM_EMAIL": "Coffeechat <coffeechat@example.org>",
    }
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_keeps_a_generated_secret_key_in_the_data_directory(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_cli("shell", "-c", code, env={"COFFEECHAT_DATA_DIR": str(tmp_path)})
    second = run_cli("shell", "-c", code, env={"COFFEECHAT_DATA_DIR": str(tmp_path)})
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert (tmp_path / "secret_key").read_text().strip() == first.stdout.strip()
