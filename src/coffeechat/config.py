"""Small typed helpers that read the environment for settings.py.

Every variable read here is documented in docs/configuration.md; a test fails
when one is not.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A setting in the environment has a value we cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


SITE_URL_FILE = "site_url"
DEFAULT_SITE_URL = "http://127.0.0.1:8000"


CACHE_TABLE = "coffeechat_cache"


def cache_config(url: str) -> dict[str, Any]:
    """Django's cache settings from COFFEECHAT_CACHE_URL (empty: the database)."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "coffeechat",
        }
    if url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ConfigError(
        f"COFFEECHAT_CACHE_URL={url!r}: use redis://host:port/db, rediss://…, "
        "locmem:// or leave it empty for the database."
    )


def site_url(data_dir: Path) -> str:
    """``COFFEECHAT_SITE_URL``; else the address ``serve`` last listened on; else the default."""
    chosen = env_str("COFFEECHAT_SITE_URL").strip()
    if not chosen:
        saved = data_dir / SITE_URL_FILE
        chosen = saved.read_text().strip() if saved.is_file() else ""
    return (chosen or DEFAULT_SITE_URL).rstrip("/")


def remember_served_address(data_dir: Path, address: str) -> bool:
    """Save where ``serve`` listens, so the worker and commands link there too.

    Returns False (nothing saved) when ``COFFEECHAT_SITE_URL`` is set: it wins.
    """
    if env_str("COFFEECHAT_SITE_URL").strip():
        return False
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / SITE_URL_FILE).write_text(address.rstrip("/") + "\n")
    return True


def load_or_create_secret(path: Path) -> str:
    """Return the secret kept in ``path``, creating it (mode 0600) on first use."""
    if path.exists():
        keep_private(path)
        secret = path.read_text().strip()
        if secret:
            return secret
    private_dir(path.parent)
    secret = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# SQLite's companions of a database file: they hold the same data.
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def keep_private(path: Path, mode: int = PRIVATE_FILE_MODE) -> None:
    """Make ``path`` readable by its owner only, when it exists and is ours to change."""
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except (FileNotFoundError, PermissionError):
        pass


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) for the owner only (0700); tighten it if it exists."""
    if not path.exists():
        old = os.umask(0o077)
        try:
            path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
        finally:
            os.umask(old)
    keep_private(path, PRIVATE_DIR_MODE)
    return path


def private_sqlite_database(path: Path) -> None:
    """Create the SQLite database file 0600 before SQLite does (its WAL and shared-memory
    files then get the same mode), and tighten an existing one and its companions."""
    private_dir(path.parent)
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    for suffix in SQLITE_SUFFIXES:
        keep_private(path.with_name(path.name + suffix))


def parse_email_url(url: str, *, timeout: int = 20) -> dict[str, Any]:
    """Turn ``EMAIL_URL`` into the ``MAILERS["default"]`` entry of Django's settings.

    Schemes: ``smtp://`` (plain, STARTTLS with ``?tls=1``), ``smtp+tls://``
    (STARTTLS, port 587), ``smtps://`` (implicit TLS, port 465),
    ``console://``, ``file:///path`` and ``memory://``. Empty: the console.
    """
    backends = "django.core.mail.backends."
    if not url:
        return {"BACKEND": backends + "console.EmailBackend"}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if scheme == "console":
        return {"BACKEND": backends + "console.EmailBackend"}
    if scheme == "memory":
        return {"BACKEND": backends + "locmem.EmailBackend"}
    if scheme == "file":
        path = unquote(parts.path)
        if not path:
            raise ConfigError("EMAIL_URL file:// needs a folder, e.g. file:///var/mail/coffeechat")
        return {"BACKEND": backends + "filebased.EmailBackend", "OPTIONS": {"file_path": path}}
    if scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ConfigError(
            f"EMAIL_URL scheme {scheme!r} is not supported "
            "(use smtp, smtp+tls, smtps, console, file or memory)"
        )
    use_ssl = scheme == "smtps"
    use_tls = scheme == "smtp+tls" or query.get("tls", "").lower() in TRUE_WORDS
    default_port = 465 if use_ssl else 587 if use_tls else 25
    try:
        port = parts.port or default_port
    except ValueError:
        raise ConfigError(f"EMAIL_URL has an invalid port: {url!r}") from None
    if not parts.hostname:
        raise ConfigError("EMAIL_URL needs a host name, e.g. smtp+tls://user:pass@mail.example.org")
    return {
        "BACKEND": "coffeechat.core.mailers.SmtpBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": timeout,
        },
    }


# Single sign-on: one OpenID Connect provider (docs/operations.md, "Single sign-on").
OIDC_PROVIDER_ID = "sso"
OIDC_DEFAULT_NAME = "Single sign-on"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def oidc_allowed_domains(raw: str) -> list[str]:
    """``COFFEECHAT_OIDC_ALLOWED_DOMAINS``: lower-cased domain names, comma-separated."""
    domains = []
    for item in raw.split(","):
        domain = item.strip().lower().removeprefix("@")
        if not domain:
            continue
        labels = domain.split(".")
        if len(labels) < 2 or not all(DOMAIN_LABEL.match(label) for label in labels):
            raise ConfigError(
                f"COFFEECHAT_OIDC_ALLOWED_DOMAINS: {item.strip()!r} is not a domain name "
                "(write e.g. example.edu,students.example.edu)"
            )
        domains.append(domain)
    return domains


def oidc_config() -> dict[str, Any] | None:
    """The OpenID Connect provider from ``COFFEECHAT_OIDC_*``; None when it is not set up."""
    issuer = env_str("COFFEECHAT_OIDC_ISSUER").strip()
    client_id = env_str("COFFEECHAT_OIDC_CLIENT_ID").strip()
    secret = env_str("COFFEECHAT_OIDC_CLIENT_SECRET").strip()
    given = {
        "COFFEECHAT_OIDC_ISSUER": issuer,
        "COFFEECHAT_OIDC_CLIENT_ID": client_id,
        "COFFEECHAT_OIDC_CLIENT_SECRET": secret,
    }
    if not any(given.values()):
        return None
    missing = [name for name, value in given.items() if not value]
    if missing:
        raise ConfigError(f"Single sign-on needs {', '.join(missing)} too (or none of them).")
    parts = urlsplit(issuer)
    local = parts.hostname is not None and (parts.hostname in LOCAL_HOSTS)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise ConfigError(
            f"COFFEECHAT_OIDC_ISSUER={issuer!r} is not a URL (e.g. https://login.example.edu)"
        )
    if parts.scheme == "http" and not local:
        raise ConfigError(
            f"COFFEECHAT_OIDC_ISSUER={issuer!r}: use https:// (plain http only for this machine)"
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"COFFEECHAT_OIDC_ISSUER={issuer!r} must not have a ?query or #part")
    return {
        "issuer": issuer.rstrip("/"),
        "client_id": client_id,
        "secret": secret,
        "name": env_str("COFFEECHAT_OIDC_NAME").strip() or OIDC_DEFAULT_NAME,
        "allowed_domains": oidc_allowed_domains(env_str("COFFEECHAT_OIDC_ALLOWED_DOMAINS")),
    }


def socialaccount_providers(oidc: dict[str, Any] | None) -> dict[str, Any]:
    """django-allauth's SOCIALACCOUNT_PROVIDERS for that provider (empty: no SSO)."""
    if oidc is None:
        return {}
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "SCOPE": ["openid", "email", "profile"],
            "APPS": [
                {
                    "provider_id": OIDC_PROVIDER_ID,
                    "name": oidc["name"],
                    "client_id": oidc["client_id"],
                    "secret": oidc["secret"],
                    "settings": {
                        "server_url": oidc["issuer"],
                        "token_auth_method": "client_secret_basic",
                    },
                }
            ],
        }
    }


def oidc_origin(oidc: dict[str, Any] | None) -> list[str]:
    """The provider's origin, for the CSP's form-action: the "Continue" button's form
    is answered with a redirect there, and browsers check redirects of a form too."""
    if oidc is None:
        return []
    parts = urlsplit(oidc["issuer"])
    return [f"{parts.scheme}://{parts.netloc}"]


MFA_POLICIES = ("none", "staff", "all")


def mfa_policy(raw: str) -> str:
    """``COFFEECHAT_MFA_REQUIRED``: who must use a second factor (none, staff or all)."""
    value = raw.strip().lower() or "none"
    if value not in MFA_POLICIES:
        raise ConfigError(f"COFFEECHAT_MFA_REQUIRED={raw!r}: use none, staff or all")
    return value
