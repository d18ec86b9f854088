"""``coffeechat serve``'s HTTP server: waitress, refusing over-large bodies with our 413.

Waitress already refuses a request whose ``Content-Length`` is over
``max_request_body_size`` right after its headers (and a chunked body once it grows
past it), before reading the body; its answer is a bare text. The parser here only
replaces that answer with Coffeechat's own page or JSON (core/request_size.py), through
waitress's own extension points (a channel's ``parser_class``, a server's
``channel_class``).
"""

from __future__ import annotations

from typing import Any

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import create_server
from waitress.utilities import Error, RequestEntityTooLarge

from coffeechat.core.request_size import max_request_bytes, too_large


class TooLarge(Error):
    code = 413
    reason = "Content Too Large"

    def __init__(self, path: str, accept: str) -> None:
        super().__init__("")
        self.path, self.accept = path, accept

    def to_response(self, ident: str | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
        content_type, body = too_large(self.path, self.accept)
        return f"{self.code} {self.reason}", [("Content-Type", content_type)], body


class LimitedParser(HTTPRequestParser):
    def received(self, data: bytes) -> int:
        consumed: int = super().received(data)
        error: Error | None = getattr(self, "error", None)
        if isinstance(error, RequestEntityTooLarge):
            path = getattr(self, "path", "") or "/"
            self.error = TooLarge(path, self.headers.get("ACCEPT", ""))
        return consumed


class LimitedChannel(HTTPChannel):
    parser_class = LimitedParser


def serve(application: Any, **options: Any) -> None:
    """Like ``waitress.serve``, with the request size limit and its page."""
    options.pop("_quiet", None)
    options.setdefault("max_request_body_size", max_request_bytes())
    servers: dict[Any, Any] = {}
    server = create_server(application, map=servers, **options)
    for each in {*servers.values(), server}:
        if hasattr(each, "channel_class"):
            each.channel_class = LimitedChannel
    server.run()
