"""The API's addresses: ninja's routes, each answering JSON to any method, and JSON 404s.

Ninja answers a method a route does not have with an empty text 405 and does not know
HEAD or OPTIONS. Each route's view is wrapped here so that HEAD is GET without a body,
OPTIONS lists the methods, and a wrong method is a JSON 405 with ``Allow``. Any other
address under /api/v1/ (an unknown path, a non-numeric id) is a JSON 404.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt

from coffeechat.api.api import api
from coffeechat.api.errors import REASONS, error_response

View = Callable[..., HttpResponseBase]


def allowed_methods(response: HttpResponseBase) -> list[str]:
    """The methods of a route from ninja's 405, with HEAD beside GET, and OPTIONS."""
    methods = {m.strip() for m in response.get("Allow", "").split(",") if m.strip()}
    if "GET" in methods:
        methods.add("HEAD")
    methods.add("OPTIONS")
    return sorted(methods)


def as_json(response: HttpResponseBase) -> HttpResponseBase:
    """A 4xx answer that is not JSON (Django's or ninja's own) gets the one error shape."""
    content_type = response.get("Content-Type", "")
    if response.status_code < 400 or content_type.startswith("application/json"):
        return response
    reason = REASONS.get(response.status_code, response.reason_phrase)
    fixed = error_response(response.status_code, reason)
    for header in ("Allow", "WWW-Authenticate", "Retry-After"):
        if header in response:
            fixed[header] = response[header]
    return fixed


def json_view(view: View) -> View:
    """The same view, answering JSON to HEAD, OPTIONS and methods it does not have."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        method = request.method
        if method == "HEAD":
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = error_response(404, REASONS[404])
        request.method = method
        if isinstance(response, HttpResponseNotAllowed):
            allow = allowed_methods(response)
            if method == "OPTIONS":
                answer = HttpResponse(json.dumps({"allow": allow}), content_type="application/json")
            else:
                answer = error_response(405, f"{method} is not allowed here: {', '.join(allow)}.")
            answer["Allow"] = ", ".join(allow)
            response = answer
        response = as_json(response)
        if method == "HEAD" and isinstance(response, HttpResponse):
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return wrapped


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any address under /api/v1/ that is not a route (wrong path, non-numeric id)."""
    return error_response(404, REASONS[404])


def _wrap(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if isinstance(pattern, URLPattern):
        return URLPattern(
            pattern.pattern, json_view(pattern.callback), pattern.default_args, pattern.name
        )
    return pattern


def api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """``api.urls`` with every view wrapped and a JSON 404 for everything else."""
    patterns, app_name, namespace = api.urls
    wrapped = [_wrap(pattern) for pattern in patterns]
    wrapped.append(re_path(r"^.*$", json_view(not_found), name="not-found"))
    return wrapped, app_name, namespace
