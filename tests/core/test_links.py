"""Links that leave the page are absolute, on the address Coffeechat is reached at."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from coffeechat.config import site_url
from coffeechat.core.links import absolute_url, served_address, site_domain
from coffeechat.server.management.commands import serve


def test_it_makes_a_path_absolute_on_the_site_address(settings: Any) -> None:
    settings.SITE_URL = "https://coffee.example.org"
    assert absolute_url("/today/") == "https://coffee.example.org/today/"
    assert absolute_url("today/") == "https://coffee.example.org/today/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"
    assert site_domain() == "coffee.example.org"


def test_it_names_the_address_a_server_is_reached_at() -> None:
    assert served_address("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert served_address("::1", 9000) == "http://[::1]:9000"
    assert served_address("0.0.0.0", 80) != "http://0.0.0.0:80"  # a machine's name instead


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> list[Any]:
    """Run `serve` for an instant: no migrations, static files or real server."""
    settings.DATA_DIR = tmp_path
    settings.SITE_URL = "http://127.0.0.1:8000"  # so what serve sets is undone afterwards
    calls: list[Any] = []
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(
        "coffeechat.server.http.serve", lambda app, **options: calls.append(options)
    )
    return calls


def test_serve_on_another_port_makes_it_the_site_address(
    served: list[Any], settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COFFEECHAT_SITE_URL", raising=False)
    out = io.StringIO()
    call_command(
        "serve", "--port", "8123", "--host", "127.0.0.2", "--no-worker", "--processes", "1",
        stdout=out,
    )  # fmt: skip
    assert served[0]["port"] == 8123
    assert settings.SITE_URL == "http://127.0.0.2:8123"
    assert absolute_url("/today/") == "http://127.0.0.2:8123/today/"
    assert "Links in e-mails and calendars start with http://127.0.0.2:8123/" in out.getvalue()
    # The worker and every command started later with this data directory link there too.
    assert site_url(tmp_path) == "http://127.0.0.2:8123"


def test_serve_leaves_a_configured_site_address_alone(
    served: list[Any], settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COFFEECHAT_SITE_URL", "https://coffee.example.org/")
    settings.SITE_URL = site_url(tmp_path)
    call_command("serve", "--port", "8123", "--no-worker", "--processes", "1", stdout=io.StringIO())
    assert settings.SITE_URL == "https://coffee.example.org"
    assert not (tmp_path / "site_url").exists()
    monkeypatch.delenv("COFFEECHAT_SITE_URL")
    assert site_url(tmp_path) == "http://127.0.0.1:8000"  # nothing served yet: the default
