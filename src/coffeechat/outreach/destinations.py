"""Where a user's own SMTP settings may make the server connect (issue 19, item 3).

The settings are typed by any signed-in user, so without a rule the server would
connect wherever they say: a port scanner for the server's own network. Only mail
ports (25, 465, 587, 2525) on public addresses are allowed, checked on every address
the host name resolves to, before connecting (the test button and sending alike). An
operator whose users send through a relay on a private network (or a test suite with
its own local server) allows private addresses and any port with
``COFFEECHAT_ALLOW_PRIVATE_SMTP=1``.

What remains: the host name is resolved again when connecting, so a name whose answer
changes within the second between the check and the connection (DNS rebinding) could
still reach a private address on a mail port.
"""

from __future__ import annotations

import ipaddress
import socket

from django.conf import settings

MAIL_PORTS = frozenset({25, 465, 587, 2525})
IMAP_PORTS = frozenset({143, 993})  # the user's mailbox (coffeechat.mailbox)


class RefusedDestination(OSError):
    """The host or port of a user's SMTP settings is not allowed on this server."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def check_destination(host: str, port: int, ports: frozenset[int] = MAIL_PORTS) -> None:
    """Raise :class:`RefusedDestination` unless ``host``:``port`` may be connected to.

    ``ports`` are the ports allowed (the mailbox passes IMAP's, :data:`IMAP_PORTS`).
    """
    if settings.ALLOW_PRIVATE_SMTP:
        return
    if port not in ports:
        allowed = ", ".join(str(p) for p in sorted(ports))
        raise RefusedDestination(
            f"port {port} is not a mail port; this server only connects to {allowed}"
        )
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for info in infos:
        if not _public(str(info[4][0])):
            raise RefusedDestination(
                f"“{host}” is a private, local or reserved address ({info[4][0]}), which "
                "this server does not connect to for user settings (the administrator can "
                "allow it with COFFEECHAT_ALLOW_PRIVATE_SMTP)"
            )
