"""The JSON API under /api/v1: session or personal-token auth, errors as JSON."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Swagger
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from coffeechat.accounts.services import user_for_token
from coffeechat.api.errors import install_error_handlers
from coffeechat.api.routers import (
    bench,
    bench_team,
    coaching,
    conversations,
    duplicates,
    followups,
    mailbox,
    network,
    outreach,
    progress,
    staff,
    targets,
)
from coffeechat.api.schema import CoffeechatAPI


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


api = CoffeechatAPI(
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


install_error_handlers(api)
network.register(api)
duplicates.register(api)
targets.register(api)
followups.register(api)
conversations.register(api)
outreach.register(api)
bench.register(api)
bench_team.register(api)
progress.register(api)
coaching.register(api)
staff.register(api)
mailbox.register(api)
