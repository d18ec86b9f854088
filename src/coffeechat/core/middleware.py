from __future__ import annotations

import logging
import re
import time
import uuid
import zoneinfo
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import empty

from coffeechat.core import logs, metrics


class UserTimezoneMiddleware:
    """Show times in the signed-in user's own time zone.

    The profile comes with the user (one query: ``accounts.backends``), read afresh on
    every request: a time zone changed on the profile page counts from the next one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tz_name = ""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            tz_name = profile.time_zone if profile else ""
        if tz_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tz_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class FirstRunMiddleware:
    """On an instance with no account yet, send the first visitor to sign-up.

    Asked on every anonymous visit to the home page (one cheap query), so an
    instance whose accounts were all deleted offers sign-up again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in {"GET", "HEAD"}
            and request.path == "/"
            and not request.user.is_authenticated
            and not get_user_model()._default_manager.exists()
        ):
            return redirect(reverse("account_signup"))
        return self.get_response(request)


REQUEST_ID_HEADER = "X-Request-ID"
# What an id from the trusted proxy may look like (uuids, nginx's $request_id, …).
INCOMING_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
request_logger = logging.getLogger("coffeechat.request")


def incoming_request_id(request: HttpRequest) -> str | None:
    """The proxy's X-Request-ID, believed only from the trusted proxy (settings
    BEHIND_PROXY and TRUSTED_PROXY; the peer is the address before waitress applied the
    proxy's X-Forwarded-For, kept by ``coffeechat serve`` as ``coffeechat.peer``)."""
    if not settings.BEHIND_PROXY:
        return None
    peer = request.META.get("coffeechat.peer") or request.META.get("REMOTE_ADDR", "")
    if settings.TRUSTED_PROXY not in ("*", peer):
        return None
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if INCOMING_ID.match(given) else None


def route_of(request: HttpRequest) -> str:
    """The URL name (``network:person-list``), ``static`` or ``unmatched``: a small,
    fixed set of values, fit for a metric label."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    if request.path.startswith(settings.STATIC_URL or "/static/"):
        return "static"
    return "unmatched"


def loggable_path(request: HttpRequest) -> str:
    """The path without secrets or addresses: each non-numeric part captured by the URL
    (feed tokens, reset keys, slugs) becomes ``<name>``; an unmatched path loses any part
    with an ``@`` or longer than 64 characters."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            text = str(value)
            if text and not text.isdigit():
                path = path.replace(quote(text), f"<{name}>").replace(text, f"<{name}>")
        return path
    return "/".join(
        "<hidden>" if "@" in part or len(part) > 64 else part for part in path.split("/")
    )


def known_user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id when the request already looked the user up; never a
    query of its own (a page that did not need the user costs nothing more)."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = user.__dict__.get("_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return int(wrapped.pk)


class RequestLogMiddleware:
    """First of all: gives the request its id (X-Request-ID, in and out), times it,
    writes one log line for it (INFO; WARNING for 4xx, ERROR for 5xx, in place of
    Django's own ``django.request`` line) and counts it in the latency histogram."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = incoming_request_id(request) or uuid.uuid4().hex
        token = logs.request_id.set(given)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            response[REQUEST_ID_HEADER] = given
            self.record(request, response.status_code, seconds)
            # Django would log a 4xx/5xx again after this middleware, without the request
            # id and with the raw path: this line says it already.
            response._has_been_logged = True  # type: ignore[attr-defined]
            return response
        finally:
            logs.request_id.reset(token)

    def record(self, request: HttpRequest, status: int, seconds: float) -> None:
        route = route_of(request)
        metrics.observe_request(route, request.method or "", status, seconds)
        path = loggable_path(request)
        level = (
            logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
        )
        request_logger.log(
            level,
            "%s %s %s %.1f ms",
            request.method,
            path,
            status,
            seconds * 1000,
            extra={
                "method": request.method,
                "path": path,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": known_user_id(request),
            },
        )
