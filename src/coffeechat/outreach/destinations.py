"""Where a user's own SMTP settings may make the server connect (issue 19, item 3).

The settings are typed by any signed-in user, so without a rule the server would
connect wherever they say: a port scanner for the server's own network. Only mail
ports (25, 465, 587, 2525) on public addresses are allowed, checked on every address
the host name resolves to, before connecting (the test button and sending alike). An
operator whose users send through a relay on a private network (or a test suite with
its own local server) allows private addresses and any port with
``COFFEECHAT_ALLOW_PRIVATE_SMTP=1``.

The name is resolved once (:func:`resolve`), every address it resolves to is
checked, and the connection goes to the checked address itself, never to the name
again (outreach/smtp.py pins it), so a name whose answer changes between the check
and the connection (DNS rebinding) cannot lead elsewhere. TLS still verifies the
certificate against the host name the user typed (SNI and the certificate's name).
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


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order (asked once)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def check_destination(host: str, port: int, ports: frozenset[int] = MAIL_PORTS) -> str:
    """The address to connect to for ``host``:``port``: resolved once, every answer
    checked. Raise :class:`RefusedDestination` unless it may be connected to.

    ``ports`` are the ports allowed (the mailbox passes IMAP's, :data:`IMAP_PORTS`).
    """
    if not settings.ALLOW_PRIVATE_SMTP and port not in ports:
        allowed = ", ".join(str(p) for p in sorted(ports))
        raise RefusedDestination(
            f"port {port} is not a mail port; this server only connects to {allowed}"
        )
    addresses = resolve(host, port)
    if not addresses:
        raise socket.gaierror(f"{host} has no address")
    if not settings.ALLOW_PRIVATE_SMTP:
        for address in addresses:
            if not _public(address):
                raise RefusedDestination(
                    f"“{host}” is a private, local or reserved address ({address}), which "
                    "this server does not connect to for user settings (the administrator "
                    "can allow it with COFFEECHAT_ALLOW_PRIVATE_SMTP)"
                )
    return addresses[0]
