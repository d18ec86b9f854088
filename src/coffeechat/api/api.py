"""The JSON API under /api/v1: session or personal-token auth, errors as JSON."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from coffeechat.accounts.services import user_for_token
from coffeechat.api.routers import (
    bench,
    conversations,
    duplicates,
    followups,
    network,
    outreach,
    targets,
)


class BearerToken(HttpBearer):
    """``Authorization: Bearer cc_…`` with a token made on the profile page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class HeaderToken(APIKeyHeader):
    """``X-API-Key: cc_…``, for clients that cannot set a bearer token."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = user_for_token(key or "")
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Coffeechat API",
    version="1",
    description=(
        "Your informational-networking workspace as JSON. Authenticate with the "
        "session of the web app or with a personal token from your profile page "
        "(`Authorization: Bearer cc_…`). Another user's objects answer 404."
    ),
    auth=[BearerToken(), HeaderToken(), django_auth],
    urls_namespace="api-1",
    # Swagger UI from the bundled static files; never ask validator.swagger.io about us.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(DjangoValidationError)
def validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A model's validation error as a 422 that names each field, like ninja's own."""
    if hasattr(exc, "error_dict"):
        detail = [
            {
                "loc": ["body"] if field == NON_FIELD_ERRORS else ["body", field],
                "msg": " ".join(messages),
            }
            for field, messages in exc.message_dict.items()
        ]
    else:
        detail = [{"loc": ["body"], "msg": message} for message in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)


network.register(api)
duplicates.register(api)
targets.register(api)
followups.register(api)
conversations.register(api)
outreach.register(api)
bench.register(api)
