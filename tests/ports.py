"""Free TCP ports on 127.0.0.1 for the real servers the tests start (SMTP, IMAP, HTTP)."""

from __future__ import annotations

import socket

# Ports already handed out by this process: the system may offer a port again as soon
# as the probing socket is closed, before the server that was given it has bound it.
_HANDED: set[int] = set()


def free_ports(count: int) -> list[int]:
    """``count`` different free ports, none handed out before by this process. The
    probing sockets stay bound until all are chosen."""
    sockets: list[socket.socket] = []
    chosen: list[int] = []
    try:
        while len(chosen) < count:
            sock = socket.socket()
            sockets.append(sock)
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
            if port not in _HANDED:
                chosen.append(port)
                _HANDED.add(port)
        return chosen
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    """One free port (see :func:`free_ports`)."""
    return free_ports(1)[0]
