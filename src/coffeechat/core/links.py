"""Links that leave the page (e-mails, calendar files and feeds) are absolute.

They start with ``settings.SITE_URL``: ``COFFEECHAT_SITE_URL`` when set, otherwise the
address ``coffeechat serve`` last listened on (see ``coffeechat.config.site_url``).
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

WILDCARD_HOSTS = {"", "0.0.0.0", "::"}


def absolute_url(path: str) -> str:
    """``/today/`` → ``https://coffee.example.org/today/``; a full URL stays as it is."""
    if urlsplit(path).scheme:
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def is_local_path(url: str) -> bool:
    """A link that stays on this site: ``/today/``, never ``//evil``, ``/\\evil``, ``http:``.

    Browsers read a backslash as a slash and drop tabs and newlines, so ``/\\evil.example/``
    and ``/<TAB>/evil.example/`` open another site: backslashes and control characters are
    refused outright, then Django's own check must agree that no host is named.
    """
    if not url.startswith("/") or url.startswith("//"):
        return False
    if "\\" in url or any(ord(char) < 32 or ord(char) == 127 for char in url):
        return False
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def site_domain() -> str:
    """The host name of the site (no port), e.g. for calendar UIDs."""
    return urlsplit(settings.SITE_URL).hostname or "coffeechat"


def served_address(host: str, port: int) -> str:
    """The address a server bound to ``host``:``port`` is reached at.

    Bound to every interface, it is reached by this machine's name.
    """
    if host in WILDCARD_HOSTS:
        host = socket.gethostname() or "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"
