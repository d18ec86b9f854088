"""The API's one error shape, and the handlers that give every 4xx answer that shape.

Every 4xx answer is ``{"detail": "<what went wrong>", "errors": [...]}``; each item of
``errors`` names a field: ``{"loc": ["body", "first_name"], "msg": "…", "type": "…"}``.
``errors`` is empty when the answer is not about fields (404, 401, 409…).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("django.request")

# What a client is told to send when it is not signed in (RFC 9110, 11.6.1).
WWW_AUTHENTICATE = 'Bearer realm="coffeechat", charset="UTF-8"'
REASONS = {
    400: "Bad request.",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method not allowed.",
    409: "Conflict.",
    422: "The request is not valid.",
}


def field_error(loc: list[str | int], msg: str, kind: str) -> dict[str, Any]:
    return {"loc": loc, "msg": msg, "type": kind}


def error_body(detail: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The body of every 4xx answer of the API."""
    return {"detail": detail, "errors": errors or []}


def _summary(errors: list[dict[str, Any]]) -> str:
    """One line that names each field: ``first_name: Field required``."""
    parts = []
    for item in errors:
        loc = list(item["loc"])
        if len(loc) > 2 and loc[0] == "body":
            loc = loc[2:]  # ninja puts the body's parameter name second: ["body", "payload", …]
        where = [str(part) for part in loc if part not in ("body", "query", "path")]
        parts.append(f"{'.'.join(where)}: {item['msg']}" if where else str(item["msg"]))
    return "; ".join(parts) or REASONS[422]


def error_response(
    status: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    """A JSON error answer outside ninja's operations (unknown path, wrong method)."""
    response = JsonResponse(error_body(detail, errors), status=status)
    if status == 401:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


def install_error_handlers(api: NinjaAPI) -> None:
    """Give ninja's errors and Django's validation errors the one shape."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        response = api.create_response(request, body, status=status)
        if status == 401:
            response["WWW-Authenticate"] = WWW_AUTHENTICATE
        return response

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            field_error(list(item["loc"]), str(item["msg"]), str(item.get("type", "invalid")))
            for item in exc.errors
        ]
        return respond(request, 422, error_body(_summary(errors), errors))

    @api.exception_handler(DjangoValidationError)
    def model_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        """A model's validation error as a 422 that names each field, like ninja's own."""
        if hasattr(exc, "error_dict"):
            errors = [
                field_error(
                    ["body"] if field == NON_FIELD_ERRORS else ["body", field],
                    " ".join(messages),
                    "value_error",
                )
                for field, messages in exc.message_dict.items()
            ]
        else:
            errors = [field_error(["body"], message, "value_error") for message in exc.messages]
        return respond(request, 422, error_body(_summary(errors), errors))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, error_body(str(exc)))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(REASONS[404]))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        """A bug: logged and signalled as Django does for a page, answered as JSON."""
        if settings.DEBUG:
            raise exc
        logger.error("Server error: %s", request.path, exc_info=exc)
        got_request_exception.send(sender=None, request=request)
        return respond(request, 500, error_body("Server error."))
