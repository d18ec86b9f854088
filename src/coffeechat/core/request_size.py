"""Request bodies over the upload limit are refused before they are read (413).

The limit is the import limit (``COFFEECHAT_IMPORT_MAX_MB``) plus one megabyte for the
form's other fields. Two places refuse, with the same message:

- ``coffeechat serve``'s server (waitress) answers as soon as it has read the headers
  of a request whose ``Content-Length`` is over the limit, or whose chunked body grows
  past it (server/http.py): the body is never read, not even into a buffer;
- :class:`RequestSizeMiddleware`, first in the middleware, for any other server: it
  answers before Django parses the body (forms, CSRF, files).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

MARGIN = 1024 * 1024  # the form's other fields and the multipart framing


def max_request_bytes() -> int:
    return int(settings.IMPORT_MAX_BYTES) + MARGIN


def message() -> str:
    megabytes = int(settings.IMPORT_MAX_BYTES) // (1024 * 1024)
    return (
        f"The upload is larger than this server's limit of {megabytes} MB "
        "(COFFEECHAT_IMPORT_MAX_MB); nothing of it was read or stored. Split the file, "
        "or ask the operator to raise the limit."
    )


def too_large(path: str, accept: str) -> tuple[str, bytes]:
    """The 413 answer's content type and body: JSON for the API, else a page."""
    if path.startswith("/api/") or "application/json" in accept:
        return "application/json", json.dumps({"detail": message()}).encode()
    page = render_to_string("core/too_large.html", {"message": message()})
    return "text/html; charset=utf-8", page.encode()


class RequestSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_request_bytes():
            content_type, body = too_large(request.path, request.headers.get("Accept", ""))
            response = HttpResponse(body, content_type=content_type, status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)
