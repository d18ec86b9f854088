from __future__ import annotations

from pathlib import Path

import pytest

from coffeechat.config import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    load_or_create_secret,
    parse_email_url,
)


def test_it_reads_yes_no_values(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [("1", True), ("yes", True), ("TRUE", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env_bool("X_FLAG") is expected
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", True) is True
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ConfigError, match="X_FLAG='maybe' is not a yes/no value"):
        env_bool("X_FLAG")


def test_it_reads_numbers_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUM", "42")
    assert env_int("X_NUM", 1) == 42
    monkeypatch.setenv("X_NUM", "forty")
    with pytest.raises(ConfigError, match="not a whole number"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_LIST", " a.example , ,b.example")
    assert env_list("X_LIST") == ["a.example", "b.example"]


def test_it_keeps_the_generated_secret_key(tmp_path: Path) -> None:
    path = tmp_path / "data" / "secret_key"
    first = load_or_create_secret(path)
    assert len(first) >= 50
    assert load_or_create_secret(path) == first
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("url", "backend", "options"),
    [
        ("", "console", {}),
        ("console://", "console", {}),
        ("memory://", "locmem", {}),
        ("file:///var/mail/cc", "filebased", {"file_path": "/var/mail/cc"}),
        (
            "smtp://mail.example.org",
            "smtp",
            {"host": "mail.example.org", "port": 25, "use_tls": False, "use_ssl": False},
        ),
        (
            "smtp+tls://me%40example.org:p%40ss@mail.example.org",
            "smtp",
            {"port": 587, "use_tls": True, "username": "me@example.org", "password": "p@ss"},
        ),
        ("smtps://mail.example.org", "smtp", {"port": 465, "use_ssl": True}),
        ("smtp://mail.example.org:2525?tls=1", "smtp", {"port": 2525, "use_tls": True}),
    ],
)
def test_it_parses_email_urls(url: str, backend: str, options: dict[str, object]) -> None:
    config = parse_email_url(url)
    expected = f"django.core.mail.backends.{backend}.EmailBackend"
    if backend == "smtp":  # Django's, counting what it sends (coffeechat.core.mailers)
        expected = "coffeechat.core.mailers.SmtpBackend"
    assert config["BACKEND"] == expected
    for key, value in options.items():
        assert config["OPTIONS"][key] == value


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("pop3://mail.example.org", "not supported"),
        ("smtp://", "needs a host name"),
        ("smtp://mail.example.org:notaport", "invalid port"),
        ("file://", "needs a folder"),
    ],
)
def test_it_explains_a_bad_email_url(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_email_url(url)
