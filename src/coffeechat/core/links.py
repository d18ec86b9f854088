"""Links that leave the page (e-mails, calendar files and feeds) are absolute.

They start with ``settings.SITE_URL``: ``COFFEECHAT_SITE_URL`` when set, otherwise the
address ``coffeechat serve`` last listened on (see ``coffeechat.config.site_url``).
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from django.conf import settings

WILDCARD_HOSTS = {"", "0.0.0.0", "::"}


def absolute_url(path: str) -> str:
    """``/today/`` → ``https://coffee.example.org/today/``; a full URL stays as it is."""
    if urlsplit(path).scheme:
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


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
