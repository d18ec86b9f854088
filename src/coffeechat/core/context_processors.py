from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def instance(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": "Coffeechat", "SIGNUP_OPEN": settings.SIGNUP_OPEN}
